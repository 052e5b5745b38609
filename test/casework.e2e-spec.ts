import { readFileSync } from 'node:fs';
import { CaseworkProjection } from '../src/casework/casework.projection';
import { StreamDirectoryProjection } from '../src/child-stream/stream-directory';
import { PgDatabase } from '../src/database/pg-database';
import { openEventStore } from '../src/event-store/event-store.module';
import { rebuildProjection } from '../src/event-store/subscriptions/rebuild-projection';
import { ukDateOf } from '../src/shared/calendar';
import { freshPostgresUrl } from './support/databases';
import { eventually, fireDeadlinesNow } from './support/deadlines';
import { SmtpPeer } from './support/smtp-peer';
import { client, RunningApp, startApp } from './support/test-app';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const directory = JSON.parse(readFileSync('config/directory.json', 'utf8')).districts;
const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();
/** The user id a test token stands for (its subject). */
const userOf = (token: string): string => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub;

/**
 * The casework after a return, end to end: the real Redis (BullMQ deadlines), a real SMTP server,
 * the app in-process on PostgreSQL. Each clock either fires at once (back-dated facts) or is made
 * to run out now by promoting its delayed job.
 */
describe('casework after a return over HTTP', () => {
  const smtp = new SmtpPeer();
  let databaseUrl: string;
  let running: RunningApp;
  let stopped = false;
  const tokens: Record<string, string> = {};
  // Casework is done by the staff of the child's district: child() sets it for the test that follows.
  let district = 'Sheffield';
  const as = (role: string) => client(running.url, tokens[`${role}/${district}`]);

  beforeAll(async () => {
    await smtp.start();
    databaseUrl = await freshPostgresUrl();
    running = await startApp({ DATABASE_URL: databaseUrl, SMTP_URL: smtp.url, NOTIFICATION_BACKOFF_MS: '100' });
    for (const role of ['officer', 'social-worker', 'coordinator', 'senior-officer', 'auditor'] as const) {
      for (const name of running.config.districts) tokens[`${role}/${name}`] = await running.tokenFor(role, name);
    }
  });
  afterAll(async () => {
    if (!stopped) await running?.close();
    await smtp.stop();
  });

  async function child(localAuthority: string): Promise<string> {
    district = localAuthority;
    const answer = await as('officer').post('/api/children', { firstName: 'Lily', lastName: 'Rowe', dateOfBirth: '2011-09-14', localAuthority });
    expect(answer.status).toBe(201);
    return answer.body.childId;
  }

  /** An episode that started `missingAgo` before now; the child back `returnedAgo` before now unless that is null. */
  async function episode(childId: string, missingAgo: number, returnedAgo: number | null = missingAgo - HOUR): Promise<string> {
    const reported = await as('officer').post('/api/episodes', { childId, missingSince: ago(missingAgo), initialRisk: 'low' });
    expect(reported.status).toBe(201);
    if (returnedAgo !== null) {
      const back = await as('officer').post(`/api/episodes/${reported.body.episodeId}/return`, { returnedAt: ago(returnedAgo), how: 'returned', where: 'home' });
      expect(back.status).toBe(200);
    }
    return reported.body.episodeId;
  }

  const escalations = async (childId: string, rule: string) =>
    ((await as('coordinator').get(`/api/escalations?childId=${childId}`)).body as any[]).filter((e) => e.rule === rule);
  /** Waits for the machine to finish, then a little longer, so a second escalation would have shown. */
  const quiet = async () => {
    await running.settle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await running.settle();
  };

  it('escalates once to the coordinators and the LSCB lead when no interview follows a return by 72 hours', async () => {
    const childId = await child('Barnsley');
    const episodeId = await episode(childId, 80 * HOUR, 75 * HOUR);
    await running.settle();
    const told = [...directory.Barnsley.coordinators.map((p: any) => p.email), directory.Barnsley.lscbLead.email];
    const [overdue] = await eventually(() => escalations(childId, 'return-interview-overdue'), (list) => list[0]?.notified.length >= told.length);
    expect(overdue).toMatchObject({ episodeId, tier: 1, district: 'Barnsley', figures: { hours: 72 } });
    expect(overdue.notified.map((n: any) => n.email).sort()).toEqual(told.sort());
    const mail = smtp.to(directory.Barnsley.lscbLead.email).map((m) => m.raw.replace(/=\r?\n/g, ''));
    expect(mail.filter((raw) => /no return home interview completed or declined within 72 hours/.test(raw))).toHaveLength(1);
    expect(mail.join('\n')).not.toMatch(/Lily|Rowe/);

    await quiet();
    expect(await escalations(childId, 'return-interview-overdue')).toHaveLength(1);
    const [work] = (await as('coordinator').get(`/api/return-interviews?childId=${childId}`)).body;
    expect(work).toMatchObject({ episodeId, interviewStatus: 'none', overdue: true, overdueEscalationId: overdue.escalationId });
  });

  it('records the check and the interview, refuses what does not follow, and raises nothing when the interview is done in time', async () => {
    const childId = await child('Sheffield');
    const stillMissing = await episode(childId, 2 * HOUR, null);
    const noReturn = await as('social-worker').post(`/api/episodes/${stillMissing}/return-interviews`, { outcome: 'offered', offeredBy: 'Safe Space' });
    expect(noReturn).toMatchObject({ status: 409, body: { detail: `the child has not returned from episode ${stillMissing}` } });
    await as('officer').post(`/api/episodes/${stillMissing}/return`, { returnedAt: ago(HOUR), how: 'found', where: 'bus station' });

    const check = { childAccount: 'stayed at a friend’s', harmObserved: false };
    expect((await as('officer').post(`/api/episodes/${stillMissing}/safe-and-well-check`, check)).status).toBe(201);
    expect((await as('officer').post(`/api/episodes/${stillMissing}/safe-and-well-check`, check)).status).toBe(409);
    expect((await as('officer').post(`/api/episodes/${stillMissing}/return-interviews`, { outcome: 'offered', offeredBy: 'x' })).status).toBe(403);
    const bad = await as('social-worker').post(`/api/episodes/${stillMissing}/return-interviews`, { outcome: 'held', offeredBy: 'x' });
    expect(bad).toMatchObject({ status: 400, body: { errors: [{ field: 'outcome', reason: 'outcome must be one of offered, completed, declined' }] } });

    const findings = { whereabouts: 'a friend’s flat', pushFactors: ['rows at home'], pullFactors: [] };
    const completed = { outcome: 'completed', interviewer: 'J. Patel', findings };
    expect((await as('social-worker').post(`/api/episodes/${stillMissing}/return-interviews`, completed)).status).toBe(201);
    expect((await as('social-worker').post(`/api/episodes/${stillMissing}/return-interviews`, completed)).status).toBe(409);
    const decline = { outcome: 'declined', declinedBy: 'child', reason: 'changed her mind' };
    expect((await as('social-worker').post(`/api/episodes/${stillMissing}/return-interviews`, decline)).body.detail).toBe(
      `the return interview for episode ${stillMissing} is already completed`,
    );

    await running.settle();
    expect(await fireDeadlinesNow(running, (d) => d.kind === 'return-interview-overdue' && d.episodeId === stillMissing)).toBe(1);
    await quiet();
    expect(await escalations(childId, 'return-interview-overdue')).toEqual([]);
  });

  it('escalates a meeting action past its due date to the senior officers, once, and not an action completed in time', async () => {
    const childId = await child('Rotherham');
    const coordinator = as('coordinator');
    const called = await coordinator.post('/api/strategy-meetings', { childId, reason: 'seen with an adult known for CSE' });
    expect(called.status).toBe(201);
    const meetingId = called.body.meetingId;
    expect((await coordinator.post('/api/strategy-meetings', { childId, reason: 'again' })).status).toBe(409);
    const attendees = [{ name: 'DS Hart', agency: 'police' }, { name: 'K. Wood', agency: 'childrens-social-care' }];
    const held = { heldAt: new Date().toISOString(), attendees, absentees: [{ agency: 'health' }] };
    expect((await coordinator.post(`/api/strategy-meetings/${meetingId}/held`, held)).status).toBe(200);
    const dueDate = ukDateOf(new Date(Date.now() + 2 * DAY).toISOString());
    const action = async (what: string) =>
      (await coordinator.post(`/api/strategy-meetings/${meetingId}/actions`, { what, owner: 'DS Hart', agency: 'police', dueDate })).body.actionId;
    const [late, onTime] = [await action('visit the flat'), await action('check the phone')];
    expect((await coordinator.post(`/api/strategy-meetings/${meetingId}/actions/${onTime}/complete`, {})).status).toBe(200);
    expect((await coordinator.post(`/api/strategy-meetings/${meetingId}/actions/${onTime}/complete`, {})).status).toBe(409);

    await running.settle();
    expect(await fireDeadlinesNow(running, (d) => d.kind === 'meeting-action-overdue' && d.meetingId === meetingId)).toBe(2);
    const seniors = directory.Rotherham.seniorOfficers['1'].map((p: any) => p.email);
    const [overdue] = await eventually(() => escalations(childId, 'meeting-action-overdue'), (list) => list[0]?.notified.length >= seniors.length);
    expect(overdue).toMatchObject({ tier: 1, district: 'Rotherham', episodeId: null, figures: { actionId: late, dueDate } });
    expect(overdue.notified.map((n: any) => n.email).sort()).toEqual([...seniors].sort());
    await quiet();
    expect(await escalations(childId, 'meeting-action-overdue')).toHaveLength(1);

    // Completed late, then the outcome and the close: the record shows what was done, and the meeting is no longer open.
    expect((await coordinator.post(`/api/strategy-meetings/${meetingId}/close`, {})).status).toBe(409);
    await coordinator.post(`/api/strategy-meetings/${meetingId}/actions/${late}/complete`, { note: 'visited, flat empty' });
    await coordinator.post(`/api/strategy-meetings/${meetingId}/outcome`, { outcome: 'CSE plan; CAWN to be applied for' });
    expect((await coordinator.post(`/api/strategy-meetings/${meetingId}/close`, {})).status).toBe(200);
    await running.settle();
    const [meeting] = (await coordinator.get(`/api/strategy-meetings?childId=${childId}`)).body;
    expect(meeting).toMatchObject({ status: 'closed', reason: 'seen with an adult known for CSE', outcome: 'CSE plan; CAWN to be applied for' });
    expect(meeting.actions.find((a: any) => a.actionId === late)).toMatchObject({ overdueEscalationId: overdue.escalationId, note: 'visited, flat empty' });
    expect((await coordinator.post('/api/strategy-meetings', { childId, reason: 'a new concern' })).status).toBe(201);
  });

  it('escalates a warning notice not served within 7 days, once, and not one served in time', async () => {
    const childId = await child('Doncaster');
    const officer = as('officer');
    const stale = (await officer.post('/api/warning-notices', { childId, against: 'Darren Noone', recommendedAt: ago(8 * DAY) })).body.noticeId;
    const fresh = (await officer.post('/api/warning-notices', { childId, against: 'Lee Marsh' })).body.noticeId;
    expect((await officer.post(`/api/warning-notices/${fresh}/serve`, { note: 'served at his address' })).status).toBe(200);
    expect((await officer.post(`/api/warning-notices/${fresh}/serve`, {})).status).toBe(409);
    await running.settle();
    expect(await fireDeadlinesNow(running, (d) => d.kind === 'cawn-not-served' && d.noticeId === fresh)).toBe(1);

    const [overdue] = await eventually(() => escalations(childId, 'cawn-not-served'), (list) => list[0]?.notified.length > 0);
    expect(overdue).toMatchObject({ tier: 1, district: 'Doncaster', figures: { noticeId: stale, days: 7 } });
    await quiet();
    expect(await escalations(childId, 'cawn-not-served')).toHaveLength(1);
    const notices = (await officer.get(`/api/warning-notices?childId=${childId}`)).body;
    expect(notices.find((n: any) => n.noticeId === stale)).toMatchObject({ servedAt: null, overdueEscalationId: overdue.escalationId });
    expect(notices.find((n: any) => n.noticeId === fresh)).toMatchObject({ overdueEscalationId: null, note: 'served at his address' });
  });

  it('writes every instant of the plan and meeting lists, their actions’ too, in the form the service writes all others', async () => {
    const childId = await child('Sheffield');
    const action = { what: 'school check-in', owner: 'K. Wood', agency: 'education', dueDate: ukDateOf(new Date(Date.now() + 7 * DAY).toISOString()) };
    const planId = (await as('social-worker').post('/api/safeguarding-plans', { childId, concerns: 'older friends' })).body.planId;
    const planActionId = (await as('social-worker').post(`/api/safeguarding-plans/${planId}/actions`, action)).body.actionId;
    expect((await as('social-worker').post(`/api/safeguarding-plans/${planId}/actions/${planActionId}/complete`, {})).status).toBe(200);
    const meetingId = (await as('coordinator').post('/api/strategy-meetings', { childId, reason: 'older friends' })).body.meetingId;
    await as('coordinator').post(`/api/strategy-meetings/${meetingId}/held`, { heldAt: new Date().toISOString(), attendees: [{ name: 'DS Hart', agency: 'police' }] });
    const meetingActionId = (await as('coordinator').post(`/api/strategy-meetings/${meetingId}/actions`, action)).body.actionId;
    expect((await as('coordinator').post(`/api/strategy-meetings/${meetingId}/actions/${meetingActionId}/complete`, {})).status).toBe(200);
    await running.settle();

    const [plan] = (await as('coordinator').get(`/api/safeguarding-plans?childId=${childId}`)).body;
    const [meeting] = (await as('coordinator').get(`/api/strategy-meetings?childId=${childId}`)).body;
    const instants = { planCreated: plan.createdAt, planActionCompleted: plan.actions[0].completedAt, meetingHeld: meeting.heldAt, meetingActionCompleted: meeting.actions[0].completedAt };
    // Date.toISOString's form: UTC, milliseconds, "Z" (the database's JSON would write "+00:00").
    const notInThatForm = Object.entries(instants).filter(([, value]) => typeof value !== 'string' || new Date(value).toISOString() !== value);
    expect(notInThatForm).toEqual([]);
  });

  it('keeps repeat-without-plan quiet for a child with an open safeguarding plan', async () => {
    const [planned, unplanned] = [await child('Sheffield'), await child('Sheffield')];
    const plan = await as('social-worker').post('/api/safeguarding-plans', { childId: planned, concerns: 'repeat missing, CSE indicators' });
    expect(plan.status).toBe(201);
    // 40 days apart: three in 90 days, never three in 30.
    for (const childId of [planned, unplanned]) for (const days of [85, 45, 5]) await episode(childId, days * DAY);
    await running.settle();
    await eventually(() => escalations(unplanned, 'repeat-without-plan'), (list) => list.length > 0);
    await quiet();
    expect(await escalations(unplanned, 'repeat-without-plan')).toHaveLength(1);
    expect(await escalations(planned, 'repeat-without-plan')).toEqual([]);
    expect((await as('coordinator').get(`/api/children/${planned}`)).body.activePlan).toMatchObject({ planId: plan.body.planId });
    expect((await as('coordinator').get(`/api/children/${unplanned}`)).body.activePlan).toBeNull();
  });

  it('shows all of it on the child’s timeline, in order, with who did what', async () => {
    const childId = await child('Sheffield');
    const episodeId = await episode(childId, 3 * HOUR);
    await as('officer').post(`/api/episodes/${episodeId}/safe-and-well-check`, { childAccount: 'at a party', harmObserved: false });
    await as('social-worker').post(`/api/episodes/${episodeId}/return-interviews`, { outcome: 'offered', offeredBy: 'Safe Space' });
    const findings = { whereabouts: 'a party in Darnall', pushFactors: [], pullFactors: ['older friends'] };
    await as('social-worker').post(`/api/episodes/${episodeId}/return-interviews`, { outcome: 'completed', interviewer: 'J. Patel', findings });
    const planId = (await as('social-worker').post('/api/safeguarding-plans', { childId, concerns: 'older friends' })).body.planId;
    const dueDate = ukDateOf(new Date(Date.now() + 7 * DAY).toISOString());
    await as('social-worker').post(`/api/safeguarding-plans/${planId}/actions`, { what: 'school check-in', owner: 'K. Wood', agency: 'education', dueDate });
    const meetingId = (await as('senior-officer').post('/api/strategy-meetings', { childId, reason: 'older friends' })).body.meetingId;
    const held = { heldAt: new Date().toISOString(), attendees: [{ name: 'DS Hart', agency: 'police' }] };
    await as('coordinator').post(`/api/strategy-meetings/${meetingId}/held`, held);
    await as('coordinator').post(`/api/strategy-meetings/${meetingId}/decisions`, { decision: 'apply for a CAWN' });
    const noticeId = (await as('officer').post('/api/warning-notices', { childId, against: 'Darren Noone' })).body.noticeId;
    await as('officer').post(`/api/warning-notices/${noticeId}/serve`, {});

    const timeline = (await as('auditor').get(`/api/children/${childId}/timeline`)).body as any[];
    const byPeople = timeline.filter((entry) => entry.by.role !== 'system').map((entry) => [entry.type, entry.by.role, entry.by.userId]);
    const who = (role: string) => [role, userOf(tokens[`${role}/${district}`])];
    expect(byPeople).toEqual([
      ['ChildRegistered', ...who('officer')],
      ['ChildReportedMissing', ...who('officer')],
      ['ChildReturned', ...who('officer')],
      ['SafeAndWellCheckRecorded', ...who('officer')],
      ['ReturnInterviewOffered', ...who('social-worker')],
      ['ReturnInterviewCompleted', ...who('social-worker')],
      ['SafeguardingPlanCreated', ...who('social-worker')],
      ['SafeguardingPlanActionAdded', ...who('social-worker')],
      ['StrategyMeetingCalled', ...who('senior-officer')],
      ['StrategyMeetingHeld', ...who('coordinator')],
      ['MeetingDecisionRecorded', ...who('coordinator')],
      ['WarningNoticeRecommended', ...who('officer')],
      ['WarningNoticeServed', ...who('officer')],
    ]);
    expect(timeline.map((entry) => entry.streamVersion)).toEqual(timeline.map((_, index) => index));
    expect(timeline.find((entry) => entry.type === 'ReturnInterviewCompleted').data).toMatchObject({ episodeId, findings });
  });

  it('rebuilds the casework read models and the stream directory from the events alone, row for row', async () => {
    await quiet();
    await running.close();
    stopped = true;
    const db = new PgDatabase(databaseUrl);
    // Through the encryption of personal fields, as the service and `npm run rebuild` read them.
    const store = await openEventStore(running.config, db);
    const tables = ['rm_return_work', 'rm_safeguarding_plans', 'rm_safeguarding_plan_actions', 'rm_meetings', 'rm_meeting_actions'];
    tables.push('rm_warning_notices', 'stream_directory');
    const snapshot = async () => Promise.all(tables.map((table) => db.query(`SELECT * FROM ${table} ORDER BY 1, 2`)));
    try {
      const live = await snapshot();
      expect(live.every((rows) => rows.length > 0)).toBe(true);
      const quietly = { start: () => undefined, advance: () => undefined, stop: () => undefined };
      for (const projection of [new StreamDirectoryProjection(), new CaseworkProjection()]) {
        await rebuildProjection(store, db, projection, quietly);
      }
      expect(await snapshot()).toEqual(live);
    } finally {
      await store.close();
      await db.close();
    }
  });
});
