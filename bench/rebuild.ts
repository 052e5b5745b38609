import { loadConfiguration } from '../src/config/configuration';
import { openEventStore } from '../src/event-store/event-store.module';
import { allProjections } from '../src/consumers';
import { PgDatabase } from '../src/database/pg-database';
import { rebuildProjection } from '../src/event-store/subscriptions/rebuild-projection';
import type { Benchmark, BenchContext, Figure, RunOutcome } from './lib/benchmark';
import { benchPolicy, poolReader, rawSequentialRead } from './lib/history';
import { rebuildProgressLog } from './lib/progress';
import { benchPool, postgresVersion } from './lib/services';
import { keepAsStoredHistory, takeLoadedHistory } from './lib/stored-histories';
import { roundMs, summarize } from './lib/stats';

const PAGE = 2_000;

/**
 * Every projection of `allProjections()` rebuilt from zero (`npm run rebuild`'s code path:
 * rebuildProjection, batches of 2,000 events, one transaction per batch) over a synthetic history
 * of `--scale` loaded through the port, one projection after another. A rebuild asks the store
 * for the event types its read model follows only, so the figure is the history's events per
 * second of rebuilding: the events it read are in the JSON.
 *
 * Baseline, same run: a raw sequential read of the events table with pg, the same columns in the
 * same global order, keyset pages of 2,000 rows, nothing done with them; read before and after
 * the rebuilds, the faster of the two taken (a warm cache for both sides).
 */
async function measure({ options, log }: BenchContext): Promise<RunOutcome> {
  const scale = String(options.scale);
  const services = { postgres: await postgresVersion() };
  const history = await takeLoadedHistory(scale, log);
  const { database, loaded } = history;
  const db = new PgDatabase(database.url);
  const pool = benchPool(database.url, 2);
  let kept = false;
  try {
    // The service's port: personal fields decrypted on the way out, with the key they were sealed with.
    const store = await openEventStore(loadConfiguration({ DATABASE_URL: database.url, DATA_ENCRYPTION_KEY: history.dataEncryptionKey }), db);
    await pool.query('VACUUM ANALYZE events');
    const rawRead = async () => {
      const t = performance.now();
      const rows = await rawSequentialRead(poolReader(pool), PAGE);
      return rows / ((performance.now() - t) / 1000);
    };
    const rawBefore = await rawRead();
    log(`raw sequential read: ${Math.round(rawBefore)} ev/s`);
    const rebuilt: Record<string, { eventsRead: number; seconds: number; historyEventsPerSecond: number }> = {};
    for (const projection of allProjections(benchPolicy())) {
      const t = performance.now();
      const eventsRead = await rebuildProjection(store, db, projection, rebuildProgressLog(`rebuilding ${projection.name}`, log), PAGE);
      const seconds = (performance.now() - t) / 1000;
      rebuilt[projection.name] = { eventsRead, seconds: roundMs(seconds), historyEventsPerSecond: Math.round(loaded.events / seconds) };
      log(`rebuilt ${projection.name} in ${seconds.toFixed(1)} s: ${Math.round(loaded.events / seconds)} history ev/s (read ${eventsRead} of its ${loaded.events} events)`);
    }
    const rawAfter = await rawRead();
    const raw = Math.max(rawBefore, rawAfter);
    await store.close();
    await db.close();
    await pool.end();
    // What is left is the history benchmarks serve: its read models are built.
    await keepAsStoredHistory(history, log, 'built');
    kept = true;
    const figures: Figure[] = [];
    for (const [name, result] of Object.entries(rebuilt)) {
      figures.push({ name: `rebuild ${name} (${scale}), history events/s`, unit: 'ops/s', value: result.historyEventsPerSecond, baseline: Math.round(raw), better: 'higher', goal: { above: 50_000, text: '≥ 50,000 ev/s' } });
      figures.push({ name: `rebuild ${name} (${scale}): share of raw read`, unit: 'x', value: roundMs(result.historyEventsPerSecond / raw), baseline: 1, better: 'higher', goal: { above: 0.5, text: '≥ 0.5 of raw read' } });
    }
    const totalSeconds = Object.values(rebuilt).reduce((sum, r) => sum + r.seconds, 0);
    return {
      figures,
      baseline: { description: `raw sequential read of the events table (pg, keyset pages of ${PAGE} in the global order, all columns, nothing done with the rows); the faster of a read before and one after the rebuilds`, summary: summarize([rawBefore, rawAfter]) },
      details: { preset: scale, events: loaded.events, episodes: loaded.episodes, loadSeconds: roundMs(loaded.seconds), rebuilt, allProjectionsSeconds: roundMs(totalSeconds), rawReadEventsPerSecond: { before: Math.round(rawBefore), after: Math.round(rawAfter) } },
      services,
    };
  } finally {
    if (!kept) {
      await db.close().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await database.drop().catch((error) => log(`could not drop database ${database.name}: ${(error as Error).message}`));
    }
  }
}

export const rebuild: Benchmark = {
  name: 'rebuild',
  description: 'events/s rebuilding every projection from zero over a synthetic history, against a raw sequential read of the events table',
  defaults: { scale: 'force-year' },
  run: measure,
};
