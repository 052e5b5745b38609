/** Test support for the strategy meeting specs: called at 10:00 on 25 November 2026, held at 14:00. */
import { CHILD_ID, NOW } from '../child-case/child-case.fixtures';
import type {
  AgreeMeetingAction,
  CallStrategyMeeting,
  CloseStrategyMeeting,
  CompleteMeetingAction,
  RecordMeetingDecision,
  RecordMeetingHeld,
  RecordMeetingOutcome,
} from './strategy-meeting.commands';
import type {
  MeetingActionAgreed,
  MeetingActionCompleted,
  MeetingDecisionRecorded,
  MeetingOutcomeRecorded,
  StrategyMeetingCalled,
  StrategyMeetingClosed,
  StrategyMeetingHeld,
} from './strategy-meeting.events';

export const MEETING_ID = 'meeting-1';
export const ACTION_ID = 'meeting-action-1';
export const HELD_AT = '2026-11-25T14:00:00.000Z';
/** The day after: when the rest of the record is typed in. */
export const LATER = '2026-11-26T09:00:00.000Z';
export const AGENCIES = ['police', 'childrens-social-care', 'health', 'education'];

// Events

export const meetingCalled = (o: Partial<StrategyMeetingCalled> = {}): StrategyMeetingCalled => ({
  type: 'StrategyMeetingCalled',
  meetingId: MEETING_ID,
  childId: CHILD_ID,
  reason: 'seen with an adult known for CSE',
  agencies: AGENCIES,
  calledBy: 'coordinator-2',
  calledAt: NOW,
  ...o,
});

export const meetingHeld = (o: Partial<StrategyMeetingHeld> = {}): StrategyMeetingHeld => ({
  type: 'StrategyMeetingHeld',
  meetingId: MEETING_ID,
  heldAt: HELD_AT,
  attendees: [
    { name: 'DS Hart', agency: 'police' },
    { name: 'K. Wood', agency: 'childrens-social-care', role: 'social worker' },
  ],
  absentees: [{ agency: 'education', reason: 'no one available' }],
  ...o,
});

export const decisionRecorded = (o: Partial<MeetingDecisionRecorded> = {}): MeetingDecisionRecorded => ({
  type: 'MeetingDecisionRecorded',
  meetingId: MEETING_ID,
  decisionId: 'decision-1',
  decision: 'apply for a child abduction warning notice',
  ...o,
});

export const actionAgreed = (o: Partial<MeetingActionAgreed> = {}): MeetingActionAgreed => ({
  type: 'MeetingActionAgreed',
  meetingId: MEETING_ID,
  actionId: ACTION_ID,
  what: 'visit the flat on London Road',
  owner: 'DS Hart',
  agency: 'police',
  dueDate: '2026-12-01',
  ...o,
});

export const actionCompleted = (o: Partial<MeetingActionCompleted> = {}): MeetingActionCompleted => ({
  type: 'MeetingActionCompleted',
  meetingId: MEETING_ID,
  actionId: ACTION_ID,
  completedBy: 'coordinator-2',
  completedAt: LATER,
  ...o,
});

export const outcomeRecorded = (o: Partial<MeetingOutcomeRecorded> = {}): MeetingOutcomeRecorded => ({
  type: 'MeetingOutcomeRecorded',
  meetingId: MEETING_ID,
  outcome: 'section 47 enquiry; CSE plan',
  recordedAt: LATER,
  ...o,
});

export const meetingClosed = (o: Partial<StrategyMeetingClosed> = {}): StrategyMeetingClosed => ({
  type: 'StrategyMeetingClosed',
  meetingId: MEETING_ID,
  closedBy: 'coordinator-2',
  closedAt: LATER,
  ...o,
});

// Commands: each is its event's data, with `now`

const asCommand = <T extends { type: string }>(event: T) => {
  const { type: _type, ...data } = event;
  return data;
};

export const callMeeting = (o: Partial<CallStrategyMeeting> = {}): CallStrategyMeeting => {
  const { calledAt: _calledAt, ...call } = asCommand(meetingCalled());
  return { type: 'CallStrategyMeeting', ...call, now: NOW, ...o };
};

export const recordHeld = (o: Partial<RecordMeetingHeld> = {}): RecordMeetingHeld => ({
  type: 'RecordMeetingHeld',
  ...asCommand(meetingHeld()),
  now: LATER,
  ...o,
});

export const recordDecision = (o: Partial<RecordMeetingDecision> = {}): RecordMeetingDecision => ({
  type: 'RecordMeetingDecision',
  ...asCommand(decisionRecorded()),
  now: LATER,
  ...o,
});

export const agreeAction = (o: Partial<AgreeMeetingAction> = {}): AgreeMeetingAction => ({
  type: 'AgreeMeetingAction',
  ...asCommand(actionAgreed()),
  now: LATER,
  ...o,
});

export const completeAction = (o: Partial<CompleteMeetingAction> = {}): CompleteMeetingAction => ({
  type: 'CompleteMeetingAction',
  meetingId: MEETING_ID,
  actionId: ACTION_ID,
  completedBy: 'coordinator-2',
  now: LATER,
  ...o,
});

export const recordOutcome = (o: Partial<RecordMeetingOutcome> = {}): RecordMeetingOutcome => ({
  type: 'RecordMeetingOutcome',
  meetingId: MEETING_ID,
  outcome: 'section 47 enquiry; CSE plan',
  now: LATER,
  ...o,
});

export const closeMeeting = (o: Partial<CloseStrategyMeeting> = {}): CloseStrategyMeeting => ({
  type: 'CloseStrategyMeeting',
  meetingId: MEETING_ID,
  closedBy: 'coordinator-2',
  now: LATER,
  ...o,
});
