/** Test support: given the history of a child's case, when a command is decided, then these events or this refusal. */
import { Refusal, RefusalKind } from '../shared/refusal';
import { ChildCaseCommand } from './child-case.commands';
import { decide } from './child-case.decider';
import { ChildCaseEvent } from './child-case.events';
import { foldChildCase } from './child-case.state';

// `thenEmits`, not `then`: an object with a `then` method is a thenable, and a spec that returned
// it would have Jest await it.
export function given(history: ChildCaseEvent[]) {
  return {
    when(command: ChildCaseCommand) {
      const run = () => decide(command, foldChildCase(history));
      return {
        thenEmits(expected: ChildCaseEvent[]) {
          // Strict: an absent optional field must be absent, as it will be once stored as JSON.
          expect(run()).toStrictEqual(expected);
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
