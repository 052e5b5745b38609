import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueToken } from '../../src/access/tokens';
import { AppProcess, buildService, freePort } from '../support/app-process';
import { recordPersonalValues } from '../support/captured-logs';
import { SmtpPeer } from '../support/smtp-peer';
import { TEST_JWT_SECRET } from '../support/test-app';
import { postgresBinaries, redisServerAvailable, ThrowawayPostgres, ThrowawayRedis } from '../support/throwaway-servers';

const HOUR = 3_600_000;
const lscbLead = JSON.parse(readFileSync('config/directory.json', 'utf8')).districts.Rotherham.lscbLead.email as string;
const bin = postgresBinaries();
const canRun = bin !== null && redisServerAvailable();

/**
 * PostgreSQL and Redis restarted under the service (servers of the test's own, on other ports):
 * the service reports unhealthy, recovers without a restart of its own, and loses no
 * acknowledged write; e-mails queued across a Redis restart are sent once.
 */
(canRun ? describe : describe.skip)('dependencies restarting under load', () => {
  const smtp = new SmtpPeer();
  let postgres: ThrowawayPostgres;
  let redis: ThrowawayRedis;
  let app: AppProcess;
  let token: string;

  beforeAll(async () => {
    buildService();
    await smtp.start();
    postgres = new ThrowawayPostgres(bin!, await freePort());
    postgres.start();
    redis = new ThrowawayRedis(await freePort());
    await redis.start();
    app = new AppProcess({
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      SMTP_URL: smtp.url,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      JWT_SECRET: TEST_JWT_SECRET,
      NOTIFICATION_BACKOFF_MS: '200',
      OUTBOX_DIR: join(tmpdir(), `restart-outbox-${randomUUID().slice(0, 8)}`),
      LOG_LEVEL: 'error',
    });
    await app.start();
    token = await issueToken(new TextEncoder().encode(TEST_JWT_SECRET), { userId: 'pc-3', role: 'officer', district: 'Rotherham' });
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    postgres?.destroy();
    await redis?.destroy();
    await smtp.stop();
  });

  const post = (path: string, body: unknown) => {
    recordPersonalValues('POST', path, body);
    return fetch(app.url + path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
      async (r) => ({ status: r.status, body: (await r.json()) as any }),
      () => ({ status: 0, body: null }),
    );
  };
  const get = (path: string) => fetch(app.url + path, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  it('answers 503 while PostgreSQL is down, then recovers by itself with every acknowledged write kept', async () => {
    const acknowledged: string[] = [];
    let stop = false;
    const load = (async () => {
      while (!stop) {
        const answer = await post('/api/episodes', { child: { localAuthority: 'Rotherham' }, missingSince: new Date(Date.now() - HOUR).toISOString() });
        if (answer.status === 201) acknowledged.push(answer.body.childId);
        else await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    postgres.stop('immediate');
    const during = await fetch(`${app.url}/health`).catch((error) => {
      throw new Error(`${error}: ${app.output.join('').slice(-3000)}`);
    });
    expect(during.status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    postgres.start();
    let healthy = false;
    for (let i = 0; i < 100 && !healthy; i++) {
      healthy = (await fetch(`${app.url}/health`)).status === 200;
      if (!healthy) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(healthy).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    stop = true;
    await load;

    expect(acknowledged.length).toBeGreaterThan(5);
    const lost: string[] = [];
    for (const childId of acknowledged) {
      const timeline = await get(`/api/children/${childId}/timeline`);
      if (timeline.status !== 200 || !timeline.body.some((e: { type: string }) => e.type === 'ChildReportedMissing')) lost.push(childId);
    }
    console.log(`postgres restart: ${acknowledged.length} reports acknowledged around an immediate shutdown; lost ${lost.length}`);
    expect(lost).toEqual([]);
  }, 120_000);

  it('keeps recording while Redis is down and sends the e-mail once when it is back', async () => {
    const { childId } = (await post('/api/children', { localAuthority: 'Rotherham' })).body;
    await redis.stop();
    for (const hoursAgo of [5, 3, 1]) {
      const missingSince = new Date(Date.now() - hoursAgo * HOUR).toISOString();
      const reported = await post('/api/episodes', { childId, missingSince, initialRisk: 'low' });
      expect(reported.status).toBe(201);
      const returnedAt = new Date(Date.parse(missingSince) + HOUR / 2).toISOString();
      expect((await post(`/api/episodes/${reported.body.episodeId}/return`, { returnedAt, how: 'returned', where: 'home' })).status).toBe(200);
    }
    const health = await fetch(`${app.url}/health`);
    const degraded: any = await health.json();
    expect(health.status).toBe(200);
    expect(degraded.details.redis.status).toBe('degraded');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(smtp.to(lscbLead)).toHaveLength(0);

    await redis.start();
    for (let i = 0; i < 150 && smtp.to(lscbLead).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 200));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(smtp.to(lscbLead)).toHaveLength(1);
  }, 120_000);

  it('sends e-mails queued before a Redis restart exactly once', async () => {
    smtp.refusing = true;
    const { childId } = (await post('/api/children', { localAuthority: 'Rotherham' })).body;
    for (const hoursAgo of [5, 3, 1]) {
      const missingSince = new Date(Date.now() - hoursAgo * HOUR).toISOString();
      const reported = await post('/api/episodes', { childId, missingSince, initialRisk: 'low' });
      const returnedAt = new Date(Date.parse(missingSince) + HOUR / 2).toISOString();
      await post(`/api/episodes/${reported.body.episodeId}/return`, { returnedAt, how: 'returned', where: 'home' });
    }
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // the job is queued and failing
    const before = smtp.to(lscbLead).length;
    await redis.stop();
    await redis.start();
    smtp.refusing = false;
    // A job that was active when Redis died is stalled until BullMQ's 30-second lock expires.
    for (let i = 0; i < 450 && smtp.to(lscbLead).length === before; i++) await new Promise((resolve) => setTimeout(resolve, 200));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(smtp.to(lscbLead).length - before).toBe(1);
  }, 150_000);
});
