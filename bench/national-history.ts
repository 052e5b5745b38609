import { loadConfiguration } from '../src/config/configuration';
import { loadDirectory } from '../src/notifications/directory';
import { historiesInWorker } from '../src/synthetic/histories-in-worker';
import { childrenIn } from '../src/synthetic/synthetic-history';
import type { Benchmark, BenchContext, RunOutcome } from './lib/benchmark';
import { benchPolicy, historyPlan } from './lib/history';
import { benchPool, postgresVersion } from './lib/services';
import { loadHistoryDatabase, offerLoadedHistory } from './lib/stored-histories';
import { roundMs, summarize } from './lib/stats';

const RAW_TABLE = `CREATE TABLE raw_events (
  position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  event_id uuid NOT NULL UNIQUE, stream_id text NOT NULL, stream_version integer NOT NULL, type text NOT NULL,
  schema_version integer NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (stream_id, stream_version))`;

/**
 * Loading a synthetic history (src/synthetic, the generator `npm run demo` uses) through the event
 * store port: every child's stream made by the real deciders and policy in memory, then appended
 * as one batch per child, 8 children at a time, into a fresh PostgreSQL database. `--scale
 * force-year` (one force, one year) or `national` (43 forces × 4 districts, ten years). The history
 * is the served kind (its e-mails recorded as sent), and the loaded database is handed on to the
 * rebuild benchmark of the same run (see stored-histories.ts).
 *
 * Baseline, same run: the same children's rows (made again from the same seed, in a worker thread
 * as the load's are) sent as raw `INSERT … SELECT FROM unnest(…)`, one per child, 8 at a time,
 * into a scratch table with the same keys and indexes: the first `--baseline-children` children
 * (all of them at force-year scale). Both wait for the worker thread when it falls behind.
 */
async function measure({ options, log }: BenchContext): Promise<RunOutcome> {
  const scale = String(options.scale);
  const services = { postgres: await postgresVersion() };
  const history = await loadHistoryDatabase(scale, log);
  const { database, loaded } = history;
  const config = loadConfiguration({ DATABASE_URL: database.url });
  const plan = historyPlan(scale, undefined, config.districts);
  const pool = benchPool(database.url, 10);
  let handedOn = false;
  try {
    await pool.query(RAW_TABLE);
    const baselineChildren = Math.min(childrenIn(plan), Number(options['baseline-children']));
    // Made in a worker thread, as the load's are, so both sides have the same two threads.
    const histories = historiesInWorker({ plan, policy: benchPolicy(), directory: loadDirectory(config.DIRECTORY_FILE, config.districts) });
    let rawEvents = 0;
    let rawChildren = 0;
    const started = performance.now();
    const worker = async () => {
      while (rawChildren < baselineChildren) {
        rawChildren++;
        const next = await histories.next();
        if (next.done) return;
        const { stream, events } = next.value;
        await pool.query(
          `INSERT INTO raw_events (event_id, stream_id, stream_version, type, schema_version, data, metadata)
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[])`,
          [events.map((e) => e.id), events.map(() => stream), events.map((_, i) => i), events.map((e) => e.type), events.map(() => 1), events.map((e) => JSON.stringify(e.data)), events.map((e) => JSON.stringify(e.metadata))],
        );
        rawEvents += events.length;
      }
    };
    try {
      await Promise.all(Array.from({ length: 8 }, worker));
    } finally {
      await histories.return(undefined); // ends the worker thread, which would go on to the last child
    }
    const rawSeconds = (performance.now() - started) / 1000;
    const rawRate = rawEvents / rawSeconds;
    log(`raw: ${rawEvents} events of ${rawChildren} children in ${rawSeconds.toFixed(1)} s, ${Math.round(rawRate)} ev/s`);
    const [{ size }] = (await pool.query<{ size: string }>(`SELECT pg_size_pretty(pg_total_relation_size('events')) AS size`)).rows;
    await pool.query('DROP TABLE raw_events');
    offerLoadedHistory(history);
    handedOn = true;
    return {
      figures: [
        { name: `load ${plan.preset.name} through the port (events/s)`, unit: 'ops/s', value: Math.round(loaded.eventsPerSecond), baseline: Math.round(rawRate), better: 'higher' },
        { name: `load ${plan.preset.name}: total time`, unit: 'ms', value: Math.round(loaded.seconds * 1000), baseline: Math.round((loaded.events / rawRate) * 1000), better: 'lower' },
      ],
      baseline: {
        description: `raw pg INSERT … SELECT FROM unnest of the same children's rows (regenerated from the seed), one statement per child, 8 at a time, into a scratch table with the same keys and indexes; ${rawChildren} children; the total-time baseline is the load's events at the raw rate`,
        summary: summarize([rawRate]),
      },
      details: {
        preset: plan.preset,
        seed: plan.seed,
        history: 'the served kind: e-mails recorded as sent to the directory of config/',
        children: loaded.children,
        episodes: loaded.episodes,
        events: loaded.events,
        eventsPerEpisode: roundMs(loaded.events / loaded.episodes),
        seconds: roundMs(loaded.seconds),
        generatingSeconds: roundMs(loaded.generatingSeconds),
        eventsTableSize: size,
        raw: { children: rawChildren, events: rawEvents, seconds: roundMs(rawSeconds) },
      },
      services,
    };
  } finally {
    await pool.end().catch(() => undefined);
    if (!handedOn) await database.drop().catch((error) => log(`could not drop database ${database.name}: ${(error as Error).message}`));
  }
}

export const nationalHistory: Benchmark = {
  name: 'national-history',
  description: 'events/s and total time loading a synthetic history (one force-year, or England and Wales over ten years) through the event store port, against raw INSERTs of the same rows',
  defaults: { scale: 'force-year', 'baseline-children': 20_000 },
  run: measure,
};
