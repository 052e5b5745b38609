import { createRemoteJWKSet, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { Actor } from '../event-store/event-store.port';
import { isRole, Role } from './roles';
import { FORCE_WIDE_ROLES } from './scope';

const ISSUER = 'missing-children-case-management';
// Stream tickets travel in a URL (EventSource sends no headers): another issuer, so a ticket seen
// in a log can never pass as a bearer token, and a minute's life.
const STREAM_TICKET_ISSUER = 'missing-children-case-management/dashboard-stream';
export const STREAM_TICKET_SECONDS = 60;
/** Clocks of the identity provider and of this service may differ a little; no more than this. */
export const CLOCK_TOLERANCE_SECONDS = 30;

export interface TokenRequest {
  userId: string;
  role: Role;
  district: string | null;
  expiresIn?: string;
}

export async function issueToken(key: Uint8Array, request: TokenRequest): Promise<string> {
  return new SignJWT({ role: request.role, district: request.district })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(request.userId)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(request.expiresIn ?? '12h')
    .sign(key);
}

/** A ticket that opens the dashboard's live stream for the actor, and nothing else. */
export async function issueStreamTicket(key: Uint8Array, actor: Actor): Promise<string> {
  return new SignJWT({ role: actor.role, district: actor.district })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(actor.userId)
    .setIssuer(STREAM_TICKET_ISSUER)
    .setIssuedAt()
    .setExpirationTime(`${STREAM_TICKET_SECONDS}s`)
    .sign(key);
}

export async function verifyStreamTicket(key: Uint8Array, ticket: string): Promise<Actor> {
  const payload = await verified(() =>
    jwtVerify(ticket, key, { issuer: STREAM_TICKET_ISSUER, algorithms: ['HS256'], clockTolerance: CLOCK_TOLERANCE_SECONDS, requiredClaims: ['exp', 'sub'] }),
  );
  return actorOf(payload, 'role', 'district');
}

export class InvalidToken extends Error {}

/** Who a bearer token stands for, or InvalidToken with the reason. */
export type TokenVerifier = (token: string) => Promise<Actor>;

/** Local tokens, signed with the HS256 key that `npm run token` uses. */
export const localTokenVerifier =
  (key: Uint8Array): TokenVerifier =>
  async (token) => {
    const payload = await verified(() =>
      jwtVerify(token, key, { issuer: ISSUER, algorithms: ['HS256'], clockTolerance: CLOCK_TOLERANCE_SECONDS, requiredClaims: ['exp', 'sub'] }),
    );
    return actorOf(payload, 'role', 'district');
  };

/** The actor a local token stands for (kept for callers that hold the key). */
export const verifyToken = (key: Uint8Array, token: string): Promise<Actor> => localTokenVerifier(key)(token);

export interface OidcSettings {
  issuer: string;
  audience: string;
  roleClaim: string;
  districtClaim: string;
}

/**
 * Tokens of the force's identity provider: RS256 or ES256, signed by a key of the JWKS named in its
 * discovery document. Discovery happens at the first token and is retried on the next one if it
 * failed; jose refetches the key set when a token names a key id it has not seen (key rotation).
 */
export function oidcTokenVerifier(settings: OidcSettings, fetchJson: (url: string) => Promise<unknown> = getJson): TokenVerifier {
  let keySet: Promise<ReturnType<typeof createRemoteJWKSet>> | null = null;
  const discover = async () => {
    const url = `${settings.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const document = (await fetchJson(url)) as { issuer?: unknown; jwks_uri?: unknown };
    if (typeof document.jwks_uri !== 'string') throw new Error(`${url} names no jwks_uri`);
    return createRemoteJWKSet(new URL(document.jwks_uri));
  };
  return async (token) => {
    keySet ??= discover();
    let keys;
    try {
      keys = await keySet;
    } catch (error) {
      keySet = null;
      throw new InvalidToken(`the identity provider could not be reached: ${(error as Error).message}`);
    }
    const payload = await verified(() =>
      jwtVerify(token, keys, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: ['RS256', 'ES256'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'sub'],
      }),
    );
    return actorOf(payload, settings.roleClaim, settings.districtClaim);
  };
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

async function verified(verify: () => Promise<{ payload: JWTPayload }>): Promise<JWTPayload> {
  try {
    return (await verify()).payload;
  } catch (error) {
    throw new InvalidToken((error as Error).message);
  }
}

function actorOf(payload: JWTPayload, roleClaim: string, districtClaim: string): Actor {
  const role = payload[roleClaim];
  if (!isRole(role)) throw new InvalidToken(`unknown role ${JSON.stringify(role)}`);
  const district = typeof payload[districtClaim] === 'string' ? (payload[districtClaim] as string) : null;
  if (!district && !FORCE_WIDE_ROLES.includes(role)) throw new InvalidToken(`the role ${role} works in a district, and the token names none`);
  return { userId: payload.sub!, role, district };
}
