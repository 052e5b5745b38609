import { RequestMethod } from '@nestjs/common';
import { ACCESS_ACTION, PUBLIC_ROUTE } from '../src/access/access.decorators';
import { type Action, PERMISSIONS } from '../src/access/permissions';
import { ROLES, type Role } from '../src/access/roles';
import { FORCE_WIDE_ROLES } from '../src/access/scope';
import { CHILD_ADDRESSES, UNSCOPED_PARAMS } from '../src/access/child-addresses';
import { AppModule } from '../src/app.module';
import { SQL_DATABASE, type SqlDatabase } from '../src/database/sql-database';
import { freshPostgresUrl } from './support/databases';
import { eventually } from './support/deadlines';
import { type Answer, client, type RunningApp, startApp } from './support/test-app';

/**
 * Every route of the app, for every role, on objects in the caller's district, on a child from
 * another authority who went missing in the caller's district, on another district's objects, and
 * with no token. The routes come from Nest's own metadata (and are checked against the OpenAPI
 * document), so a route added later is in the matrix with nothing to edit here.
 */

interface Route {
  method: string;
  path: string;
  action: Action | undefined;
  isPublic: boolean;
}

function routesOfTheApp(running: RunningApp): Route[] {
  const controllers = AppModule.forRoot(running.config).controllers ?? [];
  const routes: Route[] = [];
  for (const controller of controllers) {
    const base = String(Reflect.getMetadata('path', controller) ?? '');
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, unknown>)[name];
      if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata('path', handler) === undefined) continue;
      const own = String(Reflect.getMetadata('path', handler));
      const path = `/${[base, own].map((part) => part.replace(/^\/|\/$/g, '')).filter(Boolean).join('/')}`;
      routes.push({
        method: RequestMethod[Reflect.getMetadata('method', handler) as number],
        path,
        action: Reflect.getMetadata(ACCESS_ACTION, handler),
        isPublic: Boolean(Reflect.getMetadata(PUBLIC_ROUTE, handler) ?? Reflect.getMetadata(PUBLIC_ROUTE, controller)),
      });
    }
  }
  return routes;
}

type Place = 'in' | 'visiting' | 'out';

/** One child and its objects; `visiting`: another authority's child, missing in the caller's district. */
interface Fixture {
  childId: string;
  episodeId: string;
  escalationId: string;
  planId: string;
  meetingId: string;
  noticeId: string;
  planActionId: string;
  meetingActionId: string;
}

const HOME = 'Sheffield';
const ELSEWHERE = 'Doncaster';
const now = () => new Date().toISOString();
const inAWeek = () => new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

/**
 * Valid bodies, so that a command the guards let through would really change the record: the
 * matrix then proves that nothing was written, not merely that validation failed. A route not
 * listed here gets `{ childId }`.
 */
const BODIES: Record<string, (fixture: Fixture, localAuthority: string) => Record<string, unknown>> = {
  'POST /api/children': (_, localAuthority) => ({ firstName: 'Matrix', localAuthority }),
  'PATCH /api/children/:childId': () => ({ lastName: 'Changed' }),
  'POST /api/episodes': (fixture) => ({ childId: fixture.childId, missingSince: now() }),
  'POST /api/episodes/:episodeId/risk-assessments': () => ({ grade: 'medium', rationale: 'matrix' }),
  'POST /api/episodes/:episodeId/sightings': () => ({ seenAt: now(), place: 'matrix' }),
  'POST /api/episodes/:episodeId/associates': () => ({ name: 'matrix' }),
  'POST /api/episodes/:episodeId/locations': () => ({ place: 'matrix' }),
  'POST /api/episodes/:episodeId/return': () => ({ returnedAt: now(), how: 'returned', where: 'home' }),
  'POST /api/episodes/:episodeId/cancel': () => ({ reason: 'reported-in-error' }),
  'POST /api/episodes/:episodeId/close': () => ({}),
  'POST /api/episodes/:episodeId/safe-and-well-check': () => ({ childAccount: 'matrix', harmObserved: false }),
  'POST /api/episodes/:episodeId/return-interviews': () => ({ outcome: 'offered', offeredBy: 'matrix' }),
  'POST /api/safeguarding-plans': (fixture) => ({ childId: fixture.childId, concerns: 'matrix' }),
  'POST /api/safeguarding-plans/:planId/actions': () => ({ what: 'matrix', owner: 'K', agency: 'police', dueDate: inAWeek() }),
  'POST /api/safeguarding-plans/:planId/actions/:actionId/complete': () => ({}),
  'POST /api/safeguarding-plans/:planId/reviews': () => ({ summary: 'matrix' }),
  'POST /api/safeguarding-plans/:planId/close': () => ({ reason: 'matrix' }),
  'POST /api/strategy-meetings': (fixture) => ({ childId: fixture.childId, reason: 'matrix' }),
  'POST /api/strategy-meetings/:meetingId/held': () => ({ heldAt: now(), attendees: [{ name: 'DS', agency: 'police' }] }),
  'POST /api/strategy-meetings/:meetingId/decisions': () => ({ decision: 'matrix' }),
  'POST /api/strategy-meetings/:meetingId/actions': () => ({ what: 'matrix', owner: 'K', agency: 'police', dueDate: inAWeek() }),
  'POST /api/strategy-meetings/:meetingId/actions/:actionId/complete': () => ({}),
  'POST /api/strategy-meetings/:meetingId/outcome': () => ({ outcome: 'matrix' }),
  'POST /api/strategy-meetings/:meetingId/close': () => ({}),
  'POST /api/warning-notices': (fixture) => ({ childId: fixture.childId, against: 'matrix' }),
  'POST /api/warning-notices/:noticeId/serve': () => ({}),
  'POST /api/escalations/:escalationId/acknowledge': () => ({}),
  'POST /api/notifications/dead-letters/:jobId/retry': () => ({}),
};

describe('access matrix: every route × every role × in district, out of district, no token', () => {
  let running: RunningApp;
  let db: SqlDatabase;
  const fixtures = {} as Record<Place, Fixture>;
  const tokens = {} as Record<Role, string>;
  let admin: ReturnType<typeof client>;

  beforeAll(async () => {
    running = await startApp({ DATABASE_URL: await freshPostgresUrl(), RATE_LIMIT_PER_MINUTE: '100000' });
    db = running.app.get(SQL_DATABASE);
    for (const role of ROLES) tokens[role] = await running.tokenFor(role, FORCE_WIDE_ROLES.includes(role) ? null : HOME);
    admin = client(running.url, tokens.admin);
    fixtures.in = await seed(HOME, HOME);
    fixtures.visiting = await seed(ELSEWHERE, HOME);
    fixtures.out = await seed(ELSEWHERE, ELSEWHERE);
    await running.settle();
  });
  afterAll(() => running?.close());

  /** A child of `localAuthority`, missing (high risk) in `district`, returned, with a plan, a meeting and a notice. */
  async function seed(localAuthority: string, district: string): Promise<Fixture> {
    const ok = (answer: Answer) => {
      expect(answer.status).toBeLessThan(300);
      return answer.body;
    };
    const { childId } = ok(await admin.post('/api/children', { firstName: 'Matrix', dateOfBirth: '2012-01-01', localAuthority }));
    const missingSince = new Date(Date.now() - 3 * 3600_000).toISOString();
    const { episodeId } = ok(await admin.post('/api/episodes', { childId, missingSince, district, initialRisk: 'high' }));
    ok(await admin.post(`/api/episodes/${episodeId}/return`, { returnedAt: new Date().toISOString(), how: 'returned', where: 'home' }));
    const { planId } = ok(await admin.post('/api/safeguarding-plans', { childId, concerns: 'matrix' }));
    const dueDate = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const { actionId: planActionId } = ok(await admin.post(`/api/safeguarding-plans/${planId}/actions`, { what: 'check', owner: 'K', agency: 'education', dueDate }));
    const { meetingId } = ok(await admin.post('/api/strategy-meetings', { childId, reason: 'matrix' }));
    ok(await admin.post(`/api/strategy-meetings/${meetingId}/held`, { heldAt: new Date().toISOString(), attendees: [{ name: 'DS', agency: 'police' }] }));
    const { actionId: meetingActionId } = ok(await admin.post(`/api/strategy-meetings/${meetingId}/actions`, { what: 'visit', owner: 'K', agency: 'police', dueDate }));
    const { noticeId } = ok(await admin.post('/api/warning-notices', { childId, against: 'an adult' }));
    const escalations = await eventually(
      async () => (await admin.get(`/api/escalations?childId=${childId}`)).body as { escalationId: string }[],
      (rows) => rows.length > 0,
      60_000,
    );
    expect(escalations.length).toBeGreaterThan(0);
    return { childId, episodeId, escalationId: escalations[0].escalationId, planId, meetingId, noticeId, planActionId, meetingActionId };
  }

  function urlFor(route: Route, fixture: Fixture, withChildQuery: boolean): string {
    const path = route.path.replace(/:(\w+)/g, (_, name: string) => {
      if (name in CHILD_ADDRESSES) return fixture[name as keyof Fixture];
      if (name === 'actionId') return route.path.startsWith('/api/safeguarding-plans') ? fixture.planActionId : fixture.meetingActionId;
      if (name === 'jobId') return 'no-such-job';
      throw new Error(`${route.method} ${route.path}: the param :${name} is neither a child address (${Object.keys(CHILD_ADDRESSES).join(', ')}) nor declared unscoped`);
    });
    return withChildQuery ? `${path}?childId=${fixture.childId}` : path;
  }

  const addressesAChild = (route: Route, withChildQuery: boolean, body: Record<string, unknown> | undefined) =>
    withChildQuery || body?.childId !== undefined || Object.keys(CHILD_ADDRESSES).some((name) => route.path.includes(`:${name}`));
  const localAuthorityOf = (place: Place) => (place === 'in' ? HOME : ELSEWHERE);

  /** Whether a role sees a fixture's child: force-wide roles all; staff their district's; the LSCB lead its authority's. */
  const sees = (role: Role, place: Place) =>
    FORCE_WIDE_ROLES.includes(role) || place === 'in' || (place === 'visiting' && role !== 'lscb-lead');

  it('covers every route, each declaring a permission, and no more routes than the OpenAPI document', async () => {
    const routes = routesOfTheApp(running);
    const documented = (await client(running.url).get('/api/docs-json')).body as { paths: Record<string, Record<string, unknown>> };
    const openApi = Object.entries(documented.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect(routes.map((route) => `${route.method} ${route.path}`).sort()).toEqual(expect.arrayContaining(openApi.sort()));
    const undeclared = routes.filter((route) => !route.isPublic && !route.action).map((route) => `${route.method} ${route.path}`);
    expect(undeclared).toEqual([]);
    for (const route of routes) {
      for (const name of [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1])) {
        expect([...Object.keys(CHILD_ADDRESSES), ...UNSCOPED_PARAMS]).toContain(name);
      }
    }
  });

  it('lets no role read or write what it may not, anywhere', async () => {
    const routes = routesOfTheApp(running).filter((route) => !route.isPublic);
    const eventsOf = async (childId: string) =>
      Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM events WHERE stream_id = $1', [`child-${childId}`]))[0].n);
    const before = await eventsOf(fixtures.out.childId);
    const failures: string[] = [];
    let cases = 0;
    // Force-wide roles last: their writes to the other district are allowed and would hide a leak in the event count.
    const roles = [...ROLES].sort((a, b) => Number(FORCE_WIDE_ROLES.includes(a)) - Number(FORCE_WIDE_ROLES.includes(b)));
    let scopedRolesDone = false;
    let afterScopedRoles = before;
    for (const role of roles) {
      if (FORCE_WIDE_ROLES.includes(role) && !scopedRolesDone) {
        scopedRolesDone = true;
        afterScopedRoles = await eventsOf(fixtures.out.childId);
      }
      const api = client(running.url, tokens[role]);
      for (const route of routes) {
        const allowed = (PERMISSIONS[route.action!] as readonly Role[]).includes(role);
        for (const withChildQuery of route.method === 'GET' ? [true, false] : [false]) {
          for (const place of ['in', 'visiting', 'out'] as Place[]) {
            const fixture = fixtures[place];
            const url = urlFor(route, fixture, withChildQuery);
            const body = route.method === 'GET' ? undefined : (BODIES[`${route.method} ${route.path}`]?.(fixture, localAuthorityOf(place)) ?? { childId: fixture.childId });
            const answer = await api.raw(route.method, url, body);
            cases += 1;
            const label = `${role} ${route.method} ${url} (${place})`;
            if (answer.status >= 500) failures.push(`${label}: ${answer.status}`);
            if (!allowed) {
              if (answer.status !== 403) failures.push(`${label}: not allowed by PERMISSIONS, answered ${answer.status}`);
              continue;
            }
            const childAddressed = addressesAChild(route, withChildQuery, body);
            const scoped = !FORCE_WIDE_ROLES.includes(role);
            if (route.action === 'register-child' && scoped && localAuthorityOf(place) !== HOME) {
              if (answer.status !== 403) failures.push(`${label}: registered a child of another authority, answered ${answer.status}`);
              continue;
            }
            if (childAddressed && !sees(role, place)) {
              if (answer.status !== 404 || answer.contentType?.startsWith('application/problem+json') !== true) {
                failures.push(`${label}: outside the scope, answered ${answer.status}`);
              }
              continue;
            }
            if ([401, 403].includes(answer.status) || (childAddressed && answer.body?.detail?.includes('in your scope'))) {
              failures.push(`${label}: in scope and allowed, answered ${answer.status} ${answer.body?.detail ?? ''}`);
            }
            if (route.method === 'GET') {
              // A view that takes no childId filter refuses the parameter (400): a refusal, never data.
              const refusedFilter = withChildQuery && answer.status === 400 && /childId/.test(JSON.stringify(answer.body));
              if (answer.status !== 200 && !refusedFilter) failures.push(`${label}: an allowed read answered ${answer.status}`);
              for (const row of rowsIn(answer.body)) {
                const rowPlace = (Object.keys(fixtures) as Place[]).find((p) => fixtures[p].childId === row.childId);
                if (rowPlace && !sees(role, rowPlace)) failures.push(`${label}: answered a row about the ${rowPlace} child`);
              }
            }
          }
        }
        // And with no token at all, once per route.
        const anonymous = await client(running.url).raw(route.method, urlFor(route, fixtures.in, false), route.method === 'GET' ? undefined : {});
        cases += 1;
        if (anonymous.status !== 401) failures.push(`anonymous ${route.method} ${route.path}: answered ${anonymous.status}`);
      }
    }
    expect(failures).toEqual([]);
    expect(afterScopedRoles).toBe(before);
    console.log(`access matrix: ${routes.length} routes × ${ROLES.length} roles: ${cases} cases, no unauthorised read or write`);
  }, 300_000);
});

describe('what the LSCB lead reads', () => {
  it('is the summary of a child of its own authority, without the profile the police hold', async () => {
    const running = await startApp({ DATABASE_URL: await freshPostgresUrl() });
    try {
      const admin = client(running.url, await running.tokenFor('admin', null));
      const { childId } = (await admin.post('/api/children', { firstName: 'Summary', dateOfBirth: '2012-02-02', localAuthority: HOME })).body;
      await running.settle();
      const lead = client(running.url, await running.tokenFor('lscb-lead', HOME));
      const summary = await lead.get(`/api/children/${childId}`);
      expect(summary.status).toBe(200);
      expect(summary.body).toMatchObject({ childId, localAuthority: HOME, counts: { lifetime: 0 } });
      expect(summary.body).not.toHaveProperty('profile');
      expect(JSON.stringify(summary.body)).not.toMatch(/Summary|2012-02-02/);
      expect((await lead.get(`/api/children/${childId}/timeline`)).status).toBe(403);
      const coordinator = client(running.url, await running.tokenFor('coordinator', HOME));
      expect((await coordinator.get(`/api/children/${childId}`)).body.profile).toMatchObject({ firstName: 'Summary' });
    } finally {
      await running.close();
    }
  });
});

function rowsIn(body: unknown): { childId?: unknown }[] {
  if (Array.isArray(body)) return body;
  if (body && typeof body === 'object') {
    return Object.values(body).flatMap((value) => (Array.isArray(value) ? value : []));
  }
  return [];
}
