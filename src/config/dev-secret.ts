import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Configuration } from './configuration';

/**
 * Outside production, a secret generated once under DATA_DIR, so that the processes of one
 * machine (the service, `npm run token`, `npm run rebuild`) agree with no set-up.
 */
export function devSecret(config: Configuration, name: string): string {
  const file = join(config.dataDir, name);
  mkdirSync(config.dataDir, { recursive: true });
  try {
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Already there (perhaps written a moment ago by another process): use that one.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}
