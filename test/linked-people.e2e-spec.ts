import { readFileSync } from 'node:fs';
import { PgDatabase } from '../src/database/pg-database';
import { caseReference } from '../src/escalation/child-stream-reader';
import { freshPostgresUrl } from './support/databases';
import { eventually } from './support/deadlines';
import { liveAndRebuilt } from './support/read-models';
import { SmtpPeer } from './support/smtp-peer';
import { client, type RunningApp, startApp } from './support/test-app';

const HOUR = 3_600_000;
const directory = JSON.parse(readFileSync('config/directory.json', 'utf8')).districts;
const coordinators = (district: string): string[] => directory[district].coordinators.map((person: { email: string }) => person.email);
const RULE = 'linked-people-or-places';

/**
 * Linked people and places, end to end: the app in-process on PostgreSQL, the real Redis, a real
 * SMTP server. Two children naming one person (spelled differently) are both flagged once, and the
 * coordinators of their district are told once; a restart that replays the log from zero and a
 * rebuild of the read model change nothing.
 */
describe('linked people and places over HTTP', () => {
  const smtp = new SmtpPeer();
  let url: string;
  let running: RunningApp;
  let officer: ReturnType<typeof client>;
  let admin: ReturnType<typeof client>;
  // District staff act in their own district only: each child's episodes are worked by its district's officer.
  let officers: Record<string, ReturnType<typeof client>> = {};
  const officerIn = async (district: string) => (officers[district] ??= client(running.url, await running.tokenFor('officer', district)));
  const districtOfEpisode = new Map<string, string>();

  const start = async () => {
    running = await startApp({ DATABASE_URL: url, SMTP_URL: smtp.url, NOTIFICATION_BACKOFF_MS: '100' });
    officers = {};
    officer = await officerIn('Sheffield');
    admin = client(running.url, await running.tokenFor('admin', null));
  };

  beforeAll(async () => {
    await smtp.start();
    url = await freshPostgresUrl();
    await start();
  });
  afterAll(async () => {
    await running?.close();
    await smtp.stop();
  });

  async function childWithEpisode(localAuthority = 'Sheffield'): Promise<{ childId: string; episodeId: string }> {
    const api = await officerIn(localAuthority);
    const { childId } = (await api.post('/api/children', { firstName: 'Kayla', lastName: 'Turner', dateOfBirth: '2012-05-01', localAuthority })).body;
    const reported = await api.post('/api/episodes', { childId, missingSince: new Date(Date.now() - HOUR).toISOString() });
    expect(reported.status).toBe(201);
    districtOfEpisode.set(reported.body.episodeId, localAuthority);
    return { childId, episodeId: reported.body.episodeId };
  }
  const officerOf = (episodeId: string) => officerIn(districtOfEpisode.get(episodeId) ?? 'Sheffield');
  const nameAssociate = async (episodeId: string, name: string) => (await officerOf(episodeId)).post(`/api/episodes/${episodeId}/associates`, { name, relationship: 'older male' });
  const nameLocation = async (episodeId: string, place: string, postcode: string) => (await officerOf(episodeId)).post(`/api/episodes/${episodeId}/locations`, { place, postcode });
  const timeline = async (childId: string) => (await admin.get(`/api/children/${childId}/timeline`)).body as any[];
  const flagsOf = async (childId: string) => (await timeline(childId)).filter((event) => event.type === 'ChildLinkedToOtherChildren');
  const linkEscalations = async (childId: string) =>
    ((await admin.get(`/api/escalations?childId=${childId}`)).body as any[]).filter((escalation) => escalation.rule === RULE);
  const mailsAbout = (childId: string) => (email: string) => smtp.to(email).filter((mail) => unfold(mail.raw).includes(caseReference(childId)));

  let a: { childId: string; episodeId: string };
  let b: { childId: string; episodeId: string };
  let c: { childId: string; episodeId: string };
  let d: { childId: string; episodeId: string };

  it('flags both children once when one associate is named in their episodes with different case and spacing, and tells the coordinators once', async () => {
    [a, b, c, d] = [await childWithEpisode(), await childWithEpisode(), await childWithEpisode(), await childWithEpisode()];
    expect((await nameAssociate(a.episodeId, 'Jason  SMITH')).status).toBe(201);
    expect((await nameAssociate(b.episodeId, 'jason smith')).status).toBe(201);
    // Someone else, and a name that names nobody: no link.
    expect((await nameAssociate(c.episodeId, 'Jayson Smith')).status).toBe(201);
    expect((await nameAssociate(d.episodeId, 'unknown')).status).toBe(201);
    await running.settle();

    const [flagA] = await flagsOf(a.childId);
    const [flagB] = await flagsOf(b.childId);
    expect(await flagsOf(a.childId)).toHaveLength(1);
    expect(await flagsOf(b.childId)).toHaveLength(1);
    expect(flagA.data).toMatchObject({ kind: 'associate', key: 'name:jason smith', display: 'Jason SMITH', otherChildren: [b.childId] });
    expect(flagB.data).toMatchObject({ kind: 'associate', key: 'name:jason smith', display: 'jason smith', otherChildren: [a.childId] });
    expect(flagB.data.namedBy).toMatchObject({ childId: b.childId, episodeId: b.episodeId });
    expect(flagA.by).toEqual({ userId: 'system:linked-children', role: 'system', district: null });
    expect(await flagsOf(c.childId)).toEqual([]);
    expect(await flagsOf(d.childId)).toEqual([]);

    // The coordinator is told once: one escalation, on the stream of the child whose mention made the link.
    expect(await linkEscalations(a.childId)).toEqual([]);
    const [escalation] = await eventually(() => linkEscalations(b.childId), (list) => list[0]?.notified.length === coordinators('Sheffield').length);
    expect(await linkEscalations(b.childId)).toHaveLength(1);
    expect(escalation).toMatchObject({ tier: 1, district: 'Sheffield', episodeId: b.episodeId, figures: { linkKind: 'associate', otherCases: [caseReference(a.childId)] } });
    for (const email of coordinators('Sheffield')) {
      const [mail, ...more] = await eventually(async () => mailsAbout(b.childId)(email), (list) => list.length >= 1);
      expect(more).toEqual([]);
      const body = unfold(mail.raw);
      expect(body).toMatch(new RegExp(`a person named for this child is also named for 1 other child \\(${caseReference(a.childId)}\\)`));
      expect(body).not.toMatch(/jason|smith|Kayla|Turner/i);
    }
  });

  it('shows the flag on the child’s timeline, in order, after the mention that made it', async () => {
    const events = await timeline(b.childId);
    const types = events.map((event) => event.type);
    expect(types.slice(0, 3)).toEqual(['ChildRegistered', 'ChildReportedMissing', 'AssociateNamed']);
    expect(types.indexOf('ChildLinkedToOtherChildren')).toBeGreaterThan(types.indexOf('AssociateNamed'));
    expect(types.indexOf('EscalationRaised')).toBe(types.indexOf('ChildLinkedToOtherChildren') + 1);
    expect(events.map((event) => event.streamVersion)).toEqual(events.map((_, index) => index));
    const named = events.find((event) => event.type === 'AssociateNamed');
    expect(named.by.role).toBe('officer');
  });

  it('links places by postcode, "s1 2ab" and "S12AB", named at the same instant', async () => {
    const [atC, atD] = await Promise.all([nameLocation(c.episodeId, '12 High Street', 's1 2ab'), nameLocation(d.episodeId, 'Flat 3, 12 High St', 'S12AB')]);
    expect([atC.status, atD.status]).toEqual([201, 201]);
    await running.settle();
    const flags = [...(await flagsOf(c.childId)), ...(await flagsOf(d.childId))].map((flag) => [flag.data.key, flag.data.otherChildren]);
    expect(flags.sort()).toEqual(
      [
        ['postcode:S1 2AB', [d.childId]],
        ['postcode:S1 2AB', [c.childId]],
      ].sort(),
    );
    // One of the two joined the other's link: one escalation between them.
    expect([...(await linkEscalations(c.childId)), ...(await linkEscalations(d.childId))]).toHaveLength(1);
    expect(await flagsOf(a.childId)).toHaveLength(1);
  });

  it('lists a child’s people and places and the network around it', async () => {
    const links = (await officer.get(`/api/children/${a.childId}/links`)).body;
    expect(links).toMatchObject({ childId: a.childId, caseReference: caseReference(a.childId), places: [] });
    expect(links.associates).toEqual([
      { kind: 'associate', key: 'name:jason smith', display: 'Jason SMITH', mentions: [{ source: 'associate', episodeId: a.episodeId, namedAt: expect.any(String) }] },
    ]);
    expect(links.network.children).toEqual([
      { childId: b.childId, caseReference: caseReference(b.childId), through: ['name:jason smith'], episodes: [b.episodeId], flaggedAt: expect.any(String) },
    ]);
    expect(links.network.links).toEqual([
      {
        kind: 'associate',
        key: 'name:jason smith',
        display: 'Jason SMITH',
        namedByChildren: 2,
        publicPlace: false,
        children: [
          { childId: a.childId, caseReference: caseReference(a.childId), episodes: [a.episodeId], flaggedAt: null },
          { childId: b.childId, caseReference: caseReference(b.childId), episodes: [b.episodeId], flaggedAt: expect.any(String) },
        ],
      },
    ]);
    // Jayson Smith is someone else: C's network is D, through the postcode only.
    const ofC = (await officer.get(`/api/children/${c.childId}/links`)).body;
    expect(ofC.associates.map((link: any) => link.key)).toEqual(['name:jayson smith']);
    expect(ofC.network.children.map((child: any) => [child.childId, child.through])).toEqual([[d.childId, ['postcode:S1 2AB']]]);

    const callHandler = client(running.url, await running.tokenFor('call-handler', 'Sheffield'));
    expect((await callHandler.get(`/api/children/${a.childId}/links`)).status).toBe(403);
    expect((await officer.get('/api/children/00000000-0000-4000-8000-000000000000/links')).status).toBe(404);
  });

  it('flags a third child joining the link, updates the first two, and tells the coordinators once more', async () => {
    const e = await childWithEpisode();
    await nameAssociate(e.episodeId, 'JASON   Smith');
    await running.settle();
    expect((await flagsOf(e.childId)).map((flag) => flag.data.otherChildren)).toEqual([[a.childId, b.childId]]);
    expect((await flagsOf(a.childId)).map((flag) => flag.data.otherChildren)).toEqual([[b.childId], [e.childId]]);
    expect((await flagsOf(b.childId)).map((flag) => flag.data.otherChildren)).toEqual([[a.childId], [e.childId]]);
    const [escalation] = await eventually(() => linkEscalations(e.childId), (list) => list[0]?.notified.length === coordinators('Sheffield').length);
    expect(escalation.figures).toMatchObject({ linkedChildren: 3, otherCases: [caseReference(a.childId), caseReference(b.childId)] });
    // Naming him again in B's episode is no news.
    await nameAssociate(b.episodeId, 'jason smith');
    await running.settle();
    expect(await flagsOf(b.childId)).toHaveLength(2);
  });

  it('tells the coordinators of each district once when a child of another district joins a link', async () => {
    const f = await childWithEpisode('Rotherham');
    const mailsToSheffield = coordinators('Sheffield').map((email) => smtp.to(email).length);
    expect((await nameLocation(f.episodeId, 'above the shop', 'S1  2ab')).status).toBe(201);
    await running.settle();
    // C and D named it at the same instant: whichever committed first is first.
    expect((await flagsOf(f.childId)).map((flag) => [...flag.data.otherChildren].sort())).toEqual([[c.childId, d.childId].sort()]);
    // F's escalation for Rotherham; the earliest Sheffield child of the link (C or D, whichever named it first) raises Sheffield's.
    const [forRotherham] = await eventually(() => linkEscalations(f.childId), (list) => list[0]?.notified.length === coordinators('Rotherham').length);
    expect(forRotherham).toMatchObject({ district: 'Rotherham', figures: { linkKind: 'place', linkedChildren: 3 } });
    const ofSheffield = async () => [...(await linkEscalations(c.childId)), ...(await linkEscalations(d.childId))];
    const forSheffield = await eventually(ofSheffield, (list) => list.length === 2 && list.every((e) => e.notified.length > 0));
    expect(forSheffield).toHaveLength(2);
    expect(forSheffield.filter((e) => e.figures.otherCases.includes(caseReference(f.childId)))).toMatchObject([{ district: 'Sheffield', figures: { otherCases: [caseReference(f.childId)] } }]);
    for (const email of coordinators('Rotherham')) expect(smtp.to(email)).toHaveLength(1);
    await eventually(async () => coordinators('Sheffield').map((email) => smtp.to(email).length), (counts) => counts.every((n, i) => n === mailsToSheffield[i] + 1));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(coordinators('Sheffield').map((email) => smtp.to(email).length)).toEqual(mailsToSheffield.map((n) => n + 1));
  });

  it('replays the whole log from zero after a restart, with the index rebuilt, without flagging or e-mailing anything twice', async () => {
    // Every e-mail delivered and recorded first, so that what the replay could add is only a duplicate.
    const linkEscalationsOfAll = async () => (await Promise.all([a, b, c, d].map(({ childId }) => linkEscalations(childId)))).flat();
    await eventually(linkEscalationsOfAll, (list) => list.every((e) => e.notified.length === coordinators(e.district).length));
    const before = await Promise.all([a, b, c, d].map(({ childId }) => timeline(childId)));
    const mailsBefore = smtp.received.length;
    await running.close();
    const db = new PgDatabase(url);
    const indexed = async () => (await db.query<{ entry: string }>(`SELECT kind || '/' || key || '/' || child_id AS entry FROM link_index ORDER BY seq`)).map((row) => row.entry);
    let indexBefore: string[] = [];
    try {
      indexBefore = await indexed();
      await db.query("UPDATE subscription_checkpoints SET checkpoint = NULL WHERE consumer IN ('linked-children', 'escalation-notifier')");
      // The processor's own index, rebuilt from zero as it replays, gives the same order and so the same command ids.
      await db.query('TRUNCATE link_index');
      await start();
      await running.settle();
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await indexed()).toEqual(indexBefore);
    } finally {
      await db.close();
    }
    expect(await Promise.all([a, b, c, d].map(({ childId }) => timeline(childId)))).toEqual(before);
    expect(smtp.received.length).toBe(mailsBefore);
  });

  it('rebuilds the links read model equal to the live one', async () => {
    await running.settle();
    await running.close();
    const { live, rebuilt } = await liveAndRebuilt(url, ['links']);
    // Eight mentions ("unknown" names nobody); twelve flag rows (E's and F's flags name two children each).
    expect(live.rm_link_mentions).toHaveLength(8);
    expect(live.rm_link_flags).toHaveLength(12);
    expect(rebuilt).toEqual(live);
    await start();
  });

  it('shows on the dashboard how many children a repeat child is linked to', async () => {
    const returned = await officer.post(`/api/episodes/${a.episodeId}/return`, { returnedAt: new Date().toISOString(), how: 'returned', where: 'home' });
    expect(returned.status).toBe(200);
    expect((await officer.post('/api/episodes', { childId: a.childId, missingSince: new Date().toISOString() })).status).toBe(201);
    await running.settle();
    const coordinator = client(running.url, await running.tokenFor('coordinator', 'Sheffield'));
    const repeat = (await coordinator.get('/api/dashboard/repeat-children')).body as any[];
    expect(repeat.map((child) => [child.childId, child.linkedChildren])).toEqual([[a.childId, 2]]);
  });
});

/** Undoes quoted-printable soft line breaks, so a sentence can be matched whole. */
const unfold = (raw: string): string => raw.replace(/=\r?\n/g, '');
