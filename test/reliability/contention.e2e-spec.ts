import { freshPostgresUrl } from '../support/databases';
import { client, RunningApp, startApp } from '../support/test-app';

/**
 * Many people acting on one case at once: optimistic concurrency on the child's stream decides
 * who wins, and the others get a clear 409; on different children nothing is lost.
 */
describe('contention', () => {
  let running: RunningApp;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    running = await startApp({ DATABASE_URL: await freshPostgresUrl() });
    api = client(running.url, await running.tokenFor('call-handler', 'Sheffield'));
  });
  afterAll(() => running?.close());

  it('leaves exactly one open episode from 100 simultaneous reports for one child, refusing the rest with a conflict', async () => {
    const { childId } = (await api.post('/api/children', { localAuthority: 'Sheffield' })).body;
    const missingSince = new Date(Date.now() - 60_000).toISOString();
    const answers = await Promise.all(Array.from({ length: 100 }, () => api.post('/api/episodes', { childId, missingSince })));

    const accepted = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status === 409);
    expect(accepted).toHaveLength(1);
    expect(refused).toHaveLength(99);
    for (const answer of refused) {
      expect(answer.contentType).toContain('application/problem+json');
      expect(answer.body.detail).toMatch(/child is already missing|changed while/);
    }
    await running.settle();
    const summary = (await api.get(`/api/children/${childId}`)).body;
    expect(summary.openEpisode.episodeId).toBe(accepted[0].body.episodeId);
    expect(summary.counts.lifetime).toBe(1);
    const reports = (await api.get(`/api/children/${childId}/timeline`)).body.filter((e: { type: string }) => e.type === 'ChildReportedMissing');
    expect(reports).toHaveLength(1);
  }, 60_000);

  it('loses no update among 1,000 concurrent commands on different children', async () => {
    const children = await Promise.all(
      Array.from({ length: 250 }, async () => (await api.post('/api/children', { localAuthority: 'Sheffield' })).body.childId as string),
    );
    const missingSince = new Date(Date.now() - 60_000).toISOString();
    // Four commands per child, issued all at once across children, in order within each child.
    const perChild = await Promise.all(
      children.map(async (childId) => {
        const statuses: number[] = [];
        const reported = await api.post('/api/episodes', { childId, missingSince });
        statuses.push(reported.status);
        const episodeId = reported.body.episodeId;
        statuses.push((await api.post(`/api/episodes/${episodeId}/sightings`, { seenAt: missingSince, place: 'bus station' })).status);
        statuses.push((await api.post(`/api/episodes/${episodeId}/locations`, { place: 'bus station', postcode: 'S1 2BP' })).status);
        statuses.push(
          (await api.post(`/api/episodes/${episodeId}/return`, { returnedAt: new Date().toISOString(), how: 'found', where: 'home' })).status,
        );
        return statuses;
      }),
    );
    expect(perChild.flat()).toHaveLength(1_000);
    expect(perChild.flat().filter((status) => status >= 300)).toEqual([]);

    await running.settle();
    const commanded = new Set(['ChildRegistered', 'ChildReportedMissing', 'SightingRecorded', 'LocationNamed', 'ChildReturned']);
    for (const childId of children.slice(0, 25)) {
      const types = (await api.get(`/api/children/${childId}/timeline`)).body.map((e: { type: string }) => e.type);
      expect(types.filter((t: string) => commanded.has(t))).toEqual([
        'ChildRegistered',
        'ChildReportedMissing',
        'SightingRecorded',
        'LocationNamed',
        'ChildReturned',
      ]);
    }
    const open = await Promise.all(children.map(async (childId) => (await api.get(`/api/children/${childId}`)).body.openEpisode));
    expect(open.filter(Boolean)).toEqual([]);
    // All 250 named the bus station (as a sighting's place and as a location with its postcode): a
    // public place, so for each of the two keys only the first twelve children are linked.
    const flagsByKey = new Map<string, Set<string>>();
    for (const childId of children) {
      for (const event of (await api.get(`/api/children/${childId}/timeline`)).body as { type: string; data: { key: string } }[]) {
        if (event.type === 'ChildLinkedToOtherChildren') flagsByKey.set(event.data.key, (flagsByKey.get(event.data.key) ?? new Set()).add(childId));
      }
    }
    expect(Object.fromEntries([...flagsByKey].map(([key, linked]) => [key, linked.size]))).toEqual({ 'address:bus station': 12, 'postcode:S1 2BP': 12 });
    // A child's links page shows the bus station as a public place named by all 250, listing only the first twelve others.
    const coordinator = client(running.url, await running.tokenFor('coordinator', 'Sheffield'));
    const links = (await coordinator.get(`/api/children/${children[200]}/links`)).body;
    expect(links.network.links.map(({ key, namedByChildren, publicPlace, children: listed }: any) => ({ key, namedByChildren, publicPlace, listed: listed.length }))).toEqual([
      { key: 'address:bus station', namedByChildren: 250, publicPlace: true, listed: 13 },
      { key: 'postcode:S1 2BP', namedByChildren: 250, publicPlace: true, listed: 13 },
    ]);
  }, 120_000);
});
