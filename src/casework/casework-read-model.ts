import type { ChildStreamEvent } from '../child-stream/child-stream';
import type { SqlExecutor } from '../database/sql-database';
import type { RecordedEvent } from '../event-store/event-store.port';

/**
 * One slice's tables for the casework lists (return work, plans, meetings, notices). The slices'
 * read models share one consumer, the casework projection: each consumer reads the whole global
 * order, so one reader for four small read models costs a quarter of four.
 */
export interface CaseworkReadModel {
  /** Its tables, emptied together for a rebuild. */
  readonly tables: readonly string[];
  /** Creates its tables if they are missing. */
  migrate(db: SqlExecutor): Promise<void>;
  /** Applies one event of a child's stream, in the transaction that moves the checkpoint. */
  apply(event: ChildStreamEvent, recorded: RecordedEvent, tx: SqlExecutor): Promise<void>;
  /** Scrubs the child's personal columns after an erasure (see Projection.erasePersonalData). */
  erasePersonalData(childId: string, tx: SqlExecutor): Promise<void>;
}
