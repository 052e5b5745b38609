import { SqlEventStore } from '../src/event-store/postgres/sql-event-store';
import { describeEventStoreContract } from './event-store.contract';
import { freshPgliteDatabase, freshPostgresDatabase } from './support/databases';

describe('event store contract on PostgreSQL', () => {
  describeEventStoreContract(async () => {
    const db = await freshPostgresDatabase();
    const store = await SqlEventStore.open(db);
    const close = store.close.bind(store);
    store.close = async () => {
      await close();
      await db.close();
    };
    return store;
  }, { narrowsByData: true });
});

describe('event store contract on embedded PGlite', () => {
  describeEventStoreContract(async () => {
    const db = await freshPgliteDatabase();
    const store = await SqlEventStore.open(db);
    const close = store.close.bind(store);
    store.close = async () => {
      await close();
      await db.close();
    };
    return store;
  }, { narrowsByData: true });
});
