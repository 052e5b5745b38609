import { jwtVerify, SignJWT } from 'jose';
import { Actor } from '../event-store/event-store.port';
import { isRole, Role } from './roles';

const ISSUER = 'missing-children-case-management';
// Stream tickets travel in a URL (EventSource sends no headers): another issuer, so a ticket seen
// in a log can never pass as a bearer token, and a minute's life.
const STREAM_TICKET_ISSUER = 'missing-children-case-management/dashboard-stream';
export const STREAM_TICKET_SECONDS = 60;
const CLOCK_TOLERANCE_SECONDS = 30;

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

export const verifyStreamTicket = (key: Uint8Array, ticket: string): Promise<Actor> => verifyToken(key, ticket, STREAM_TICKET_ISSUER);

export class InvalidToken extends Error {}

/** The actor a bearer token stands for, or InvalidToken with the reason. */
export async function verifyToken(key: Uint8Array, token: string, issuer = ISSUER): Promise<Actor> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, key, {
      issuer,
      algorithms: ['HS256'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'sub'],
    }));
  } catch (error) {
    throw new InvalidToken((error as Error).message);
  }
  if (!isRole(payload.role)) throw new InvalidToken(`unknown role ${JSON.stringify(payload.role)}`);
  const district = typeof payload.district === 'string' ? payload.district : null;
  return { userId: payload.sub!, role: payload.role, district };
}
