import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ALLOWED_ROLES, PUBLIC_ROUTE } from './access.decorators';
import { Role } from './roles';
import { InvalidToken, verifyToken } from './tokens';

export const SIGNING_KEY = Symbol('SigningKey');

/** Every route needs a valid bearer token unless marked @Public(); @AllowRoles narrows who. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly key: Uint8Array,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest();
    const header: string | undefined = request.headers.authorization;
    const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
    if (!token) throw new UnauthorizedException('an Authorization: Bearer <token> header is required');
    try {
      request.actor = await verifyToken(this.key, token);
    } catch (error) {
      if (error instanceof InvalidToken) throw new UnauthorizedException(`the bearer token is not valid: ${error.message}`);
      throw error;
    }
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, targets);
    if (allowed && !allowed.includes(request.actor.role)) {
      throw new ForbiddenException(`the role ${request.actor.role} may not do this`);
    }
    return true;
  }
}
