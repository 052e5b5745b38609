import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgDatabase } from '../src/database/pg-database';
import { PgliteDatabase } from '../src/database/pglite-database';
import type { SqlDatabase } from '../src/database/sql-database';
import type { NewEvent } from '../src/event-store/event-store.port';
import { SqlEventStore } from '../src/event-store/postgres/sql-event-store';
import { type RawSql, rawPool } from './lib/bare-endpoint';
import type { Benchmark, BenchContext, Figure, RunOutcome } from './lib/benchmark';
import { benchPool, freshDatabase, postgresVersion } from './lib/services';
import { roundMs, roundSummary, summarize } from './lib/stats';

/**
 * Append throughput through the event store port: events per second that `SqlEventStore.append`
 * (over `PgDatabase`, the production adapter, its default pool of 10) stores with `--writers`
 * concurrent writers, each on a stream of its own, appending one event at a time and then batches
 * of `--batch` events (expected version given, as the command handlers do).
 *
 * Baseline, same run, same database, same concurrency and batching: raw `pg` INSERTs of the same
 * rows (same columns, the same jsonb data and metadata) into a scratch table `raw_events` with the
 * same identity key, unique constraints and global-order index, through a `pg` Pool of the same
 * size; one autocommitted statement per append: VALUES for one event, `INSERT … SELECT FROM
 * unnest(...)` of one array per column for a batch (a multi-row VALUES of 140 parameters, the
 * other raw form, is measured as a diagnostic; interleaved, the two came out alike here). What the store
 * adds on top: a check that the expected version exists (one index probe in the same statement),
 * expanding the batch from one jsonb parameter, a NOTIFY after commit (one in flight at a time,
 * coalescing the appends meanwhile), and its JS around the call.
 *
 * Single events, then batches. Within each, the variants run interleaved: a `--warmup-s` warm-up
 * of each (not counted), then `--slices` rounds in which each runs `--seconds`/slices in turn, the
 * order reversed every other round, so the drift of a shared machine falls on all alike (a first
 * try, back to back, put whichever variant ran first well below the others). Each slice starts
 * new streams. With `--attribute` (default on), diagnostic variants, kept in the JSON only: the raw INSERT that also calls
 * pg_notify in the same statement, as the store's append does. PostgreSQL serialises the commits
 * of notifying transactions (a database-wide lock on the notification queue, held through commit),
 * so this phase tells how much of the gap is the NOTIFY rather than the store's SQL or JS.
 */

const COLUMNS = ['event_id', 'stream_id', 'stream_version', 'type', 'schema_version', 'data', 'metadata'] as const;

const RAW_SCHEMA = [
  `CREATE TABLE raw_events (
    position        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tx_id           xid8        NOT NULL DEFAULT pg_current_xact_id(),
    event_id        uuid        NOT NULL,
    stream_id       text        NOT NULL,
    stream_version  integer     NOT NULL,
    type            text        NOT NULL,
    schema_version  integer     NOT NULL,
    data            jsonb       NOT NULL,
    metadata        jsonb       NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT raw_events_event_id_unique UNIQUE (event_id),
    CONSTRAINT raw_events_stream_version_unique UNIQUE (stream_id, stream_version)
  )`,
  'CREATE INDEX raw_events_global_order ON raw_events (tx_id, position)',
];

/** A ChildReportedMissing as the service writes it (about 0.5 KiB of data and metadata). */
function newEvent(childId: string): NewEvent {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    type: 'ChildReportedMissing',
    schemaVersion: 1,
    data: {
      childId,
      episodeId: randomUUID(),
      missingSince: now,
      district: 'Sheffield',
      lastSeenPlace: 'Outside the school gates on Abbeydale Road',
      reporter: { name: 'Bench Reporter', relationship: 'foster carer', phone: '0114 000 0000' },
      circumstances: 'Did not come home after school; phone switched off. Benchmark filler text.',
      initialRisk: 'medium',
      reportedAt: now,
    },
    metadata: { actor: { userId: 'bench:append-throughput', role: 'officer', district: 'Sheffield' }, correlationId: randomUUID(), causationId: null },
  };
}

interface Phase {
  label: string;
  events: number;
  appends: number;
  seconds: number;
  eventsPerSecond: number;
  appendMs: ReturnType<typeof summarize>;
}

type AppendFn = (writer: number, stream: string, version: number, events: NewEvent[]) => Promise<void>;

/** `writers` loops, each on a stream of its own, appending `batch` events at a time until the deadline. */
async function slice(writers: number, batch: number, durationMs: number, append: AppendFn) {
  const latencies: number[] = [];
  let events = 0;
  const start = performance.now();
  const deadline = start + durationMs;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      const childId = randomUUID();
      const stream = `child-${childId}`;
      let version = -1;
      while (performance.now() < deadline) {
        const batchEvents = Array.from({ length: batch }, () => newEvent(childId));
        const t = performance.now();
        await append(0, stream, version, batchEvents);
        latencies.push(performance.now() - t);
        version += batch;
        events += batch;
      }
    }),
  );
  return { latencies, events, seconds: (performance.now() - start) / 1000 };
}

/**
 * The variants measured against each other, interleaved: a warm-up slice of each, then `slices`
 * rounds in which each variant runs seconds/slices in turn, so a drift of the shared machine (or
 * the tables growing) falls on all of them alike rather than on whichever runs last.
 */
async function interleave(
  variants: Record<string, AppendFn>,
  writers: number,
  batch: number,
  seconds: number,
  warmupSeconds: number,
  slices: number,
): Promise<Record<string, Phase>> {
  const names = Object.keys(variants);
  if (warmupSeconds > 0) for (const name of names) await slice(writers, batch, warmupSeconds * 1000, variants[name]);
  const totals = Object.fromEntries(names.map((name) => [name, { latencies: [] as number[], events: 0, seconds: 0 }]));
  for (let round = 0; round < slices; round++) {
    // Alternate the order each round (ABC, CBA, ...), so no variant always follows the same one.
    for (const name of round % 2 ? [...names].reverse() : names) {
      const part = await slice(writers, batch, (seconds * 1000) / slices, variants[name]);
      totals[name].latencies.push(...part.latencies);
      totals[name].events += part.events;
      totals[name].seconds += part.seconds;
    }
  }
  return Object.fromEntries(
    names.map((name) => {
      const total = totals[name];
      return [name, { label: name, events: total.events, appends: total.latencies.length, seconds: total.seconds, eventsPerSecond: total.events / total.seconds, appendMs: summarize(total.latencies) }];
    }),
  );
}

/**
 * Raw INSERTs. `values`: one row per VALUES tuple, 7 parameters a row (a batch of 20 is 140
 * parameters). `unnest`: one array parameter per column, `INSERT … SELECT FROM unnest(…)`, the
 * cheaper way to send a batch; the baseline for batches, multi-row VALUES being a diagnostic. With
 * `notify`, the statement also calls pg_notify once, as the store's append does (a diagnostic).
 */
function rawInsert(pool: RawSql, form: 'values' | 'unnest', notify = false): AppendFn {
  const sqlFor = new Map<number, string>();
  const sql = (rows: number) => {
    let text = sqlFor.get(rows);
    if (!text) {
      if (form === 'unnest') {
        text = `INSERT INTO raw_events (${COLUMNS.join(', ')})
          SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[])`;
      } else {
        const values = Array.from({ length: rows }, (_, r) => `(${COLUMNS.map((_, c) => `$${r * COLUMNS.length + c + 1}`).join(', ')})`);
        text = `INSERT INTO raw_events (${COLUMNS.join(', ')}) VALUES ${values.join(', ')}`;
      }
      if (notify) text = `WITH inserted AS (${text} RETURNING 1) SELECT (SELECT pg_notify('bench_raw_events', 'x') FROM inserted LIMIT 1)`;
      sqlFor.set(rows, text);
    }
    return text;
  };
  return async (_writer, stream, version, events) => {
    const rows = events.map((event, index) => [event.id, stream, version + index + 1, event.type, event.schemaVersion ?? 1, JSON.stringify(event.data), JSON.stringify(event.metadata)]);
    const params: unknown[] = form === 'unnest' ? COLUMNS.map((_, c) => rows.map((row) => row[c])) : rows.flat();
    await pool.query(sql(events.length), params);
  };
}

function storeAppend(store: SqlEventStore): AppendFn {
  return async (_writer, stream, version, events) => {
    const result = await store.append(stream, events, version < 0 ? 'no_stream' : version);
    if (result.appended !== events.length) throw new Error(`append to ${stream} stored ${result.appended} of ${events.length}`);
  };
}

async function measure(context: BenchContext): Promise<RunOutcome> {
  const { options, log } = context;
  const writers = Number(options.writers);
  const batch = Number(options.batch);
  const seconds = Number(options.seconds);
  const warmup = Number(options['warmup-s']);
  const poolSize = Number(options['pool-size']);
  const attribute = options.attribute === true || options.attribute === 'true';
  const slices = Math.max(1, Math.round(Number(options.slices)));
  // On PGlite the store and the raw INSERTs share one embedded database in a temporary folder.
  const onPglite = options.store === 'pglite';
  const services: Record<string, string> = onPglite ? { pglite: 'embedded' } : { postgres: await postgresVersion() };
  const scratch = onPglite ? mkdtempSync(join(tmpdir(), 'mfh-bench-')) : null;
  const database = onPglite ? null : await freshDatabase('bench');
  log(`${database ? `database ${database.name}` : 'embedded PGlite in a temporary folder'}; ${writers} writers, pools of ${poolSize}, ${seconds} s per variant in ${slices} interleaved slices, after ${warmup} s warm-up each`);
  const db: SqlDatabase = database ? new PgDatabase(database.url, poolSize) : await PgliteDatabase.open(join(scratch!, 'pglite'));
  const pgPool = database ? benchPool(database.url, poolSize) : null;
  const pool: RawSql = pgPool ? rawPool(pgPool) : db;
  let store: SqlEventStore | null = null;
  try {
    store = await SqlEventStore.open(db);
    for (const statement of RAW_SCHEMA) await pool.query(statement);
    // Single events: one VALUES row. Batches: unnest arrays, the cheaper of the two raw forms.
    const rawFor = (size: number, notify = false) => rawInsert(pool, size === 1 ? 'values' : 'unnest', notify);
    const viaStore = storeAppend(store);

    const phases: Record<string, Phase> = {};
    for (const size of [1, batch]) {
      const kind = size === 1 ? 'single' : `batch of ${size}`;
      const variants: Record<string, AppendFn> = { [`raw ${kind}`]: rawFor(size), [`store ${kind}`]: viaStore };
      if (attribute) {
        variants[`raw ${kind} + pg_notify`] = rawFor(size, true);
        if (size > 1) variants[`raw ${kind}, multi-row VALUES`] = rawInsert(pool, 'values');
      }
      const measured = await interleave(variants, writers, size, seconds, warmup, slices);
      for (const [name, phase] of Object.entries(measured)) {
        phases[name] = phase;
        log(`${name}${name.startsWith('store') || name === `raw ${kind}` ? '' : ' (diagnostic)'}: ${Math.round(phase.eventsPerSecond)} events/s`);
      }
    }

    // Both tables hold what was written: the same count of rows.
    const [{ stored }] = await pool.query<{ stored: string }>('SELECT count(*)::text AS stored FROM events');
    const [{ rawStored }] = await pool.query<{ rawStored: string }>('SELECT count(*)::text AS "rawStored" FROM raw_events');

    const goal = { above: 0.8, text: '≥ 0.8 of raw' };
    const figures: Figure[] = [];
    for (const size of [1, batch]) {
      const kind = size === 1 ? 'single' : `batch of ${size}`;
      const name = size === 1 ? 'single-event appends' : `batches of ${size} events`;
      const value = phases[`store ${kind}`].eventsPerSecond;
      const base = phases[`raw ${kind}`].eventsPerSecond;
      figures.push({ name: `${name}${onPglite ? ' (PGlite)' : ''}, ${writers} writers (events/s)`, unit: 'ops/s', value: Math.round(value), baseline: Math.round(base), better: 'higher' });
      // The goal is on the share of raw: a figure of its own so the table can mark it met or missed.
      figures.push({ name: `${name}${onPglite ? ' (PGlite)' : ''}, ${writers} writers: share of raw`, unit: 'x', value: roundMs(value / base), baseline: 1, better: 'higher', goal });
    }
    const single = phases['raw single'];
    return {
      figures,
      baseline: {
        description: `raw pg INSERTs of the same rows (same columns and jsonb payloads; a batch as one INSERT … SELECT FROM unnest of 7 array parameters) into a scratch table with the same keys and indexes, ${writers} concurrent writers on distinct streams, a pg Pool of ${poolSize}; summary: ms per single-row INSERT`,
        summary: single.appendMs,
        parts: Object.fromEntries(Object.entries(phases).map(([key, phase]) => [`${key} (ms per append)`, phase.appendMs])),
      },
      details: {
        note: 'events/s = events stored by all writers ÷ wall-clock seconds of the variant\'s slices (warm-up excluded); the "share of raw" rows carry the goal: value = store ÷ raw events/s',
        phases: Object.fromEntries(
          Object.entries(phases).map(([key, phase]) => [
            key,
            { events: phase.events, appends: phase.appends, seconds: roundMs(phase.seconds), eventsPerSecond: Math.round(phase.eventsPerSecond), msPerAppend: roundSummary(phase.appendMs) },
          ]),
        ),
        diagnostic: attribute
          ? 'no figure: "raw … + pg_notify" is the baseline INSERT plus pg_notify in the same statement (as the store does); "raw batch …, multi-row VALUES" sends the batch as 7 parameters a row instead of unnest arrays. They also write to raw_events, so rowsStored differ'
          : 'off (--attribute false)',
        rawForms: 'single events: INSERT … VALUES (7 parameters); batches: INSERT … SELECT FROM unnest(7 array parameters), one statement, autocommitted',
        rowsStored: { events: Number(stored), raw_events: Number(rawStored), note: 'warm-ups included' },
        pools: `PgDatabase pool ${poolSize} (the service's default is 10), raw pg Pool ${poolSize}`,
        storeAddsOverRaw: "an EXISTS probe of the expected version in the same statement, the batch expanded from one jsonb parameter (jsonb_to_recordset), a pg_notify after commit (one in flight per process, coalescing concurrent appends)",
      },
      services,
    };
  } finally {
    await store?.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    await pgPool?.end().catch(() => undefined);
    await database?.drop().catch((error) => log(`could not drop database ${database.name}: ${(error as Error).message}`));
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

export const appendThroughput: Benchmark = {
  name: 'append-throughput',
  description:
    'events/s stored through the event store port (SqlEventStore over PgDatabase), single events and batches, concurrent writers on distinct streams, against raw pg INSERTs of the same rows',
  defaults: { writers: 8, batch: 20, seconds: 8, 'warmup-s': 1, 'pool-size': 10, slices: 4, attribute: true },
  run: measure,
};

export const appendThroughputPglite: Benchmark = {
  name: 'append-throughput-pglite',
  description: 'the same on embedded PGlite (a folder of its own): the store over PgliteDatabase against raw INSERTs on the same PGlite',
  defaults: { writers: 8, batch: 20, seconds: 8, 'warmup-s': 1, 'pool-size': 10, slices: 4, attribute: false, store: 'pglite' },
  run: measure,
};
