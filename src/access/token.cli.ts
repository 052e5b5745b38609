import { parseArgs } from 'node:util';
import { loadConfiguration } from '../config/configuration';
import { isRole, ROLES } from './roles';
import { FORCE_WIDE_ROLES } from './scope';
import { signingKey } from './signing-key';
import { issueToken } from './tokens';

/** `npm run token -- --role coordinator --district Sheffield`: a signed token for local use. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      district: { type: 'string' },
      user: { type: 'string' },
      expires: { type: 'string', default: '12h' },
    },
  });
  if (!isRole(values.role)) {
    throw new Error(`--role must be one of: ${ROLES.join(', ')}`);
  }
  const config = loadConfiguration();
  if (values.district === undefined ? !FORCE_WIDE_ROLES.includes(values.role) : !config.districts.includes(values.district)) {
    throw new Error(`--district must be one of: ${config.districts.join(', ')} (left out only for ${FORCE_WIDE_ROLES.join(' and ')})`);
  }
  const token = await issueToken(signingKey(config), {
    userId: values.user ?? `local-${values.role}`,
    role: values.role,
    district: values.district ?? null,
    expiresIn: values.expires,
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error) => {
  console.error((error as Error).message);
  process.exit(1);
});
