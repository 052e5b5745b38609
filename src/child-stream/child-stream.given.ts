/**
 * Test support: given the history of a child's stream (any slice's events), when a command is
 * decided, then these events, nothing, or this refusal. Decides through the composition, so a
 * spec also proves the command reaches its slice.
 */
import { Refusal, RefusalKind } from '../shared/refusal';
import { type ChildStream, type ChildStreamCommand, type ChildStreamEvent, decideChildStream, evolveChildStream, initialChildStream } from './child-stream';

// `thenEmits`, not `then`: an object with a `then` method is a thenable, and Jest would await it.
export function given(history: ChildStreamEvent[]) {
  return {
    when(command: ChildStreamCommand) {
      const run = () => decideChildStream(command, history.reduce(evolveChildStream, initialChildStream()));
      return {
        thenEmits(expected: ChildStreamEvent[]) {
          // Strict: an absent optional field must be absent, as it will be once stored as JSON.
          expect(run()).toStrictEqual(expected);
        },
        /** Accepted, and nothing follows (a deadline whose work was done in time). */
        thenNothing() {
          expect(run()).toEqual([]);
        },
        /** The kind defaults to a conflict; name the field when the refusal is about one. */
        thenRefuses(reason: string, expected: { kind?: RefusalKind; field?: string } = {}) {
          const refusal = refusalFrom(run);
          expect({ reason: refusal.message, kind: refusal.kind, field: refusal.field }).toEqual({
            reason,
            kind: expected.kind ?? 'conflict',
            field: expected.field,
          });
        },
      };
    },
  };
}

function refusalFrom(run: () => unknown): Refusal {
  try {
    run();
  } catch (error) {
    if (error instanceof Refusal) return error;
    throw error;
  }
  throw new Error('expected a refusal, but the command was accepted');
}

/** One command of a random sequence: the state it was decided on, and what it gave. */
export interface Decided {
  command: ChildStreamCommand;
  before: ChildStream;
  after: ChildStream;
  outcome: ChildStreamEvent[] | Refusal;
}

/**
 * For property tests: decides each command in turn on the state folded so far, keeping what was
 * accepted, and checks what every decider owes whatever the rules: a refusal (and only a
 * Refusal: anything else is a bug a person would see as a 500) changes nothing, deciding leaves
 * its input untouched and gives the same answer twice, and replaying the accepted events from
 * the start rebuilds the same state.
 */
export function decideEach(history: ChildStreamEvent[], commands: ChildStreamCommand[]) {
  const start = history.reduce(evolveChildStream, initialChildStream());
  let state = start;
  const steps: Decided[] = [];
  const accepted: ChildStreamEvent[] = [];
  for (const command of commands) {
    const before = state;
    const copy = structuredClone(before);
    const outcome = outcomeOf(() => decideChildStream(command, before));
    expect(before).toEqual(copy);
    expect(outcomeOf(() => decideChildStream(command, before))).toEqual(outcome);
    if (!(outcome instanceof Refusal)) {
      state = outcome.reduce(evolveChildStream, state);
      accepted.push(...outcome);
    }
    steps.push({ command, before, after: state, outcome });
  }
  expect([...history, ...accepted].reduce(evolveChildStream, initialChildStream())).toEqual(state);
  return { steps, state, accepted, events: [...history, ...accepted] };
}

function outcomeOf(run: () => ChildStreamEvent[]): ChildStreamEvent[] | Refusal {
  try {
    return run();
  } catch (error) {
    if (error instanceof Refusal) return error;
    throw error;
  }
}
