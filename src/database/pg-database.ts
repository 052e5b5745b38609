import { Client, Pool, PoolClient, type QueryConfig } from 'pg';
import { Lease, SqlDatabase, SqlExecutor } from './sql-database';

/**
 * Statements with parameters run as named prepared statements, so PostgreSQL parses and plans each
 * once per connection rather than on every call (the command path's statements are few and hot).
 * Statements without parameters (migrations, several statements in one string) cannot be
 * prepared and are sent as they are. The names are capped, so SQL built with a varying shape
 * cannot fill every connection with prepared statements.
 */
const preparedNames = new Map<string, string>();
const MAX_PREPARED = 200;

function queryConfig(sql: string, params?: unknown[]): QueryConfig {
  if (!params || params.length === 0) return { text: sql, values: params };
  let name = preparedNames.get(sql);
  if (!name && preparedNames.size < MAX_PREPARED) {
    name = `mfh_${preparedNames.size}`;
    preparedNames.set(sql, name);
  }
  return { text: sql, values: params, ...(name ? { name } : {}) };
}

const executorOf = (client: Pick<PoolClient, 'query'>): SqlExecutor => ({
  query: async <R>(sql: string, params?: unknown[]) => (await client.query(queryConfig(sql, params))).rows as R[],
});

export class PgDatabase implements SqlDatabase {
  readonly kind = 'postgres' as const;
  private readonly pool: Pool;

  constructor(private readonly url: string, poolSize = 10) {
    this.pool = new Pool({
      connectionString: url,
      max: poolSize,
      // A prepared statement may switch to a generic plan costed on the statistics of its sixth call;
      // made while a table was empty, that plan (a sequential scan) is kept as the table grows until
      // an ANALYZE, which never comes where autovacuum is off (the national load slowed to half).
      // Each call is planned for the tables as they are; parsing is still saved. A/B in
      // BENCHMARKS.md: no measurable cost. The pool hands the connection out only after this.
      onConnect: async (client) => {
        await client.query('SET plan_cache_mode = force_custom_plan');
      },
    });
    // An idle client that loses its server must not take the process down; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  async query<R>(sql: string, params?: unknown[]): Promise<R[]> {
    return (await this.pool.query(queryConfig(sql, params))).rows as R[];
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out client whose server dies between two statements emits 'error' with no pool
    // listener attached; unheard, that would end the process. The statement in flight fails anyway.
    const ignore = () => undefined;
    client.on('error', ignore);
    try {
      await client.query('BEGIN');
      const result = await work(executorOf(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.off('error', ignore);
      client.release();
    }
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    // A dedicated connection: a pooled one would be handed to other queries between notifications.
    // A supervisor opens it again after it dies (a server restart); polling covers the gap.
    let client: Client | null = null;
    let healthy = false;
    let connecting = false;
    const connect = async (): Promise<void> => {
      const next = new Client({ connectionString: this.url });
      next.on('notification', (message) => onNotify(message.payload ?? ''));
      next.on('error', () => (healthy = false));
      next.on('end', () => (healthy = false));
      await next.connect();
      await next.query(`LISTEN ${quoteIdentifier(channel)}`);
      client = next;
      healthy = true;
      onNotify(''); // whatever was appended while nobody listened
    };
    await connect();
    const supervisor = setInterval(() => {
      if (healthy || connecting) return;
      connecting = true;
      void client?.end().catch(() => undefined);
      connect()
        .catch(() => undefined)
        .finally(() => (connecting = false));
    }, 1_000);
    supervisor.unref();
    return async () => {
      clearInterval(supervisor);
      await client?.end().catch(() => undefined);
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
      // Advisory locks are per database; the schema in the key keeps deployments in one database apart.
      "SELECT pg_try_advisory_lock(hashtextextended(current_schema() || '/' || $1, 0)) AS locked",
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
