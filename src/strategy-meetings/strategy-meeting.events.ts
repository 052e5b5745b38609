import { typesOf } from '../child-stream/child-stream-slice';

/**
 * A multi-agency strategy meeting's record, on the child's stream. The policy convenes one
 * (StrategyMeetingConvened, an escalation event); a coordinator may call one by hand. The
 * inspection found meetings where "it was not always clear what decisions had been made" and
 * actions had no timescales or record of completion: here each is a fact with who and when.
 */

export interface StrategyMeetingCalled {
  type: 'StrategyMeetingCalled';
  meetingId: string;
  childId: string;
  reason: string;
  agencies: string[];
  calledBy: string;
  calledAt: string;
}

export interface MeetingAttendee {
  name: string;
  agency: string;
  role?: string;
}

/** An agency invited that did not attend, and who or why when known. */
export interface MeetingAbsentee {
  agency: string;
  name?: string;
  reason?: string;
}

export interface StrategyMeetingHeld {
  type: 'StrategyMeetingHeld';
  meetingId: string;
  heldAt: string;
  attendees: MeetingAttendee[];
  absentees: MeetingAbsentee[];
}

export interface MeetingDecisionRecorded {
  type: 'MeetingDecisionRecorded';
  meetingId: string;
  decisionId: string;
  decision: string;
  rationale?: string;
}

export interface MeetingActionAgreed {
  type: 'MeetingActionAgreed';
  meetingId: string;
  actionId: string;
  what: string;
  owner: string;
  agency: string;
  /** A UK calendar date: the action is overdue once that day has ended. */
  dueDate: string;
}

export interface MeetingActionCompleted {
  type: 'MeetingActionCompleted';
  meetingId: string;
  actionId: string;
  completedBy: string;
  completedAt: string;
  note?: string;
}

export interface MeetingOutcomeRecorded {
  type: 'MeetingOutcomeRecorded';
  meetingId: string;
  outcome: string;
  nextReviewDate?: string;
  recordedAt: string;
}

export interface StrategyMeetingClosed {
  type: 'StrategyMeetingClosed';
  meetingId: string;
  closedBy: string;
  closedAt: string;
  note?: string;
}

export type StrategyMeetingEvent =
  | StrategyMeetingCalled
  | StrategyMeetingHeld
  | MeetingDecisionRecorded
  | MeetingActionAgreed
  | MeetingActionCompleted
  | MeetingOutcomeRecorded
  | StrategyMeetingClosed;

export const STRATEGY_MEETING_EVENT_TYPES = typesOf<StrategyMeetingEvent['type']>({
  StrategyMeetingCalled: true,
  StrategyMeetingHeld: true,
  MeetingDecisionRecorded: true,
  MeetingActionAgreed: true,
  MeetingActionCompleted: true,
  MeetingOutcomeRecorded: true,
  StrategyMeetingClosed: true,
});
