import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueToken } from '../src/access/tokens';
import { AppProcess, buildService, freePort } from './support/app-process';
import { freshPostgresUrl } from './support/databases';
import { eventually } from './support/deadlines';
import { SmtpPeer } from './support/smtp-peer';
import { client, TEST_JWT_SECRET } from './support/test-app';

const HOUR = 3_600_000;
const lscbLead = JSON.parse(readFileSync('config/directory.json', 'utf8')).districts.Sheffield.lscbLead.email as string;

/**
 * Nothing lost, nothing twice: the service is killed with SIGKILL right after the third episode
 * is stored, while the mail server refuses everything; after a restart and the mail server's
 * return, exactly one e-mail reaches the LSCB lead. A further kill and restart sends no more.
 */
describe('crash between the third episode and its e-mail', () => {
  const smtp = new SmtpPeer();
  let app: AppProcess;

  beforeAll(async () => {
    buildService();
    await smtp.start();
    app = new AppProcess({
      DATABASE_URL: await freshPostgresUrl(),
      SMTP_URL: smtp.url,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      JWT_SECRET: TEST_JWT_SECRET,
      QUEUE_PREFIX: `crash-${randomUUID().slice(0, 8)}`,
      NOTIFICATION_BACKOFF_MS: '200',
      OUTBOX_DIR: join(tmpdir(), `crash-outbox-${randomUUID().slice(0, 8)}`),
      LOG_LEVEL: 'warn',
    });
    await app.start();
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await smtp.stop();
  });

  it('sends exactly one e-mail after SIGKILL, a restart, and the mail server coming back', async () => {
    smtp.refusing = true;
    const key = new TextEncoder().encode(TEST_JWT_SECRET);
    const api = client(app.url, await issueToken(key, { userId: 'pc-1', role: 'officer', district: 'Sheffield' }));
    const { childId } = (await api.post('/api/children', { firstName: 'Kai', localAuthority: 'Sheffield' })).body;
    for (const hoursAgo of [5, 3, 1]) {
      const missingSince = new Date(Date.now() - hoursAgo * HOUR).toISOString();
      const reported = await api.post('/api/episodes', { childId, missingSince, initialRisk: 'low' });
      expect(reported.status).toBe(201);
      if (hoursAgo === 1) {
        await app.kill(); // the third episode is stored; what follows from it has not happened yet
        break;
      }
      const returnedAt = new Date(Date.parse(missingSince) + HOUR).toISOString();
      expect((await api.post(`/api/episodes/${reported.body.episodeId}/return`, { returnedAt, how: 'returned', where: 'home' })).status).toBe(200);
    }
    expect(smtp.to(lscbLead)).toHaveLength(0);

    await app.start();
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // the mail server stays down a while
    expect(smtp.to(lscbLead)).toHaveLength(0);
    smtp.refusing = false;
    const mails = await eventually(async () => smtp.to(lscbLead), (list) => list.length > 0, 60_000);
    expect(mails).toHaveLength(1);

    await app.kill();
    await app.start();
    const escalations = await eventually(
      async () => (await api.get(`/api/escalations?childId=${childId}`)).body as any[],
      (list) => list.some((e) => e.rule === 'repeat-in-window' && e.notified.some((n: { email: string }) => n.email === lscbLead)),
      30_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(smtp.to(lscbLead)).toHaveLength(1);
    expect(escalations.filter((e) => e.rule === 'repeat-in-window')).toHaveLength(1);
    expect((await api.get(`/api/strategy-meetings?childId=${childId}`)).body).toHaveLength(1);
  }, 180_000);
});
