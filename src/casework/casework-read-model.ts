import type { ChildFact } from '../child-stream/followed-events';
import type { ReadSideIndexes } from '../database/read-side-indexes';
import type { SqlExecutor } from '../database/sql-database';
import type { ReadFilter, RecordedEvent } from '../event-store/event-store.port';

/**
 * One slice's tables for the casework lists (return work, plans, meetings, notices). The slices'
 * read models share one consumer, the casework projection: each consumer reads the whole global
 * order, so one reader for four small read models costs a quarter of four.
 */
export interface CaseworkReadModel {
  /** Its tables, emptied together for a rebuild. */
  readonly tables: readonly string[];
  /** The event types it acts on and those whose personal data it keeps (see FollowedEvents): all a rebuild reads for it. */
  readonly reads: ReadFilter;
  /** Its indexes that only its queries read by (see Projection.readSideIndexes). */
  readonly readSideIndexes: ReadSideIndexes;
  /** Creates its tables if they are missing. */
  migrate(db: SqlExecutor): Promise<void>;
  /**
   * Applies a batch's events that it follows, in the transaction that moves the checkpoint:
   * set-based, the rows they touch read once, changed in memory and written back (see RowBatch).
   */
  apply(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void>;
  /** Scrubs the child's personal columns after an erasure (see Projection.erasePersonalData). */
  erasePersonalData(childId: string, tx: SqlExecutor): Promise<void>;
}

/** What the facts' events carry in a field (an id, where they have one), to load the rows they touch. */
export const valuesOf = (facts: readonly ChildFact[], field: string): unknown[] =>
  facts.map(({ event }) => (event as unknown as Record<string, unknown>)[field]);
