import { openedPathsOf } from '../erasure/personal-data';
import { toDomainEvent } from '../event-store/command-handling';
import type { ReadFilter, RecordedEvent } from '../event-store/event-store.port';
import type { ChildStreamEvent } from './child-stream';

export type ChildStreamEventType = ChildStreamEvent['type'];
export type ChildStreamEventOf<T extends ChildStreamEventType> = Extract<ChildStreamEvent, { type: T }>;

/** A type whose personal fields a read model reads, or a dotted path of its data to read only those under it. */
export type PersonalDataRead<T extends ChildStreamEventType> = T | `${T}.${string}`;

const CHILD_STREAM_PREFIX = 'child-';

export const childIdOfStream = (stream: string): string => stream.slice(CHILD_STREAM_PREFIX.length);

/** One event of a child's stream, as a read model takes it. */
export interface ChildFact<E extends ChildStreamEvent = ChildStreamEvent> {
  event: E;
  recorded: RecordedEvent;
  childId: string;
}

/**
 * The events of children's streams a read model follows. Its `apply` sees only these, typed as
 * these, so a `case` for another type does not compile; and a rebuild asks the store for only these
 * (most of a history is escalations and e-mail records that most read models never look at), with
 * the personal fields opened only of the types whose personal data it keeps.
 */
export class FollowedEvents<T extends ChildStreamEventType> {
  private readonly followed: ReadonlySet<string>;

  private constructor(
    readonly types: readonly T[],
    /** The personal data it reads, as `readingPersonalDataOf` was given it. */
    readonly personalDataOf: readonly PersonalDataRead<T>[],
  ) {
    this.followed = new Set(types);
    // Read models declare these when their modules load: a misspelt path fails every start and test, not a rebuild.
    openedPathsOf(personalDataOf);
  }

  static of<T extends ChildStreamEventType>(...types: readonly T[]): FollowedEvents<T> {
    const unique = [...new Set(types)];
    return new FollowedEvents(unique, unique);
  }

  /**
   * Only these types' personal fields are read (none when none are named), or of a type named with
   * a path (`ChildReturned.where`) only those under it: the others may come still sealed from a
   * rebuild's read. A read model that stored a sealed value would differ from the live one, which
   * rebuild-equals-live checks. A path that holds no personal value throws.
   */
  readingPersonalDataOf(...read: readonly PersonalDataRead<T>[]): FollowedEvents<T> {
    return new FollowedEvents(this.types, [...new Set(read)]);
  }

  /** What a rebuild asks the store for. */
  get reads(): ReadFilter {
    return { types: this.types, personalDataOf: this.personalDataOf };
  }

  follows(event: ChildStreamEvent): event is ChildStreamEventOf<T> {
    return this.followed.has(event.type);
  }

  /** The batch's followed events of children's streams, in order, as domain events with their child. */
  in(events: readonly RecordedEvent[]): ChildFact<ChildStreamEventOf<T>>[] {
    const facts: ChildFact<ChildStreamEventOf<T>>[] = [];
    for (const recorded of events) {
      if (!this.followed.has(recorded.type) || !recorded.stream.startsWith(CHILD_STREAM_PREFIX)) continue;
      facts.push({ event: toDomainEvent<ChildStreamEventOf<T>>(recorded), recorded, childId: childIdOfStream(recorded.stream) });
    }
    return facts;
  }
}

/** The events a FollowedEvents lets through, as one union: `EventFollowedBy<typeof FOLLOWED>`. */
export type EventFollowedBy<F> = F extends FollowedEvents<infer T> ? ChildStreamEventOf<T> : never;
