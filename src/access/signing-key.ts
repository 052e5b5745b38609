import { Configuration } from '../config/configuration';
import { devSecret } from '../config/dev-secret';

/**
 * The HS256 key that signs local tokens: JWT_SECRET, or outside production a key generated once
 * under DATA_DIR, so that `npm run token` and `npm start` on one machine agree with no set-up.
 */
export function signingKey(config: Configuration): Uint8Array {
  return new TextEncoder().encode(config.JWT_SECRET ?? devSecret(config, 'dev-signing-key'));
}
