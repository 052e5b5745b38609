import { readFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import { freshPostgresUrl } from './support/databases';
import { eventually } from './support/deadlines';
import { SmtpPeer } from './support/smtp-peer';
import { client, RunningApp, startApp } from './support/test-app';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const directory = JSON.parse(readFileSync('config/directory.json', 'utf8')).districts;
const lscbLead = (district: string): string => directory[district].lscbLead.email;

/**
 * The machine enforcing the thresholds, end to end: the real Redis (BullMQ), a real SMTP server,
 * the app in-process on PostgreSQL.
 */
describe('automatic escalation over HTTP', () => {
  const smtp = new SmtpPeer();
  let running: RunningApp;
  let officer: ReturnType<typeof client>;
  // An officer of the child's district works its case: child() picks them for the test that follows.
  const officers: Record<string, ReturnType<typeof client>> = {};

  beforeAll(async () => {
    await smtp.start();
    running = await startApp({ DATABASE_URL: await freshPostgresUrl(), SMTP_URL: smtp.url, NOTIFICATION_BACKOFF_MS: '100' });
    for (const name of running.config.districts) officers[name] = client(running.url, await running.tokenFor('officer', name));
    officer = officers.Rotherham;
  });
  afterAll(async () => {
    await running?.close();
    await smtp.stop();
  });

  /** Reports an episode that started `startsAgo` before now and returns the child an hour later. */
  async function episode(childId: string, startsAgo: number, options: { keepMissing?: boolean; initialRisk?: string } = {}) {
    const missingSince = new Date(Date.now() - startsAgo).toISOString();
    const reported = await officer.post('/api/episodes', { childId, missingSince, initialRisk: options.initialRisk ?? 'low' });
    expect(reported.status).toBe(201);
    if (!options.keepMissing) {
      const returnedAt = new Date(Math.min(Date.now(), Date.parse(missingSince) + HOUR)).toISOString();
      expect((await officer.post(`/api/episodes/${reported.body.episodeId}/return`, { returnedAt, how: 'returned', where: 'home' })).status).toBe(200);
    }
    return reported.body.episodeId as string;
  }

  async function child(localAuthority: string) {
    officer = officers[localAuthority];
    const answer = await officer.post('/api/children', { firstName: 'Zoe', lastName: 'Quinn', dateOfBirth: '2012-05-01', localAuthority });
    return answer.body.childId as string;
  }

  const escalations = async (childId: string) => (await officer.get(`/api/escalations?childId=${childId}`)).body as any[];
  const meetings = async (childId: string) => (await officer.get(`/api/strategy-meetings?childId=${childId}`)).body as any[];

  it('convenes one meeting, raises one escalation and e-mails only that authority’s LSCB lead on the 3rd episode in 30 days', async () => {
    const childId = await child('Rotherham');
    await episode(childId, 5 * HOUR);
    await episode(childId, 3 * HOUR);
    const third = await episode(childId, HOUR);
    await running.settle();

    const repeat = await eventually(
      () => escalations(childId),
      (list) => list.some((e) => e.rule === 'repeat-in-window' && e.notified.length >= 2),
    );
    expect(repeat.filter((e) => e.rule === 'repeat-in-window')).toHaveLength(1);
    expect(repeat.find((e) => e.rule === 'repeat-in-window')).toMatchObject({ tier: 1, district: 'Rotherham', figures: { episodesInWindow: 3 } });
    const [meeting] = await meetings(childId);
    expect(meeting).toMatchObject({ status: 'open', agencies: ['police', 'childrens-social-care', 'health', 'education'] });
    expect(meeting.agenda).toContain(third);

    const mails = await eventually(async () => smtp.to(lscbLead('Rotherham')), (list) => list.length >= 1);
    expect(mails).toHaveLength(1);
    const body = mails[0].raw.replace(/=\r?\n/g, ''); // undo quoted-printable soft line breaks
    expect(body).toMatch(/3rd missing episode within 30 days/);
    expect(body).toMatch(/3 in the last 30 days/);
    expect(body).not.toMatch(/Zoe|Quinn|2012-05-01/);
    for (const other of ['Barnsley', 'Doncaster', 'Sheffield']) expect(smtp.to(lscbLead(other))).toHaveLength(0);

    // A 4th episode joins the open meeting's agenda: no second meeting, no second repeat escalation.
    const fourth = await episode(childId, HOUR / 2);
    await running.settle();
    const after = await eventually(() => meetings(childId), (list) => list[0]?.agenda.includes(fourth));
    expect(after).toHaveLength(1);
    expect(after[0].agenda).toContain(fourth);
    expect((await escalations(childId)).filter((e) => e.rule === 'repeat-in-window')).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(smtp.to(lscbLead('Rotherham'))).toHaveLength(1);
  });

  it('does nothing for three episodes spread over 31 days', async () => {
    const childId = await child('Doncaster');
    await episode(childId, 31 * DAY);
    await episode(childId, 16 * DAY);
    await episode(childId, HOUR);
    await running.settle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await running.settle();
    expect(await meetings(childId)).toEqual([]);
    expect((await escalations(childId)).filter((e) => e.rule === 'repeat-in-window' || e.rule === 'lifetime')).toEqual([]);
  });

  it('escalates once per lifetime tier at 10, 20 and 40 episodes', async () => {
    const childId = await child('Sheffield');
    // 31 days apart, so no 30-day window ever holds three.
    for (let i = 40; i >= 1; i--) await episode(childId, i * 31 * DAY);
    await running.settle();
    const lifetime = (await eventually(() => escalations(childId), (list) => list.filter((e) => e.rule === 'lifetime').length >= 3)).filter(
      (e) => e.rule === 'lifetime',
    );
    expect(lifetime.map((e) => [e.tier, e.figures.lifetimeEpisodes]).sort()).toEqual([
      [1, 10],
      [2, 20],
      [3, 40],
    ]);
    expect(await meetings(childId)).toEqual([]);
  }, 120_000);

  it('escalates at once a low-risk episode whose review is already overdue, and lets a senior officer acknowledge it', async () => {
    const childId = await child('Barnsley');
    const episodeId = await episode(childId, 30 * HOUR, { keepMissing: true });
    await running.settle();
    const overdue = await eventually(() => escalations(childId), (list) => list.some((e) => e.rule === 'review-overdue'));
    const review = overdue.filter((e) => e.rule === 'review-overdue');
    expect(review.length).toBeGreaterThanOrEqual(1);
    expect(review[0]).toMatchObject({ episodeId, tier: 1 });

    const senior = client(running.url, await running.tokenFor('senior-officer', 'Barnsley'));
    expect((await officer.post(`/api/escalations/${review[0].escalationId}/acknowledge`, {})).status).toBe(403);
    expect((await senior.post(`/api/escalations/${review[0].escalationId}/acknowledge`, { note: 'search team tasked' })).status).toBe(200);
    expect((await senior.post(`/api/escalations/${review[0].escalationId}/acknowledge`, {})).status).toBe(409);
    await running.settle();
    const acknowledged = (await escalations(childId)).find((e) => e.escalationId === review[0].escalationId);
    expect(acknowledged.acknowledgedAt).not.toBeNull();
  });

  it('raises nothing when the clock set at the report runs out after the episode was reviewed in time', async () => {
    const childId = await child('Barnsley');
    const episodeId = await episode(childId, 2 * HOUR, { keepMissing: true });
    expect((await officer.post(`/api/episodes/${episodeId}/risk-assessments`, { grade: 'low', rationale: 'with a known friend' })).status).toBe(201);
    await running.settle();
    // Let the 24-hour clock set by the report run out now, as if the day had passed.
    const deadlines = new Queue('deadlines', { connection: { url: running.config.REDIS_URL }, prefix: running.config.QUEUE_PREFIX });
    const fromReport = (await deadlines.getDelayed()).filter((job) => job.data.episodeId === episodeId && job.data.kind === 'review-overdue' && job.data.reviewAnchor === null);
    expect(fromReport.length).toBeGreaterThan(0);
    for (const job of fromReport) await job.promote();
    await eventually(async () => Promise.all(fromReport.map((job) => deadlines.getJobState(job.id!))), (states) => states.every((s) => s === 'completed'));
    await deadlines.close();
    await running.settle();
    expect(await escalations(childId)).toEqual([]);
  });
});
