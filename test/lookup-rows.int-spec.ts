import { randomUUID } from 'node:crypto';
import { ChildDistrictsProjection, writeChildDistricts } from '../src/access/child-districts';
import type { PgDatabase } from '../src/database/pg-database';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import type { ChildStreamEvent } from '../src/child-stream/child-stream';
import { LookupsAfterAppend } from '../src/child-stream/lookups-after-append';
import { StreamDirectoryProjection } from '../src/child-stream/stream-directory';
import { freshPostgresDatabase } from './support/databases';

/**
 * A request writes its children's directory rows and districts right after its append; the
 * projections write the same rows, idempotently, in their own transactions. Two inserts of the
 * same keys in opposite orders wait for each other's rows: PostgreSQL found such a deadlock under
 * the escalation-latency benchmark. Here both run at once, round after round, with the children
 * in opposite orders.
 */
describe('the lookup rows written by requests and by the projections at the same time', () => {
  let db: PgDatabase;

  beforeAll(async () => {
    db = await freshPostgresDatabase();
    await new ChildDistrictsProjection().migrate(db);
    await new StreamDirectoryProjection().migrate(db);
  });

  afterAll(async () => {
    await db.close();
  });

  it('never deadlock, whichever order each side has the children in', async () => {
    const lookups = new LookupsAfterAppend(db);
    const directory = new StreamDirectoryProjection();
    for (let round = 0; round < 60; round++) {
      const reports = Array.from({ length: 40 }, () => {
        const childId = randomUUID();
        const event: ChildStreamEvent = { type: 'ChildReportedMissing', childId, episodeId: randomUUID(), district: 'Sheffield', missingSince: '2026-01-01T00:00:00Z', reportedAt: '2026-01-01T00:00:00Z' };
        return { childId, event };
      });
      const recorded = reports.map(({ childId, event }, n) => ({ id: randomUUID(), type: event.type, stream: `child-${childId}`, streamVersion: 0, position: BigInt(n), checkpoint: '0', recordedAt: new Date(), data: event, metadata: {} }) as unknown as RecordedEvent);
      const backwards = [...reports].reverse();
      await Promise.all([
        db.transaction((tx) => writeChildDistricts(tx, backwards)),
        db.transaction((tx) => directory.apply([...recorded].reverse(), tx)),
        ...reports.map(({ childId, event }) => lookups.record(childId, [event])),
      ]);
    }
    const [{ ties }] = await db.query<{ ties: number }>('SELECT count(*)::int AS ties FROM access_child_districts');
    expect(ties).toBe(60 * 40);
    const [{ entries }] = await db.query<{ entries: number }>('SELECT count(*)::int AS entries FROM stream_directory');
    expect(entries).toBe(60 * 40);
  });
});
