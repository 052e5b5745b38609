import type { SqlDatabase } from '../database/sql-database';
import { advanceCheckpoint, migrateCheckpoints, resetCheckpoint } from '../event-store/subscriptions/checkpoint-store';

/** The escalation processors, whose work a synthetic history already holds: its clocks fired and its e-mails recorded. */
export const ESCALATION_PROCESSORS = ['escalation-policy', 'deadline-scheduler', 'escalation-notifier'] as const;

/**
 * Moves the named processors' checkpoints to the end of the stored events, so a service started on
 * a loaded history does not redo work the history holds (the start-up sweep puts back the clocks
 * still running). A processor a running instance feeds (it holds the lease) is left alone and
 * returned: that instance is already working through the history.
 */
export async function startProcessorsAtEnd(db: SqlDatabase, names: readonly string[]): Promise<string[]> {
  await migrateCheckpoints(db);
  const [last] = await db.query<{ checkpoint: string }>(`SELECT tx_id::text || ':' || position::text AS checkpoint FROM events ORDER BY tx_id DESC, position DESC LIMIT 1`);
  const leftAlone: string[] = [];
  for (const name of names) {
    const lease = await db.tryLease(`consumer:${name}`);
    if (!lease) {
      leftAlone.push(name);
      continue;
    }
    try {
      await resetCheckpoint(db, name);
      if (last) await advanceCheckpoint(db, name, null, last.checkpoint, 0);
    } finally {
      await lease.release();
    }
  }
  return leftAlone;
}
