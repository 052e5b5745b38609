import { allProjections } from '../../src/consumers';
import { PgDatabase } from '../../src/database/pg-database';
import type { SqlDatabase } from '../../src/database/sql-database';
import type { EventStore } from '../../src/event-store/event-store.port';
import { loadConfiguration } from '../../src/config/configuration';
import { openEventStore } from '../../src/event-store/event-store.module';
import { rebuildProjection } from '../../src/event-store/subscriptions/rebuild-projection';
import { loadEscalationPolicy } from '../../src/escalation/policy/load-escalation-policy';

/** The policy of a service the tests start (the configured default): its dashboard keeps the repeat window's spells by it. */
export const servicePolicy = () => loadEscalationPolicy(loadConfiguration({ NODE_ENV: 'test' }).ESCALATION_POLICY_FILE);

/** Every read model table (rm_*, the stream directory, the children's districts), row by row, whatever projections exist. */
export async function snapshotReadModels(db: SqlDatabase): Promise<Record<string, unknown[]>> {
  const names = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() AND (table_name LIKE 'rm\\_%' OR table_name IN ('stream_directory', 'access_child_districts')) ORDER BY 1`,
  );
  const tables: Record<string, unknown[]> = {};
  // Ordered by the whole row: some read models share their leading columns between many rows.
  for (const { table_name } of names) tables[table_name] = await db.query(`SELECT * FROM ${table_name} t ORDER BY t::text`);
  return tables;
}

/** Empties and replays every projection (or the named ones) from zero, quietly, and snapshots the read models after. */
export async function rebuildReadModels(store: EventStore, db: SqlDatabase, names?: string[]): Promise<Record<string, unknown[]>> {
  const quiet = { start: () => undefined, advance: () => undefined, stop: () => undefined };
  for (const projection of allProjections(servicePolicy())) {
    if (!names || names.includes(projection.name)) await rebuildProjection(store, db, projection, quiet);
  }
  return snapshotReadModels(db);
}

/**
 * The event store as a test app on `databaseUrl` opens it: through the encryption of personal fields,
 * with the development data key under ./data that the apps of the suite share.
 */
export const openStoreLikeTheService = (databaseUrl: string, db: SqlDatabase): Promise<EventStore> =>
  openEventStore(loadConfiguration({ DATABASE_URL: databaseUrl, NODE_ENV: 'test' }), db);

/** The read models of a stopped app's database as they are, and as a rebuild from zero makes them. */
export async function liveAndRebuilt(databaseUrl: string, names?: string[]) {
  const db = new PgDatabase(databaseUrl);
  const store = await openStoreLikeTheService(databaseUrl, db);
  try {
    const live = await snapshotReadModels(db);
    return { live, rebuilt: await rebuildReadModels(store, db, names) };
  } finally {
    await store.close();
    await db.close();
  }
}
