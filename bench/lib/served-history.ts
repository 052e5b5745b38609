import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { signingKey } from '../../src/access/signing-key';
import { issueToken } from '../../src/access/tokens';
import { createApp } from '../../src/app.factory';
import { EscalationRuntime } from '../../src/escalation/escalation.runtime';
import { type Configuration, loadConfiguration } from '../../src/config/configuration';
import { allProjections } from '../../src/consumers';
import { loadEscalationPolicy } from '../../src/escalation/policy/load-escalation-policy';
import { SQL_DATABASE, type SqlDatabase } from '../../src/database/sql-database';
import { openEventStore, openSqlDatabase } from '../../src/event-store/event-store.module';
import { startProcessorsAtEnd } from '../../src/synthetic/processors-at-end';
import { SubscriptionRunner } from '../../src/event-store/subscriptions/subscription-runner';
import { rebuildProjection } from '../../src/event-store/subscriptions/rebuild-projection';
import { loadDirectory } from '../../src/notifications/directory';
import type { LoadReport } from '../../src/synthetic/load-history';
import { BENCHMARK_END } from '../../src/synthetic/synthetic-history';
import type { Clock } from '../../src/shared/clock';
import { historyPlan, loadPlan } from './history';
import { BENCH_REDIS_URL, benchServiceEnv, deleteRedisPrefix } from './services';
import { copyOfStoredHistory, STARTING_AT_THE_END } from './stored-histories';

export interface Stored {
  config: Configuration;
  /** The same configuration as environment variables, for a service run as its own process. */
  env: Record<string, string>;
  loaded: LoadReport;
  /** Served on the stored history itself (no room for a copy): what the benchmark appends stays. */
  inPlace?: boolean;
  /** Removes the database (or PGlite folder), the queue keys and the scratch folder. */
  remove(): Promise<void>;
}

/**
 * A store holding a synthetic history of `scale`, ready for a service to serve: the history
 * loaded through the port, every read model rebuilt (`npm run rebuild`'s code), and the
 * processors' checkpoints at the end of the history, so a service started on it serves at once
 * instead of replaying years of deadlines and e-mails first (that replay is not what these
 * benchmarks measure). `store`: `postgres` (a copy of the run's stored history, see
 * stored-histories.ts) or `pglite` (a fresh folder, loaded and built here).
 */
export async function storeWithHistory(scale: string, store: string, log: (line: string) => void): Promise<Stored> {
  if (store !== 'postgres' && store !== 'pglite') throw new Error(`--store must be postgres or pglite, not ${store}`);
  if (store === 'postgres') {
    const { database, info, inPlace } = await copyOfStoredHistory(scale, log);
    const { env, prefix, scratch } = benchServiceEnv(database);
    env.DATA_ENCRYPTION_KEY = info.dataEncryptionKey;
    const remove = async () => {
      await database.drop().catch((error) => log(`could not drop database ${database.name}: ${(error as Error).message}`));
      await deleteRedisPrefix(BENCH_REDIS_URL, prefix).catch(() => undefined);
      rmSync(scratch, { recursive: true, force: true });
    };
    return { config: loadConfiguration(env), env, loaded: info.loaded, remove, inPlace };
  }
  const { env, prefix, scratch } = benchServiceEnv(null);
  const config = loadConfiguration(env);
  const remove = async () => {
    await deleteRedisPrefix(BENCH_REDIS_URL, prefix).catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  };
  const db = await openSqlDatabase(config);
  try {
    const events = await openEventStore(config, db);
    const loaded = await loadPlan(events, historyPlan(scale, undefined, config.districts), log, loadDirectory(config.DIRECTORY_FILE, config.districts));
    const silent = { start: () => undefined, advance: () => undefined, stop: () => undefined };
    for (const projection of allProjections(loadEscalationPolicy(config.ESCALATION_POLICY_FILE))) await rebuildProjection(events, db, projection, silent);
    await startProcessorsAtEnd(db, STARTING_AT_THE_END);
    // As the stored PostgreSQL histories are (see keepAsStoredHistory): no dead rows, fresh statistics.
    await db.query('VACUUM ANALYZE');
    await events.close();
    log('read models rebuilt; processors start at the end of the history');
    return { config, env, loaded, remove };
  } catch (error) {
    await remove();
    throw error;
  } finally {
    await db.close();
  }
}

export interface Served {
  app: NestFastifyApplication;
  baseUrl: string;
  /** A bearer token that reads everything (an auditor's, force-wide). */
  authorization: string;
  /** The start-up catch-up waited out before anything is measured. */
  settled: Settled;
}

export interface Settled {
  seconds: number;
  eventsAppended: number;
}

/**
 * The history's own time: its end (BENCHMARK_END) when the service starts, running on from there.
 * On the wall clock, months after the history ends, every clock the history left running is long
 * overdue: the service would spend its first minutes raising and mailing thousands of escalations
 * (2,647 and 6,052 at force-year), and a benchmark would measure that catch-up, not the views.
 */
export function historyClock(endMs = BENCHMARK_END): Clock {
  const startedAt = Date.now();
  return { now: () => new Date(endMs + (Date.now() - startedAt)) };
}

export async function serve(config: Configuration, log: (line: string) => void = () => undefined): Promise<Served> {
  const app = await createApp(config, { clock: historyClock() });
  await app.listen({ host: '127.0.0.1', port: 0 });
  // The start-up re-enqueue sweep reads the history of every child with pending work: measuring
  // while it runs measures it (its first run starts when Redis is ready, within a moment).
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await app.get(EscalationRuntime).sweepsSettled();
  const settled = await settle(app, log);
  const { port } = app.getHttpAdapter().getInstance().server.address() as AddressInfo;
  const token = await issueToken(signingKey(config), { userId: 'bench:reader', role: 'auditor', district: null });
  return { app, baseUrl: `http://127.0.0.1:${port}`, authorization: `Bearer ${token}`, settled };
}

const QUIET_MS = 3_000;
const SETTLE_LIMIT_MS = 30 * 60_000;

/**
 * Waits until the service is quiet: every consumer at the end of the log and no event appended
 * for QUIET_MS. The history leaves some clocks overdue at its end (return interviews, mostly), so
 * the service starts by raising and mailing those escalations (hundreds at force-year, a minute or
 * two); measured meanwhile, a view's latency is mostly that work's share of the thread and pool.
 */
async function settle(app: NestFastifyApplication, log: (line: string) => void): Promise<Settled> {
  const db = app.get<symbol, SqlDatabase>(SQL_DATABASE);
  const runner = app.get(SubscriptionRunner);
  const started = Date.now();
  const head = async () => (await db.query<{ max: string | null }>('SELECT max(position)::text AS max FROM events'))[0].max ?? '0';
  const first = await head();
  let last = first;
  let quietSince = Date.now();
  while (Date.now() - quietSince < QUIET_MS) {
    if (Date.now() - started > SETTLE_LIMIT_MS) throw new Error(`the served service was still appending after ${SETTLE_LIMIT_MS / 60_000} minutes`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    // A refused connection (a shared server at max_connections) is waited out like the service's consumers do.
    const now = await runner
      .waitUntilCaughtUp(SETTLE_LIMIT_MS)
      .then(head)
      .catch((error: Error) => `unknown: ${error.message}`);
    if (now !== last) [last, quietSince] = [now, Date.now()];
  }
  const settled = { seconds: (Date.now() - started) / 1000, eventsAppended: Number(last) - Number(first) };
  log(`service settled in ${settled.seconds.toFixed(1)} s (${settled.eventsAppended} events appended by its start-up catch-up)`);
  return settled;
}
