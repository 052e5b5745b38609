import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { freshPostgresUrl } from '../support/databases';
import { SmtpPeer } from '../support/smtp-peer';
import { client, RunningApp, startApp } from '../support/test-app';

const HOUR = 3_600_000;
const CHILDREN = 30;
const lscbLead = JSON.parse(readFileSync('config/directory.json', 'utf8')).districts.Doncaster.lscbLead.email as string;

/**
 * Two instances of the service on one database and one Redis, with requests spread over both:
 * each consumer has one owner at a time and every job id is derived, so every meeting,
 * escalation and e-mail happens exactly once.
 */
describe('two app instances under the same load', () => {
  const smtp = new SmtpPeer();
  let instances: RunningApp[];

  beforeAll(async () => {
    await smtp.start();
    const env = { DATABASE_URL: await freshPostgresUrl(), SMTP_URL: smtp.url, QUEUE_PREFIX: `two-${randomUUID().slice(0, 8)}`, NOTIFICATION_BACKOFF_MS: '100' };
    instances = [await startApp(env), await startApp(env)];
  });
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.close()));
    await smtp.stop();
  });

  it('convenes one meeting, raises one repeat escalation and sends one e-mail per child', async () => {
    const apis = await Promise.all(instances.map(async (i) => client(i.url, await i.tokenFor('officer', 'Doncaster'))));
    const children = await Promise.all(
      Array.from({ length: CHILDREN }, async (_, n) => {
        const { childId } = (await apis[n % 2].post('/api/children', { localAuthority: 'Doncaster' })).body;
        for (const [k, hoursAgo] of [5, 3, 1].entries()) {
          const api = apis[(n + k) % 2];
          const missingSince = new Date(Date.now() - hoursAgo * HOUR).toISOString();
          const { episodeId } = (await api.post('/api/episodes', { childId, missingSince, initialRisk: 'low' })).body;
          const returnedAt = new Date(Date.parse(missingSince) + HOUR / 2).toISOString();
          expect((await api.post(`/api/episodes/${episodeId}/return`, { returnedAt, how: 'returned', where: 'home' })).status).toBe(200);
        }
        return childId as string;
      }),
    );

    const deadline = Date.now() + 30_000;
    while (smtp.to(lscbLead).length < CHILDREN && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await Promise.all(instances.map((i) => i.settle()));
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    expect(smtp.to(lscbLead)).toHaveLength(CHILDREN);
    const references = new Set(smtp.to(lscbLead).map((mail) => /MFH-[0-9A-F]{8}/.exec(mail.raw)?.[0]));
    expect(references.size).toBe(CHILDREN);
    for (const childId of children) {
      const escalations = (await apis[0].get(`/api/escalations?childId=${childId}`)).body as { rule: string }[];
      expect(escalations.filter((e) => e.rule === 'repeat-in-window')).toHaveLength(1);
      expect((await apis[1].get(`/api/strategy-meetings?childId=${childId}`)).body).toHaveLength(1);
    }
  }, 120_000);
});
