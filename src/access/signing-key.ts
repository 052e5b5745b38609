import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Configuration } from '../config/configuration';

/**
 * The HS256 key that signs local tokens: JWT_SECRET, or outside production a key generated once
 * under DATA_DIR, so that `npm run token` and `npm start` on one machine agree with no set-up.
 */
export function signingKey(config: Configuration): Uint8Array {
  if (config.JWT_SECRET) return new TextEncoder().encode(config.JWT_SECRET);
  const file = join(config.dataDir, 'dev-signing-key');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
}
