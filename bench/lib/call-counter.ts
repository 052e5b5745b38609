import { AsyncLocalStorage } from 'node:async_hooks';
import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import { PgDatabase } from '../../src/database/pg-database';

/**
 * Counts the service's PostgreSQL statements and Redis commands while it serves a load, split
 * into those made on behalf of an HTTP request (the request path) and the rest (the consumers:
 * projections, escalation policy, deadline scheduler, notifier). Instrumentation by wrapping
 * prototype methods in the benchmark's process; src/ is untouched.
 */
export interface CallCounts {
  request: Record<string, number>;
  background: Record<string, number>;
}

const inRequest = new AsyncLocalStorage<true>();

const labels = new Map<string, string>();

/** A short, stable label for a statement: its first words, without literals. Memoised: the counter must cost the service little. */
function labelOf(sql: string): string {
  let label = labels.get(sql);
  if (label === undefined) labels.set(sql, (label = labelOfStatement(sql)));
  return label;
}

function labelOfStatement(sql: string): string {
  const words = sql.replace(/\s+/g, ' ').trim().split(' ');
  const from = words.findIndex((word) => /^(FROM|INTO|UPDATE)$/i.test(word));
  return `${words.slice(0, 2).join(' ')}${from >= 0 ? ` … ${words[from]} ${words[from + 1]}` : ''}`.slice(0, 80);
}

export function countCalls(server: Server): { counts: CallCounts; reset(): void; stop(): void } {
  const counts: CallCounts = { request: {}, background: {} };
  const add = (label: string) => {
    const bucket = inRequest.getStore() ? counts.request : counts.background;
    bucket[label] = (bucket[label] ?? 0) + 1;
  };
  const query = PgDatabase.prototype.query;
  const transaction = PgDatabase.prototype.transaction;
  const sendCommand = Redis.prototype.sendCommand;
  PgDatabase.prototype.query = function (this: PgDatabase, sql: string, params?: unknown[]) {
    add(`pg: ${labelOf(sql)}`);
    return query.call(this, sql, params);
  } as typeof query;
  PgDatabase.prototype.transaction = function (this: PgDatabase, work: Parameters<typeof transaction>[0]) {
    add('pg: transaction (BEGIN … COMMIT, statements inside not counted)');
    return transaction.call(this, work);
  } as typeof transaction;
  Redis.prototype.sendCommand = function (this: Redis, command: Parameters<typeof sendCommand>[0], stream?: Parameters<typeof sendCommand>[1]) {
    add(`redis: ${(command as { name?: string }).name ?? 'command'}`);
    return sendCommand.call(this, command, stream);
  } as typeof sendCommand;
  // Runs before Fastify's own listener, in the same emit: the request's work inherits the mark.
  const mark = () => inRequest.enterWith(true);
  server.prependListener('request', mark);
  return {
    counts,
    reset: () => {
      counts.request = {};
      counts.background = {};
    },
    stop: () => {
      PgDatabase.prototype.query = query;
      PgDatabase.prototype.transaction = transaction;
      Redis.prototype.sendCommand = sendCommand;
      server.off('request', mark);
    },
  };
}

/** Counts divided by `requests`, rounded to two places, largest first. */
export function perRequest(counts: Record<string, number>, requests: number): Record<string, number> {
  const entries = Object.entries(counts).sort(([, a], [, b]) => b - a);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return Object.fromEntries([['total', Math.round((total / requests) * 100) / 100], ...entries.map(([label, n]) => [label, Math.round((n / requests) * 100) / 100])]);
}
