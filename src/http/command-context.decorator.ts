import { randomUUID } from 'node:crypto';
import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { CommandContext, commandIdFrom } from '../event-store/command-handling';

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * The command's identity: derived from the Idempotency-Key when there is one (so a retry is the
 * same command), fresh otherwise; the correlation id comes from X-Correlation-Id when well formed.
 */
export const CommandCtx = createParamDecorator((_: unknown, context: ExecutionContext): CommandContext => {
  const request = context.switchToHttp().getRequest();
  const key: string | undefined = request.idempotencyKey;
  const commandId = key ? commandIdFrom(key, request.actor.userId, `${request.method} ${request.url}`) : randomUUID();
  const header = request.headers['x-correlation-id'];
  const correlationId = typeof header === 'string' && CORRELATION_ID.test(header) ? header : commandId;
  return { actor: request.actor, commandId, correlationId };
});
