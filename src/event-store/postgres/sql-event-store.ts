import { randomUUID } from 'node:crypto';
import { CoalescedNotifier } from '../../database/coalesced-notifier';
import { SqlDatabase } from '../../database/sql-database';
import {
  AppendResult,
  Checkpoint,
  ReadFilter,
  EventStore,
  ExpectedVersion,
  IdempotencyMismatch,
  NewEvent,
  RecordedEvent,
  WrongExpectedVersion,
} from '../event-store.port';
import { EVENTS_APPENDED_CHANNEL, migrateEventStore } from './event-store.schema';

interface EventRow {
  event_id: string;
  type: string;
  schema_version: number;
  stream_id: string;
  stream_version: number;
  position: string;
  tx_id: string;
  recorded_ms: number;
  data: unknown;
  /** As text: parsed when a reader looks at it, which most projections never do. */
  metadata: string;
}

// Casts keep 64-bit numbers exact; ORDER BY must name table columns, not these aliases. The time as
// whole milliseconds and the metadata as text spare the client a date parse and a JSON parse per
// event (with their garbage, a fifth of a rebuild's read at national scale).
const EVENT_COLUMNS = `event_id::text, type, schema_version, stream_id, stream_version,
  position::text, tx_id::text, floor(extract(epoch FROM recorded_at) * 1000)::float8 AS recorded_ms, data, metadata::text AS metadata`;

/** The first checkpoint of the global order. */
const ORIGIN = { txId: '0', position: '0' };

/**
 * The event store on PostgreSQL SQL, shared by a PostgreSQL server and embedded PGlite.
 *
 * The global order is (writing transaction id, position), not position alone: positions are
 * taken when a transaction inserts and become visible when it commits, so a reader tailing
 * `position > checkpoint` skips events that a slower transaction commits late. A reader here
 * only takes events whose transaction id is below the oldest transaction still in flight, so
 * nothing can later appear before its checkpoint.
 */
export class SqlEventStore implements EventStore {
  private readonly localListeners = new Set<() => void>();
  private readonly instanceId = randomUUID();
  private stopListening: (() => Promise<void>) | null = null;
  /** Other processes on the same database hear of appends after they commit (PGlite: there are none). */
  private readonly announcer: CoalescedNotifier | null;

  private constructor(private readonly db: SqlDatabase) {
    this.announcer = db.kind === 'pglite' ? null : new CoalescedNotifier(db, EVENTS_APPENDED_CHANNEL);
  }

  static async open(db: SqlDatabase): Promise<SqlEventStore> {
    await migrateEventStore(db);
    if (db.kind === 'pglite') await db.query(APPEND_ONE_AFTER_FUNCTION);
    const store = new SqlEventStore(db);
    // Its own appends wake this process at once; the notification echoing back would wake it twice.
    store.stopListening = await db.listen(EVENTS_APPENDED_CHANNEL, (from) => {
      if (from !== store.instanceId) store.wakeListeners();
    });
    return store;
  }

  async append(stream: string, events: NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    if (events.length === 0) return { streamVersion: await this.currentVersion(stream), appended: 0 };
    const expectedVersion = expected === 'any' ? null : expected === 'no_stream' ? -1 : expected;
    let batch: string | null = null;
    const batched = () => (batch ??= batchOf(events));
    for (let attempt = 0; ; attempt++) {
      try {
        const row =
          expectedVersion === null
            ? await this.appendAtEnd(stream, batched())
            : events.length === 1
              ? await this.appendOneAfter(stream, events[0], expectedVersion)
              : await this.appendAfter(stream, batched(), expectedVersion);
        if (row.after !== null) {
          this.wakeListeners();
          this.announcer?.announce(this.instanceId);
          return { streamVersion: row.after, appended: events.length };
        }
        return await this.resolveRefusedAppend(stream, events, expected, row.before ?? (await this.currentVersion(stream)));
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // Another writer took the same versions or ids between our read and our insert.
        const replay = await this.alreadyStored(stream, events);
        if (replay) return replay;
        if (expected !== 'any' || attempt >= 20) {
          throw new WrongExpectedVersion(stream, expected, await this.currentVersionOrNoStream(stream));
        }
      }
    }
  }

  private async appendAtEnd(stream: string, batch: string): Promise<{ before: number | null; after: number | null }> {
    const [row] = await this.db.query<{ before: number; after: number | null }>(APPEND_AT_END_SQL, [stream, batch]);
    return row;
  }

  /** One event, the commonest append: its values as parameters, with no batch to expand. */
  private async appendOneAfter(stream: string, event: NewEvent, expected: number): Promise<{ before: number | null; after: number | null }> {
    const sql = this.db.kind === 'pglite' ? CALL_APPEND_ONE_AFTER_SQL : APPEND_ONE_AFTER_SQL;
    const rows = await this.db.query<{ stream_version: number | null }>(sql, [
      stream,
      event.id,
      expected,
      event.type,
      event.schemaVersion ?? 1,
      JSON.stringify(event.data),
      JSON.stringify(event.metadata),
    ]);
    const after = rows[0]?.stream_version ?? null;
    return after !== null ? { before: expected, after } : { before: null, after: null };
  }

  /** `before` is null when refused: the caller reads the version only then. */
  private async appendAfter(stream: string, batch: string, expected: number): Promise<{ before: number | null; after: number | null }> {
    const rows = await this.db.query<{ stream_version: number }>(APPEND_AFTER_SQL, [stream, batch, expected]);
    return rows.length ? { before: expected, after: rows[rows.length - 1].stream_version } : { before: null, after: null };
  }

  async readStream(stream: string, fromVersion = 0): Promise<RecordedEvent[]> {
    const rows = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND stream_version >= $2 ORDER BY events.stream_version`,
      [stream, fromVersion],
    );
    return rows.map(toRecordedEvent);
  }

  async readAll(after: Checkpoint | null, limit: number, filter?: ReadFilter): Promise<RecordedEvent[]> {
    const from = after ? parseCheckpoint(after) : ORIGIN;
    const of = filter && ofTypes(filter, 4);
    const rows = of
      ? await this.db.query<EventRow>(`${SETTLED_AFTER} AND ${of.condition}${IN_ORDER}`, [from.txId, from.position, limit, ...of.params])
      : await this.db.query<EventRow>(READ_ALL_SQL, [from.txId, from.position, limit]);
    return rows.map(toRecordedEvent);
  }

  async hasEventsAfter(after: Checkpoint | null): Promise<boolean> {
    const from = after ? parseCheckpoint(after) : ORIGIN;
    // The ORDER BY makes it one step down the global-order index. Without it the planner expects
    // most rows to match the row comparison and scans the whole table for the LIMIT 1: 40 ms at
    // 100k events, run by every idle consumer at every poll (a dozen consumers, 4 times a second).
    const rows = await this.db.query('SELECT 1 FROM events WHERE (tx_id, position) > ($1::xid8, $2::bigint) ORDER BY tx_id, position LIMIT 1', [
      from.txId,
      from.position,
    ]);
    return rows.length > 0;
  }

  async countEvents(filter?: ReadFilter): Promise<number> {
    const of = filter && ofTypes(filter, 1);
    const [row] = of
      ? await this.db.query<{ count: string }>(`SELECT count(*)::text AS count FROM events WHERE ${of.condition}`, of.params)
      : await this.db.query<{ count: string }>('SELECT count(*)::text AS count FROM events');
    return Number(row.count);
  }

  onAppended(listener: () => void): () => void {
    this.localListeners.add(listener);
    return () => this.localListeners.delete(listener);
  }

  async close(): Promise<void> {
    await this.announcer?.settled();
    await this.stopListening?.();
    this.localListeners.clear();
  }

  private wakeListeners(): void {
    for (const listener of this.localListeners) listener();
  }

  private async resolveRefusedAppend(
    stream: string,
    events: NewEvent[],
    expected: ExpectedVersion,
    actual: number,
  ): Promise<AppendResult> {
    const replay = await this.alreadyStored(stream, events);
    if (replay) return replay;
    throw new WrongExpectedVersion(stream, expected, actual < 0 ? 'no_stream' : actual);
  }

  /** The result of an earlier identical append, or null when none of the ids is stored. */
  private async alreadyStored(stream: string, events: NewEvent[]): Promise<AppendResult | null> {
    const rows = await this.db.query<{ stream_id: string; stream_version: number }>(
      `SELECT stream_id, stream_version FROM events
        WHERE event_id IN (SELECT jsonb_array_elements_text($1::jsonb)::uuid)`,
      [JSON.stringify(events.map((event) => event.id))],
    );
    if (rows.length === 0) return null;
    if (rows.length !== events.length || rows.some((row) => row.stream_id !== stream)) {
      throw new IdempotencyMismatch(stream);
    }
    return { streamVersion: Math.max(...rows.map((row) => row.stream_version)), appended: 0 };
  }

  private async currentVersion(stream: string): Promise<number> {
    const [row] = await this.db.query<{ version: number }>(
      'SELECT coalesce(max(stream_version), -1) AS version FROM events WHERE stream_id = $1',
      [stream],
    );
    return row.version;
  }

  private async currentVersionOrNoStream(stream: string): Promise<number | 'no_stream'> {
    const version = await this.currentVersion(stream);
    return version < 0 ? 'no_stream' : version;
  }
}

/**
 * The global order from a checkpoint, as far as it is settled (see the class comment); read with a
 * filter, of some types only (`ofTypes`): the skipped rows stay in the server, unsent and unparsed.
 */
const SETTLED_AFTER = `
SELECT ${EVENT_COLUMNS} FROM events
 WHERE (tx_id, position) > ($1::xid8, $2::bigint)
   AND tx_id < pg_snapshot_xmin(pg_current_snapshot())`;
const IN_ORDER = `
 ORDER BY events.tx_id, events.position
 LIMIT $3`;
const READ_ALL_SQL = `${SETTLED_AFTER}${IN_ORDER}`;

/**
 * The condition for a filter's types, and for a type narrowed by a field of its data that the field
 * holds one of the values; its parameters numbered from `first`.
 */
function ofTypes(filter: ReadFilter, first: number): { condition: string; params: unknown[] } {
  const params: unknown[] = [filter.types];
  let condition = `type = ANY($${first}::text[])`;
  for (const [type, { field, values }] of Object.entries(filter.where ?? {})) {
    const n = first + params.length;
    condition += ` AND (type <> $${n}::text OR data->>($${n + 1}::text) = ANY($${n + 2}::text[]))`;
    params.push(type, field, values);
  }
  return { condition, params };
}

/**
 * An append with an expected version, the command handlers' case: one INSERT at the versions
 * after it, with no read of the stream's current version. The unique (stream_id, stream_version)
 * constraint refuses it when the stream has moved past `expected` (or another writer raced it);
 * the EXISTS refuses it when the stream is shorter than `expected`, so no gap is ever written.
 */
const APPEND_AFTER_SQL = `
INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata)
SELECT e.id, $1, $3::int + e.n, e.type, e.schema_version, e.data, e.metadata
  FROM jsonb_to_recordset($2::jsonb) AS e(n int, id uuid, type text, schema_version int, data jsonb, metadata jsonb)
 WHERE $3::int = -1 OR EXISTS (SELECT 1 FROM events WHERE stream_id = $1 AND stream_version = $3::int)
 ORDER BY e.n
RETURNING stream_version`;

/** APPEND_AFTER_SQL for a single event (most commands decide one), without jsonb_to_recordset. */
const APPEND_ONE_AFTER_SQL = `
INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata)
SELECT $2::uuid, $1, $3::int + 1, $4, $5::int, $6::jsonb, $7::jsonb
 WHERE $3::int = -1 OR EXISTS (SELECT 1 FROM events WHERE stream_id = $1 AND stream_version = $3::int)
RETURNING stream_version`;

/**
 * APPEND_ONE_AFTER_SQL kept planned for embedded PGlite, which plans every statement it is sent
 * afresh (its API has no named prepared statements): planning the expected-version probe was most
 * of a single append there, and PL/pgSQL keeps its statements' plans for the session. The function
 * returns null where the statement returns no row.
 */
const APPEND_ONE_AFTER_FUNCTION = `
CREATE OR REPLACE FUNCTION append_one_after(text, uuid, int, text, int, jsonb, jsonb) RETURNS int LANGUAGE plpgsql AS $fn$
DECLARE appended int;
BEGIN
  ${APPEND_ONE_AFTER_SQL.trim()} INTO appended;
  RETURN appended;
END $fn$`;

const CALL_APPEND_ONE_AFTER_SQL = 'SELECT append_one_after($1, $2::uuid, $3::int, $4, $5::int, $6::jsonb, $7::jsonb) AS stream_version';

/**
 * An append at whatever the end is ('any'): read the stream's version and insert after it in one
 * statement. Two writers reading the same version race on the unique constraint; the loser retries.
 */
const APPEND_AT_END_SQL = `
WITH current_version AS (
  SELECT coalesce(max(stream_version), -1) AS version FROM events WHERE stream_id = $1
), inserted AS (
  INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata)
  SELECT e.id, $1, current_version.version + e.n, e.type, e.schema_version, e.data, e.metadata
    FROM current_version,
         jsonb_to_recordset($2::jsonb) AS e(n int, id uuid, type text, schema_version int, data jsonb, metadata jsonb)
   ORDER BY e.n
  RETURNING stream_version
)
SELECT (SELECT version FROM current_version) AS before,
       (SELECT max(stream_version) FROM inserted) AS after`;

/** A batch as the append statements take it: one jsonb array, expanded by jsonb_to_recordset. */
const batchOf = (events: NewEvent[]): string =>
  JSON.stringify(
    events.map((event, index) => ({
      n: index + 1,
      id: event.id,
      type: event.type,
      schema_version: event.schemaVersion ?? 1,
      data: event.data,
      metadata: event.metadata,
    })),
  );

function toRecordedEvent(row: EventRow): RecordedEvent {
  const metadataText = row.metadata;
  let metadata: RecordedEvent['metadata'] | undefined;
  return {
    id: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    stream: row.stream_id,
    streamVersion: row.stream_version,
    position: BigInt(row.position),
    checkpoint: `${row.tx_id}:${row.position}`,
    recordedAt: new Date(row.recorded_ms),
    data: row.data,
    // Enumerable, so a copy of the event ({ ...event }) carries it, parsed then.
    get metadata() {
      return (metadata ??= JSON.parse(metadataText) as RecordedEvent['metadata']);
    },
  };
}

function parseCheckpoint(checkpoint: Checkpoint): { txId: string; position: string } {
  const match = /^(\d+):(\d+)$/.exec(checkpoint);
  if (!match) throw new Error(`not a checkpoint of the SQL event store: ${checkpoint}`);
  return { txId: match[1], position: match[2] };
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === '23505';
}
