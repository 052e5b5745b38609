import { Client, Pool, PoolClient } from 'pg';
import { Lease, SqlDatabase, SqlExecutor } from './sql-database';

const executorOf = (client: Pick<PoolClient, 'query'>): SqlExecutor => ({
  query: async <R>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as R[],
});

export class PgDatabase implements SqlDatabase {
  readonly kind = 'postgres' as const;
  private readonly pool: Pool;

  constructor(private readonly url: string, poolSize = 10) {
    this.pool = new Pool({ connectionString: url, max: poolSize });
    // An idle client that loses its server must not take the process down; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  async query<R>(sql: string, params?: unknown[]): Promise<R[]> {
    return (await this.pool.query(sql, params)).rows as R[];
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(executorOf(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async listen(channel: string, onNotify: () => void): Promise<() => Promise<void>> {
    // A dedicated connection: a pooled one would be handed to other queries between notifications.
    const client = new Client({ connectionString: this.url });
    client.on('error', () => undefined);
    client.on('notification', onNotify);
    await client.connect();
    await client.query(`LISTEN ${quoteIdentifier(channel)}`);
    return async () => {
      await client.end().catch(() => undefined);
    };
  }

  async tryLease(name: string): Promise<Lease | null> {
    // A session-level advisory lock on its own connection: PostgreSQL frees it when that connection
    // dies, so another instance takes over without waiting for a timeout.
    const client = new Client({ connectionString: this.url });
    let markLost: () => void = () => undefined;
    const lost = new Promise<void>((resolve) => (markLost = resolve));
    client.on('error', () => markLost());
    client.on('end', () => markLost());
    await client.connect();
    const { rows } = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
      [name],
    );
    if (!rows[0].locked) {
      await client.end();
      return null;
    }
    return { lost, release: () => client.end().catch(() => undefined) };
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
