import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Actor } from '../event-store/event-store.port';

export const PUBLIC_ROUTE = 'access:public';
export const ALLOWED_ROLES = 'access:roles';
export const ACCESS_ACTION = 'access:action';

/** No token needed: health, metrics, API docs. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);


/** The authenticated actor, as set by the AuthGuard. */
export const CurrentActor = createParamDecorator(
  (_: unknown, context: ExecutionContext): Actor => context.switchToHttp().getRequest().actor,
);
