/**
 * Test support: given the history of a child's stream (any slice's events), when a command is
 * decided, then these events, nothing, or this refusal. Decides through the composition, so a
 * spec also proves the command reaches its slice.
 */
import { Refusal, RefusalKind } from '../shared/refusal';
import { type ChildStreamCommand, type ChildStreamEvent, decideChildStream, evolveChildStream, initialChildStream } from './child-stream';

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
