import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Configuration } from '../config/configuration';
import { devSecret } from '../config/dev-secret';
import { ChildDataKeys } from '../erasure/child-data-keys';
import { EncryptingEventStore } from '../erasure/encrypting-event-store';
import { PgDatabase } from '../database/pg-database';
import { PgliteDatabase } from '../database/pglite-database';
import { SQL_DATABASE } from '../database/sql-database';
import type { SqlDatabase } from '../database/sql-database';
import { EVENT_STORE } from './event-store.port';
import type { EventStore } from './event-store.port';
import { KurrentDbEventStore } from './kurrentdb/kurrentdb-event-store';
import { SqlEventStore } from './postgres/sql-event-store';

export class DatabaseUnreachable extends Error {}

/** The read-model database: PostgreSQL when DATABASE_URL is set, embedded PGlite otherwise. */
export async function openSqlDatabase(config: Configuration): Promise<SqlDatabase> {
  if (!config.DATABASE_URL) return PgliteDatabase.open(config.pgliteDir);
  const db = new PgDatabase(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  try {
    await db.ping();
  } catch (error) {
    await db.close().catch(() => undefined);
    const where = new URL(config.DATABASE_URL);
    throw new DatabaseUnreachable(
      `database: cannot reach PostgreSQL at ${where.hostname}:${where.port || 5432}${where.pathname} (${(error as Error).message}): ` +
        'start it (`docker compose up -d postgres`), fix DATABASE_URL, or unset it to use the embedded database',
    );
  }
  return db;
}

/** The configured adapter, behind the encryption of personal fields that every reader and writer goes through. */
export async function openEventStore(config: Configuration, db: SqlDatabase, keys?: ChildDataKeys): Promise<EventStore> {
  const adapter = config.EVENT_STORE === 'kurrentdb' ? await KurrentDbEventStore.open(config.KURRENTDB_URL!) : await SqlEventStore.open(db);
  return new EncryptingEventStore(adapter, keys ?? (await openChildDataKeys(config, db)));
}

/** The children's data keys live in the SQL database whichever store holds the events. */
export const openChildDataKeys = (config: Configuration, db: SqlDatabase): Promise<ChildDataKeys> =>
  ChildDataKeys.open(db, config.DATA_ENCRYPTION_KEY ?? devSecret(config, 'dev-data-encryption-key'));

class StorageShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    await this.db.close();
  }
}

@Global()
@Module({})
export class EventStoreModule {
  static forRoot(config: Configuration): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [
        { provide: Configuration, useValue: config },
        { provide: SQL_DATABASE, useFactory: () => openSqlDatabase(config) },
        { provide: ChildDataKeys, inject: [SQL_DATABASE], useFactory: (db: SqlDatabase) => openChildDataKeys(config, db) },
        {
          provide: EVENT_STORE,
          inject: [SQL_DATABASE, ChildDataKeys],
          useFactory: (db: SqlDatabase, keys: ChildDataKeys) => openEventStore(config, db, keys),
        },
        StorageShutdown,
      ],
      exports: [Configuration, SQL_DATABASE, EVENT_STORE, ChildDataKeys],
    };
  }
}
