import { v5 as uuidV5 } from 'uuid';
import { Actor, EventStore, RecordedEvent, WrongExpectedVersion } from './event-store.port';

/** Who asks, and the ids that make a command idempotent and traceable. */
export interface CommandContext {
  actor: Actor;
  /** Stable across retries of the same request (derived from its Idempotency-Key, or fresh). */
  commandId: string;
  correlationId: string;
  /** The event that caused this command, when a process manager issues it. */
  causationId?: string;
}

export interface DomainEvent {
  type: string;
}

export interface Decider<C, S, E extends DomainEvent> {
  initialState: () => S;
  evolve: (state: S, event: E) => S;
  decide: (command: C, state: S) => E[];
}

export interface CommandOutcome<S, E> {
  /** The events this command stored, or had stored on an earlier try of the same command. */
  events: E[];
  state: S;
  /** True when an earlier try had already stored them and nothing was appended now. */
  replayed: boolean;
}

const COMMAND_NAMESPACE = '6f0b7c1e-3a55-4d4e-9a57-3c1f8f1d2a90';
/** The machine appends to children's streams too (escalations), so a person's command may have to retry. */
const MAX_ATTEMPTS = 12;

/** Event ids derive from the command id, so the store's idempotency makes a retried command a no-op. */
export const eventIdFor = (commandId: string, index: number): string => uuidV5(`${commandId}#${index}`, COMMAND_NAMESPACE);

/** An id for something a command creates (a child, an episode), the same on every retry of it. */
export const idCreatedBy = (commandId: string, purpose: string): string => uuidV5(`${commandId}/${purpose}`, COMMAND_NAMESPACE);

export const commandIdFrom = (idempotencyKey: string, userId: string, route: string): string =>
  uuidV5(`${userId}\n${route}\n${idempotencyKey}`, COMMAND_NAMESPACE);

function eventsOfCommand(history: RecordedEvent[], commandId: string): RecordedEvent[] {
  const byId = new Map(history.map((event) => [event.id, event]));
  const found: RecordedEvent[] = [];
  for (let index = 0; byId.has(eventIdFor(commandId, index)); index++) found.push(byId.get(eventIdFor(commandId, index))!);
  return found;
}

export const toDomainEvent = <E extends DomainEvent>(event: RecordedEvent): E =>
  ({ type: event.type, ...(event.data as object) }) as E;

export interface HandleOptions {
  /**
   * The command creates the stream (its id derives from the command's): the first attempt decides
   * on an empty stream without reading it, one round trip fewer. If the stream exists after all (an
   * earlier try of the same command stored it), the append is refused or finds the events already
   * stored, and the next attempt reads the stream as usual.
   */
  createsStream?: boolean;
}

/**
 * Load the stream, decide, append with the version we decided on. A concurrent change makes the
 * append fail and the whole decision is taken again on the new state.
 */
export async function handleCommand<C, S, E extends DomainEvent>(
  store: EventStore,
  stream: string,
  decider: Decider<C, S, E>,
  command: C,
  context: CommandContext,
  options: HandleOptions = {},
): Promise<CommandOutcome<S, E>> {
  for (let attempt = 1; ; attempt++) {
    const assumedNew = attempt === 1 && options.createsStream === true;
    const history = assumedNew ? [] : await store.readStream(stream);
    const state = history.map(toDomainEvent<E>).reduce(decider.evolve, decider.initialState());
    const earlier = eventsOfCommand(history, context.commandId);
    if (earlier.length > 0) return { events: earlier.map(toDomainEvent<E>), state, replayed: true };
    const decided = decider.decide(command, state);
    const newEvents = decided.map(({ type, ...data }, index) => ({
      id: eventIdFor(context.commandId, index),
      type,
      data,
      metadata: {
        actor: context.actor,
        correlationId: context.correlationId,
        causationId: context.causationId ?? context.commandId,
      },
    }));
    try {
      const expected = history.length === 0 ? 'no_stream' : history.length - 1;
      const { appended } = await store.append(stream, newEvents, expected);
      // Stored by an earlier try: answer with what that try stored, read back on the next attempt.
      if (assumedNew && appended === 0) continue;
      return { events: decided, state: decided.reduce(decider.evolve, state), replayed: appended === 0 };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersion) || attempt >= MAX_ATTEMPTS) throw error;
      // A little jitter, so two writers that collided do not collide again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
}
