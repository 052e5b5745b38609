import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandBus } from '@nestjs/cqrs';
import { Redis } from 'ioredis';
import { ExecuteChildStreamCommands } from '../src/child-stream/execute-child-stream-commands.handler';
import { allProjections } from '../src/consumers';
import { PgDatabase } from '../src/database/pg-database';
import { ERASED } from '../src/erasure/field-encryption';
import { openEventStore } from '../src/event-store/event-store.module';
import { rebuildProjection } from '../src/event-store/subscriptions/rebuild-projection';
import { freshPostgresUrl } from './support/databases';
import { eventually } from './support/deadlines';
import { servicePolicy, snapshotReadModels } from './support/read-models';
import { client, RunningApp, startApp } from './support/test-app';

const HOUR = 3_600_000;
const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();
const userOf = (token: string): string => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub;

/** Everything personal this test records about the child: none of it may be readable after the erasure. */
const PERSONAL = [
  'Ottoline', 'Brackenbury', '2011-07-23', 'Quendish', 'scar above the left eyebrow', '900777',
  'Varnwick', 'Tamsfield', 'Grizelda', 'Pocklington', '0114 496 0777', 'Hollowcrane', 'Pellingworth', 'mustard coat',
  'Dorrance', 'Velk', 'Vauxhall', 'Quarrendon', 'S2 9ZZ', 'Kestlemere', 'Ambleworth', 'Pemberthy',
];
const leaked = (text: string): string[] => PERSONAL.filter((value) => text.includes(value));

/**
 * Erasure end to end: a child's whole case recorded over HTTP on PostgreSQL, then erased. The
 * personal data is unreadable in every table, every API answer and a rebuild; the history of what
 * was done, when and by whom stays, with the erasure itself in it.
 */
describe('erasing a child', () => {
  let databaseUrl: string;
  let running: RunningApp;
  let stopped = false;
  const tokens: Record<string, string> = {};
  const as = (role: string) => client(running.url, tokens[role]);
  let childId: string;
  let episodeId: string;

  beforeAll(async () => {
    databaseUrl = await freshPostgresUrl();
    running = await startApp({ DATABASE_URL: databaseUrl });
    for (const role of ['officer', 'social-worker', 'coordinator', 'admin', 'auditor'] as const) tokens[role] = await running.tokenFor(role, 'Sheffield');
  });
  afterAll(async () => {
    if (!stopped) await running?.close();
  });

  /** POST with an Idempotency-Key, so the stored answers are scanned too. */
  async function post(role: string, path: string, body: object, status = 201) {
    const answer = await as(role).post(path, body, { 'idempotency-key': `${path}-${Math.random()}` });
    expect({ path, status: answer.status, body: answer.body }).toEqual({ path, status, body: expect.anything() });
    return answer.body;
  }

  /** Every row of every table in the test schema, as text. */
  async function everyTable(): Promise<Record<string, string>> {
    const db = new PgDatabase(databaseUrl);
    try {
      const tables = await db.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`,
      );
      const dump: Record<string, string> = {};
      for (const { table_name } of tables) {
        const rows = await db.query<{ row: string }>(`SELECT t::text AS row FROM ${table_name} t`);
        dump[table_name] = rows.map((r) => r.row).join('\n');
      }
      return dump;
    } finally {
      await db.close();
    }
  }

  const leaksByTable = (dump: Record<string, string>) =>
    Object.fromEntries(Object.entries(dump).map(([table, text]) => [table, leaked(text)]).filter(([, found]) => found.length > 0));

  async function everyView(): Promise<Record<string, unknown>> {
    const reads = {
      summary: `/api/children/${childId}`,
      timeline: `/api/children/${childId}/timeline`,
      returnWork: `/api/return-interviews?childId=${childId}`,
      plans: `/api/safeguarding-plans?childId=${childId}`,
      meetings: `/api/strategy-meetings?childId=${childId}`,
      notices: `/api/warning-notices?childId=${childId}`,
      escalations: `/api/escalations?childId=${childId}`,
    };
    const views: Record<string, unknown> = {};
    for (const [name, path] of Object.entries(reads)) {
      const answer = await as('auditor').get(path);
      expect({ path, status: answer.status }).toEqual({ path, status: 200 });
      views[name] = answer.body;
    }
    return views;
  }

  it('records a whole case with the personal fields encrypted at rest and readable through the API', async () => {
    ({ childId } = await post('officer', '/api/children', {
      firstName: 'Ottoline',
      lastName: 'Brackenbury',
      dateOfBirth: '2011-07-23',
      ethnicity: 'Quendish heritage',
      localAuthority: 'Sheffield',
      lookedAfter: true,
      philomenaProfile: { description: 'scar above the left eyebrow', phones: ['07700 900777'], associates: ['Dorrance Velk'] },
      riskFlags: ['CSE'],
    }));
    ({ episodeId } = await post('officer', '/api/episodes', {
      childId,
      missingSince: ago(30 * HOUR),
      lastSeenPlace: 'Varnwick Arcade',
      circumstances: 'left after an argument about Tamsfield',
      reporter: { name: 'Grizelda Pocklington', relationship: 'foster carer', phone: '0114 496 0777' },
      initialRisk: 'medium',
    }));
    const episode = `/api/episodes/${episodeId}`;
    await post('officer', `${episode}/risk-assessments`, { grade: 'high', rationale: 'seen with Mr Hollowcrane' });
    await post('officer', `${episode}/sightings`, { seenAt: ago(29 * HOUR), place: 'Pellingworth Lane', description: 'wearing a mustard coat' });
    await post('officer', `${episode}/associates`, { name: 'Dorrance Velk', relationship: 'older boyfriend', notes: 'drives a silver Vauxhall' });
    await post('officer', `${episode}/locations`, { place: 'Flat 9 Quarrendon House', postcode: 'S2 9ZZ' });
    await post('officer', `${episode}/return`, { returnedAt: ago(26 * HOUR), how: 'found', where: 'Kestlemere Park', withWhom: 'Dorrance Velk', foundBy: 'Mrs Ambleworth' }, 200);
    await post('officer', `${episode}/safe-and-well-check`, { childAccount: 'stayed at Quarrendon House with Velk', harmObserved: false });
    await post('social-worker', `${episode}/return-interviews`, {
      outcome: 'completed',
      interviewer: 'RHI worker Jones',
      findings: { whereabouts: 'Quarrendon House', pushFactors: ['rows with Ambleworth'], pullFactors: ['gifts from Velk'], disclosures: 'given a phone by Velk' },
    });
    const { planId } = await post('social-worker', '/api/safeguarding-plans', { childId, concerns: 'exploitation by the Velk network' });
    await post('social-worker', `/api/safeguarding-plans/${planId}/actions`, { what: 'disrupt contact with Velk', owner: 'DS Kaur', agency: 'police', dueDate: '2099-01-31' });
    const { meetingId } = await post('coordinator', '/api/strategy-meetings', { childId, reason: 'linked to the Velk network' });
    await post('coordinator', `/api/strategy-meetings/${meetingId}/held`, { heldAt: new Date().toISOString(), attendees: [{ name: 'DS Kaur', agency: 'police' }] }, 200);
    await post('coordinator', `/api/strategy-meetings/${meetingId}/decisions`, { decision: 'refer Hollowcrane to the CSE team', rationale: 'Pemberthy intelligence' });
    await post('officer', '/api/warning-notices', { childId, against: 'Dorrance Velk', reason: 'harbouring Ottoline' });
    await running.settle();

    const { events } = await everyTable();
    expect(leaked(events)).toEqual([]);
    expect(events).toContain('Sheffield');

    const views = await everyView();
    expect(leaked(JSON.stringify(views)).sort()).toEqual([...PERSONAL].sort());
    expect(views.summary).toMatchObject({ profile: { firstName: 'Ottoline', dateOfBirth: '2011-07-23' } });
  });

  it('lets only an admin erase, and needs a reason', async () => {
    expect((await as('coordinator').post(`/api/children/${childId}/erasure`, { reason: 'request DP-1' })).status).toBe(403);
    const noReason = await as('admin').post(`/api/children/${childId}/erasure`, {});
    expect(noReason.status).toBe(400);
  });

  it('erases: no personal field is left in any table or any view, and the history stays', async () => {
    const erased = await post('admin', `/api/children/${childId}/erasure`, { reason: 'right to erasure, request DP-2026-041' }, 200);
    expect(erased).toMatchObject({ childId });
    await running.settle();

    expect(leaksByTable(await everyTable())).toEqual({});
    const views = await everyView();
    expect(leaked(JSON.stringify(views))).toEqual([]);

    const summary = views.summary as any;
    expect(summary.profile).toMatchObject({ firstName: ERASED, lastName: ERASED, localAuthority: 'Sheffield', lookedAfter: true, riskFlags: ['CSE'] });
    expect(summary.counts.lifetime).toBe(1);

    const timeline = views.timeline as any[];
    expect(timeline.map((entry) => entry.type)).toEqual(
      expect.arrayContaining(['ChildRegistered', 'ChildReportedMissing', 'RiskAssessed', 'AssociateNamed', 'ChildReturned', 'ReturnInterviewCompleted', 'WarningNoticeRecommended']),
    );
    for (const entry of timeline) expect(entry.by.userId).toEqual(expect.any(String));
    const associate = timeline.find((entry) => entry.type === 'AssociateNamed');
    expect(associate).toMatchObject({ data: { episodeId, name: ERASED, notes: ERASED }, erased: ['name', 'relationship', 'notes'] });
    expect(associate.by.userId).toBe(userOf(tokens.officer));
    const last = timeline[timeline.length - 1];
    expect(last).toMatchObject({ type: 'ChildPersonalDataErased', by: { userId: userOf(tokens.admin), role: 'admin' }, data: { reason: 'right to erasure, request DP-2026-041' } });

    // The audit log shows the erasure: who asked, and that it was done, with ids only.
    const audit = await as('auditor').get(`/api/audit?childId=${childId}`);
    expect(audit.status).toBe(200);
    const erasures = (audit.body.entries as any[]).filter((entry) => entry.action === 'erase-child');
    // The refused attempts by other roles are there too, each with its 403.
    expect(erasures.filter((entry) => entry.status === 403).length).toBeGreaterThan(0);
    const done = erasures.find((entry) => entry.status === 200);
    expect(done).toMatchObject({ stage: 'answered', userId: userOf(tokens.admin), role: 'admin', method: 'POST', route: '/api/children/:childId/erasure' });
    expect(erasures.filter((entry) => entry.requestId === done.requestId).map((entry) => entry.stage)).toEqual(['requested', 'answered']);
  });

  it('records nothing personal about the child again, and erases once', async () => {
    const again = await as('admin').post(`/api/children/${childId}/erasure`, { reason: 'second request' });
    expect(again.status).toBe(409);
    const associate = await as('officer').post(`/api/episodes/${episodeId}/associates`, { name: 'Dorrance Velk' });
    expect(associate.status).toBe(409);
    expect(associate.body.detail).toMatch(/was erased/);
  });

  it('destroys the key even when the process died between recording the erasure and destroying the key', async () => {
    const { childId: other } = await post('officer', '/api/children', { firstName: 'Pemberthy', localAuthority: 'Sheffield' });
    // The command alone, as if the endpoint had died before destroying the key: the shredder does it.
    const context = { actor: { userId: 'admin-1', role: 'admin', district: null }, commandId: randomUUID(), correlationId: randomUUID() };
    const command = { type: 'EraseChildPersonalData' as const, childId: other, reason: 'request DP-2', now: new Date().toISOString() };
    await running.app.get(CommandBus).execute(new ExecuteChildStreamCommands({ childId: other }, [command], context));
    const db = new PgDatabase(databaseUrl);
    try {
      const keyOf = () => db.query<{ wrapped_key: string | null }>('SELECT wrapped_key FROM child_data_keys WHERE child_id = $1', [other]);
      const [row] = await eventually(keyOf, ([key]) => key?.wrapped_key === null);
      expect(row.wrapped_key).toBeNull();
    } finally {
      await db.close();
    }
    await running.settle();
    const summary = await as('auditor').get(`/api/children/${other}`);
    expect(summary.body.profile.firstName).toBe(ERASED);
  });

  it('sent no e-mail with anything personal in it', async () => {
    const dir = running.config.outboxDir;
    const mail = await eventually(async () => (existsSync(dir) ? readdirSync(dir) : []), (files) => files.length > 0);
    expect(leaked(mail.map((file) => readFileSync(join(dir, file), 'utf8')).join('\n'))).toEqual([]);
  });

  it('keeps nothing personal in the queues either', async () => {
    const redis = new Redis(running.config.REDIS_URL);
    try {
      const keys = await redis.keys(`${running.config.QUEUE_PREFIX}:*`);
      const values: string[] = [];
      for (const key of keys) if ((await redis.type(key)) === 'hash') values.push(JSON.stringify(await redis.hgetall(key)));
      expect(values.length).toBeGreaterThan(0);
      expect(leaked(values.join('\n'))).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });

  it('rebuilds every read model from the events with nothing personal in them', async () => {
    await running.close();
    stopped = true;
    const db = new PgDatabase(databaseUrl);
    const store = await openEventStore(running.config, db);
    try {
      const live = await snapshotReadModels(db);
      const quiet = { start: () => undefined, advance: () => undefined, stop: () => undefined };
      for (const projection of allProjections(servicePolicy())) await rebuildProjection(store, db, projection, quiet);
      // Scrubbing the live read models and replaying the erased events give the same rows.
      expect(await snapshotReadModels(db)).toEqual(live);
    } finally {
      await store.close();
      await db.close();
    }
    const dump = await everyTable();
    expect(leaksByTable(dump)).toEqual({});
    expect(dump.rm_children).toContain(ERASED);
  });
});
