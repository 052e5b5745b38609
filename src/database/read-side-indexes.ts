import type { SqlExecutor } from './sql-database';

/**
 * A read model's indexes that only its queries read by (the lists, the counts, the dashboard):
 * none that a rebuild reads by, in the projection's `apply`, its erasure or its `finishRebuild`.
 * A rebuild drops them before it replays the history and builds each once at the end, from every
 * row, instead of keeping them up batch by batch (see BENCHMARKS.md, under found and fixed).
 */
export class ReadSideIndexes {
  /** @param definitions each index's name and what follows it in `CREATE INDEX name ...` ("ON table (column)") */
  constructor(private readonly definitions: Readonly<Record<string, string>>) {}

  /** The indexes of several read models, as one (a consumer that feeds them all). */
  static of(...parts: readonly ReadSideIndexes[]): ReadSideIndexes {
    return new ReadSideIndexes(Object.assign({}, ...parts.map((part) => part.definitions)));
  }

  get names(): string[] {
    return Object.keys(this.definitions);
  }

  /** Creates those that are missing: in `migrate`, and after a rebuild. */
  async create(db: SqlExecutor): Promise<void> {
    for (const [name, definition] of Object.entries(this.definitions)) await db.query(`CREATE INDEX IF NOT EXISTS ${name} ${definition}`);
  }

  async drop(db: SqlExecutor): Promise<void> {
    if (this.names.length > 0) await db.query(`DROP INDEX IF EXISTS ${this.names.join(', ')}`);
  }
}
