import { randomUUID } from 'node:crypto';
import { PgDatabase } from '../src/database/pg-database';
import { NewEvent, RecordedEvent } from '../src/event-store/event-store.port';
import { SqlEventStore } from '../src/event-store/postgres/sql-event-store';
import { freshPostgresUrl } from './support/databases';

const WRITERS = 8;
const EVENTS_PER_WRITER = 2_000;
const BATCH = 20;

/**
 * The classic bug of hand-rolled PostgreSQL event stores: positions are taken in one order and
 * committed in another, so a reader tailing `position > last seen` skips late commits. Writers
 * here pause inside their transactions to make late commits common; a naive tail runs beside
 * the real subscriber as a control, to show the hazard is really exercised.
 */
describe('global order under 8 concurrent writers', () => {
  let url: string;
  let db: PgDatabase;
  let store: SqlEventStore;

  beforeAll(async () => {
    url = await freshPostgresUrl();
    db = new PgDatabase(url, WRITERS + 4);
    store = await SqlEventStore.open(db);
  });
  afterAll(async () => {
    await store.close();
    await db.close();
  });

  it('delivers every event exactly once, in a stable order, while a naive position tail skips some', async () => {
    let writing = true;
    const seen: RecordedEvent[] = [];
    const subscriber = (async () => {
      let checkpoint: string | null = null;
      let idleSince = 0;
      for (;;) {
        const page = await store.readAll(checkpoint, 500);
        seen.push(...page);
        if (page.length > 0) {
          checkpoint = page[page.length - 1].checkpoint;
          continue;
        }
        // Done once writing has stopped and nothing committed lies beyond the checkpoint (other
        // suites' transactions on the same server may delay the last events a moment).
        if (!writing && !(await store.hasEventsAfter(checkpoint))) return;
        if (!writing && (idleSince ||= Date.now()) < Date.now() - 20_000) return;
        await sleep(2);
      }
    })();
    const naivelySeen = new Set<string>();
    const naiveTail = (async () => {
      let last = 0n;
      while (writing) {
        const rows = await db.query<{ position: string; event_id: string }>(
          'SELECT position::text, event_id::text FROM events WHERE position > $1 ORDER BY events.position LIMIT 500',
          [last.toString()],
        );
        for (const row of rows) naivelySeen.add(row.event_id);
        if (rows.length > 0) last = BigInt(rows[rows.length - 1].position);
        else await sleep(2);
      }
    })();

    const written = await Promise.all(Array.from({ length: WRITERS }, (_, w) => writeSlowly(w)));
    writing = false;
    await Promise.all([subscriber, naiveTail]);

    const expected = new Set(written.flat());
    const ids = seen.map((e) => e.id);
    const duplicates = ids.length - new Set(ids).size;
    const seenIds = new Set(ids);
    const skipped = [...expected].filter((id) => !seenIds.has(id)).length;
    const naiveSkipped = [...expected].filter((id) => !naivelySeen.has(id)).length;
    console.log(
      `concurrent writers: ${WRITERS} x ${EVENTS_PER_WRITER} events; subscriber saw ${ids.length}, ` +
        `skipped ${skipped}, duplicated ${duplicates}; a naive position tail skipped ${naiveSkipped}`,
    );

    expect(ids.length).toBe(WRITERS * EVENTS_PER_WRITER);
    expect(skipped).toBe(0);
    expect(duplicates).toBe(0);
    // The global order is (transaction id, position): strictly increasing, so a checkpoint is total.
    for (let i = 1; i < seen.length; i++) expect(isAfter(seen[i], seen[i - 1])).toBe(true);
    // Within each writer's stream the versions arrive in order.
    for (let w = 0; w < WRITERS; w++) {
      const versions = seen.filter((e) => e.stream === `writer-${w}`).map((e) => e.streamVersion);
      expect(versions).toEqual(versions.map((_, i) => i));
    }
    // A re-read from the start gives exactly the order the subscriber saw.
    const reread: string[] = [];
    let checkpoint: string | null = null;
    for (let page = await store.readAll(null, 5000); page.length > 0; page = await store.readAll(checkpoint, 5000)) {
      reread.push(...page.map((e) => e.id));
      checkpoint = page[page.length - 1].checkpoint;
    }
    expect(reread).toEqual(ids);
    // The control: the hazard must really have happened for this test to mean anything.
    expect(naiveSkipped).toBeGreaterThan(0);
  }, 240_000);

  /** Appends in a transaction that takes its positions, then waits a moment before committing. */
  async function writeSlowly(writer: number): Promise<string[]> {
    const ids: string[] = [];
    const stream = `writer-${writer}`;
    for (let version = 0; version < EVENTS_PER_WRITER; version += BATCH) {
      const batch: NewEvent[] = Array.from({ length: BATCH }, () => ({
        id: randomUUID(),
        type: 'ConcurrencyProbe',
        data: { writer },
        metadata: { actor: { userId: 'test', role: 'admin', district: null }, correlationId: randomUUID(), causationId: null },
      }));
      if (version % (BATCH * 5) === 0) {
        await db.transaction(async (tx) => {
          await tx.query(
            `INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata)
             SELECT e.id, $1, $2::int + e.n - 1, 'ConcurrencyProbe', 1, e.data, e.metadata
               FROM jsonb_to_recordset($3::jsonb) AS e(n int, id uuid, data jsonb, metadata jsonb) ORDER BY e.n`,
            [stream, version, JSON.stringify(batch.map((e, i) => ({ n: i + 1, ...e })))],
          );
          await sleep(3 + Math.random() * 10);
        });
      } else {
        await store.append(stream, batch, version === 0 ? 'no_stream' : version - 1);
      }
      ids.push(...batch.map((e) => e.id));
    }
    return ids;
  }
});

function isAfter(a: RecordedEvent, b: RecordedEvent): boolean {
  const [aTx, aPos] = a.checkpoint.split(':').map(BigInt);
  const [bTx, bPos] = b.checkpoint.split(':').map(BigInt);
  return aTx > bTx || (aTx === bTx && aPos > bPos);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
