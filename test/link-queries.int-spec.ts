import { randomUUID } from 'node:crypto';
import { ChildSummaryProjection } from '../src/children/child-summary.projection';
import type { PgDatabase } from '../src/database/pg-database';
import type { SqlDatabase, SqlExecutor } from '../src/database/sql-database';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import { LinkQueries } from '../src/links/link-queries';
import { LinksProjection } from '../src/links/links.projection';
import { freshPostgresDatabase } from './support/databases';

const MAX_CHILDREN = 12;
const OTHERS = 3_000;
const START = Date.parse('2020-01-01T00:00:00Z');

/** A LocationNamed event of `childId` naming the bus station, `minutes` after START. */
function namingBusStation(childId: string, minutes: number): RecordedEvent {
  const episodeId = randomUUID();
  return {
    id: randomUUID(),
    type: 'LocationNamed',
    schemaVersion: 1,
    stream: `child-${childId}`,
    streamVersion: 0,
    position: BigInt(minutes + 1),
    checkpoint: String(minutes + 1),
    recordedAt: new Date(START + minutes * 60_000),
    data: { type: 'LocationNamed', episodeId, locationId: randomUUID(), place: 'Interchange bus station' },
    metadata: { correlationId: randomUUID(), causationId: null, actor: 'test' },
  } as unknown as RecordedEvent;
}

/**
 * A place named by thousands of children, twice each: the links view shows the first children who
 * named it and how many did, reading a few rows per key, not every mention of the place.
 */
describe('the links view of a child who named a place thousands of others named', () => {
  let db: PgDatabase;
  const links = new LinksProjection();
  const others = Array.from({ length: OTHERS }, () => randomUUID());
  const child = randomUUID();

  beforeAll(async () => {
    db = await freshPostgresDatabase(1);
    await new ChildSummaryProjection().migrate(db);
    await links.migrate(db);
    await db.query(`INSERT INTO rm_children (child_id, local_authority, profile, registered_at, updated_at) VALUES ($1, 'Sheffield', '{}', now(), now())`, [child]);
    // Each other child names it twice, a day apart; the child last. In batches, as the runner applies them.
    const events = [...others.map((id, n) => namingBusStation(id, n)), ...others.map((id, n) => namingBusStation(id, 24 * 60 + n)), namingBusStation(child, 2 * 24 * 60)];
    for (let at = 0; at < events.length; at += 500) await db.transaction((tx) => links.apply(events.slice(at, at + 500), tx));
    // Replayed: a batch applied twice changes nothing.
    await db.transaction((tx) => links.apply(events.slice(0, 500), tx));
    // As autovacuum would have by now on a service in use: a few thousand rows are a sequential scan's size without it.
    await db.query('ANALYZE');
  });
  afterAll(() => db.close());

  /** The view read in one transaction, with the rows PostgreSQL fetched from the mentions for it. */
  async function readView(childId: string) {
    return db.transaction(async (tx) => {
      const fetched = async () => {
        const [row] = await tx.query<{ rows: string }>(
          `SELECT (coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0))::text AS rows FROM pg_stat_xact_user_tables WHERE relname = 'rm_link_mentions' AND schemaname = current_schema()`,
        );
        return Number(row.rows);
      };
      const before = await fetched();
      const view = await new LinkQueries(asDatabase(tx), MAX_CHILDREN).linksOf(childId);
      return { view, mentionsRead: (await fetched()) - before };
    });
  }

  it('counts every child who named it and lists the first twelve, each with both its episodes', async () => {
    const { view } = await readView(child);
    expect(view.network.links).toHaveLength(1);
    const [place] = view.network.links;
    expect(place.namedByChildren).toBe(OTHERS + 1);
    expect(place.publicPlace).toBe(true);
    expect(place.children.map((entry) => entry.childId)).toEqual([child, ...others.slice(0, MAX_CHILDREN)]);
    for (const other of place.children.slice(1)) expect(other.episodes).toHaveLength(2);
  });

  it('reads the mentions of those twelve children only', async () => {
    const { mentionsRead } = await readView(child);
    // The child's own mention and two for each child listed (25; PostgreSQL counts a few more
    // fetches than rows), where reading the whole place fetched all 6,001.
    expect(mentionsRead).toBeLessThanOrEqual(50);
  });

  it('stops counting an erased child', async () => {
    await db.transaction((tx) => links.erasePersonalData(others[0], tx));
    const { view } = await readView(child);
    expect(view.network.links[0].namedByChildren).toBe(OTHERS);
    expect(view.network.links[0].children.map((entry) => entry.childId)).toEqual([child, ...others.slice(1, MAX_CHILDREN + 1)]);
  });

  it('makes the counts from the mentions of a links read model that had none', async () => {
    await db.query('DROP TABLE rm_link_keys, rm_link_key_children');
    await links.migrate(db);
    const { view } = await readView(child);
    expect(view.network.links[0].namedByChildren).toBe(OTHERS);
    expect(view.network.links[0].children.map((entry) => entry.childId)).toEqual([child, ...others.slice(1, MAX_CHILDREN + 1)]);
  });
});

/** LinkQueries reads with `query` alone: a transaction serves, so the statistics above are its own. */
const asDatabase = (tx: SqlExecutor): SqlDatabase => tx as SqlDatabase;
