import type { RowBatch } from './row-batch';
import type { SqlExecutor } from './sql-database';

/** The one group of a count kept for the whole force, of rows that carry no district. */
export const EVERY_DISTRICT = '*';

/**
 * How many rows of a read model match a condition, per district, kept in a table of its own by the
 * projection that writes the rows, in the same transaction: a headline count then reads one row
 * per district instead of counting rows that grow with the history (at national scale, hundreds
 * of thousands of repeat children or unacknowledged escalations on every dashboard request).
 */
export class KeptCount<R extends Record<string, unknown>> {
  /**
   * @param table the count's table: `district text PRIMARY KEY, n integer`
   * @param counted the condition, on a row as the projection holds it
   * @param countedInSql the same condition in SQL over `source`, to fill the table from rows kept before it
   */
  constructor(
    readonly table: string,
    private readonly source: { table: string; district: string; countedInSql: string },
    private readonly counted: (row: R) => boolean,
    private readonly districtOf: (row: R) => string,
  ) {}

  /** Made from the rows where it is new, so a read model from before it needs no rebuild. */
  async migrate(db: SqlExecutor): Promise<void> {
    const [{ missing }] = await db.query<{ missing: boolean }>(`SELECT to_regclass($1) IS NULL AS missing`, [this.table]);
    await db.query(`CREATE TABLE IF NOT EXISTS ${this.table} (district text PRIMARY KEY, n integer NOT NULL)`);
    if (!missing) return;
    const { table, district, countedInSql } = this.source;
    await db.query(`INSERT INTO ${this.table} (district, n) SELECT ${district}, count(*) FROM ${table} WHERE ${countedInSql} GROUP BY 1 ON CONFLICT DO NOTHING`);
  }

  /** Adds what the batch's changes not yet written do to the count: call before `rows.write`. */
  async follow(rows: RowBatch<R>, tx: SqlExecutor): Promise<void> {
    const deltas = rows.countChanges(this.counted, this.districtOf);
    if (deltas.size === 0) return;
    await tx.query(
      `INSERT INTO ${this.table} (district, n) SELECT * FROM unnest($1::text[], $2::int[])
       ON CONFLICT (district) DO UPDATE SET n = ${this.table}.n + excluded.n`,
      [[...deltas.keys()], [...deltas.values()]],
    );
    // A count of none is no row, as a rebuild (whose batches may net to nothing) and the backfill leave it.
    await tx.query(`DELETE FROM ${this.table} WHERE n = 0 AND district = ANY($1::text[])`, [[...deltas.keys()]]);
  }
}
