import { randomUUID } from 'node:crypto';
import { childStream } from '../src/child-case/child-case.events';
import { ChildSummaryProjection } from '../src/children/child-summary.projection';
import { PgDatabase } from '../src/database/pg-database';
import type { SqlExecutor } from '../src/database/sql-database';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import { SqlEventStore } from '../src/event-store/postgres/sql-event-store';
import { rebuildProjection } from '../src/event-store/subscriptions/rebuild-projection';
import { freshPostgresUrl } from './support/databases';

const quiet = { start: () => undefined, advance: () => undefined, stop: () => undefined };
const meta = { actor: { userId: 'u-1', role: 'officer', district: 'Sheffield' }, correlationId: 'c', causationId: null };

/** The child summary, noting which of its read-side indexes exist while each batch is applied; it can be told to fail. */
class WatchedChildSummary extends ChildSummaryProjection {
  readonly indexesSeen: string[][] = [];
  failAfter = Infinity;

  async apply(events: RecordedEvent[], tx: SqlExecutor): Promise<void> {
    this.indexesSeen.push(await readSideIndexesIn(tx, this.readSideIndexes.names));
    if (this.indexesSeen.length > this.failAfter) throw new Error('the read model refused the batch');
    await super.apply(events, tx);
  }
}

async function readSideIndexesIn(db: SqlExecutor, names: string[]): Promise<string[]> {
  const found = await db.query<{ indexname: string }>(
    'SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname = ANY($1::text[]) ORDER BY 1',
    [names],
  );
  return found.map(({ indexname }) => indexname);
}

describe('rebuilding a projection', () => {
  let db: PgDatabase;
  let store: SqlEventStore;

  beforeAll(async () => {
    db = new PgDatabase(await freshPostgresUrl());
    store = await SqlEventStore.open(db);
    for (let c = 0; c < 12; c++) {
      const childId = randomUUID();
      await store.append(
        childStream(childId),
        [
          { id: randomUUID(), type: 'ChildRegistered', data: { childId, profile: { localAuthority: 'Rotherham' } }, metadata: meta },
          {
            id: randomUUID(),
            type: 'ChildReportedMissing',
            data: { childId, episodeId: randomUUID(), missingSince: '2026-01-01T00:00:00Z', reportedAt: '2026-01-01T02:00:00Z', district: 'Rotherham' },
            metadata: meta,
          },
        ],
        'no_stream',
      );
    }
  });
  afterAll(async () => {
    await store.close();
    await db.close();
  });

  it('replays without the read-side indexes and builds them once every batch is in', async () => {
    const projection = new WatchedChildSummary();
    await projection.migrate(db);
    const names = [...projection.readSideIndexes.names].sort();
    expect(await readSideIndexesIn(db, names)).toEqual(names);

    expect(await rebuildProjection(store, db, projection, quiet, 5)).toBe(24);

    expect(projection.indexesSeen).toHaveLength(5);
    expect(projection.indexesSeen.every((seen) => seen.length === 0)).toBe(true);
    expect(await readSideIndexesIn(db, names)).toEqual(names);
    const [{ open }] = await db.query<{ open: number }>(`SELECT count(*)::int AS open FROM rm_episodes WHERE status = 'missing'`);
    expect(open).toBe(12);
  });

  it('builds them when a rebuild fails, so the read side is not left to scan its tables', async () => {
    const projection = new WatchedChildSummary();
    projection.failAfter = 2;

    await expect(rebuildProjection(store, db, projection, quiet, 5)).rejects.toThrow('the read model refused the batch');

    expect(projection.indexesSeen[1]).toEqual([]);
    const names = [...projection.readSideIndexes.names].sort();
    expect(await readSideIndexesIn(db, names)).toEqual(names);
    // The lease is released too: the next rebuild takes it.
    expect(await rebuildProjection(store, db, new ChildSummaryProjection(), quiet)).toBe(24);
  });
});
