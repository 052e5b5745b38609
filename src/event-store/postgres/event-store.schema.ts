import { SqlDatabase } from '../../database/sql-database';

export const EVENTS_APPENDED_CHANNEL = 'events_appended';

/**
 * Events are only ever inserted. `tx_id` records the writing transaction so that readers of
 * the global order can wait for transactions still in flight (see SqlEventStore.readAll).
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tx_id           xid8        NOT NULL DEFAULT pg_current_xact_id(),
  event_id        uuid        NOT NULL,
  stream_id       text        NOT NULL,
  stream_version  integer     NOT NULL,
  type            text        NOT NULL,
  schema_version  integer     NOT NULL,
  data            jsonb       NOT NULL,
  metadata        jsonb       NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_event_id_unique UNIQUE (event_id),
  CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
);
CREATE INDEX IF NOT EXISTS events_global_order ON events (tx_id, position);
`;

export async function migrateEventStore(db: SqlDatabase): Promise<void> {
  // Two instances starting together must not race on CREATE TABLE IF NOT EXISTS.
  await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || '/migrate:events', 0))`);
    for (const statement of SCHEMA.split(';').map((s) => s.trim()).filter(Boolean)) {
      await tx.query(statement);
    }
  });
}
