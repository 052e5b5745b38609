/**
 * The little the project needs from a SQL database, so that one set of SQL serves both a
 * PostgreSQL server (`pg`) and embedded PGlite.
 */
export interface SqlExecutor {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

/** Held while this process owns a named piece of work; `lost` resolves if the owner connection dies. */
export interface Lease {
  readonly lost: Promise<void>;
  release(): Promise<void>;
}

export interface SqlDatabase extends SqlExecutor {
  readonly kind: 'postgres' | 'pglite';
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** `onNotify` gets the notification's payload ('' when the listener itself asks for a look). */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /** Owner of `name` across every process using this database, or null if another process owns it. */
  tryLease(name: string): Promise<Lease | null>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const SQL_DATABASE = Symbol('SqlDatabase');
