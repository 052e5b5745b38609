import type { FastifyRequest } from 'fastify';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Error messages can echo what a person typed ("invalid input syntax for type uuid: \"Amy\"",
 * `Unexpected token 'A', "Amy Smith" is not valid JSON`): quoted values are cut before logging.
 */
export const withoutQuotedValues = (text: string): string => text.replace(/"[^"\n]*"/g, '"…"');

/**
 * A request in the log: method, the route's pattern and the ids in it, never the raw URL (a
 * mistyped path or query can hold a name) and never the body.
 */
export function requestForLog(request: FastifyRequest) {
  const params = (request.params ?? {}) as Record<string, unknown>;
  const ids = Object.fromEntries(Object.entries(params).filter(([, value]) => typeof value === 'string' && UUID.test(value)));
  return { method: request.method, route: request.routeOptions?.url ?? 'unmatched', ids, remoteAddress: request.ip };
}
