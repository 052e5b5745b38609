import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { signingKey } from '../../src/access/signing-key';
import { issueToken } from '../../src/access/tokens';
import { createApp } from '../../src/app.factory';
import { EscalationRuntime } from '../../src/escalation/escalation.runtime';
import { type Configuration, loadConfiguration } from '../../src/config/configuration';
import { allProjections } from '../../src/consumers';
import type { SqlDatabase } from '../../src/database/sql-database';
import { openEventStore, openSqlDatabase } from '../../src/event-store/event-store.module';
import { advanceCheckpoint, migrateCheckpoints, resetCheckpoint } from '../../src/event-store/subscriptions/checkpoint-store';
import { rebuildProjection } from '../../src/event-store/subscriptions/rebuild-projection';
import type { LoadReport } from '../../src/synthetic/load-history';
import { historyPlan, loadPlan } from './history';
import { BENCH_REDIS_URL, benchServiceEnv, deleteRedisPrefix, freshDatabase } from './services';

/** The consumers that act (commands, queues) rather than keep a read model. */
const PROCESSORS = ['escalation-policy', 'deadline-scheduler', 'escalation-notifier', 'linked-children', 'personal-data-shredder'];

export interface Stored {
  config: Configuration;
  /** The same configuration as environment variables, for a service run as its own process. */
  env: Record<string, string>;
  loaded: LoadReport;
  /** Removes the database (or PGlite folder), the queue keys and the scratch folder. */
  remove(): Promise<void>;
}

/**
 * A store holding a synthetic history of `scale`, ready for a service to serve: the history
 * loaded through the port, every read model rebuilt (`npm run rebuild`'s code), and the
 * processors' checkpoints at the end of the history, so a service started on it serves at once
 * instead of replaying years of deadlines and e-mails first (that replay is not what these
 * benchmarks measure). `store`: `postgres` (a fresh database) or `pglite` (a fresh folder).
 */
export async function storeWithHistory(scale: string, store: string, log: (line: string) => void): Promise<Stored> {
  if (store !== 'postgres' && store !== 'pglite') throw new Error(`--store must be postgres or pglite, not ${store}`);
  const database = store === 'postgres' ? await freshDatabase('bench') : null;
  const { env, prefix, scratch } = benchServiceEnv(database);
  const config = loadConfiguration(env);
  const remove = async () => {
    await database?.drop().catch((error) => log(`could not drop database ${database.name}: ${(error as Error).message}`));
    await deleteRedisPrefix(BENCH_REDIS_URL, prefix).catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  };
  const db = await openSqlDatabase(config);
  try {
    const events = await openEventStore(config, db);
    const loaded = await loadPlan(events, historyPlan(scale, undefined, config.districts), log);
    const silent = { start: () => undefined, advance: () => undefined, stop: () => undefined };
    for (const projection of allProjections()) await rebuildProjection(events, db, projection, silent);
    await skipProcessorsToEnd(db);
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

async function skipProcessorsToEnd(db: SqlDatabase): Promise<void> {
  await migrateCheckpoints(db);
  const [last] = await db.query<{ checkpoint: string }>(`SELECT tx_id::text || ':' || position::text AS checkpoint FROM events ORDER BY tx_id DESC, position DESC LIMIT 1`);
  for (const name of PROCESSORS) {
    await resetCheckpoint(db, name);
    if (last) await advanceCheckpoint(db, name, null, last.checkpoint, 0);
  }
}

export interface Served {
  app: NestFastifyApplication;
  baseUrl: string;
  /** A bearer token that reads everything (an auditor's, force-wide). */
  authorization: string;
}

export async function serve(config: Configuration): Promise<Served> {
  const app = await createApp(config);
  await app.listen({ host: '127.0.0.1', port: 0 });
  // The start-up re-enqueue sweep reads the history of every child with pending work: measuring
  // while it runs measures it (its first run starts when Redis is ready, within a moment).
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await app.get(EscalationRuntime).sweepsSettled();
  const { port } = app.getHttpAdapter().getInstance().server.address() as AddressInfo;
  const token = await issueToken(signingKey(config), { userId: 'bench:reader', role: 'auditor', district: null });
  return { app, baseUrl: `http://127.0.0.1:${port}`, authorization: `Bearer ${token}` };
}
