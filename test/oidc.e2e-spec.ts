import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, type KeyLike, SignJWT } from 'jose';
import { freshPostgresUrl } from './support/databases';
import { client, type RunningApp, startApp } from './support/test-app';

const AUDIENCE = 'missing-children-api';

/**
 * A real identity provider peer: an HTTP server publishing an OpenID discovery document and a
 * JWKS made with jose, and the service configured against it.
 */
describe('tokens from the force identity provider (OIDC)', () => {
  let idp: Server;
  let issuer: string;
  let running: RunningApp;
  const keys = {} as Record<'rsa' | 'ec' | 'stranger', { privateKey: KeyLike; publicKey: KeyLike; kid: string; alg: string }>;
  const discoveryRequests: string[] = [];

  beforeAll(async () => {
    for (const [name, alg] of [['rsa', 'RS256'], ['ec', 'ES256'], ['stranger', 'RS256']] as const) {
      const { privateKey, publicKey } = await generateKeyPair(alg);
      keys[name] = { privateKey, publicKey, kid: `${name}-key`, alg };
    }
    const published = await Promise.all(
      // The stranger's key is not published: its tokens name a key id the JWKS does not have.
      (['rsa', 'ec'] as const).map(async (name) => ({ ...(await exportJWK(keys[name].publicKey)), kid: keys[name].kid, alg: keys[name].alg, use: 'sig' })),
    );
    idp = createServer((request, response) => {
      discoveryRequests.push(request.url!);
      response.setHeader('content-type', 'application/json');
      if (request.url === '/realms/force/.well-known/openid-configuration') {
        response.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/protocol/openid-connect/certs` }));
      } else if (request.url === '/realms/force/protocol/openid-connect/certs') {
        response.end(JSON.stringify({ keys: published }));
      } else {
        response.statusCode = 404;
        response.end('{}');
      }
    });
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(idp.address() as { port: number }).port}/realms/force`;
    running = await startApp({
      DATABASE_URL: await freshPostgresUrl(),
      OIDC_ISSUER: issuer,
      OIDC_AUDIENCE: AUDIENCE,
      OIDC_ROLE_CLAIM: 'mfh_role',
      OIDC_DISTRICT_CLAIM: 'mfh_district',
    });
  });
  afterAll(async () => {
    await running?.close();
    await new Promise((resolve) => idp?.close(resolve));
  });

  interface Claims {
    key?: keyof typeof keys;
    iss?: string;
    aud?: string;
    expiresAt?: number;
    claims?: Record<string, unknown>;
  }

  async function token({ key = 'rsa', iss = issuer, aud = AUDIENCE, expiresAt, claims }: Claims = {}): Promise<string> {
    const { privateKey, kid, alg } = keys[key];
    return new SignJWT(claims ?? { mfh_role: 'coordinator', mfh_district: 'Sheffield' })
      .setProtectedHeader({ alg, kid })
      .setSubject('pc-1234')
      .setIssuer(iss)
      .setAudience(aud)
      .setIssuedAt()
      .setExpirationTime(expiresAt ?? Math.floor(Date.now() / 1000) + 600)
      .sign(privateKey);
  }

  const read = async (bearer: string) => client(running.url, bearer).get('/api/escalations');

  async function expectRefused(bearer: string, reason: RegExp) {
    const answer = await read(bearer);
    expect(answer.status).toBe(401);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({ status: 401, title: 'Not authenticated', detail: expect.stringMatching(reason) });
  }

  it('accepts RS256 and ES256 tokens signed by a key of its JWKS, found through discovery', async () => {
    expect((await read(await token())).status).toBe(200);
    expect((await read(await token({ key: 'ec' }))).status).toBe(200);
    expect(discoveryRequests).toEqual(['/realms/force/.well-known/openid-configuration', '/realms/force/protocol/openid-connect/certs']);
  });

  it('reads the role and district from the configured claims and records the subject as the actor', async () => {
    const bearer = await token({ claims: { mfh_role: 'officer', mfh_district: 'Sheffield' } });
    const registered = await client(running.url, bearer).post('/api/children', { firstName: 'Ida', localAuthority: 'Sheffield' });
    expect(registered.status).toBe(201);
    await running.settle();
    const timeline = await client(running.url, bearer).get(`/api/children/${registered.body.childId}/timeline`);
    expect(timeline.body[0].by).toEqual({ userId: 'pc-1234', role: 'officer', district: 'Sheffield' });
  });

  it('accepts a token expired within the 30 s clock skew and refuses one expired longer ago', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await read(await token({ expiresAt: now - 10 }))).status).toBe(200);
    await expectRefused(await token({ expiresAt: now - 120 }), /"exp" claim timestamp check failed/);
  });

  it('refuses another issuer, another audience, an unknown key, a local token and a role without its district', async () => {
    await expectRefused(await token({ iss: 'http://127.0.0.1:1/realms/other' }), /unexpected "iss" claim value/);
    await expectRefused(await token({ aud: 'another-service' }), /unexpected "aud" claim value/);
    await expectRefused(await token({ key: 'stranger' }), /no applicable key found in the JSON Web Key Set/);
    await expectRefused(await running.tokenFor('admin', null), /alg/i);
    await expectRefused(await token({ claims: { mfh_role: 'officer' } }), /works in a district/);
    await expectRefused(await token({ claims: { mfh_role: 'chief-constable', mfh_district: 'Sheffield' } }), /unknown role/);
    const anonymous = await client(running.url).get('/api/escalations');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.detail).toMatch(/Authorization: Bearer/);
  });
});
