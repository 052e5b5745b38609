import { readFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import type { Deadline } from '../../src/escalation/deadline-queue';
import { freePort } from '../support/app-process';
import { freshPostgresUrl } from '../support/databases';
import { eventually, fireDeadlinesNow } from '../support/deadlines';
import { SmtpPeer } from '../support/smtp-peer';
import { client, type RunningApp, startApp } from '../support/test-app';
import { redisServerAvailable, ThrowawayRedis } from '../support/throwaway-servers';

const HOUR = 3_600_000;
const lscbLead = JSON.parse(readFileSync('config/directory.json', 'utf8')).districts.Rotherham.lscbLead.email as string;

/**
 * A Redis without persistence restarted under the service comes back empty: every queued e-mail
 * and every running clock is gone from it. The service sweeps the histories when Redis is back and
 * puts them back with the same job ids: the e-mail that was retrying is sent once, the clocks fire
 * once, and a clock that already fired is not put back by a second empty restart.
 */
(redisServerAvailable() ? describe : describe.skip)('Redis restarted empty', () => {
  const smtp = new SmtpPeer();
  let redis: ThrowawayRedis;
  let running: RunningApp;
  let deadlines: Queue<Deadline>;

  beforeAll(async () => {
    await smtp.start();
    redis = new ThrowawayRedis(await freePort());
    await redis.start();
    running = await startApp({ DATABASE_URL: await freshPostgresUrl(), REDIS_URL: redis.url, SMTP_URL: smtp.url, NOTIFICATION_BACKOFF_MS: '200' });
    deadlines = new Queue<Deadline>('deadlines', { connection: { url: redis.url }, prefix: running.config.QUEUE_PREFIX });
  }, 60_000);
  afterAll(async () => {
    await deadlines?.close();
    await running?.close();
    await redis?.destroy();
    await smtp.stop();
  });

  /** The clocks with work still to watch; those of the returned episodes' reviews will fire to no effect, and are not put back. */
  const runningClocks = async () =>
    new Set(
      (await deadlines.getDelayed())
        .filter((job) => job.data.kind === 'return-interview-overdue' || job.data.kind === 'unacknowledged')
        .map((job) => job.id!),
    );

  it('sends the queued e-mail and fires the pending clocks exactly once after an empty restart', async () => {
    const api = client(running.url, await running.tokenFor('admin', 'Rotherham'));
    smtp.refusing = true;
    const { childId } = (await api.post('/api/children', { localAuthority: 'Rotherham' })).body;
    const episodes: string[] = [];
    for (const hoursAgo of [5, 3, 1]) {
      const missingSince = new Date(Date.now() - hoursAgo * HOUR).toISOString();
      const { episodeId } = (await api.post('/api/episodes', { childId, missingSince, initialRisk: 'low' })).body;
      episodes.push(episodeId);
      const returnedAt = new Date(Date.parse(missingSince) + HOUR / 2).toISOString();
      expect((await api.post(`/api/episodes/${episodeId}/return`, { returnedAt, how: 'returned', where: 'home' })).status).toBe(200);
    }
    await running.settle();
    // Three return-interview clocks and the acknowledgement clocks of the escalations are running; their e-mails are retrying.
    const before = await eventually(runningClocks, (ids) => ids.size >= 4);
    expect(before.size).toBeGreaterThanOrEqual(4);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(smtp.to(lscbLead)).toHaveLength(0);

    await redis.restartEmpty();
    const after = await eventually(runningClocks, (ids) => [...before].every((id) => ids.has(id)));
    expect([...before].filter((id) => !after.has(id))).toEqual([]);
    smtp.refusing = false;
    await eventually(async () => smtp.to(lscbLead).length, (n) => n >= 1, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(smtp.to(lscbLead)).toHaveLength(1);

    // A clock put back by the sweep fires once.
    const interviewOverdue = (d: Deadline) => d.kind === 'return-interview-overdue' && d.episodeId === episodes[0];
    const firedId = (await deadlines.getDelayed()).find((job) => interviewOverdue(job.data))!.id!;
    expect(await fireDeadlinesNow(running, interviewOverdue)).toBe(1);
    await running.settle();
    const overdueEscalations = async () =>
      ((await api.get(`/api/escalations?childId=${childId}`)).body as { rule: string }[]).filter((e) => e.rule === 'return-interview-overdue');
    expect(await eventually(overdueEscalations, (list) => list.length === 1)).toHaveLength(1);
    // Its e-mail to the LSCB lead follows: the second one they get.
    await eventually(async () => smtp.to(lscbLead).length, (n) => n >= 2, 20_000);
    await running.settle();
    const beforeSecond = await runningClocks();

    // Emptied again: the clocks still running come back, the one that fired does not, and nothing is sent twice.
    await redis.restartEmpty();
    const again = await eventually(runningClocks, (ids) => [...beforeSecond].every((id) => ids.has(id)));
    expect([...beforeSecond].filter((id) => !again.has(id))).toEqual([]);
    expect(again.has(firedId)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await overdueEscalations()).toHaveLength(1);
    expect(smtp.to(lscbLead)).toHaveLength(2);
    console.log(
      `redis restarted empty twice: ${before.size} running clocks put back after the first restart, ${again.size} after the second ` +
        `(the fired one not among them); e-mails to the LSCB lead ${smtp.to(lscbLead).length} for 2 escalations`,
    );
  }, 90_000);
});
