import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { IdempotencyMismatch, WrongExpectedVersion } from '../event-store/event-store.port';
import { Refusal } from '../shared/refusal';
import { Problem, problem, PROBLEM_CONTENT_TYPE } from './problem';
import { InvalidRequest } from './validation';

const REFUSAL_STATUS = { conflict: 409, 'not-found': 404, invalid: 422 } as const;

/** Turns every error into a problem document a person can act on; never leaks a stack. */
export function toProblem(error: unknown): Problem {
  if (error instanceof InvalidRequest) return problem(400, 'validation', 'Invalid request', undefined, error.errors);
  if (error instanceof Refusal) {
    const status = REFUSAL_STATUS[error.kind];
    const errors = error.field ? [{ field: error.field, reason: error.message }] : undefined;
    return problem(status, `refused-${error.kind}`, 'The case does not allow this', error.message, errors);
  }
  if (error instanceof WrongExpectedVersion) {
    return problem(409, 'concurrent-change', 'The case changed while this request was handled', 'retry the request');
  }
  if (error instanceof IdempotencyMismatch) {
    return problem(409, 'idempotency', 'A retried request does not match the original', error.message);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    const detail = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? error.message);
    return problem(status, `http-${status}`, httpTitle(status), Array.isArray(detail) ? detail.join('; ') : String(detail));
  }
  const fastify = error as { statusCode?: number; code?: string; message?: string };
  if (typeof fastify.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    return problem(fastify.statusCode, `http-${fastify.statusCode}`, httpTitle(fastify.statusCode), fastify.message);
  }
  return problem(500, 'internal', 'Internal error', 'the error was logged; nothing was recorded by this request');
}

function httpTitle(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad request',
    401: 'Not authenticated',
    403: 'Not allowed',
    404: 'Not found',
    405: 'Method not allowed',
    409: 'Conflict',
    413: 'Request body too large',
    415: 'Unsupported media type',
    422: 'Unprocessable request',
    429: 'Too many requests',
  };
  return titles[status] ?? 'Request failed';
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse();
    const body = toProblem(error);
    if (body.status >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    reply.status(body.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
  }
}
