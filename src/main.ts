import 'reflect-metadata';
import { createApp } from './app.factory';
import { ConfigurationError, loadConfiguration } from './config/configuration';

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
  console.error(error instanceof ConfigurationError ? error.message : error);
  process.exit(1);
});
