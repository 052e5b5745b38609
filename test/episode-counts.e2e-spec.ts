import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPostgresUrl } from './support/databases';
import { client, RunningApp, startApp } from './support/test-app';

const DAY = 24 * 60 * 60 * 1000;
const ago = (days: number, hours = 0) => new Date(Date.now() - days * DAY - hours * 3_600_000).toISOString();

/**
 * The acceptance story, over HTTP, on both storage back-ends: three episodes within a
 * month and one 40 days earlier; the summary counts them by missing-since time, and a restart
 * of the service changes nothing.
 */
describe.each([
  ['PostgreSQL', async () => ({ env: { DATABASE_URL: await freshPostgresUrl() }, cleanup: (): void => undefined })],
  [
    'embedded PGlite',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mfh-e2e-'));
      return { env: { DATA_DIR: dir }, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
    },
  ],
])('episode counts over HTTP on %s', (_name, storage) => {
  let env: Record<string, string>;
  let cleanup: () => void;
  let running: RunningApp;

  beforeAll(async () => {
    ({ env, cleanup } = await storage());
    running = await startApp(env);
  });
  afterAll(async () => {
    await running?.close();
    cleanup?.();
  });

  it('counts three episodes in a month and one 40 days earlier, and keeps them across a restart', async () => {
    const callHandler = client(running.url, await running.tokenFor('call-handler'));
    const officer = client(running.url, await running.tokenFor('officer'));

    const registered = await callHandler.post('/api/children', {
      firstName: 'Amy',
      lastName: 'Example',
      dateOfBirth: '2012-03-04',
      localAuthority: 'Sheffield',
      lookedAfter: true,
      placementType: 'childrens-home',
    });
    expect(registered.status).toBe(201);
    const { childId } = registered.body;

    // Reported out of order: the 40-days-earlier one is typed in last, as a late report.
    for (const missingSince of [ago(20), ago(10), ago(2), ago(40)]) {
      const reported = await callHandler.post('/api/episodes', { childId, missingSince, lastSeenPlace: 'school gates', initialRisk: 'medium' });
      expect(reported.status).toBe(201);
      const returned = await officer.post(`/api/episodes/${reported.body.episodeId}/return`, {
        returnedAt: new Date(Date.parse(missingSince) + 5 * 3_600_000).toISOString(),
        how: 'found',
        where: 'a friend’s house',
      });
      expect(returned.status).toBe(200);
    }
    await running.settle();

    const expected = { last30Days: 3, last90Days: 4, last365Days: 4, lifetime: 4 };
    const summary = await officer.get(`/api/children/${childId}`);
    expect(summary.status).toBe(200);
    expect(summary.body.counts).toEqual(expected);
    expect(summary.body.openEpisode).toBeNull();
    expect(summary.body.episodes).toHaveLength(4);

    const timeline = await officer.get(`/api/children/${childId}/timeline`);
    // The machine's own events (escalations, a strategy meeting) interleave; the case's are these.
    const caseEvents = timeline.body.map((e: { type: string }) => e.type).filter((type: string) => /^Child/.test(type));
    expect(caseEvents).toEqual([
      'ChildRegistered',
      ...Array(4).fill(['ChildReportedMissing', 'ChildReturned']).flat(),
    ]);
    expect(timeline.body[1].by).toMatchObject({ role: 'call-handler', district: 'Sheffield' });

    await running.close();
    running = await startApp(env);
    const officerAfter = client(running.url, await running.tokenFor('officer'));
    const summaryAfter = await officerAfter.get(`/api/children/${childId}`);
    expect(summaryAfter.body.counts).toEqual(expected);
    await running.settle();
    const timelineAfter = (await officerAfter.get(`/api/children/${childId}/timeline`)).body;
    expect(timelineAfter.slice(0, timeline.body.length)).toEqual(timeline.body);
  });

  it('stops counting a cancelled episode', async () => {
    const coordinator = client(running.url, await running.tokenFor('coordinator'));
    const reported = await coordinator.post('/api/episodes', {
      child: { firstName: 'Ben', localAuthority: 'Sheffield' },
      missingSince: ago(1),
    });
    expect(reported.status).toBe(201);
    const { childId, episodeId } = reported.body;
    await running.settle();
    expect((await coordinator.get(`/api/children/${childId}`)).body.counts.last30Days).toBe(1);

    expect((await coordinator.post(`/api/episodes/${episodeId}/cancel`, { reason: 'reported-in-error' })).status).toBe(200);
    await running.settle();
    const summary = (await coordinator.get(`/api/children/${childId}`)).body;
    expect(summary.counts).toEqual({ last30Days: 0, last90Days: 0, last365Days: 0, lifetime: 0 });
    expect(summary.episodes[0].status).toBe('cancelled');
  });
});
