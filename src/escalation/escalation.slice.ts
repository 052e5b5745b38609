import type { ChildStreamSlice } from '../child-stream/child-stream-slice';
import { ESCALATION_COMMAND_TYPES, type EscalationCommand } from './escalation.commands';
import { decideEscalation } from './escalation.decider';
import { ESCALATION_EVENT_TYPES } from './escalation.events';
import { evolveSafeguarding, initialSafeguarding, type Safeguarding } from './escalation.state';

/** What the machine did about the child: meetings it convened, escalations, who was told and who acknowledged. */
export const escalationSlice: ChildStreamSlice<Safeguarding, EscalationCommand> = {
  eventTypes: ESCALATION_EVENT_TYPES,
  commandTypes: ESCALATION_COMMAND_TYPES,
  initial: initialSafeguarding,
  evolve: evolveSafeguarding,
  decide: decideEscalation,
  addresses: {
    EscalationRaised: (event) => ({ kind: 'escalation', id: event.escalationId }),
    StrategyMeetingConvened: (event) => ({ kind: 'meeting', id: event.meetingId }),
  },
};
