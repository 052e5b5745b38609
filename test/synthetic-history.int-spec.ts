import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { allProjections } from '../src/consumers';
import { summaryCounts } from '../src/dashboard/summary-counts.queries';
import { ukDateOf } from '../src/shared/calendar';
import { PgliteDatabase } from '../src/database/pglite-database';
import { DEADLINES_QUEUE, type Deadline, DeadlineQueue } from '../src/escalation/deadline-queue';
import { deadlineStillPending } from '../src/escalation/deadline-handler';
import { DeadlineSchedulerProcessor, deadlinesSetBy } from '../src/escalation/deadline-scheduler.processor';
import { childStreamView } from '../src/escalation/child-stream-reader';
import { EscalationNotifierProcessor } from '../src/escalation/escalation-notifier.processor';
import type { EscalationPolicy } from '../src/escalation/policy/escalation-policy';
import { RequeueSweep } from '../src/escalation/requeue-sweep';
import { SqlEventStore } from '../src/event-store/postgres/sql-event-store';
import { rebuildProjection } from '../src/event-store/subscriptions/rebuild-projection';
import { loadDirectory } from '../src/notifications/directory';
import type { EscalationNotice } from '../src/notifications/escalation-notice';
import { createRedisConnection, NOTIFICATIONS_QUEUE, NotificationQueue } from '../src/notifications/notification-queue';
import { loadHistory } from '../src/synthetic/load-history';
import { PRESETS } from '../src/synthetic/presets';
import { BENCHMARK_END, childrenIn, type HistoryPlan, syntheticHistory } from '../src/synthetic/synthetic-history';
import { buildService } from './support/app-process';
import { servicePolicy } from './support/read-models';

const policy = servicePolicy();
const plan: HistoryPlan = { preset: { ...PRESETS.demo, childrenPerDistrictYear: 25 }, seed: 11, endMs: BENCHMARK_END, districts: ['Barnsley', 'Doncaster', 'Rotherham', 'Sheffield'] };
const directory = loadDirectory('config/directory.json', [...plan.districts!]);
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('histories made in a worker thread (compiled, as the demo and the benchmarks run them)', () => {
  beforeAll(() => buildService());

  it('are the children syntheticHistory makes, in the same order', () => {
    const script = `
      const { historiesInWorker } = require('./dist/synthetic/histories-in-worker.js');
      const { loadDirectory } = require('./dist/notifications/directory.js');
      const [plan, policy] = [JSON.parse(process.argv[1]), JSON.parse(process.argv[2])];
      (async () => {
        const histories = [];
        const request = { plan, policy, directory: loadDirectory('config/directory.json', plan.districts) };
        for await (const history of historiesInWorker(request)) histories.push(history);
        process.stdout.write(JSON.stringify(histories));
      })();`;
    const inWorker = JSON.parse(execFileSync(process.execPath, ['-e', script, JSON.stringify(plan), JSON.stringify(policy)], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 }));
    const inThread = JSON.parse(JSON.stringify([...syntheticHistory(plan, policy, directory)]));
    expect(inWorker).toHaveLength(childrenIn(plan));
    expect(inWorker).toEqual(inThread);
  });
});

describe('loading a synthetic history through the event store port', () => {
  let db: PgliteDatabase;
  let store: SqlEventStore;

  beforeAll(async () => {
    db = await PgliteDatabase.open();
    store = await SqlEventStore.open(db);
  });

  afterAll(async () => {
    await store.close();
    await db.close();
  });

  it("stores every child's stream whole, in the configured districts, and a second load appends nothing", async () => {
    const first = await loadHistory(store, syntheticHistory(plan, policy, directory), { children: childrenIn(plan), progress: false });
    expect(first.children).toBe(100);
    expect(first.alreadyStored).toBe(0);
    expect(await store.countEvents()).toBe(first.events);
    const [history] = syntheticHistory(plan, policy, directory);
    const stored = await store.readStream(history.stream);
    expect(stored.map((event) => event.id)).toEqual(history.events.map((event) => event.id));
    const districts = await db.query<{ district: string }>(`SELECT DISTINCT data->'profile'->>'localAuthority' AS district FROM events WHERE type = 'ChildRegistered' ORDER BY 1`);
    expect(districts.map((row) => row.district)).toEqual(plan.districts);

    const again = await loadHistory(store, syntheticHistory(plan, policy, directory), { children: childrenIn(plan), progress: false });
    expect(again.alreadyStored).toBe(100);
    expect(await store.countEvents()).toBe(first.events);
  });

  it('closes the histories it was given when an append fails, so a worker thread making them stops', async () => {
    const stored = [...syntheticHistory(plan, policy, directory)];
    await loadHistory(store, stored, { children: stored.length, progress: false }); // already there but when run alone
    let closed = false;
    function* conflicting() {
      try {
        // The same streams with other events, each expected new: every append is refused.
        for (const history of stored) yield { ...history, events: history.events.map((event) => ({ ...event, id: randomUUID() })) };
      } finally {
        closed = true;
      }
    }
    await expect(loadHistory(store, conflicting(), { children: stored.length, progress: false })).rejects.toThrow();
    expect(closed).toBe(true);
  });

  it('leaves a service started at its end only the work still due then: no e-mail unsent, no clock overdue', async () => {
    // The store holds the history loaded above; the re-enqueue sweep picks children from the read models.
    const silent = { start: () => undefined, advance: () => undefined, stop: () => undefined };
    for (const projection of allProjections(policy)) await rebuildProjection(store, db, projection, silent);
    const escalations = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM rm_escalations`);
    expect(Number(escalations[0].n)).toBeGreaterThan(0);
    const unsent = await db.query<{ escalation_id: string; raised_at: Date }>(`SELECT escalation_id, raised_at FROM rm_escalations WHERE notified = '[]'::jsonb`);
    expect(unsent.filter((row) => new Date(row.raised_at).getTime() < BENCHMARK_END - 5 * 60_000)).toEqual([]);

    // What a service started at the end would put on Redis: the sweep, with its own queues, on a prefix of this test's.
    const prefix = `test-synthetic-${randomUUID()}`;
    const redis = createRedisConnection(REDIS_URL);
    const clock = { now: () => new Date(BENCHMARK_END) };
    const notifications = new NotificationQueue({ connection: redis, prefix });
    const deadlines = new DeadlineQueue(redis, prefix);
    const notifier = new EscalationNotifierProcessor(store, notifications, directory, clock, 'http://dashboard.invalid');
    const sweep = new RequeueSweep(db, store, new DeadlineSchedulerProcessor(deadlines, policy, clock), notifier, deadlines, clock);
    const inspect = [new Queue<EscalationNotice>(NOTIFICATIONS_QUEUE, { connection: redis, prefix }), new Queue<Deadline>(DEADLINES_QUEUE, { connection: redis, prefix })] as const;
    try {
      const swept = await sweep.run();
      expect(swept.escalations).toBeGreaterThan(0);
      // E-mails: only those of escalations raised in the last moments of the history (sent after it).
      const notices = await inspect[0].getJobs(['waiting', 'delayed', 'active', 'prioritized']);
      for (const job of notices) expect(Date.parse((job.data as unknown as { notice: EscalationNotice }).notice.raisedAt)).toBeGreaterThan(BENCHMARK_END - 5 * 60_000);
      // Clocks: every one still running is due after the end; none already overdue fires at start.
      const clocks = await inspect[1].getJobs(['waiting', 'delayed', 'active', 'prioritized']);
      expect(clocks.length).toBe(swept.deadlines);
      // The sweep picks children by the read models: every child's history read whole has no clock it missed.
      let pending = 0;
      for (const { stream_id: stream } of await db.query<{ stream_id: string }>(`SELECT DISTINCT stream_id FROM events WHERE stream_id LIKE 'child-%'`)) {
        const history = await store.readStream(stream);
        const state = childStreamView(history).current;
        pending += history.flatMap((event) => deadlinesSetBy(policy, event)).filter((deadline) => deadlineStillPending(deadline, state)).length;
      }
      expect(pending).toBeGreaterThan(0);
      expect(swept.deadlines).toBe(pending);
      // A month on (Redis lost its jobs while the service was down), past the e-mails' horizon: the same clocks.
      const monthOn = { now: () => new Date(BENCHMARK_END + 30 * 24 * 3_600_000) };
      const lateQueues = { deadlines: new DeadlineQueue(redis, `${prefix}-month-on`), notifications: new NotificationQueue({ connection: redis, prefix: `${prefix}-month-on` }) };
      const lateNotifier = new EscalationNotifierProcessor(store, lateQueues.notifications, directory, monthOn, 'http://dashboard.invalid');
      const lateSweep = new RequeueSweep(db, store, new DeadlineSchedulerProcessor(lateQueues.deadlines, policy, monthOn), lateNotifier, lateQueues.deadlines, monthOn);
      expect((await lateSweep.run()).deadlines).toBe(pending);
      for (const queue of [new Queue(NOTIFICATIONS_QUEUE, { connection: redis, prefix: `${prefix}-month-on` }), new Queue(DEADLINES_QUEUE, { connection: redis, prefix: `${prefix}-month-on` })]) {
        await queue.obliterate({ force: true });
        await queue.close();
      }
      await lateQueues.notifications.close();
      await lateQueues.deadlines.close();
      expect(clocks.filter((job) => Date.parse(job.data.dueAt) <= BENCHMARK_END).map((job) => job.data.kind)).toEqual([]);
    } finally {
      for (const queue of inspect) await queue.obliterate({ force: true });
      for (const queue of inspect) await queue.close();
      await notifications.close();
      await deadlines.close();
      redis.disconnect();
    }
  });

  it('sweeps every child, and notifies on, when a district has no entry in the directory: only the e-mails that have no one to go to are left out', async () => {
    const prefix = `test-synthetic-${randomUUID()}`;
    const redis = createRedisConnection(REDIS_URL);
    const clock = { now: () => new Date(BENCHMARK_END) };
    const notifications = new NotificationQueue({ connection: redis, prefix });
    const deadlines = new DeadlineQueue(redis, prefix);
    const { Barnsley: _unlisted, ...withoutBarnsley } = directory;
    // Each sweep on queues of its own, so what it enqueued can be compared.
    const sweepWith = async (known: typeof directory, queuePrefix: string) => {
      const queues = { notifications: new NotificationQueue({ connection: redis, prefix: queuePrefix }), deadlines: new DeadlineQueue(redis, queuePrefix) };
      const notifier = new EscalationNotifierProcessor(store, queues.notifications, known, clock, 'http://dashboard.invalid');
      const result = await new RequeueSweep(db, store, new DeadlineSchedulerProcessor(queues.deadlines, policy, clock), notifier, queues.deadlines, clock).run();
      const inspect = new Queue<{ notice: EscalationNotice }>(NOTIFICATIONS_QUEUE, { connection: redis, prefix: queuePrefix });
      const notices = (await inspect.getJobs(['waiting', 'delayed', 'active', 'prioritized'])).map((job) => job.data.notice);
      for (const queue of [inspect, new Queue(DEADLINES_QUEUE, { connection: redis, prefix: queuePrefix })]) {
        await queue.obliterate({ force: true });
        await queue.close();
      }
      await queues.notifications.close();
      await queues.deadlines.close();
      return { result, notices };
    };
    try {
      const whole = await sweepWith(directory, `${prefix}-whole`);
      const partial = await sweepWith(withoutBarnsley, `${prefix}-partial`);
      // Left out: Barnsley's escalations that told no one, or were raised within the e-mails' retry horizon (7 days).
      const [{ untold }] = await db.query<{ untold: number }>(
        `SELECT count(*)::int AS untold FROM events r
          WHERE r.type = 'EscalationRaised' AND r.data->>'district' = 'Barnsley'
            AND ((r.data->>'raisedAt')::timestamptz > $1::timestamptz - interval '7 days'
                 OR NOT EXISTS (SELECT 1 FROM events n WHERE n.type = 'EscalationNotified' AND n.data->>'escalationId' = r.data->>'escalationId'))`,
        [new Date(BENCHMARK_END)],
      );
      expect(untold).toBeGreaterThan(0);
      expect(partial.result.skipped).toBe(untold);
      expect(whole.result.skipped).toBe(0);
      expect(partial.result.skipReasons).toEqual(['directory: no entry for district "Barnsley"']);
      const key = (notice: EscalationNotice) => `${notice.escalationId} ${notice.recipient.email}`;
      expect(partial.notices.map(key).sort()).toEqual(whole.notices.filter((notice) => notice.district !== 'Barnsley').map(key).sort());
      expect(partial.result.deadlines).toBe(whole.result.deadlines);

      // Raised while the service runs: the notifier goes on past it instead of retrying it for ever.
      const [{ stream_id: stream }] = await db.query<{ stream_id: string }>(
        `SELECT stream_id FROM events WHERE type = 'EscalationRaised' AND data->>'district' = 'Barnsley' LIMIT 1`,
      );
      const raised = (await store.readStream(stream)).filter((event) => event.type === 'EscalationRaised');
      const notifier = new EscalationNotifierProcessor(store, notifications, withoutBarnsley, clock, 'http://dashboard.invalid');
      await expect(notifier.handle(raised)).resolves.toBeUndefined();
      await expect(notifier.enqueueUnsent(raised[0], childStreamView(await store.readStream(stream)))).resolves.toBe('directory: no entry for district "Barnsley"');
    } finally {
      for (const queue of [new Queue(NOTIFICATIONS_QUEUE, { connection: redis, prefix }), new Queue(DEADLINES_QUEUE, { connection: redis, prefix })]) {
        await queue.obliterate({ force: true });
        await queue.close();
      }
      await notifications.close();
      await deadlines.close();
      redis.disconnect();
    }
  });

  it('puts back the acknowledgement clock of an escalation left unacknowledged for weeks whose child has nothing else pending', async () => {
    // In the synthetic history every child with such a clock also has an episode, return work or a recent
    // e-mail pending, so only this child shows that the sweep's query finds escalations by their own clock.
    const childId = randomUUID();
    const escalationId = randomUUID();
    const raisedAt = new Date(BENCHMARK_END - 10 * 24 * 3_600_000).toISOString();
    const metadata = { actor: { userId: 'test', role: 'admin', district: null }, correlationId: randomUUID(), causationId: null };
    await store.append(
      `child-${childId}`,
      [
        { id: randomUUID(), type: 'ChildRegistered', data: { childId, profile: { firstName: 'Una', lastName: 'Answered', localAuthority: 'Sheffield', gender: 'female' } }, metadata },
        {
          id: randomUUID(),
          type: 'EscalationRaised',
          data: { escalationId, childId, rule: 'lifetime', tier: 1, notify: ['senior-officer'], district: 'Sheffield', episodeId: null, figures: {}, cause: 'a test', escalates: null, raisedAt },
          metadata,
        },
        { id: randomUUID(), type: 'EscalationNotified', data: { escalationId, recipient: { role: 'senior-officer', email: 'so@example.test' }, messageId: 'm-1', deliveredAt: raisedAt }, metadata },
      ],
      'no_stream',
    );
    const written = await store.readStream(`child-${childId}`);
    await db.transaction(async (tx) => {
      for (const projection of allProjections(policy)) await projection.apply(written, tx, 'live');
    });
    const prefix = `test-synthetic-${randomUUID()}`;
    const redis = createRedisConnection(REDIS_URL);
    const clock = { now: () => new Date(BENCHMARK_END) };
    const queues = { notifications: new NotificationQueue({ connection: redis, prefix }), deadlines: new DeadlineQueue(redis, prefix) };
    const inspect = [new Queue<Deadline>(DEADLINES_QUEUE, { connection: redis, prefix }), new Queue(NOTIFICATIONS_QUEUE, { connection: redis, prefix })] as const;
    try {
      const notifier = new EscalationNotifierProcessor(store, queues.notifications, directory, clock, 'http://dashboard.invalid');
      await new RequeueSweep(db, store, new DeadlineSchedulerProcessor(queues.deadlines, policy, clock), notifier, queues.deadlines, clock).run();
      const clocks = await inspect[0].getJobs(['waiting', 'delayed', 'active', 'prioritized']);
      expect(clocks.filter((job) => job.data.childId === childId).map((job) => [job.data.kind, job.data.escalationId])).toEqual([['unacknowledged', escalationId]]);
    } finally {
      for (const queue of inspect) await queue.obliterate({ force: true });
      for (const queue of inspect) await queue.close();
      await queues.notifications.close();
      await queues.deadlines.close();
      redis.disconnect();
    }
  });

  it("keeps the dashboard summary's counts equal to counting the rows, at every month of the history, and fills them in for read models made before them", async () => {
    const DAY_MS = 24 * 60 * 60 * 1000;
    const counted = async (scope: string | null, now: Date, rules: EscalationPolicy) => {
      const [row] = await db.query<{ escalations: number; repeat_children: number; needing_plan: number; interviews: number; actions: number }>(
        `SELECT
           (SELECT count(*)::int FROM rm_meeting_actions a JOIN rm_meetings m USING (meeting_id) JOIN rm_children c ON c.child_id = m.child_id
             WHERE a.completed_at IS NULL AND a.due_date < $7 AND ($1::text IS NULL OR c.local_authority = $1)) AS actions,
           (SELECT count(*)::int FROM rm_return_work r WHERE interview_status IN ('none', 'offered') AND episode_status <> 'cancelled' AND returned_at < $6
             AND ($1::text IS NULL OR EXISTS (SELECT 1 FROM rm_episodes e WHERE e.episode_id = r.episode_id AND e.district = $1))) AS interviews,
           (SELECT count(*)::int FROM rm_escalations WHERE acknowledged_at IS NULL AND raised_at < $3 AND ($1::text IS NULL OR district = $1)) AS escalations,
           (SELECT count(*)::int FROM rm_dash_children WHERE lifetime >= 2 AND ($1::text IS NULL OR district = $1)) AS repeat_children,
           (SELECT count(*)::int FROM rm_dash_children d
             WHERE d.lifetime >= 2 AND ($1::text IS NULL OR d.district = $1)
               AND NOT EXISTS (SELECT 1 FROM rm_safeguarding_plans p WHERE p.child_id = d.child_id AND p.status = 'open')
               AND (SELECT count(*) FROM rm_episodes w WHERE w.child_id = d.child_id AND w.status <> 'cancelled'
                     AND w.missing_since > $4 AND w.missing_since <= $2) >= $5) AS needing_plan`,
        [scope, now, new Date(now.getTime() - policy.unacknowledged.hours * 3_600_000), new Date(now.getTime() - rules.repeatWithoutPlan.windowDays * DAY_MS), rules.repeatWithoutPlan.episodes,
         new Date(now.getTime() - policy.returnInterviewOverdue.hours * 3_600_000), ukDateOf(now.toISOString())],
      );
      return row;
    };
    const compareAll = async (rules = policy) => {
      let needingPlan = 0;
      let late = 0;
      for (let month = 1; month <= 12; month++) {
        const now = new Date(BENCHMARK_END - month * 30 * DAY_MS);
        for (const scope of [null, 'Sheffield']) {
          const summary = await summaryCounts(db, rules, scope, now);
          const expected = await counted(scope, now, rules);
          expect({ actions: summary.overdue['meeting-action'], interviews: summary.overdue['return-interview'], escalations: summary.overdue['escalation-unacknowledged'], repeatChildren: summary.repeatChildren, needingPlan: summary.repeatChildrenNeedingPlan }).toEqual({
            actions: expected.actions,
            interviews: expected.interviews,
            escalations: expected.escalations,
            repeatChildren: expected.repeat_children,
            needingPlan: expected.needing_plan,
          });
          needingPlan += expected.needing_plan;
          late += expected.actions + expected.interviews;
        }
      }
      return { needingPlan, late };
    };
    // Each count has something to count somewhere in the year, or the comparison proves little.
    const { needingPlan, late } = await compareAll();
    expect(needingPlan).toBeGreaterThan(0);
    expect(late).toBeGreaterThan(0);
    const [{ unacknowledged }] = await db.query<{ unacknowledged: number }>(`SELECT count(*)::int AS unacknowledged FROM rm_escalations WHERE acknowledged_at IS NULL`);
    expect(unacknowledged).toBeGreaterThan(0);

    // Read models from before the kept counts and the repeat window's spells: they are made from the rows at start-up.
    await db.query('DROP TABLE rm_escalation_unacknowledged_counts, rm_dash_repeat_child_counts, rm_return_work_awaiting_counts, rm_dash_repeat_spells, rm_dash_repeat_spells_rule');
    for (const projection of allProjections(policy)) await projection.migrate(db);
    await compareAll();

    // A service started with the repeat-without-plan rule of another size remakes the spells for it.
    const otherRule = { ...policy, repeatWithoutPlan: { ...policy.repeatWithoutPlan, episodes: 2, windowDays: 45 } };
    for (const projection of allProjections(otherRule)) await projection.migrate(db);
    expect((await compareAll(otherRule)).needingPlan).toBeGreaterThan(needingPlan);
  });
});
