import type { SqlExecutor } from './sql-database';

type Row = Record<string, unknown>;

/**
 * The rows of one table that a batch of events touches, for a set-based projection: read with one
 * statement, changed in memory as the per-event `INSERT ... ON CONFLICT DO NOTHING` and `UPDATE`
 * statements would have changed them, then written back with one upsert. A rebuild replays the
 * history in batches of thousands of events, and one round trip per event was what bounded it.
 *
 * Values go to PostgreSQL as one jsonb array (`jsonb_to_recordset`), so a row holds what JSON
 * carries: strings, numbers, booleans, null, objects for jsonb columns and Dates (as ISO text).
 * A row inserted here must name every column: the table's defaults do not apply to an upsert.
 */
export class RowBatch<R extends Row> {
  private readonly rows = new Map<string, R>();
  /** Each row as the table holds it (loaded, or last written): what `countChanges` compares with. */
  private readonly stored = new Map<string, R>();
  private readonly dirty = new Set<string>();
  private readonly columns: { name: string; type: string }[];

  /**
   * @param columns every column and its type, as `jsonb_to_recordset` takes them ("episode_id uuid, status text")
   * @param key the columns of the primary key (uuid values compare case-insensitively, as PostgreSQL does)
   */
  constructor(
    private readonly table: string,
    private readonly columnTypes: string,
    private readonly key: readonly (keyof R & string)[],
  ) {
    this.columns = columnTypes.split(',').map((column) => {
      const [name, type] = column.trim().split(/\s+/);
      return { name, type };
    });
  }

  /** Reads the rows whose `column` is one of `values` (none read when there are none). */
  async load(tx: SqlExecutor, column: keyof R & string, values: Iterable<unknown>): Promise<this> {
    const wanted = [...new Set(values)].filter((value) => value !== null && value !== undefined);
    if (wanted.length === 0) return this;
    const type = this.typeOf(column);
    const found = await tx.query<R>(
      `SELECT ${this.columns.map(({ name }) => name).join(', ')} FROM ${this.table} WHERE ${column} = ANY($1::${type}[])`,
      [wanted],
    );
    for (const row of found) {
      this.rows.set(this.keyOf(row), row);
      this.stored.set(this.keyOf(row), row);
    }
    return this;
  }

  /** The row with that key (its values in the key's order), as loaded and changed so far. */
  get(...key: unknown[]): R | undefined {
    return this.rows.get(this.keyOfValues(key));
  }

  /** Every row loaded or written so far that `matches`. */
  where(matches: (row: R) => boolean): R[] {
    return [...this.rows.values()].filter(matches);
  }

  /** As `INSERT ... ON CONFLICT DO NOTHING`: false, and nothing changed, if the row is there. */
  insert(row: R): boolean {
    const key = this.keyOf(row);
    if (this.rows.has(key)) return false;
    this.rows.set(key, row);
    this.dirty.add(key);
    return true;
  }

  /** As an `UPDATE` of the row with that key: the changed row, or undefined (and nothing done) if it is not there. */
  update(key: unknown[], change: Partial<R> | ((row: R) => Partial<R>)): R | undefined {
    const id = this.keyOfValues(key);
    const row = this.rows.get(id);
    if (!row) return undefined;
    const changed = { ...row, ...(typeof change === 'function' ? change(row) : change) };
    this.rows.set(id, changed);
    this.dirty.add(id);
    return changed;
  }

  /**
   * How many more rows of each group match `counted` than the table held before the changes not yet
   * written (negative for fewer; groups unchanged left out): the deltas of a count kept beside it.
   */
  countChanges(counted: (row: R) => boolean, groupOf: (row: R) => string): Map<string, number> {
    const deltas = new Map<string, number>();
    const add = (row: R | undefined, by: number) => {
      if (row === undefined || !counted(row)) return;
      const group = groupOf(row);
      deltas.set(group, (deltas.get(group) ?? 0) + by);
    };
    for (const key of this.dirty) {
      add(this.stored.get(key), -1);
      add(this.rows.get(key), 1);
    }
    for (const [group, delta] of deltas) if (delta === 0) deltas.delete(group);
    return deltas;
  }

  /** Writes back every row inserted or changed, with one statement. */
  async write(tx: SqlExecutor): Promise<void> {
    if (this.dirty.size === 0) return;
    const names = this.columns.map(({ name }) => name);
    const others = names.filter((name) => !this.key.includes(name));
    const rows = [...this.dirty].map((key) => this.rows.get(key)!);
    await tx.query(
      `INSERT INTO ${this.table} (${names.join(', ')})
       SELECT ${names.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${this.columnTypes})
       ON CONFLICT (${this.key.join(', ')}) DO UPDATE SET ${others.map((name) => `${name} = excluded.${name}`).join(', ')}`,
      [JSON.stringify(rows)],
    );
    for (const key of this.dirty) this.stored.set(key, this.rows.get(key)!);
    this.dirty.clear();
  }

  private typeOf(column: string): string {
    const found = this.columns.find(({ name }) => name === column);
    if (!found) throw new Error(`${this.table} has no column ${column}`);
    return found.type;
  }

  private keyOf(row: R): string {
    return this.keyOfValues(this.key.map((name) => row[name]));
  }

  private keyOfValues(values: unknown[]): string {
    return JSON.stringify(values.map((value, i) => (this.typeOf(this.key[i]) === 'uuid' ? String(value).toLowerCase() : value)));
  }
}
