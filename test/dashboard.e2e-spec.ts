import { randomUUID } from 'node:crypto';
import { childStream } from '../src/child-case/child-case.events';
import { DashboardProjection } from '../src/dashboard/dashboard.projection';
import { EscalationsProjection } from '../src/escalation/escalations.projection';
import { ChildDistrictsProjection } from '../src/access/child-districts';
import { ChildSummaryProjection } from '../src/children/child-summary.projection';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import { ukDateOf } from '../src/shared/calendar';
import { PgDatabase } from '../src/database/pg-database';
import { rebuildProjection } from '../src/event-store/subscriptions/rebuild-projection';
import { freshPostgresUrl } from './support/databases';
import { fireDeadlinesNow } from './support/deadlines';
import { openStoreLikeTheService, servicePolicy, snapshotReadModels } from './support/read-models';
import { client, type RunningApp, startApp } from './support/test-app';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

/** Reads server-sent events from a stream until `until` says it has what it waits for. */
async function readEvents(response: Response, until: (events: string[]) => boolean, timeoutMs = 10_000): Promise<string[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: string[] = [];
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  while (!until(events)) {
    if (Date.now() > deadline) throw new Error(`no such event in time; got ${JSON.stringify(events)}`);
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    const messages = buffer.split('\n\n');
    buffer = messages.pop()!;
    events.push(...messages.map((m) => /^event: (.*)$/m.exec(m)?.[1]).filter((e): e is string => !!e));
  }
  await reader.cancel();
  return events;
}

describe('the dashboard over HTTP', () => {
  let url: string;
  let running: RunningApp;
  const tokens: Record<string, string> = {};
  const as = (who: string) => client(running.url, tokens[who]);
  const ids: Record<string, string> = {};
  let clockBehind = 0;

  beforeAll(async () => {
    url = await freshPostgresUrl();
    // The meeting is called and held days ago (a meeting cannot be held before it is called), so
    // its action can be past due now.
    running = await startApp({ DATABASE_URL: url }, { clock: { now: () => new Date(Date.now() - clockBehind) } });
    tokens.sheffield = await running.tokenFor('coordinator', 'Sheffield');
    tokens.doncaster = await running.tokenFor('coordinator', 'Doncaster');
    tokens.lscb = await running.tokenFor('lscb-lead', 'Sheffield');
    tokens.admin = await running.tokenFor('admin', null);
    tokens.callHandler = await running.tokenFor('call-handler', 'Sheffield');
    tokens.officer = await running.tokenFor('officer', 'Sheffield');
    tokens.doncasterOfficer = await running.tokenFor('officer', 'Doncaster');
    const officer = as('officer');
    // District staff register and report for their own district only.
    const officerOf = (district: string) => (district === 'Doncaster' ? as('doncasterOfficer') : officer);
    const child = async (firstName: string, localAuthority: string) =>
      (await officerOf(localAuthority).post('/api/children', { firstName, lastName: 'Example', localAuthority, dateOfBirth: '2012-05-01' })).body.childId;
    const report = async (childId: string, missingAgo: number, district: string, initialRisk?: string) =>
      (await officerOf(district).post('/api/episodes', { childId, missingSince: ago(missingAgo), district, initialRisk })).body.episodeId;
    ids.amy = await child('Amy', 'Sheffield');
    ids.ben = await child('Ben', 'Doncaster');
    ids.cara = await child('Cara', 'Sheffield');
    const coordinator = as('sheffield');
    clockBehind = 5 * DAY;
    ids.meeting = (await coordinator.post('/api/strategy-meetings', { childId: ids.cara, reason: 'seen with an older man' })).body.meetingId;
    const held = { heldAt: ago(5 * DAY), attendees: [{ name: 'DS Hart', agency: 'police' }], absentees: [] };
    expect((await coordinator.post(`/api/strategy-meetings/${ids.meeting}/held`, held)).status).toBe(200);
    const action = { what: 'visit the flat', owner: 'DS Hart', agency: 'police', dueDate: ukDateOf(ago(3 * DAY)) };
    expect((await coordinator.post(`/api/strategy-meetings/${ids.meeting}/actions`, action)).status).toBe(201);
    // Its clock runs out while the app's clock still stands five days back: the escalation is raised
    // then, and has waited for an acknowledgement far longer than 24 hours by now.
    await running.settle();
    expect(await fireDeadlinesNow(running, (deadline) => deadline.kind === 'meeting-action-overdue')).toBe(1);
    await running.settle();
    clockBehind = 0;
    await report(ids.amy, 2 * DAY, 'Sheffield');
    await report(ids.ben, HOUR / 2, 'Doncaster', 'high');
    for (const [missing, back] of [[10 * DAY, 9 * DAY], [5 * DAY, 4 * DAY]]) {
      const episodeId = await report(ids.cara, missing, 'Sheffield');
      expect((await officer.post(`/api/episodes/${episodeId}/return`, { returnedAt: ago(back), how: 'found', where: 'park' })).status).toBe(200);
    }
    expect((await officer.post('/api/warning-notices', { childId: ids.cara, against: 'Darren Noone', recommendedAt: ago(8 * DAY) })).status).toBe(201);
    await running.settle();
  });

  let closed = false;
  afterAll(async () => {
    if (!closed) await running?.close();
  });

  it('lists the open episodes in the caller district, with the next deadline and the last action', async () => {
    const sheffield = (await as('sheffield').get('/api/dashboard/open-episodes')).body;
    expect(sheffield).toEqual([
      expect.objectContaining({ childId: ids.amy, childName: 'Amy Example', district: 'Sheffield', riskGrade: null, nextDeadline: expect.objectContaining({ kind: 'risk-review' }) }),
    ]);
    expect(sheffield[0].missingForMs).toBeGreaterThan(2 * DAY - HOUR);
    // Ungraded: reviewed on the medium interval (6 h) from missing-since.
    expect(Date.parse(sheffield[0].nextDeadline.dueAt)).toBe(Date.parse(sheffield[0].missingSince) + 6 * HOUR);
    const everyone = (await as('admin').get('/api/dashboard/open-episodes')).body;
    expect(everyone.map((e: { childId: string }) => e.childId).sort()).toEqual([ids.amy, ids.ben].sort());
    const ben = everyone.find((e: { childId: string }) => e.childId === ids.ben);
    expect(Date.parse(ben.nextDeadline.dueAt)).toBe(Date.parse(ben.missingSince) + HOUR);
  });

  it('lists overdue work of every kind with how late it is, in the caller district only', async () => {
    const items = (await as('sheffield').get('/api/dashboard/overdue-work')).body as { kind: string; childId: string; lateByMs: number }[];
    expect(items.map((i) => `${i.kind}:${i.childId === ids.amy ? 'amy' : 'cara'}`).sort()).toEqual([
      'escalation-unacknowledged:cara', 'meeting-action:cara', 'return-interview:cara', 'return-interview:cara', 'risk-review:amy',
      'warning-notice:cara',
    ]);
    expect(items.every((i) => i.lateByMs > 0)).toBe(true);
    // Sorted latest first: Cara's first interview was due 6 days ago.
    expect(items[0]).toEqual(expect.objectContaining({ kind: 'return-interview', lateByMs: expect.any(Number) }));
    expect(items[0].lateByMs).toBeGreaterThan(6 * DAY - HOUR);
    expect((await as('doncaster').get('/api/dashboard/overdue-work')).body).toEqual([]);
  });

  it('lists children with repeat episodes with their counts, plan and open meeting', async () => {
    expect((await as('sheffield').get('/api/dashboard/repeat-children')).body).toEqual([
      expect.objectContaining({
        childId: ids.cara,
        counts: { last30Days: 2, last90Days: 2, last365Days: 2, lifetime: 2 },
        activePlanId: null,
        openMeetingId: ids.meeting,
        needsPlan: false,
      }),
    ]);
    expect((await as('doncaster').get('/api/dashboard/repeat-children')).body).toEqual([]);
  });

  it('lists the open strategy meetings with their actions', async () => {
    const meetings = (await as('sheffield').get('/api/dashboard/strategy-meetings')).body;
    expect(meetings).toEqual([
      expect.objectContaining({ meetingId: ids.meeting, childName: 'Cara Example', actions: [expect.objectContaining({ what: 'visit the flat' })] }),
    ]);
    // What the card shows, no more: the whole record is the meetings' own list's.
    expect(Object.keys(meetings[0]).sort()).toEqual(['actions', 'childId', 'childName', 'convenedAt', 'heldAt', 'meetingId', 'reason', 'rule', 'status']);
    expect(Object.keys(meetings[0].actions[0]).sort()).toEqual(['actionId', 'agency', 'completedAt', 'dueDate', 'owner', 'what']);
    expect((await as('doncaster').get('/api/dashboard/strategy-meetings')).body).toEqual([]);
  });

  it('gives LSCB leads the summary and the comparison, never the lists with names', async () => {
    const summary = await as('lscb').get('/api/dashboard/summary');
    expect(summary.body).toEqual({
      district: 'Sheffield', openEpisodes: 1, highRiskOpen: 0, repeatChildren: 1, repeatChildrenNeedingPlan: 0,
      overdue: { 'risk-review': 1, 'return-interview': 2, 'warning-notice': 1, 'meeting-action': 1, 'escalation-unacknowledged': 1 },
    });
    for (const view of ['open-episodes', 'overdue-work', 'repeat-children', 'strategy-meetings']) {
      expect((await as('lscb').get(`/api/dashboard/${view}`)).status).toBe(403);
    }
    expect((await as('lscb').get('/api/dashboard/district-comparison')).status).toBe(200);
    expect((await as('callHandler').get('/api/dashboard/summary')).status).toBe(403);
  });

  it('counts the summary in the caller district: a district coordinator sees theirs, an admin the force', async () => {
    expect((await as('doncaster').get('/api/dashboard/summary')).body).toEqual({
      district: 'Doncaster', openEpisodes: 1, highRiskOpen: 1, repeatChildren: 0, repeatChildrenNeedingPlan: 0,
      overdue: { 'risk-review': 0, 'return-interview': 0, 'warning-notice': 0, 'meeting-action': 0, 'escalation-unacknowledged': 0 },
    });
    expect((await as('admin').get('/api/dashboard/summary')).body).toEqual(
      expect.objectContaining({ district: null, openEpisodes: 2, highRiskOpen: 1, repeatChildren: 1 }),
    );
  });

  it('counts past the lists\' caps: every row of the read model, not the rows a list shows', async () => {
    // More unacknowledged escalations than the overdue list's cap (200), in a district no other test
    // reads, as the escalations projection makes them (its count per district with them).
    const beyondTheCap = 250;
    const rotherham = client(running.url, await running.tokenFor('coordinator', 'Rotherham'));
    const db = new PgDatabase(url);
    const projection = new EscalationsProjection();
    const recorded = (childId: string, data: object, streamVersion: number): RecordedEvent => ({
      id: randomUUID(), type: (data as { type: string }).type, schemaVersion: 1, stream: childStream(childId), streamVersion,
      position: 0n, checkpoint: '0', recordedAt: new Date(), data, metadata: { actor: { userId: 'test', role: 'admin', district: null }, correlationId: randomUUID(), causationId: null },
    });
    const raised = Array.from({ length: beyondTheCap }, () => {
      const childId = randomUUID();
      const escalationId = randomUUID();
      const raisedAt = new Date(Date.now() - 3 * 24 * 3_600_000).toISOString();
      return recorded(childId, { type: 'EscalationRaised', escalationId, childId, rule: 'long-missing', tier: 1, notify: [], district: 'Rotherham', episodeId: null, figures: {}, cause: 'test', escalates: null, raisedAt }, 0);
    });
    try {
      await projection.apply(raised, db);
      const counted = (await rotherham.get('/api/dashboard/summary')).body;
      expect(counted.overdue['escalation-unacknowledged']).toBe(beyondTheCap);
      const [{ all }] = await db.query<{ all: number }>(`SELECT count(*)::int AS all FROM rm_escalations WHERE acknowledged_at IS NULL AND raised_at < now() - interval '24 hours'`);
      expect((await as('admin').get('/api/dashboard/summary')).body.overdue['escalation-unacknowledged']).toBe(all);
    } finally {
      // Acknowledged (the count follows), then gone.
      const acknowledged = raised.map((event) => {
        const { escalationId, childId } = event.data as { escalationId: string; childId: string };
        return recorded(childId, { type: 'EscalationAcknowledged', escalationId, acknowledgedBy: 'test', role: 'admin', acknowledgedAt: new Date().toISOString() }, 1);
      });
      await projection.apply(acknowledged, db);
      await db.query(`DELETE FROM rm_escalations WHERE cause = 'test' AND district = 'Rotherham'`);
      await db.close();
    }
  });

  it('lists the 200 open episodes whose deadlines bite first, of all the open ones it counts', async () => {
    // More open episodes than the list shows, in a district no other test reads, as the child-summary projection makes them.
    const open = 230;
    const rotherham = client(running.url, await running.tokenFor('coordinator', 'Rotherham'));
    const db = new PgDatabase(url);
    const recorded = (childId: string, data: { type: string }, streamVersion: number): RecordedEvent => ({
      id: randomUUID(), type: data.type, schemaVersion: 1, stream: childStream(childId), streamVersion, position: 0n, checkpoint: '0', recordedAt: new Date(), data,
      metadata: { actor: { userId: 'test', role: 'admin', district: null }, correlationId: randomUUID(), causationId: null },
    });
    const childIds = Array.from({ length: open }, () => randomUUID());
    const reported = childIds.flatMap((childId, i) => {
      const missingSince = new Date(Date.now() - (i + 1) * 60_000).toISOString();
      return [
        recorded(childId, { type: 'ChildRegistered', childId, profile: { firstName: `Child ${i}`, localAuthority: 'Rotherham' } } as { type: string }, 0),
        recorded(childId, { type: 'ChildReportedMissing', childId, episodeId: randomUUID(), missingSince, reportedAt: missingSince, district: 'Rotherham', initialRisk: i % 2 ? 'high' : 'low' } as { type: string }, 1),
      ];
    });
    try {
      // The district filter on the way out reads the child-districts projection's.
      for (const projection of [new ChildSummaryProjection(), new ChildDistrictsProjection()]) await projection.apply(reported, db);
      const listed = (await rotherham.get('/api/dashboard/open-episodes')).body as { riskGrade: string; nextDeadline: { dueAt: string } }[];
      expect(listed).toHaveLength(200);
      const dueTimes = listed.map((episode) => episode.nextDeadline.dueAt);
      expect(dueTimes).toEqual([...dueTimes].sort());
      // Left out are 30 of the low-risk ones, whose first review falls later than any high-risk one's.
      expect(listed.filter((episode) => episode.riskGrade === 'high')).toHaveLength(open / 2);
      expect((await rotherham.get('/api/dashboard/summary')).body.openEpisodes).toBe(open);
    } finally {
      for (const table of ['rm_episodes', 'rm_children', 'access_child_districts']) await db.query(`DELETE FROM ${table} WHERE child_id = ANY($1::uuid[])`, [childIds]);
      await db.close();
    }
  });

  it('gives the latest escalations and meetings as few as a page asks for, newest first', async () => {
    const all = (await as('admin').get('/api/escalations')).body as { raisedAt: string }[];
    expect(all.length).toBeGreaterThan(1);
    expect((await as('admin').get('/api/escalations?limit=1')).body).toEqual([all[0]]);
    expect((await as('admin').get('/api/strategy-meetings?limit=1')).body).toEqual([expect.objectContaining({ meetingId: ids.meeting })]);
    for (const bad of ['0', '501', 'some']) expect((await as('admin').get(`/api/escalations?limit=${bad}`)).status).toBe(400);
  });

  it('compares the districts for a year, as JSON and as CSV', async () => {
    const year = Number(ukDateOf(new Date().toISOString()).slice(0, 4));
    const comparison = (await as('lscb').get(`/api/dashboard/district-comparison?year=${year}`)).body;
    const thisYear = [2 * DAY, HOUR / 2, 10 * DAY, 5 * DAY].filter((ms) => ukDateOf(ago(ms)).startsWith(String(year))).length;
    expect(comparison.forceWide.figures.episodes).toBe(thisYear);
    expect(comparison.districts.map((d: { district: string }) => d.district)).toEqual(['Barnsley', 'Doncaster', 'Rotherham', 'Sheffield']);
    const csv = await fetch(`${running.url}/api/dashboard/district-comparison.csv?year=${year}`, { headers: { authorization: `Bearer ${tokens.lscb}` } });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="district-comparison-${year}.csv"`);
    expect((await csv.text()).split('\r\n')).toContainEqual(expect.stringMatching(new RegExp(`^${year},force-wide,all,all,${thisYear},`)));
    const bad = await as('lscb').get('/api/dashboard/district-comparison?year=soon');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('year');
  });

  it('counts episodes per month and district for the chart', async () => {
    const { months, districts } = (await as('sheffield').get('/api/dashboard/episodes-over-time?months=1')).body;
    expect(months).toEqual([ukDateOf(new Date().toISOString()).slice(0, 7)]);
    const thisMonth = [2 * DAY, 10 * DAY, 5 * DAY].filter((ms) => ukDateOf(ago(ms)).slice(0, 7) === months[0]).length;
    expect(districts.find((d: { district: string }) => d.district === 'Sheffield').episodes).toEqual([thisMonth]);
  });

  it('streams a change to an open page once a report is committed, for a ticket and nothing else', async () => {
    expect((await fetch(`${running.url}/api/dashboard/stream`)).status).toBe(401);
    // A bearer token is not a stream ticket, and a ticket is not a bearer token.
    expect((await fetch(`${running.url}/api/dashboard/stream?ticket=${tokens.sheffield}`)).status).toBe(401);
    const { ticket, expiresInSeconds } = (await as('sheffield').post('/api/dashboard/stream-tickets')).body;
    expect(expiresInSeconds).toBe(60);
    expect((await client(running.url, ticket).get('/api/dashboard/summary')).status).toBe(401);
    const stream = await fetch(`${running.url}/api/dashboard/stream?ticket=${ticket}`);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reading = readEvents(stream, (events) => events.includes('changed'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await as('officer').post('/api/episodes', { childId: ids.cara, missingSince: ago(HOUR), district: 'Sheffield' });
    expect(await reading).toEqual(['ready', 'changed']);
  });

  it('serves the page and its modules, and keeps the API 404 for unknown paths', async () => {
    const page = await fetch(`${running.url}/`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<script type="module" src="/app.js">');
    expect((await fetch(`${running.url}/vendor/preact/preact.mjs`)).status).toBe(200);
    expect((await fetch(`${running.url}/vendor/htm/htm.mjs`)).status).toBe(200);
    const unknown = await fetch(`${running.url}/api/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('rebuilds the dashboard read model to what the live one holds', async () => {
    await running.settle();
    await running.close();
    closed = true;
    const db = new PgDatabase(url);
    const store = await openStoreLikeTheService(url, db);
    try {
      const live = await snapshotReadModels(db);
      expect(live.rm_dash_stats.length).toBeGreaterThan(0);
      const quiet = { start: () => undefined, advance: () => undefined, stop: () => undefined };
      await rebuildProjection(store, db, new DashboardProjection(servicePolicy().repeatWithoutPlan), quiet);
      expect(await snapshotReadModels(db)).toEqual(live);
    } finally {
      await store.close();
      await db.close();
    }
  });
});
