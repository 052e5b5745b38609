import { randomUUID } from 'node:crypto';
import type { PgDatabase } from '../src/database/pg-database';
import { DashboardProjection } from '../src/dashboard/dashboard.projection';
import { RepeatSpells, type RepeatWindow } from '../src/dashboard/repeat-spells';
import type { EventStore, RecordedEvent } from '../src/event-store/event-store.port';
import { SqlEventStore } from '../src/event-store/postgres/sql-event-store';
import { rebuildProjection } from '../src/event-store/subscriptions/rebuild-projection';
import { SubscriptionRunner } from '../src/event-store/subscriptions/subscription-runner';
import { freshPostgresDatabase } from './support/databases';

const THREE_IN_90_DAYS: RepeatWindow = { episodes: 3, windowDays: 90 };

/**
 * When children are within the repeat-without-plan window, kept by the dashboard projection as
 * spells, against times worked out by hand (three episodes in 90 days of 24 hours):
 *
 * A (Sheffield): missing 1 Jan, 1 Feb and 1 Mar 2026 at noon: within from 1 Mar 12:00 until
 *   1 Apr 12:00 (90 days after 1 Jan), when 1 Jan leaves the window.
 *   Then a report of 15 Feb, recorded last: within until 2 May 12:00 (90 days after 1 Feb).
 *   Then that report cancelled: back to 1 Apr.
 * B (Doncaster): missing 10, 20 and 30 May: within from 30 May 12:00; moves to Sheffield on 1 Jun.
 */
describe('the repeat-without-plan window, kept as spells by the dashboard projection', () => {
  const [A, B] = [randomUUID(), randomUUID()];
  const ids = new Map<string, string>();
  const id = (name: string) => ids.get(name) ?? (ids.set(name, randomUUID()), ids.get(name)!);
  let position = 0n;
  const event = (childId: string, type: string, data: Record<string, unknown>) =>
    ({ id: randomUUID(), type, stream: `child-${childId}`, data, position: ++position, recordedAt: new Date() }) as unknown as RecordedEvent;
  const registered = (childId: string, localAuthority: string) =>
    event(childId, 'ChildRegistered', { childId, profile: { localAuthority, dateOfBirth: '2011-01-01', gender: 'female' } });
  const reported = (childId: string, name: string, district: string, missingSince: string) =>
    event(childId, 'ChildReportedMissing', { childId, episodeId: id(name), district, missingSince, reportedAt: missingSince });

  const history = [
    registered(A, 'Sheffield'),
    registered(B, 'Doncaster'),
    reported(A, 'a1', 'Sheffield', '2026-01-01T12:00:00Z'),
    reported(A, 'a2', 'Sheffield', '2026-02-01T12:00:00Z'),
    reported(A, 'a3', 'Sheffield', '2026-03-01T12:00:00Z'),
    reported(B, 'b1', 'Doncaster', '2026-05-10T12:00:00Z'),
    reported(B, 'b2', 'Doncaster', '2026-05-20T12:00:00Z'),
    reported(B, 'b3', 'Doncaster', '2026-05-30T12:00:00Z'),
  ];
  const lateReport = reported(A, 'a-late', 'Sheffield', '2026-02-15T12:00:00Z');
  const lateReportCancelled = event(A, 'EpisodeCancelled', { episodeId: id('a-late') });
  const bMoved = event(B, 'ChildProfileUpdated', { childId: B, changes: { localAuthority: 'Sheffield' } });

  const opened: PgDatabase[] = [];
  const fresh = async () => {
    const db = await freshPostgresDatabase();
    opened.push(db);
    return db;
  };
  const stores: SqlEventStore[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await Promise.all(opened.map((db) => db.close()));
  });

  const within = async (db: PgDatabase, at: string, scope: string | null = null): Promise<string[]> => {
    const rows = await db.query<{ child_id: string }>(`SELECT DISTINCT child_id FROM (${RepeatSpells.within(1, 2)}) AS w`, [scope, at]);
    return rows.map((row) => row.child_id).sort();
  };
  const spells = (db: PgDatabase) => db.query(`SELECT child_id, district, from_at, until_at FROM ${RepeatSpells.table} ORDER BY 1, 3, 4`);

  /** A database with the projection fed `events`, each in a batch of its own. */
  const fedOneByOne = async (events: RecordedEvent[], rule = THREE_IN_90_DAYS): Promise<PgDatabase> => {
    const db = await fresh();
    const projection = new DashboardProjection(rule);
    await projection.migrate(db);
    for (const one of events) await db.transaction((tx) => projection.apply([one], tx, 'live'));
    return db;
  };

  it('holds a child from the third episode in the window until the earliest of them leaves it', async () => {
    const db = await fedOneByOne(history);
    expect(await within(db, '2026-03-01T11:59:59Z')).toEqual([]);
    expect(await within(db, '2026-03-01T12:00:00Z')).toEqual([A]);
    expect(await within(db, '2026-04-01T11:59:59Z')).toEqual([A]);
    expect(await within(db, '2026-04-01T12:00:00Z')).toEqual([]);
    expect(await within(db, '2026-05-30T11:59:59Z')).toEqual([]);
    expect(await within(db, '2026-06-15T00:00:00Z')).toEqual([B]);
    expect(await within(db, '2026-06-15T00:00:00Z', 'Doncaster')).toEqual([B]);
    expect(await within(db, '2026-06-15T00:00:00Z', 'Sheffield')).toEqual([]);
  });

  it('goes by missing-since time, whatever order the reports came in, and leaves cancelled episodes out', async () => {
    const db = await fedOneByOne([...history, lateReport]);
    expect(await within(db, '2026-04-15T12:00:00Z')).toEqual([A]);
    expect(await within(db, '2026-05-02T11:59:59Z')).toEqual([A]);
    expect(await within(db, '2026-05-02T12:00:00Z')).toEqual([]);
    await db.transaction(async (tx) => new DashboardProjection(THREE_IN_90_DAYS).apply([lateReportCancelled], tx, 'live'));
    expect(await within(db, '2026-04-15T12:00:00Z')).toEqual([]);
    expect(await within(db, '2026-03-15T12:00:00Z')).toEqual([A]);
  });

  it("counts a child who moved for the new district", async () => {
    const db = await fedOneByOne([...history, bMoved]);
    expect(await within(db, '2026-06-15T00:00:00Z', 'Sheffield')).toEqual([B]);
    expect(await within(db, '2026-06-15T00:00:00Z', 'Doncaster')).toEqual([]);
  });

  it('makes the same spells from one batch of the whole history as from one event at a time', async () => {
    const events = [...history, lateReport, bMoved, lateReportCancelled];
    const oneByOne = await fedOneByOne(events);
    const together = await fresh();
    const projection = new DashboardProjection(THREE_IN_90_DAYS);
    await projection.migrate(together);
    await together.transaction((tx) => projection.apply(events, tx, 'live'));
    expect((await spells(oneByOne)).length).toBeGreaterThan(0);
    expect(await spells(together)).toEqual(await spells(oneByOne));
  });

  it('remakes every spell from the episodes when the service starts with a rule of another size', async () => {
    const db = await fedOneByOne(history);
    // Two in 30 days: 1 Feb and 1 Mar are 28 days apart, so A is within from 1 Mar until 3 Mar (30 days after 1 Feb).
    await new DashboardProjection({ episodes: 2, windowDays: 30 }).migrate(db);
    expect(await within(db, '2026-03-02T12:00:00Z')).toEqual([A]);
    expect(await within(db, '2026-03-03T12:00:00Z')).toEqual([]);
    expect(await within(db, '2026-05-20T12:00:00Z')).toEqual([B]);
    // And back: the same spells as a history fed under the first rule.
    await new DashboardProjection(THREE_IN_90_DAYS).migrate(db);
    expect(await spells(db)).toEqual(await spells(await fedOneByOne(history)));
  });

  describe('in a rebuild, made once from all the episodes at its end', () => {
    const events = [...history, lateReport, bMoved, lateReportCancelled];
    const quiet = { start: () => undefined, advance: () => undefined, stop: () => undefined };
    const metadata = { actor: { userId: 'test', role: 'admin', district: null }, correlationId: randomUUID(), causationId: null };

    /** A database whose store holds `fed` and whose dashboard was fed them live, one at a time. */
    const storedAndFedLive = async (fed = events) => {
      const db = await fedOneByOne(fed);
      const store = await SqlEventStore.open(db);
      stores.push(store);
      for (const { id, type, stream, data } of fed) await store.append(stream, [{ id, type, data, metadata } as never], 'any');
      return { db, store, live: await spells(db) };
    };

    it('gives the spells the history fed live gave, over batches of a few events', async () => {
      const { db, store, live } = await storedAndFedLive();
      expect(live.length).toBeGreaterThan(0);
      await rebuildProjection(store, db, new DashboardProjection(THREE_IN_90_DAYS), quiet, 3);
      expect(await spells(db)).toEqual(live);
    });

    it('leaves none made by a rebuild that stopped short, and the next start makes them from the episodes', async () => {
      const { db, live } = await storedAndFedLive();
      const projection = new DashboardProjection(THREE_IN_90_DAYS);
      await db.transaction((tx) => projection.reset(tx));
      await db.transaction((tx) => projection.apply(events, tx, 'rebuild'));
      expect(await spells(db)).toEqual([]);
      await new DashboardProjection(THREE_IN_90_DAYS).migrate(db);
      expect(await spells(db)).toEqual(live);
    });

    it('are made by a standby instance, started during the rebuild, that takes over when it stops short', async () => {
      // In batches of 3, A's three reports are in the first two; only B's last two are fed live after.
      const { db, store, live } = await storedAndFedLive(history);
      const standby = new SubscriptionRunner(store, db, [new DashboardProjection(THREE_IN_90_DAYS)], { leaseRetryMs: 20 });
      let standbyStarted = Promise.resolve();
      let batches = 0;
      const stoppingShort = {
        start: () => void (standbyStarted = standby.start()),
        advance: () => {
          if (++batches === 2) throw new Error('stopped short');
        },
        stop: () => undefined,
      };
      // The standby has migrated (and found the spells made for an empty read model) before the first batch.
      const readOnceTheStandbyStarted = Object.assign(Object.create(store) as EventStore, {
        readAll: async (...page: Parameters<EventStore['readAll']>) => {
          await standbyStarted;
          return store.readAll(...page);
        },
      });
      try {
        await expect(rebuildProjection(readOnceTheStandbyStarted, db, new DashboardProjection(THREE_IN_90_DAYS), stoppingShort, 3)).rejects.toThrow('stopped short');
        await standby.waitUntilCaughtUp();
        expect(await spells(db)).toEqual(live);
      } finally {
        await standby.stop();
      }
    });
  });
});
