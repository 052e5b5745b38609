import { openedPathsOf, personalPathsOf } from '../erasure/personal-data';
import { toDomainEvent } from '../event-store/command-handling';
import type { FieldHolding, ReadFilter, RecordedEvent } from '../event-store/event-store.port';
import type { ChildStreamEvent } from './child-stream';

export type ChildStreamEventType = ChildStreamEvent['type'];
export type ChildStreamEventOf<T extends ChildStreamEventType> = Extract<ChildStreamEvent, { type: T }>;

/** A type whose personal fields a read model reads, or a dotted path of its data to read only those under it. */
export type PersonalDataRead<T extends ChildStreamEventType> = T | `${T}.${string}`;

const CHILD_STREAM_PREFIX = 'child-';

export const childIdOfStream = (stream: string): string => stream.slice(CHILD_STREAM_PREFIX.length);

/** The fields of an event that hold a string (a rule, a status): what `onlyWhere` can test. */
type StringFieldOf<E> = { [F in keyof E & string]: E[F] extends string ? F : never }[keyof E & string];

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
    private readonly where: Readonly<Record<string, FieldHolding>> = {},
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
    return new FollowedEvents(this.types, [...new Set(read)], this.where);
  }

  /**
   * Of `type`, only the events whose `field` holds one of `values`: a rebuild leaves the others in
   * the store, and `in` drops them wherever they come from, so the live read model and a rebuilt one
   * see the same events. Not by a personal field: the store holds only its sealed form.
   */
  onlyWhere<K extends T, F extends StringFieldOf<ChildStreamEventOf<K>>>(
    type: K,
    field: F,
    values: readonly ChildStreamEventOf<K>[F][],
  ): FollowedEvents<T> {
    if (personalPathsOf(type).includes(field)) throw new Error(`${type}.${field} is personal: its stored form is sealed, so no store can narrow by it`);
    return new FollowedEvents(this.types, this.personalDataOf, { ...this.where, [type]: { field, values: [...values] as string[] } });
  }

  /** What a rebuild asks the store for. */
  get reads(): ReadFilter {
    const narrowed = Object.keys(this.where).length > 0;
    return { types: this.types, personalDataOf: this.personalDataOf, ...(narrowed && { where: this.where }) };
  }

  follows(event: ChildStreamEvent): event is ChildStreamEventOf<T> {
    return this.wants(event.type, event);
  }

  /** The batch's followed events of children's streams, in order, as domain events with their child. */
  in(events: readonly RecordedEvent[]): ChildFact<ChildStreamEventOf<T>>[] {
    const facts: ChildFact<ChildStreamEventOf<T>>[] = [];
    for (const recorded of events) {
      if (!recorded.stream.startsWith(CHILD_STREAM_PREFIX) || !this.wants(recorded.type, recorded.data as object)) continue;
      facts.push({ event: toDomainEvent<ChildStreamEventOf<T>>(recorded), recorded, childId: childIdOfStream(recorded.stream) });
    }
    return facts;
  }

  private wants(type: string, data: object): boolean {
    if (!this.followed.has(type)) return false;
    const holding = this.where[type];
    return !holding || holding.values.includes((data as Record<string, unknown>)[holding.field] as string);
  }
}

/** The events a FollowedEvents lets through, as one union: `EventFollowedBy<typeof FOLLOWED>`. */
export type EventFollowedBy<F> = F extends FollowedEvents<infer T> ? ChildStreamEventOf<T> : never;
