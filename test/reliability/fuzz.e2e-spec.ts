import * as fc from 'fast-check';
import { issueToken } from '../../src/access/tokens';
import { PgDatabase } from '../../src/database/pg-database';
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
  let known: { childId: string; episodeId: string };

  beforeAll(async () => {
    const url = await freshPostgresUrl();
    running = await startApp({ DATABASE_URL: url });
    db = new PgDatabase(url);
    const key = new TextEncoder().encode(TEST_JWT_SECRET);
    const token = await issueToken(key, { userId: 'setup', role: 'admin', district: 'Sheffield' });
    const reported = await fetch(`${running.url}/api/episodes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ child: { localAuthority: 'Sheffield' }, missingSince: new Date(Date.now() - 3_600_000).toISOString() }),
    });
    known = (await reported.json()) as typeof known;
  });
  afterAll(async () => {
    await running?.close();
    await db?.close();
  });

  it(`answers ${REQUESTS} generated requests with no 5xx, and rejected ones append nothing`, async () => {
    const key = new TextEncoder().encode(TEST_JWT_SECRET);
    const target = fc.oneof(
      fc.constantFrom('children', 'episodes', 'risk', 'sightings', 'associates', 'locations', 'return', 'cancel', 'close', 'patch', 'ack', 'get'),
    );
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
        const episode = request.known ? known.episodeId : encodeURIComponent(request.id);
        const child = request.known ? known.childId : encodeURIComponent(request.id);
        const [method, path] = route(request.target, episode, child);
        const raw = typeof request.body === 'string' && !request.body.startsWith('{') ? request.body : JSON.stringify(request.body);
        const headers: Record<string, string> = { authorization: `Bearer ${token}` };
        if (request.contentType) headers['content-type'] = request.contentType;
        if (request.idempotencyKey !== null) headers['idempotency-key'] = encodeURIComponent(request.idempotencyKey);
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
    console.log(`fuzz: ${outcomes.length} requests; answers by status ${JSON.stringify(byStatus)}; 5xx ${serverErrors.length}; rejected but appended ${rejectedButAppended.length}`);

    expect(outcomes).toHaveLength(REQUESTS);
    expect(serverErrors.slice(0, 5)).toEqual([]);
    expect(rejectedButAppended.slice(0, 5)).toEqual([]);
  }, 300_000);
});

function route(target: string, episode: string, child: string): [string, string] {
  switch (target) {
    case 'children':
      return ['POST', '/api/children'];
    case 'patch':
      return ['PATCH', `/api/children/${child}`];
    case 'episodes':
      return ['POST', '/api/episodes'];
    case 'risk':
      return ['POST', `/api/episodes/${episode}/risk-assessments`];
    case 'ack':
      return ['POST', `/api/escalations/${episode}/acknowledge`];
    case 'get':
      return ['GET', `/api/children/${child}/timeline`];
    default:
      return ['POST', `/api/episodes/${episode}/${target}`];
  }
}
