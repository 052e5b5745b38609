import { freshPostgresUrl } from './support/databases';
import { client, type RunningApp, startApp } from './support/test-app';

/** Rate limit, security headers and CORS, as a browser or a flood would meet them. */
describe('HTTP hardening', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp({ DATABASE_URL: await freshPostgresUrl(), RATE_LIMIT_PER_MINUTE: '20', CORS_ORIGINS: 'https://dashboard.force.example' });
  });
  afterAll(() => running?.close());

  it('sends the security headers on every answer', async () => {
    const response = await fetch(`${running.url}/api/escalations`);
    expect(response.status).toBe(401);
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('answers a configured origin and no other', async () => {
    const preflight = (origin: string) =>
      fetch(`${running.url}/api/escalations`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
    const allowed = await preflight('https://dashboard.force.example');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://dashboard.force.example');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const other = await preflight('https://elsewhere.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 429 with a problem document once an address passes its limit', async () => {
    const api = client(running.url, await running.tokenFor('coordinator'));
    const statuses: number[] = [];
    for (let n = 0; n < 25; n++) statuses.push((await api.get('/api/escalations')).status);
    expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(20);
    const refused = await api.get('/api/escalations');
    expect(refused.status).toBe(429);
    expect(refused.contentType).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ status: 429, title: 'Too many requests', detail: expect.stringMatching(/at most 20 requests a minute/) });
  });
});

describe('CORS unconfigured', () => {
  it('answers no browser origin', async () => {
    const running = await startApp({ DATABASE_URL: await freshPostgresUrl() });
    try {
      const response = await fetch(`${running.url}/api/escalations`, { headers: { origin: 'https://dashboard.force.example' } });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await running.close();
    }
  });
});
