import type { SqlDatabase } from '../../src/database/sql-database';

/** Every read model table (rm_*, the stream directory, the children's districts), row by row, whatever projections exist. */
export async function snapshotReadModels(db: SqlDatabase): Promise<Record<string, unknown[]>> {
  const names = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() AND (table_name LIKE 'rm\\_%' OR table_name IN ('stream_directory', 'access_child_districts')) ORDER BY 1`,
  );
  const tables: Record<string, unknown[]> = {};
  for (const { table_name } of names) tables[table_name] = await db.query(`SELECT * FROM ${table_name} ORDER BY 1, 2${table_name === 'access_child_districts' ? ', 3' : ''}`);
  return tables;
}
