import type { PgDatabase } from '../src/database/pg-database';
import { freshPostgresDatabase } from './support/databases';

/**
 * A read model grows from empty while the service's prepared statements keep running. Where no
 * ANALYZE comes (autovacuum off), a generic plan made on the empty table would scan the whole table
 * on every later call; PgDatabase must plan each call for the table as it is.
 */
describe('PgDatabase on a table that grows from empty', () => {
  let db: PgDatabase;

  beforeAll(async () => {
    db = await freshPostgresDatabase(1);
    await db.query('CREATE TABLE growing (id text PRIMARY KEY, value text NOT NULL)');
  });
  afterAll(() => db.close());

  it('looks rows up by index after the table has grown, without an ANALYZE', async () => {
    const lookUp = (tx: { query: PgDatabase['query'] }, ids: string[]) =>
      tx.query<{ id: string }>('SELECT g.id FROM jsonb_to_recordset($1::jsonb) AS w(id text) JOIN growing g USING (id)', [
        JSON.stringify(ids.map((id) => ({ id }))),
      ]);
    // One transaction, so the counts below are this connection's, read before PostgreSQL flushes them.
    const scans = await db.transaction(async (tx) => {
      for (let call = 0; call < 8; call++) await lookUp(tx, ['nobody']); // PostgreSQL weighs a generic plan from the sixth call
      await tx.query("INSERT INTO growing SELECT 'c' || n, 'v' FROM generate_series(1, 200000) AS n");
      const before = await scansSoFar(tx);
      expect(await lookUp(tx, ['c17', 'c150000'])).toHaveLength(2);
      const after = await scansSoFar(tx);
      return { sequential: after.sequential - before.sequential, byIndex: after.byIndex - before.byIndex };
    });
    expect(scans).toEqual({ sequential: 0, byIndex: 2 });
  });
});

/** This transaction's scans of the table so far, by kind. */
async function scansSoFar(tx: { query: PgDatabase['query'] }): Promise<{ sequential: number; byIndex: number }> {
  const [row] = await tx.query<{ seq_scan: string; idx_scan: string }>(
    "SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables WHERE relname = 'growing' AND schemaname = current_schema()",
  );
  return { sequential: Number(row.seq_scan), byIndex: Number(row.idx_scan) };
}
