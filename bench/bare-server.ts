import { Pool } from 'pg';
import { bareServer, rawPool } from './lib/bare-endpoint';

/**
 * The memory benchmark's baseline, run as its own Node process: the bare endpoint of the HTTP
 * benchmark (Fastify, one pg Pool of 10, one INSERT per POST) and nothing of the service. Prints
 * its URL on stdout. DATABASE_URL names the database.
 */
async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const { url } = await bareServer(rawPool(pool));
  process.stdout.write(`${url}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
