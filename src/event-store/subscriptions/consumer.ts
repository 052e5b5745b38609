import type { ReadSideIndexes } from '../../database/read-side-indexes';
import { SqlDatabase, SqlExecutor } from '../../database/sql-database';
import { PERSONAL_DATA_ERASED } from '../../erasure/erase-read-models';
import { ReadFilter, RecordedEvent } from '../event-store.port';

/**
 * A read model fed by the global order. `apply` runs in the same transaction that moves the
 * projection's checkpoint, so each event changes the read model exactly once.
 */
export interface Projection {
  readonly kind: 'projection';
  readonly name: string;
  /**
   * The event types `apply` acts on, and those whose personal data it keeps: a rebuild reads only
   * these (and erasures) from the store. The runner still hands `apply` whole batches, decrypted,
   * which it filters the same way (see FollowedEvents).
   */
  readonly reads: ReadFilter;
  /** Creates the read model's tables if they are missing, and makes what a change of them needs from the rows kept. */
  migrate(db: SqlDatabase): Promise<void>;
  /** Its indexes that only its queries read by: a rebuild replays without them and builds them at the end. */
  readonly readSideIndexes?: ReadSideIndexes;
  /** Empties the read model, for a rebuild from zero. */
  reset(tx: SqlExecutor): Promise<void>;
  apply(events: RecordedEvent[], tx: SqlExecutor, feeding: Feeding): Promise<void>;
  /**
   * Makes, once a rebuild has replayed every batch, what is cheaper made once from all the rows than
   * batch by batch; `reset` and the rebuild's batches leave the read model so that whoever feeds it
   * next, should the rebuild stop short, makes it in `migrate` or `resume`.
   */
  finishRebuild?(db: SqlDatabase): Promise<void>;
  /**
   * Makes what a rebuild that stopped short left unmade, when an instance takes the lease over and
   * is about to feed the read model on. No DDL: the other consumers are writing meanwhile, and a
   * CREATE INDEX's table lock would queue their writes behind it.
   */
  resume?(db: SqlDatabase): Promise<void>;
  /**
   * Scrubs every personal field the read model holds about the child, after the child's personal
   * data was erased (ChildPersonalDataErased). Required of every projection, so that a new read
   * model cannot forget it; one with no personal data says so and does nothing.
   */
  erasePersonalData(childId: string, tx: SqlExecutor): Promise<void>;
}

/** A batch as it happens (the runner), or replayed into a read model a rebuild emptied. */
export type Feeding = 'live' | 'rebuild';

/**
 * How the runner and a rebuild feed a projection: the batch, then the scrubbing of each child
 * erased in it. Events after an erasure carry nothing personal, so scrubbing after the batch suffices.
 */
export async function applyToProjection(projection: Projection, events: RecordedEvent[], tx: SqlExecutor, feeding: Feeding): Promise<void> {
  await projection.apply(events, tx, feeding);
  for (const event of events) {
    if (event.type === PERSONAL_DATA_ERASED && event.stream.startsWith('child-')) {
      await projection.erasePersonalData(event.stream.slice('child-'.length), tx);
    }
  }
}

/**
 * A consumer that acts outside the read-model database (enqueues mail, issues commands).
 * Delivery is at least once: `handle` must be idempotent, because a crash after acting and
 * before the checkpoint moves replays the batch.
 */
export interface Processor {
  readonly kind: 'processor';
  readonly name: string;
  handle(events: RecordedEvent[]): Promise<void>;
}

export type Consumer = Projection | Processor;

export const CONSUMERS = Symbol('Consumers');
