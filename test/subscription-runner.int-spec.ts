import { randomUUID } from 'node:crypto';
import { ChildReportedMissing, childStream } from '../src/child-case/child-case.events';
import { StreamDirectoryProjection } from '../src/child-stream/stream-directory';
import { ChildSummaryProjection } from '../src/children/child-summary.projection';
import { PgDatabase } from '../src/database/pg-database';
import { NewEvent, RecordedEvent } from '../src/event-store/event-store.port';
import { SqlEventStore } from '../src/event-store/postgres/sql-event-store';
import { Processor } from '../src/event-store/subscriptions/consumer';
import { rebuildProjection } from '../src/event-store/subscriptions/rebuild-projection';
import { SubscriptionRunner } from '../src/event-store/subscriptions/subscription-runner';
import { freshPostgresUrl } from './support/databases';

const actor = { userId: 'u-1', role: 'officer', district: 'Sheffield' };
const meta = { actor, correlationId: 'c', causationId: null };

function childHistory(childId: string, episodes: number): NewEvent[] {
  const events: NewEvent[] = [
    { id: randomUUID(), type: 'ChildRegistered', data: { childId, profile: { localAuthority: 'Rotherham' } }, metadata: meta },
  ];
  for (let i = 0; i < episodes; i++) {
    const episodeId = randomUUID();
    const report: Omit<ChildReportedMissing, 'type'> = {
      childId,
      episodeId,
      missingSince: new Date(Date.UTC(2026, 0, 1 + i * 3)).toISOString(),
      reportedAt: new Date(Date.UTC(2026, 0, 1 + i * 3, 2)).toISOString(),
      district: 'Rotherham',
    };
    events.push({ id: randomUUID(), type: 'ChildReportedMissing', data: report, metadata: meta });
    events.push({
      id: randomUUID(),
      type: 'ChildReturned',
      data: { episodeId, returnedAt: new Date(Date.UTC(2026, 0, 2 + i * 3)).toISOString(), how: 'found', where: 'home' },
      metadata: meta,
    });
  }
  return events;
}

/** Records what it sees; used to show ownership: only one instance's copy sees each event. */
class Recorder implements Processor {
  readonly kind = 'processor';
  readonly name = 'recorder';
  readonly seen: string[] = [];
  async handle(events: RecordedEvent[]) {
    this.seen.push(...events.map((event) => event.id));
  }
}

describe('subscription runner', () => {
  let url: string;
  let db: PgDatabase;
  let store: SqlEventStore;

  beforeAll(async () => {
    url = await freshPostgresUrl();
    db = new PgDatabase(url);
    store = await SqlEventStore.open(db);
  });
  afterAll(async () => {
    await store.close();
    await db.close();
  });

  it('feeds projections live, and a rebuild from zero gives the same read models', async () => {
    const runner = new SubscriptionRunner(store, db, [new ChildSummaryProjection(), new StreamDirectoryProjection()]);
    await runner.start();
    for (let c = 0; c < 20; c++) {
      const childId = randomUUID();
      await store.append(childStream(childId), childHistory(childId, 1 + (c % 5)), 'no_stream');
    }
    await runner.waitUntilCaughtUp();
    await runner.stop();
    const live = await snapshot();
    expect(live.episodes.length).toBe(60); // four children each with 1, 2, 3, 4 and 5 episodes
    expect(live.directory.length).toBe(60);

    const progress: number[] = [];
    const replayed = await rebuildProjection(store, db, new ChildSummaryProjection(), {
      start: () => undefined,
      advance: (n) => progress.push(n),
      stop: () => undefined,
    });
    expect(replayed).toBe(20 + 2 * 60);
    expect(progress.reduce((a, b) => a + b, 0)).toBe(replayed);
    // The directory's rebuild reads the reports alone: the events that create what commands address.
    expect(await rebuildProjection(store, db, new StreamDirectoryProjection(), { start: () => undefined, advance: () => undefined, stop: () => undefined })).toBe(60);
    expect(await snapshot()).toEqual(live);
  });

  it('gives each consumer one owner across instances, and another takes over when the owner stops', async () => {
    const first = new Recorder();
    const second = new Recorder();
    const [dbA, dbB] = [new PgDatabase(url), new PgDatabase(url)];
    const a = new SubscriptionRunner(store, dbA, [first], { leaseRetryMs: 100 });
    const b = new SubscriptionRunner(store, dbB, [second], { leaseRetryMs: 100 });
    await a.start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await b.start();
    const childId = randomUUID();
    await store.append(childStream(childId), childHistory(childId, 2), 'no_stream');
    await a.waitUntilCaughtUp();
    const totalBefore = first.seen.length + second.seen.length;
    expect(second.seen).toEqual([]);
    expect(new Set(first.seen).size).toBe(first.seen.length);

    await a.stop();
    const other = randomUUID();
    await store.append(childStream(other), childHistory(other, 1), 'no_stream');
    await b.waitUntilCaughtUp(5_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await b.stop();
    await Promise.all([dbA.close(), dbB.close()]);
    expect(second.seen).toHaveLength(3);
    expect(first.seen.length + second.seen.length).toBe(totalBefore + 3);
  });

  async function snapshot() {
    const children = await db.query('SELECT * FROM rm_children ORDER BY child_id');
    const episodes = await db.query('SELECT * FROM rm_episodes ORDER BY episode_id');
    const directory = await db.query('SELECT * FROM stream_directory ORDER BY kind, id');
    return { children, episodes, directory };
  }
});
