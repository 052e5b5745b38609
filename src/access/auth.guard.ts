import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS_ACTION, PUBLIC_ROUTE } from './access.decorators';
import { type AccessedRequest, startAccess } from './request-access';
import { scopeOf } from './scope';
import { InvalidToken, type TokenVerifier } from './tokens';

/**
 * Who is calling: every route needs a valid bearer token unless marked @Public(). What they may
 * do is the AccessGuard's to decide, next.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verify: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AccessedRequest>();
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!token) throw new UnauthorizedException('an Authorization: Bearer <token> header is required');
    try {
      request.actor = await this.verify(token);
    } catch (error) {
      if (error instanceof InvalidToken) throw new UnauthorizedException(`the bearer token is not valid: ${error.message}`);
      throw error;
    }
    startAccess(request, this.reflector.getAllAndOverride<string | undefined>(ACCESS_ACTION, targets) ?? 'undeclared', scopeOf(request.actor));
    return true;
  }
}
