import { SqlExecutor } from '../../database/sql-database';
import { RecordedEvent } from '../event-store.port';

/**
 * A read model fed by the global order. `apply` runs in the same transaction that moves the
 * projection's checkpoint, so each event changes the read model exactly once.
 */
export interface Projection {
  readonly kind: 'projection';
  readonly name: string;
  /** Creates the read model's tables if they are missing. */
  migrate(db: SqlExecutor): Promise<void>;
  /** Empties the read model, for a rebuild from zero. */
  reset(tx: SqlExecutor): Promise<void>;
  apply(events: RecordedEvent[], tx: SqlExecutor): Promise<void>;
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
