import { typesOf } from '../child-stream/child-stream-slice';
import type { MeetingAbsentee, MeetingAttendee } from './strategy-meeting.events';

/** What coordinators ask of a strategy meeting; `now` is the time it is decided at. */

export interface CallStrategyMeeting {
  type: 'CallStrategyMeeting';
  meetingId: string;
  childId: string;
  reason: string;
  agencies: string[];
  calledBy: string;
  now: string;
}

export interface RecordMeetingHeld {
  type: 'RecordMeetingHeld';
  meetingId: string;
  heldAt: string;
  attendees: MeetingAttendee[];
  absentees: MeetingAbsentee[];
  now: string;
}

export interface RecordMeetingDecision {
  type: 'RecordMeetingDecision';
  meetingId: string;
  decisionId: string;
  decision: string;
  rationale?: string;
  now: string;
}

export interface AgreeMeetingAction {
  type: 'AgreeMeetingAction';
  meetingId: string;
  actionId: string;
  what: string;
  owner: string;
  agency: string;
  dueDate: string;
  now: string;
}

export interface CompleteMeetingAction {
  type: 'CompleteMeetingAction';
  meetingId: string;
  actionId: string;
  completedBy: string;
  note?: string;
  now: string;
}

export interface RecordMeetingOutcome {
  type: 'RecordMeetingOutcome';
  meetingId: string;
  outcome: string;
  nextReviewDate?: string;
  now: string;
}

export interface CloseStrategyMeeting {
  type: 'CloseStrategyMeeting';
  meetingId: string;
  closedBy: string;
  note?: string;
  now: string;
}

export type StrategyMeetingCommand =
  | CallStrategyMeeting
  | RecordMeetingHeld
  | RecordMeetingDecision
  | AgreeMeetingAction
  | CompleteMeetingAction
  | RecordMeetingOutcome
  | CloseStrategyMeeting;

export const STRATEGY_MEETING_COMMAND_TYPES = typesOf<StrategyMeetingCommand['type']>({
  CallStrategyMeeting: true,
  RecordMeetingHeld: true,
  RecordMeetingDecision: true,
  AgreeMeetingAction: true,
  CompleteMeetingAction: true,
  RecordMeetingOutcome: true,
  CloseStrategyMeeting: true,
});
