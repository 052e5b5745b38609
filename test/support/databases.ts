import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { PgDatabase } from '../../src/database/pg-database';
import { PgliteDatabase } from '../../src/database/pglite-database';

/** The machine's PostgreSQL (CI and developers run one on 127.0.0.1:5432, database `test`). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A URL whose connections see only a new, empty schema, so suites never see each other's rows. */
export async function freshPostgresUrl(): Promise<string> {
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

export async function freshPostgresDatabase(poolSize?: number): Promise<PgDatabase> {
  return new PgDatabase(await freshPostgresUrl(), poolSize);
}

export function freshPgliteDatabase(): Promise<PgliteDatabase> {
  return PgliteDatabase.open();
}
