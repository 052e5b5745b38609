import { loadConfiguration } from '../../src/config/configuration';
import { allProjections } from '../../src/consumers';
import { PgDatabase } from '../../src/database/pg-database';
import { openEventStore } from '../../src/event-store/event-store.module';
import { rebuildProjection } from '../../src/event-store/subscriptions/rebuild-projection';
import { benchPolicy, poolReader, rawSequentialRead } from './history';
import { rebuildProgressLog } from './progress';
import { roundMs } from './stats';
import { benchPool } from './services';

export interface RebuildRequest {
  url: string;
  dataEncryptionKey: string;
  /** The history's events, for its events per second of rebuilding. */
  events: number;
  page: number;
}

export interface RebuildResult {
  rebuilt: Record<string, { eventsRead: number; seconds: number; historyEventsPerSecond: number }>;
  rawReadEventsPerSecond: { before: number; after: number };
}

/**
 * The rebuild benchmark's measurement, in a process started as `npm run rebuild` starts node (see
 * rebuild-process.ts): every projection rebuilt from zero, between two raw sequential reads of the
 * events table, the raw reads in the same process so that both sides run on the same runtime.
 */
async function measure({ url, dataEncryptionKey, events, page }: RebuildRequest, log: (line: string) => void): Promise<RebuildResult> {
  const db = new PgDatabase(url);
  const pool = benchPool(url, 2);
  let store: Awaited<ReturnType<typeof openEventStore>> | undefined;
  try {
    // The service's port: personal fields decrypted on the way out, with the key they were sealed with.
    store = await openEventStore(loadConfiguration({ DATABASE_URL: url, DATA_ENCRYPTION_KEY: dataEncryptionKey }), db);
    await pool.query('VACUUM ANALYZE events');
    const rawRead = async () => {
      const started = performance.now();
      const rows = await rawSequentialRead(poolReader(pool), page);
      return rows / ((performance.now() - started) / 1000);
    };
    const before = await rawRead();
    log(`raw sequential read: ${Math.round(before)} ev/s`);
    const rebuilt: RebuildResult['rebuilt'] = {};
    for (const projection of allProjections(benchPolicy())) {
      const started = performance.now();
      const eventsRead = await rebuildProjection(store, db, projection, rebuildProgressLog(`rebuilding ${projection.name}`, log), page);
      const seconds = (performance.now() - started) / 1000;
      rebuilt[projection.name] = { eventsRead, seconds: roundMs(seconds), historyEventsPerSecond: Math.round(events / seconds) };
      log(`rebuilt ${projection.name} in ${seconds.toFixed(1)} s: ${Math.round(events / seconds)} history ev/s (read ${eventsRead} of its ${events} events)`);
    }
    const after = await rawRead();
    log(`raw sequential read after the rebuilds: ${Math.round(after)} ev/s`);
    return { rebuilt, rawReadEventsPerSecond: { before: Math.round(before), after: Math.round(after) } };
  } finally {
    // Closed whether or not a rebuild failed: its listener would keep the process alive.
    await store?.close();
    await db.close();
    await pool.end();
  }
}

process.once('message', (request: RebuildRequest) => {
  const log = (line: string) => process.send!({ log: line });
  measure(request, log).then(
    (result) => process.send!({ result }),
    (error: Error) => process.send!({ error: error.stack ?? error.message }),
  );
});
