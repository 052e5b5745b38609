import type { SqlDatabase } from '../../src/database/sql-database';

/** Every read model table (rm_*, and the stream directory), row by row, whatever projections exist. */
export async function snapshotReadModels(db: SqlDatabase): Promise<Record<string, unknown[]>> {
  const names = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() AND (table_name LIKE 'rm\\_%' OR table_name = 'stream_directory') ORDER BY 1`,
  );
  const tables: Record<string, unknown[]> = {};
  // Ordered by the whole row: some read models share their leading columns between many rows.
  for (const { table_name } of names) tables[table_name] = await db.query(`SELECT * FROM ${table_name} t ORDER BY t::text`);
  return tables;
}
