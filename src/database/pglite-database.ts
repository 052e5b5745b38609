import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Lease, SqlDatabase, SqlExecutor } from './sql-database';

/** Embedded PostgreSQL (WASM): one process owns the data folder, so leases are local. */
export class PgliteDatabase implements SqlDatabase {
  readonly kind = 'pglite' as const;
  private readonly heldLeases = new Set<string>();

  private constructor(private readonly db: PGlite) {}

  /** `dataDir` undefined keeps the database in memory (tests). */
  static async open(dataDir?: string): Promise<PgliteDatabase> {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    const db = await PGlite.create(dataDir);
    return new PgliteDatabase(db);
  }

  async query<R>(sql: string, params?: unknown[]): Promise<R[]> {
    return (await this.db.query<R>(sql, params)).rows;
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) =>
      work({ query: async <R>(sql: string, params?: unknown[]) => (await tx.query<R>(sql, params)).rows }),
    );
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    return this.db.listen(channel, onNotify);
  }

  async tryLease(name: string): Promise<Lease | null> {
    if (this.heldLeases.has(name)) return null;
    this.heldLeases.add(name);
    return {
      lost: new Promise<void>(() => undefined),
      release: async () => {
        this.heldLeases.delete(name);
      },
    };
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}
