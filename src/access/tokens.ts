import { jwtVerify, SignJWT } from 'jose';
import { Actor } from '../event-store/event-store.port';
import { isRole, Role } from './roles';

const ISSUER = 'missing-children-case-management';
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

export class InvalidToken extends Error {}

/** The actor a bearer token stands for, or InvalidToken with the reason. */
export async function verifyToken(key: Uint8Array, token: string): Promise<Actor> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, key, {
      issuer: ISSUER,
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
