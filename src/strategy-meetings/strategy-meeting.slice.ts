import type { ChildStreamSlice } from '../child-stream/child-stream-slice';
import { STRATEGY_MEETING_COMMAND_TYPES, type StrategyMeetingCommand } from './strategy-meeting.commands';
import { decideStrategyMeeting } from './strategy-meeting.decider';
import { STRATEGY_MEETING_EVENT_TYPES } from './strategy-meeting.events';
import { evolveStrategyMeetings, initialStrategyMeetings, type StrategyMeetings } from './strategy-meeting.state';

/** Strategy meetings' records, in the child's stream; addressed as /api/strategy-meetings/:id. */
export const strategyMeetingSlice: ChildStreamSlice<StrategyMeetings, StrategyMeetingCommand> = {
  eventTypes: STRATEGY_MEETING_EVENT_TYPES,
  commandTypes: STRATEGY_MEETING_COMMAND_TYPES,
  initial: initialStrategyMeetings,
  evolve: evolveStrategyMeetings,
  decide: decideStrategyMeeting,
  // Meetings the policy convenes are addressed through the escalation slice's StrategyMeetingConvened.
  addresses: { StrategyMeetingCalled: (event) => ({ kind: 'meeting', id: event.meetingId }) },
};
