import { randomUUID } from 'node:crypto';
import { freshPostgresUrl } from './support/databases';
import { client, RunningApp, startApp } from './support/test-app';

/** Every kind of bad request gets a 4xx problem document naming what is wrong, and appends nothing. */
describe('bad input over HTTP', () => {
  let running: RunningApp;
  let api: ReturnType<typeof client>;
  let childId: string;
  let episodeId: string;

  beforeAll(async () => {
    running = await startApp({ DATABASE_URL: await freshPostgresUrl() });
    api = client(running.url, await running.tokenFor('officer'));
    const reported = await api.post('/api/episodes', {
      child: { firstName: 'Cara', localAuthority: 'Sheffield' },
      missingSince: new Date(Date.now() - 3_600_000).toISOString(),
    });
    ({ childId, episodeId } = reported.body);
  });
  afterAll(() => running?.close());

  const timelineLength = async () => (await api.get(`/api/children/${childId}/timeline`)).body.length;

  function expectProblem(answer: { status: number; contentType: string | null; body: any }, status: number) {
    expect(answer.status).toBe(status);
    expect(answer.contentType).toContain('application/problem+json');
    expect(answer.body).toMatchObject({ status, title: expect.any(String), type: expect.stringContaining('problems/') });
  }

  it('names each missing or mistyped field', async () => {
    const answer = await api.post('/api/episodes', { childId, missingSince: 'yesterday', initialRisk: 'extreme', reporter: { phone: 7 } });
    expectProblem(answer, 400);
    expect(answer.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'missingSince' }),
        expect.objectContaining({ field: 'initialRisk' }),
        expect.objectContaining({ field: 'reporter.phone' }),
      ]),
    );
  });

  it('refuses a field it does not know', async () => {
    const answer = await api.post(`/api/episodes/${episodeId}/risk-assessments`, { grade: 'high', rationale: 'x', admin: true });
    expectProblem(answer, 400);
    expect(answer.body.errors).toEqual([expect.objectContaining({ field: 'admin' })]);
  });

  it('refuses a missing-since time in the future, naming the field', async () => {
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const answer = await api.post('/api/episodes', { child: { localAuthority: 'Sheffield' }, missingSince: future });
    expectProblem(answer, 422);
    expect(answer.body.errors).toEqual([expect.objectContaining({ field: 'missingSince' })]);
  });

  it('refuses an unknown district', async () => {
    const answer = await api.post('/api/children', { localAuthority: 'Atlantis' });
    expectProblem(answer, 400);
    expect(answer.body.errors[0]).toMatchObject({ field: 'localAuthority', reason: expect.stringContaining('Sheffield') });
  });

  it('answers malformed JSON, a wrong content type and an over-large body with 4xx problems', async () => {
    expectProblem(await api.raw('POST', '/api/episodes', '{"childId": ', { 'content-type': 'application/json' }), 400);
    expectProblem(await api.raw('POST', '/api/episodes', 'childId=1', { 'content-type': 'text/plain' }), 415);
    expectProblem(await api.raw('POST', '/api/episodes', 'childId=1', { 'content-type': 'application/x-www-form-urlencoded' }), 415);
    const huge = JSON.stringify({ childId, missingSince: new Date().toISOString(), circumstances: 'x'.repeat(1_100_000) });
    expectProblem(await api.raw('POST', '/api/episodes', huge, { 'content-type': 'application/json' }), 413);
  });

  it('answers unknown and malformed ids with 404 and 400', async () => {
    expectProblem(await api.get(`/api/children/${randomUUID()}`), 404);
    expectProblem(await api.get('/api/children/not-a-uuid'), 400);
    expectProblem(await api.post(`/api/episodes/${randomUUID()}/return`, { returnedAt: new Date().toISOString(), how: 'found', where: 'home' }), 404);
    expectProblem(await api.get('/api/no-such-route'), 404);
  });

  it('refuses invalid transitions with 409 and the reason', async () => {
    const second = await api.post('/api/episodes', { childId, missingSince: new Date().toISOString() });
    expectProblem(second, 409);
    expect(second.body.detail).toContain('already missing');
  });

  it('needs a valid token, and the right role', async () => {
    expectProblem(await client(running.url).get(`/api/children/${childId}`), 401);
    expectProblem(await client(running.url, 'not.a.token').get(`/api/children/${childId}`), 401);
    const lscb = client(running.url, await running.tokenFor('lscb-lead'));
    expectProblem(await lscb.post(`/api/episodes/${episodeId}/risk-assessments`, { grade: 'high', rationale: 'x' }), 403);
  });

  it('appended nothing for any of the refused requests above', async () => {
    await running.settle();
    expect(await timelineLength()).toBe(2);
  });
});

describe('Idempotency-Key', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp({ DATABASE_URL: await freshPostgresUrl() });
  });
  afterAll(() => running?.close());

  it('gives the same answer to the same key and body, and appends once', async () => {
    const api = client(running.url, await running.tokenFor('call-handler'));
    const body = { child: { firstName: 'Dan', localAuthority: 'Doncaster' }, missingSince: new Date().toISOString() };
    const key = { 'idempotency-key': randomUUID() };
    const first = await api.post('/api/episodes', body, key);
    const again = await Promise.all([api.post('/api/episodes', body, key), api.post('/api/episodes', body, key)]);
    expect(first.status).toBe(201);
    for (const answer of again) expect([201, 409]).toContain(answer.status);
    const replay = await api.post('/api/episodes', body, key);
    expect(replay).toEqual(first);

    const reader = client(running.url, await running.tokenFor('officer'));
    expect((await reader.get(`/api/children/${first.body.childId}/timeline`)).body).toHaveLength(2);
    const other = await api.post('/api/episodes', { ...body, missingSince: new Date(Date.now() - 60_000).toISOString() }, key);
    expect(other.status).toBe(422);
  });
});
