import type { ChildCaseCommand } from '../child-case/child-case.commands';
import { decide as decideChildCase } from '../child-case/child-case.decider';
import { type ChildCaseEvent, isChildCaseEventType } from '../child-case/child-case.events';
import { type ChildCase, evolve as evolveChildCase, initialChildCase } from '../child-case/child-case.state';
import { decideEscalation } from '../escalation/escalation.decider';
import { type EscalationCommand, isEscalationCommand } from '../escalation/escalation.commands';
import type { EscalationEvent } from '../escalation/escalation.events';
import { evolveSafeguarding, initialSafeguarding, type Safeguarding } from '../escalation/escalation.state';

/**
 * A child's stream holds two families of facts: the case (record and episodes) and what the
 * machine did about it (meetings, escalations). One state, folded from both, so each decider sees
 * everything it needs and one append keeps them consistent.
 */
export type ChildStreamEvent = ChildCaseEvent | EscalationEvent;
export type ChildStreamCommand = ChildCaseCommand | EscalationCommand;

export interface ChildStream {
  readonly childCase: ChildCase;
  readonly safeguarding: Safeguarding;
}

export const initialChildStream = (): ChildStream => ({ childCase: initialChildCase(), safeguarding: initialSafeguarding() });

export function evolveChildStream(state: ChildStream, event: ChildStreamEvent): ChildStream {
  const safeguarding = evolveSafeguarding(state.safeguarding, event);
  const childCase = isChildCaseEventType(event.type) ? evolveChildCase(state.childCase, event as ChildCaseEvent) : state.childCase;
  return { childCase, safeguarding };
}

export function decideChildStream(command: ChildStreamCommand, state: ChildStream): ChildStreamEvent[] {
  return isEscalationCommand(command) ? decideEscalation(command, state) : decideChildCase(command, state.childCase);
}

/** Several commands decided in order on the evolving state, stored in one append (register and report). */
export function decideInOrder(commands: ChildStreamCommand[], state: ChildStream): ChildStreamEvent[] {
  const events: ChildStreamEvent[] = [];
  for (const command of commands) {
    const decided = decideChildStream(command, state);
    events.push(...decided);
    state = decided.reduce(evolveChildStream, state);
  }
  return events;
}
