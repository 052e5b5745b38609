import 'reflect-metadata';
import { createApp } from './app.factory';
import { ConfigurationError, loadConfiguration } from './config/configuration';
import { DatabaseUnreachable } from './event-store/event-store.module';
import { EscalationPolicyError } from './escalation/policy/load-escalation-policy';
import { DirectoryError } from './notifications/directory';
import { RedisEvictionPolicyError } from './notifications/redis-check';

/** Start-up problems a person fixes in configuration: said in one line, without a stack. */
const PLAIN_ERRORS = [ConfigurationError, DatabaseUnreachable, EscalationPolicyError, DirectoryError, RedisEvictionPolicyError];

async function main(): Promise<void> {
  const config = loadConfiguration();
  const app = await createApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });
  const storage = config.DATABASE_URL ? 'PostgreSQL' : `embedded PGlite in ${config.pgliteDir}`;
  app.getHttpAdapter().getInstance().log.info(
    `listening on http://${config.HOST}:${config.PORT} (events in ${storage}); API docs at /api/docs`,
  );
}

main().catch((error) => {
  // One plain line saying what to fix, not a stack trace, for the errors a person can fix.
  console.error(PLAIN_ERRORS.some((kind) => error instanceof kind) ? error.message : error);
  process.exit(1);
});
