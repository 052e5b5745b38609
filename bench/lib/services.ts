import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Client, Pool } from 'pg';

/**
 * The machine's PostgreSQL and Redis, as `npm test` uses them (127.0.0.1, database `test`).
 * BENCH_DATABASE_URL / BENCH_REDIS_URL point elsewhere; TEST_DATABASE_URL is honoured too.
 */
export const BENCH_DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Work on the server's maintenance connection (the database `BENCH_DATABASE_URL` names). */
export async function asAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: BENCH_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A raw pg Pool on a benchmark's database. The database is dropped WITH (FORCE) at the end, and
 * a client still closing when it is cut reports the cut as an error: that must not end the run.
 */
export function benchPool(url: string, max: number): Pool {
  const pool = new Pool({ connectionString: url, max });
  pool.on('error', () => undefined);
  return pool;
}

/**
 * A new database, empty or a copy of `template`, and drop() to remove it. A database, not a
 * schema: the service's consumer leases are advisory locks, which PostgreSQL scopes to a database,
 * not a schema, so an app on another schema of the same database (a test suite running beside the
 * benchmark) would own the consumers and this one would only stand by.
 */
export async function freshDatabase(prefix = 'bench', template?: string): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  // A file copy: the default (WAL_LOG, PostgreSQL 15) writes all of a national history's gigabytes through the WAL.
  const copy = template ? ` TEMPLATE ${template}${Number((await postgresVersion()).split('.')[0]) >= 15 ? ' STRATEGY FILE_COPY' : ''}` : '';
  await asAdmin((client) => client.query(`CREATE DATABASE ${name}${copy}`));
  const url = new URL(BENCH_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => asAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Deletes every Redis key under a BullMQ prefix of our own (never a shared one). */
export async function deleteRedisPrefix(redisUrl: string, prefix: string): Promise<number> {
  if (!/^bench-[0-9a-f]{8}$/.test(prefix)) throw new Error(`refusing to delete keys under ${prefix}: not a benchmark prefix`);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) deleted += await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

export async function postgresVersion(url = BENCH_DATABASE_URL): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0].server_version.split(' ')[0];
  } finally {
    await client.end();
  }
}

export async function redisVersion(url = BENCH_REDIS_URL): Promise<string> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const info = await redis.info('server');
    return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
  } finally {
    redis.disconnect();
  }
}

/**
 * The service's environment in a benchmark: production settings, a queue prefix and a scratch
 * folder of its own, throwaway secrets, and no per-address rate limit (one load generator on one
 * address would otherwise measure the limiter's 429s).
 */
export function benchServiceEnv(database: { url: string } | null): { env: Record<string, string>; prefix: string; scratch: string } {
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const scratch = mkdtempSync(join(tmpdir(), 'mfh-bench-'));
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: '0',
    ...(database ? { DATABASE_URL: database.url } : {}),
    REDIS_URL: BENCH_REDIS_URL,
    QUEUE_PREFIX: prefix,
    OUTBOX_DIR: join(scratch, 'outbox'),
    DATA_DIR: scratch,
    RATE_LIMIT_PER_MINUTE: '1000000000',
    JWT_SECRET: randomBytes(32).toString('hex'),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  };
  return { env, prefix, scratch };
}
