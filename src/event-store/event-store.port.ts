/**
 * The one way events are stored and read. Three adapters implement it (PostgreSQL, embedded
 * PGlite, KurrentDB) and all of them pass the same contract suite (test/event-store.contract.ts).
 */

export interface Actor {
  userId: string;
  role: string;
  district: string | null;
}

export interface EventMetadata {
  actor: Actor;
  correlationId: string;
  causationId: string | null;
}

export interface NewEvent<T = unknown> {
  /** Decides idempotency: appending an event id that is already stored stores nothing new. */
  id: string;
  type: string;
  schemaVersion?: number;
  data: T;
  metadata: EventMetadata;
}

export interface RecordedEvent<T = unknown> {
  id: string;
  type: string;
  schemaVersion: number;
  stream: string;
  /** 0 for the first event of a stream. */
  streamVersion: number;
  /** The event's place in the global order, as a number people can read and sort by within a store. */
  position: bigint;
  /** Opaque token to resume the global order after this event; store it as a consumer's checkpoint. */
  checkpoint: Checkpoint;
  recordedAt: Date;
  data: T;
  metadata: EventMetadata;
  /** Fields of `data` that read as erased because the child's personal data was erased (dotted paths). */
  erased?: readonly string[];
}

/**
 * The event types a reader wants, so a store need not send the rest: a rebuild of a read model that
 * follows a tenth of the history reads a tenth of it.
 */
export interface ReadFilter {
  types: readonly string[];
  /**
   * Of those, the types whose personal fields the reader reads (all when left out): a type, for all
   * of its personal fields, or `Type.path` for those at or under a dotted path of its data
   * (`ChildReturned.where`). The rest may come still sealed, which saves opening them (see
   * EncryptingEventStore).
   */
  personalDataOf?: readonly string[];
  /**
   * Of those types, some wanted only where a field of their data holds one of some values
   * (`{ EscalationRaised: { field: 'rule', values: ['return-interview-overdue'] } }`): casework
   * follows a tenth of the escalations raised, which are two fifths of what it would read. A store
   * may send the others anyway (the SQL store does not; KurrentDB filters only by type), so a
   * reader still checks each event it is given.
   */
  where?: Readonly<Record<string, FieldHolding>>;
}

/** A field of an event's data (a string at its top level, not a personal one: those are stored sealed) and the values wanted in it. */
export interface FieldHolding {
  field: string;
  values: readonly string[];
}

/** Serialised, adapter-specific position in the global order. */
export type Checkpoint = string;

/**
 * `no_stream`: the stream must not exist; a number: the version of the stream's last event;
 * `any`: no check.
 */
export type ExpectedVersion = number | 'no_stream' | 'any';

export interface AppendResult {
  /** The version of the stream's last event after the append. */
  streamVersion: number;
  /** How many events were new; 0 when every event id was already stored (an idempotent retry). */
  appended: number;
}

export class WrongExpectedVersion extends Error {
  constructor(
    readonly stream: string,
    readonly expected: ExpectedVersion,
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${stream} is at version ${actual}, expected ${expected}`);
    this.name = 'WrongExpectedVersion';
  }
}

/** Some, not all, of a batch's event ids are already stored: the retry does not match the original. */
export class IdempotencyMismatch extends Error {
  constructor(readonly stream: string) {
    super(`stream ${stream}: a batch was retried with only some of its event ids already stored`);
    this.name = 'IdempotencyMismatch';
  }
}

export interface EventStore {
  append(stream: string, events: NewEvent[], expected: ExpectedVersion): Promise<AppendResult>;
  /** Every event of a stream from a version on, oldest first; empty for a stream that does not exist. */
  readStream(stream: string, fromVersion?: number): Promise<RecordedEvent[]>;
  /**
   * Up to `limit` events of the global order after `after` (from the start when null). Never
   * skips an event that a concurrent writer commits later: a page ends where the order is settled.
   * With `filter`, only events of those types, in the same order: an empty page is the end.
   */
  readAll(after: Checkpoint | null, limit: number, filter?: ReadFilter): Promise<RecordedEvent[]>;
  /**
   * Whether any committed event lies after `after`, including events readAll does not hand out
   * yet because an older transaction is still in flight. "Caught up" means this is false.
   */
  hasEventsAfter(after: Checkpoint | null): Promise<boolean>;
  /** Calls `listener` soon after events are appended (by this process or another); returns a stop. */
  onAppended(listener: () => void): () => void;
  /** How many events the global order holds (of the filter's types), where the store can tell cheaply (progress bars). */
  countEvents?(filter?: ReadFilter): Promise<number>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EventStore');
