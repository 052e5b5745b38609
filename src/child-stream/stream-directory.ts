import type { SqlExecutor } from '../database/sql-database';
import type { RecordedEvent } from '../event-store/event-store.port';
import type { Projection } from '../event-store/subscriptions/consumer';
import { DIRECTORY_EVENT_TYPES, directoryEntriesOf } from './child-stream';
import type { DirectoryKind } from './child-stream-slice';
import { FollowedEvents } from './followed-events';

// Ids and kinds only: nothing personal is opened.
const ADDRESSED_BY = FollowedEvents.of(...DIRECTORY_EVENT_TYPES).readingPersonalDataOf();

/**
 * Which child's stream holds an episode, an escalation, a plan, a meeting or a notice: what a
 * command on one of them by its own id reads to find the stream. Like the child's districts, the
 * command handler writes it right after an append (LookupsAfterAppend) and this projection writes
 * it too (so a crash between the two, a rebuild, or events stored before the table existed leave
 * nothing out). A consumer of its own, not the child summary's: it follows every escalation raised,
 * two fifths of what the child summary would otherwise read.
 */
export class StreamDirectoryProjection implements Projection {
  readonly kind = 'projection';
  readonly name = 'stream-directory';
  readonly reads = ADDRESSED_BY.reads;

  async migrate(db: SqlExecutor): Promise<void> {
    await migrateStreamDirectory(db);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query('TRUNCATE stream_directory');
  }

  /** Ids are not personal data, and commands on the erased child's escalations still find it. */
  async erasePersonalData(): Promise<void> {}

  async apply(events: RecordedEvent[], tx: SqlExecutor): Promise<void> {
    const entries = ADDRESSED_BY.in(events).flatMap(({ event, childId }) =>
      directoryEntriesOf(event).map(({ kind, id }) => ({ kind, id, child_id: childId.toLowerCase() })),
    );
    if (entries.length === 0) return;
    // In key order, as a request's lookups write the same rows: inserts of the same keys in opposite orders deadlock.
    await tx.query(
      `INSERT INTO stream_directory (kind, id, child_id)
       SELECT kind, id, child_id FROM jsonb_to_recordset($1::jsonb) AS d(kind text, id uuid, child_id uuid)
       ORDER BY kind, id
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(entries)],
    );
  }
}

export async function migrateStreamDirectory(db: SqlExecutor): Promise<void> {
  await db.query(`CREATE TABLE IF NOT EXISTS stream_directory (
    kind      text NOT NULL,
    id        uuid NOT NULL,
    child_id  uuid NOT NULL,
    PRIMARY KEY (kind, id)
  )`);
}

/** Idempotent: the handler's row and then the projection's leave one. */
export async function recordInDirectory(db: SqlExecutor, kind: DirectoryKind, id: string, childId: string): Promise<void> {
  await db.query('INSERT INTO stream_directory (kind, id, child_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [kind, id, childId]);
}
