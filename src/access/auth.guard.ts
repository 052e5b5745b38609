import { CanActivate, ExecutionContext, ForbiddenException, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS_ACTION, ALLOWED_ROLES, PUBLIC_ROUTE } from './access.decorators';
import { AuditLog } from './audit/audit-log';
import { type AccessedRequest, auditEntryOf, startAccess } from './request-access';
import { Role } from './roles';
import { scopeOf } from './scope';
import { InvalidToken, type TokenVerifier } from './tokens';

/**
 * Every route needs a valid bearer token unless marked @Public(), and a permission from the table
 * (@Can): a route that declares neither is refused to everyone, so a forgotten decorator fails closed.
 * A refusal by role is written to the audit log.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('Access');

  constructor(
    private readonly reflector: Reflector,
    private readonly verify: TokenVerifier,
    private readonly audit: AuditLog,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AccessedRequest>();
    const header = request.headers.authorization;
    const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
    if (!token) throw new UnauthorizedException('an Authorization: Bearer <token> header is required');
    try {
      request.actor = await this.verify(token);
    } catch (error) {
      if (error instanceof InvalidToken) throw new UnauthorizedException(`the bearer token is not valid: ${error.message}`);
      throw error;
    }
    const action = this.reflector.getAllAndOverride<string | undefined>(ACCESS_ACTION, targets) ?? 'undeclared';
    startAccess(request, action, scopeOf(request.actor));
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, targets) ?? [];
    if (!allowed.includes(request.actor.role as Role)) {
      await this.audit.append(auditEntryOf(request, 'answered', 403)).catch((error) => this.auditFailed(error));
      throw new ForbiddenException(
        action === 'undeclared' ? 'this route declares no permission; nobody may call it' : `the role ${request.actor.role} may not ${action}`,
      );
    }
    return true;
  }

  /** The refusal stands either way; the log says the audit entry is missing. */
  private auditFailed(error: unknown): void {
    this.logger.error(`audit log entry for a refused request not written: ${(error as Error).message}`);
  }
}
