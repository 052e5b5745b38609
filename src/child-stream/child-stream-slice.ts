import type { ChildStream, ChildStreamEvent } from './child-stream';

/** What a command can address by its own id in a URL; the stream directory maps it to its child. */
export type DirectoryKind = 'episode' | 'escalation' | 'plan' | 'meeting' | 'notice';

export interface DirectoryEntry {
  kind: DirectoryKind;
  id: string;
}

/**
 * One family of facts in a child's stream (the case, escalations, return work, plans...): its part
 * of the state, the commands it decides and the events it defines. The child's stream is the list
 * of them, so every decision sees one consistent state and one append keeps them consistent.
 */
export interface ChildStreamSlice<S, C extends { type: string }> {
  /** The event types this slice defines; each type belongs to exactly one slice. */
  readonly eventTypes: readonly string[];
  /** The command types this slice decides; each type belongs to exactly one slice. */
  readonly commandTypes: readonly C['type'][];
  initial(): S;
  /** Sees every event of the stream: a slice may follow another's facts (a return, a plan closed). */
  evolve(state: S, event: ChildStreamEvent): S;
  /** Decides on the whole stream, since work on one slice often depends on another (no interview before a return). */
  decide(command: C, stream: ChildStream): ChildStreamEvent[];
  /** The objects its events create that later commands address by their id (an episode, a plan, a meeting). */
  readonly addresses?: Addresses;
}

/** By event type, the object an event of that type creates (a record, so the types can be listed). */
export type Addresses = {
  readonly [T in ChildStreamEvent['type']]?: (event: Extract<ChildStreamEvent, { type: T }>) => DirectoryEntry;
};

/** A record, not an array, so that a type missing from the list fails to compile. */
export const typesOf = <T extends string>(record: Record<T, true>): readonly T[] => Object.freeze(Object.keys(record) as T[]);
