import * as fc from 'fast-check';
import { issueToken } from '../../src/access/tokens';
import { PgDatabase } from '../../src/database/pg-database';
import { recordPersonalValues } from '../support/captured-logs';
import { freshPostgresUrl } from '../support/databases';
import { RunningApp, startApp, TEST_JWT_SECRET } from '../support/test-app';

const REQUESTS = 10_000;
const CONCURRENCY = 8;
const SEED = 20261125;

const NASTY_STRINGS = [
  "'; DROP TABLE events; --",
  '<script>alert(1)</script>',
  '${jndi:ldap://example.invalid/a}',
  '../../../../etc/passwd',
  '\u0000',
  'nul\u0000inside',
  '\uD800',
  '\u202Eevil',
  '👩‍👩‍👧‍👦',
  'Ω≈ç√∫˜µ≤≥÷',
  ' ',
  '',
  '9999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00.000Z',
  '-000001-01-01T00:00:00Z',
  '2026-02-30T00:00:00Z',
  '1970-01-01T00:00:00Z',
  'NaN',
  '1e309',
  '{"$where": "1"}',
];
const KEYS = [
  'childId', 'child', 'missingSince', 'district', 'lastSeenPlace', 'reporter', 'circumstances', 'initialRisk', 'grade',
  'rationale', 'seenAt', 'place', 'description', 'name', 'relationship', 'notes', 'postcode', 'returnedAt', 'how', 'where',
  'withWhom', 'condition', 'foundBy', 'reason', 'duplicateOf', 'note', 'localAuthority', 'firstName', 'dateOfBirth',
  'gender', 'riskFlags', 'philomenaProfile', '__proto__', 'constructor',
  // casework
  'outcome', 'offeredBy', 'offeredAt', 'interviewer', 'completedAt', 'findings', 'whereabouts', 'pushFactors', 'pullFactors',
  'disclosures', 'declinedBy', 'declinedAt', 'checkedBy', 'checkedAt', 'childAccount', 'harmObserved', 'harmDetails', 'concerns',
  'what', 'owner', 'agency', 'dueDate', 'summary', 'nextReviewDate', 'heldAt', 'attendees', 'absentees', 'decision', 'against',
  'recommendedAt', 'servedAt', 'agencies',
];

const value = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ minLength: 3000, maxLength: 6000 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('high', 'medium', 'low', 'no-apparent-risk', 'found', 'returned', 'duplicate', 'reported-in-error', 'Sheffield', 'CSE'),
  fc.constantFrom('offered', 'completed', 'declined', 'child', 'parent-or-carer', 'police', '2026-11-25', '2026-02-30', '1900-01-01', '9999-12-31'),
  fc.array(fc.record({ name: fc.string(), agency: fc.string(), reason: fc.string() }, { requiredKeys: [] }), { maxLength: 3 }),
  fc.array(fc.string(), { maxLength: 5 }),
  fc.jsonValue({ maxDepth: 2 }),
);
const body = fc.oneof(
  fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 8 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('{"childId": ', '[', 'null', '"text"', '{"a":1}{', '\u0000', '{"missingSince": "2026-01-01T00:00:00Z",}'),
);
const id = fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }), fc.constantFrom('..%2F..%2Fetc', '%00', '0', '-1', 'null'));

/**
 * Every endpoint, thousands of generated bodies, headers and ids: never a 5xx, and a rejected
 * request appends nothing. Each request has its own user, so what it appended is countable.
 */
describe('fuzzing every endpoint', () => {
  let running: RunningApp;
  let db: PgDatabase;
  let known: Known;

  beforeAll(async () => {
    const url = await freshPostgresUrl();
    running = await startApp({ DATABASE_URL: url });
    db = new PgDatabase(url);
    const key = new TextEncoder().encode(TEST_JWT_SECRET);
    const token = await issueToken(key, { userId: 'setup', role: 'admin', district: 'Sheffield' });
    const post = async (path: string, body: unknown) => {
      recordPersonalValues('POST', path, body);
      const response = await fetch(`${running.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return (await response.json()) as Record<string, string>;
    };
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
    const missing = await post('/api/episodes', { child: { localAuthority: 'Sheffield' }, missingSince: hoursAgo(1) });
    // A second child back home, with work under way on every kind of casework, so fuzzed bodies reach each decider.
    const back = await post('/api/episodes', { child: { localAuthority: 'Sheffield' }, missingSince: hoursAgo(5) });
    await post(`/api/episodes/${back.episodeId}/return`, { returnedAt: hoursAgo(2), how: 'returned', where: 'home' });
    const { planId } = await post('/api/safeguarding-plans', { childId: back.childId, concerns: 'older friends' });
    const today = new Date().toISOString().slice(0, 10);
    const plan = await post(`/api/safeguarding-plans/${planId}/actions`, { what: 'school check-in', owner: 'K. Wood', agency: 'education', dueDate: today });
    const { meetingId } = await post('/api/strategy-meetings', { childId: back.childId, reason: 'older friends' });
    await post(`/api/strategy-meetings/${meetingId}/held`, { heldAt: new Date().toISOString(), attendees: [{ name: 'DS Hart', agency: 'police' }] });
    const meeting = await post(`/api/strategy-meetings/${meetingId}/actions`, { what: 'visit', owner: 'DS Hart', agency: 'police', dueDate: today });
    const { noticeId } = await post('/api/warning-notices', { childId: back.childId, against: 'an adult' });
    known = {
      childId: missing.childId,
      episodeId: missing.episodeId,
      returnedEpisodeId: back.episodeId,
      planId,
      planActionId: plan.actionId,
      meetingId,
      meetingActionId: meeting.actionId,
      noticeId,
    };
    expect(Object.values(known).every((id) => typeof id === 'string')).toBe(true);
  });
  afterAll(async () => {
    await running?.close();
    await db?.close();
  });

  it(`answers ${REQUESTS} generated requests with no 5xx, and rejected ones append nothing`, async () => {
    const key = new TextEncoder().encode(TEST_JWT_SECRET);
    const target = fc.constantFrom(...TARGETS);
    const requests = fc.sample(
      fc.record({ target, body, id, known: fc.boolean(), contentType: fc.oneof(
          { arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8'), weight: 17 },
          { arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', '', 'application/json-patch+json'), weight: 3 },
        ), idempotencyKey: fc.option(fc.string({ maxLength: 300 })) }),
      { numRuns: REQUESTS, seed: SEED },
    );
    const outcomes: { userId: string; status: number; what: string }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const n = next++;
        const request = requests[n];
        const userId = `fuzz-${n}`;
        const token = await issueToken(key, { userId, role: 'admin', district: 'Sheffield' });
        const [method, path] = route(request.target, request.known ? known : null, encodeURIComponent(request.id));
        const raw = typeof request.body === 'string' && !request.body.startsWith('{') ? request.body : JSON.stringify(request.body);
        const headers: Record<string, string> = { authorization: `Bearer ${token}` };
        if (request.contentType) headers['content-type'] = request.contentType;
        if (request.idempotencyKey !== null) headers['idempotency-key'] = encodeURIComponent(request.idempotencyKey);
        // Generated bodies are not recorded as personal values: random strings and the service's own words, nobody's data.
        const response = await fetch(running.url + path, { method, headers, body: method === 'GET' ? undefined : raw });
        await response.arrayBuffer();
        outcomes.push({ userId, status: response.status, what: `${method} ${path} ${raw.slice(0, 200)}` });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    const serverErrors = outcomes.filter((o) => o.status >= 500);
    const appendedBy = new Map(
      (await db.query<{ user_id: string; n: string }>(
        `SELECT metadata->'actor'->>'userId' AS user_id, count(*)::text AS n FROM events GROUP BY 1`,
      )).map((row) => [row.user_id, Number(row.n)]),
    );
    const rejectedButAppended = outcomes.filter((o) => o.status >= 400 && appendedBy.has(o.userId));
    const byStatus = outcomes.reduce<Record<number, number>>((acc, o) => ({ ...acc, [o.status]: (acc[o.status] ?? 0) + 1 }), {});
    const byTarget = requests.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.target]: (acc[r.target] ?? 0) + 1 }), {});
    console.log(
      `fuzz: ${outcomes.length} requests over ${Object.keys(byTarget).length} endpoints (fewest ${Math.min(...Object.values(byTarget))} on one); ` +
        `answers by status ${JSON.stringify(byStatus)}; 5xx ${serverErrors.length}; rejected but appended ${rejectedButAppended.length}`,
    );

    expect(outcomes).toHaveLength(REQUESTS);
    expect(Object.keys(byTarget).sort()).toEqual([...TARGETS].sort());
    expect(serverErrors.slice(0, 5)).toEqual([]);
    expect(rejectedButAppended.slice(0, 5)).toEqual([]);
  }, 300_000);
});

interface Known {
  childId: string;
  episodeId: string;
  returnedEpisodeId: string;
  planId: string;
  planActionId: string;
  meetingId: string;
  meetingActionId: string;
  noticeId: string;
}

/** Every route of the API, by a short name; each request goes to a real object or to the generated id. */
const ROUTES: Record<string, (ids: Known) => [string, string]> = {
  children: () => ['POST', '/api/children'],
  patch: (k) => ['PATCH', `/api/children/${k.childId}`],
  child: (k) => ['GET', `/api/children/${k.childId}`],
  timeline: (k) => ['GET', `/api/children/${k.childId}/timeline`],
  episodes: () => ['POST', '/api/episodes'],
  risk: (k) => ['POST', `/api/episodes/${k.episodeId}/risk-assessments`],
  sightings: (k) => ['POST', `/api/episodes/${k.episodeId}/sightings`],
  associates: (k) => ['POST', `/api/episodes/${k.episodeId}/associates`],
  locations: (k) => ['POST', `/api/episodes/${k.episodeId}/locations`],
  return: (k) => ['POST', `/api/episodes/${k.episodeId}/return`],
  cancel: (k) => ['POST', `/api/episodes/${k.episodeId}/cancel`],
  close: (k) => ['POST', `/api/episodes/${k.episodeId}/close`],
  'safe-and-well': (k) => ['POST', `/api/episodes/${k.returnedEpisodeId}/safe-and-well-check`],
  'return-interview': (k) => ['POST', `/api/episodes/${k.returnedEpisodeId}/return-interviews`],
  'return-interviews': (k) => ['GET', `/api/return-interviews?childId=${k.childId}`],
  plan: () => ['POST', '/api/safeguarding-plans'],
  plans: (k) => ['GET', `/api/safeguarding-plans?childId=${k.childId}`],
  'plan-action': (k) => ['POST', `/api/safeguarding-plans/${k.planId}/actions`],
  'plan-action-complete': (k) => ['POST', `/api/safeguarding-plans/${k.planId}/actions/${k.planActionId}/complete`],
  'plan-review': (k) => ['POST', `/api/safeguarding-plans/${k.planId}/reviews`],
  'plan-close': (k) => ['POST', `/api/safeguarding-plans/${k.planId}/close`],
  meeting: () => ['POST', '/api/strategy-meetings'],
  meetings: (k) => ['GET', `/api/strategy-meetings?childId=${k.childId}`],
  'meeting-held': (k) => ['POST', `/api/strategy-meetings/${k.meetingId}/held`],
  'meeting-decision': (k) => ['POST', `/api/strategy-meetings/${k.meetingId}/decisions`],
  'meeting-action': (k) => ['POST', `/api/strategy-meetings/${k.meetingId}/actions`],
  'meeting-action-complete': (k) => ['POST', `/api/strategy-meetings/${k.meetingId}/actions/${k.meetingActionId}/complete`],
  'meeting-outcome': (k) => ['POST', `/api/strategy-meetings/${k.meetingId}/outcome`],
  'meeting-close': (k) => ['POST', `/api/strategy-meetings/${k.meetingId}/close`],
  notice: () => ['POST', '/api/warning-notices'],
  notices: (k) => ['GET', `/api/warning-notices?childId=${k.childId}`],
  'notice-serve': (k) => ['POST', `/api/warning-notices/${k.noticeId}/serve`],
  escalations: (k) => ['GET', `/api/escalations?childId=${k.childId}`],
  ack: (k) => ['POST', `/api/escalations/${k.episodeId}/acknowledge`],
  'dead-letters': () => ['GET', '/api/notifications/dead-letters'],
  'dead-letter-retry': (k) => ['POST', `/api/notifications/dead-letters/${k.noticeId}/retry`],
  links: (k) => ['GET', `/api/children/${k.childId}/links`],
  'dashboard-summary': () => ['GET', '/api/dashboard/summary'],
  'dashboard-open-episodes': () => ['GET', '/api/dashboard/open-episodes'],
  'dashboard-overdue-work': () => ['GET', '/api/dashboard/overdue-work'],
  'dashboard-repeat-children': () => ['GET', '/api/dashboard/repeat-children'],
  'dashboard-meetings': () => ['GET', '/api/dashboard/strategy-meetings'],
  'dashboard-comparison': () => ['GET', '/api/dashboard/district-comparison?year=2026'],
  'dashboard-comparison-csv': () => ['GET', '/api/dashboard/district-comparison.csv'],
  'dashboard-over-time': () => ['GET', '/api/dashboard/episodes-over-time'],
  'dashboard-stream-ticket': () => ['POST', '/api/dashboard/stream-tickets'],
  // A stream opened with a made-up ticket: refused at once, so the fuzzer never waits on it.
  'dashboard-stream': (k) => ['GET', `/api/dashboard/stream?ticket=${k.childId}`],
  health: () => ['GET', '/health'],
};
const TARGETS = Object.keys(ROUTES);

/** `known` null: every id in the path is the generated one. */
function route(target: string, known: Known | null, generated: string): [string, string] {
  const ids = known ?? (Object.fromEntries(['childId', 'episodeId', 'returnedEpisodeId', 'planId', 'planActionId', 'meetingId', 'meetingActionId', 'noticeId'].map((k) => [k, generated])) as unknown as Known);
  return ROUTES[target](ids);
}
