import type { ChildStreamEvent } from '../child-stream/child-stream';

export interface MeetingActionState {
  readonly dueDate: string;
  readonly completed: boolean;
}

export interface MeetingRecord {
  readonly meetingId: string;
  readonly status: 'open' | 'closed';
  readonly convenedAt: string;
  readonly heldAt: string | null;
  readonly outcomeRecorded: boolean;
  readonly actions: Readonly<Record<string, MeetingActionState>>;
}

/** A child's strategy meetings by id, whether the policy convened them or a coordinator called them. */
export interface StrategyMeetings {
  readonly byId: Readonly<Record<string, MeetingRecord>>;
}

export const initialStrategyMeetings = (): StrategyMeetings => ({ byId: {} });

/** Own keys only, so an id such as 'constructor' is not found on Object.prototype. */
export const findMeeting = (state: StrategyMeetings, meetingId: string): MeetingRecord | undefined =>
  Object.hasOwn(state.byId, meetingId) ? state.byId[meetingId] : undefined;

export const findMeetingAction = (meeting: MeetingRecord, actionId: string): MeetingActionState | undefined =>
  Object.hasOwn(meeting.actions, actionId) ? meeting.actions[actionId] : undefined;

export function evolveStrategyMeetings(state: StrategyMeetings, event: ChildStreamEvent): StrategyMeetings {
  switch (event.type) {
    case 'StrategyMeetingConvened':
      return opened(state, event.meetingId, event.convenedAt);
    case 'StrategyMeetingCalled':
      return opened(state, event.meetingId, event.calledAt);
    case 'StrategyMeetingHeld':
      return update(state, event.meetingId, (m) => ({ ...m, heldAt: event.heldAt }));
    case 'MeetingActionAgreed':
      return update(state, event.meetingId, (m) => {
        const action: MeetingActionState = { dueDate: event.dueDate, completed: false };
        return { ...m, actions: { ...m.actions, [event.actionId]: action } };
      });
    case 'MeetingActionCompleted':
      return update(state, event.meetingId, (m) => {
        const action = findMeetingAction(m, event.actionId);
        return action ? { ...m, actions: { ...m.actions, [event.actionId]: { ...action, completed: true } } } : m;
      });
    case 'MeetingOutcomeRecorded':
      return update(state, event.meetingId, (m) => ({ ...m, outcomeRecorded: true }));
    case 'StrategyMeetingClosed':
      return update(state, event.meetingId, (m) => ({ ...m, status: 'closed' }));
    default:
      return state;
  }
}

function opened(state: StrategyMeetings, meetingId: string, convenedAt: string): StrategyMeetings {
  const meeting: MeetingRecord = { meetingId, status: 'open', convenedAt, heldAt: null, outcomeRecorded: false, actions: {} };
  return { byId: { ...state.byId, [meetingId]: meeting } };
}

function update(state: StrategyMeetings, meetingId: string, change: (meeting: MeetingRecord) => MeetingRecord): StrategyMeetings {
  const meeting = findMeeting(state, meetingId);
  return meeting ? { byId: { ...state.byId, [meetingId]: change(meeting) } } : state;
}
