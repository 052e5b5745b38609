import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateAuditLog } from '../src/access/audit/audit-log';
import { SQL_DATABASE, type SqlDatabase } from '../src/database/sql-database';
import { freshPgliteDatabase, freshPostgresUrl } from './support/databases';
import { client, type RunningApp, startApp } from './support/test-app';

const AGENT = { 'user-agent': 'audit-test/1.0' };

/** The access log of the DPA 2018 Part 3: who read or changed a child's record, when, what, from where. */
describe('audit log', () => {
  let running: RunningApp;
  let db: SqlDatabase;
  const as = async (role: Parameters<RunningApp['tokenFor']>[0], district: string | null = 'Sheffield') =>
    client(running.url, await running.tokenFor(role, district));
  const userOf = (token: string): string => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub;

  beforeAll(async () => {
    running = await startApp({ DATABASE_URL: await freshPostgresUrl() });
    db = running.app.get(SQL_DATABASE);
  });
  afterAll(() => running?.close());

  async function auditOf(childId: string): Promise<any[]> {
    const answer = await (await as('auditor', null)).get(`/api/audit?childId=${childId}`);
    expect(answer.status).toBe(200);
    return answer.body.entries;
  }

  it('writes who, when, what and from where for a command, a read and a refused attempt, with ids only', async () => {
    const officerToken = await running.tokenFor('officer', 'Sheffield');
    const officer = client(running.url, officerToken);
    const started = Date.now();
    const registered = await officer.post('/api/children', { firstName: 'Lily', lastName: 'Rowe', dateOfBirth: '2011-09-14', localAuthority: 'Sheffield' }, AGENT);
    expect(registered.status).toBe(201);
    const { childId } = registered.body;
    await running.settle();
    expect((await officer.get(`/api/children/${childId}/timeline`, AGENT)).status).toBe(200);
    const stranger = await as('officer', 'Doncaster');
    expect((await stranger.get(`/api/children/${childId}`, AGENT)).status).toBe(404);
    // A name typed where an id belongs: the route refuses it, and the log keeps no trace of it.
    expect((await officer.get('/api/children/Lily%20Rowe', AGENT)).status).toBe(400);
    const callHandler = await as('call-handler');
    expect((await callHandler.get(`/api/children/${childId}/timeline`)).status).toBe(200);
    expect((await callHandler.patch(`/api/children/${childId}`, { lastName: 'Other' })).status).toBe(403);

    const entries = await auditOf(childId);
    const summary = entries.map((e) => [e.stage, e.role, e.district, e.action, e.method, e.route, e.status]);
    expect(summary).toEqual([
      ['requested', 'officer', 'Sheffield', 'register-child', 'POST', '/api/children', null],
      ['answered', 'officer', 'Sheffield', 'register-child', 'POST', '/api/children', 201],
      ['answered', 'officer', 'Sheffield', 'read-child-record', 'GET', '/api/children/:childId/timeline', 200],
      ['answered', 'officer', 'Doncaster', 'read-child-summary', 'GET', '/api/children/:childId', 404],
      ['answered', 'call-handler', 'Sheffield', 'read-child-record', 'GET', '/api/children/:childId/timeline', 200],
      ['answered', 'call-handler', 'Sheffield', 'update-child', 'PATCH', '/api/children/:childId', 403],
    ]);
    const [requested, answered, read] = entries;
    expect(requested.requestId).toBe(answered.requestId);
    expect(read).toMatchObject({ userId: userOf(officerToken), target: { childId }, childId, ip: '127.0.0.1', userAgent: 'audit-test/1.0' });
    expect(Date.parse(read.at)).toBeGreaterThanOrEqual(started - 1000);
    // The record's content never reaches the log: it stays lawful to keep after the child's data are erased.
    expect(JSON.stringify(entries)).not.toMatch(/Lily|Rowe|2011-09-14/);
    const [mistyped] = await db.query<{ target: unknown }>(`SELECT target FROM audit_log WHERE route = '/api/children/:childId' AND status = 400`);
    expect(mistyped.target).toEqual({ childId: '(not an id)' });
  });

  it('lets the auditor and the admin read it, page by page and by time, and nobody else', async () => {
    const officer = await as('officer');
    const { childId } = (await officer.post('/api/children', { firstName: 'Ann', localAuthority: 'Sheffield' })).body;
    for (let read = 0; read < 3; read++) await officer.get(`/api/children/${childId}/timeline`);
    const auditor = await as('auditor', null);
    const first = await auditor.get(`/api/audit?childId=${childId}&limit=3`);
    expect(first.body.entries).toHaveLength(3);
    expect(first.body.next).toEqual(expect.any(String));
    const second = await auditor.get(`/api/audit?childId=${childId}&limit=3&after=${first.body.next}`);
    // Reading the audit log is itself written to it.
    expect(second.body.entries.map((e: any) => e.action)).toEqual(['read-child-record', 'read-child-record', 'read-audit-log']);
    expect(second.body.next).toBeNull();
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await auditor.get(`/api/audit?childId=${childId}&from=${future}`)).body.entries).toEqual([]);
    expect((await (await as('admin', null)).get(`/api/audit?childId=${childId}`)).status).toBe(200);
    for (const role of ['call-handler', 'coordinator', 'officer', 'senior-officer', 'social-worker', 'lscb-lead'] as const) {
      expect((await (await as(role)).get(`/api/audit?childId=${childId}`)).status).toBe(403);
    }
  });

  it('is append-only in the database: UPDATE, DELETE and TRUNCATE are refused', async () => {
    await expect(db.query(`UPDATE audit_log SET user_id = 'someone-else'`)).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only: DELETE refused/);
    await expect(db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only: TRUNCATE refused/);
    const [{ n }] = await db.query<{ n: string }>('SELECT count(*) AS n FROM audit_log');
    expect(Number(n)).toBeGreaterThan(0);
  });

  it('is append-only on embedded PGlite too', async () => {
    const embedded = await freshPgliteDatabase();
    try {
      await migrateAuditLog(embedded);
      await embedded.query(
        `INSERT INTO audit_log (request_id, stage, user_id, role, action, method, route, target) VALUES (gen_random_uuid(), 'answered', 'u', 'officer', 'a', 'GET', '/', '{}')`,
      );
      await expect(embedded.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    } finally {
      await embedded.close();
    }
  });

  it('scopes and audits on embedded PGlite too', async () => {
    const embedded = await startApp({ DATA_DIR: mkdtempSync(join(tmpdir(), 'mfh-audit-')) });
    try {
      const officer = client(embedded.url, await embedded.tokenFor('officer', 'Sheffield'));
      const { childId } = (await officer.post('/api/children', { firstName: 'Eve', localAuthority: 'Sheffield' })).body;
      await embedded.settle();
      expect((await officer.get(`/api/children/${childId}`)).status).toBe(200);
      expect((await client(embedded.url, await embedded.tokenFor('officer', 'Doncaster')).get(`/api/children/${childId}`)).status).toBe(404);
      const audit = await client(embedded.url, await embedded.tokenFor('auditor', null)).get(`/api/audit?childId=${childId}`);
      expect(audit.body.entries.map((e: any) => [e.stage, e.district, e.status])).toEqual([
        ['requested', 'Sheffield', null],
        ['answered', 'Sheffield', 201],
        ['answered', 'Sheffield', 200],
        ['answered', 'Doncaster', 404],
      ]);
    } finally {
      await embedded.close();
    }
  }, 60_000);

  it('runs no command and sends no record while the audit log cannot be written', async () => {
    const officer = await as('officer');
    const { childId } = (await officer.post('/api/children', { firstName: 'Ben', localAuthority: 'Sheffield' })).body;
    await running.settle();
    const eventsOf = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM events WHERE stream_id = $1', [`child-${childId}`]))[0].n);
    const before = await eventsOf();
    await db.query('ALTER TABLE audit_log RENAME TO audit_log_away');
    try {
      const change = await officer.patch(`/api/children/${childId}`, { lastName: 'Changed' });
      expect(change.status).toBe(503);
      const read = await officer.get(`/api/children/${childId}/timeline`);
      expect(read.status).toBe(503);
      expect(JSON.stringify(read.body)).not.toContain('Ben');
    } finally {
      await db.query('ALTER TABLE audit_log_away RENAME TO audit_log');
    }
    expect(await eventsOf()).toBe(before);
    expect((await officer.patch(`/api/children/${childId}`, { lastName: 'Changed' })).status).toBe(200);
  });
});
