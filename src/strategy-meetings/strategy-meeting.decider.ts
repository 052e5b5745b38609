import { calendarDate, clock, defined, instant, requireText } from '../child-case/child-case.guards';
import type { ChildStream, ChildStreamEvent } from '../child-stream/child-stream';
import { ukDateOf } from '../shared/calendar';
import { assertNever, refuse, refuseInvalid, refuseNotFound } from '../shared/refusal';
import type {
  AgreeMeetingAction,
  CallStrategyMeeting,
  CloseStrategyMeeting,
  CompleteMeetingAction,
  RecordMeetingDecision,
  RecordMeetingHeld,
  RecordMeetingOutcome,
  StrategyMeetingCommand,
} from './strategy-meeting.commands';
import type { MeetingActionCompleted, MeetingDecisionRecorded, MeetingOutcomeRecorded, StrategyMeetingClosed } from './strategy-meeting.events';
import { findMeeting, findMeetingAction, type MeetingRecord } from './strategy-meeting.state';

/** Decides the record of a strategy meeting: called, held, decisions, actions, outcome, closed. */
export function decideStrategyMeeting(command: StrategyMeetingCommand, stream: ChildStream): ChildStreamEvent[] {
  switch (command.type) {
    case 'CallStrategyMeeting':
      return callMeeting(command, stream);
    case 'RecordMeetingHeld':
      return recordHeld(command, stream);
    case 'RecordMeetingDecision':
      return recordDecision(command, stream);
    case 'AgreeMeetingAction':
      return agreeAction(command, stream);
    case 'CompleteMeetingAction':
      return completeAction(command, stream);
    case 'RecordMeetingOutcome':
      return recordOutcome(command, stream);
    case 'CloseStrategyMeeting':
      return closeMeeting(command, stream);
    default:
      return assertNever(command);
  }
}

function callMeeting(c: CallStrategyMeeting, stream: ChildStream): ChildStreamEvent[] {
  if (!stream.childCase.registered) throw refuseNotFound(`child ${c.childId} does not exist`);
  // DOMAIN: one open meeting per child; further concerns go on its agenda.
  const open = stream.safeguarding.openMeetingId;
  if (open !== null) throw refuse(`a strategy meeting is already open for the child (${open})`);
  if (findMeeting(stream.meetings, c.meetingId)) throw refuse(`strategy meeting ${c.meetingId} already exists`);
  requireText(c.reason, 'reason');
  if (c.agencies.length === 0) throw refuseInvalid('agencies must name at least one agency', 'agencies');
  const { type: _type, now, ...call } = c;
  return [{ type: 'StrategyMeetingCalled', ...call, calledAt: now }];
}

function recordHeld(c: RecordMeetingHeld, stream: ChildStream): ChildStreamEvent[] {
  const meeting = openMeeting(stream, c.meetingId);
  if (meeting.heldAt !== null) throw refuse(`strategy meeting ${c.meetingId} was already held (${meeting.heldAt})`);
  const heldAt = instant(c.heldAt, 'heldAt');
  if (heldAt > clock(c.now)) throw refuseInvalid('heldAt is in the future', 'heldAt');
  if (heldAt < Date.parse(meeting.convenedAt)) throw refuseInvalid('heldAt is before the meeting was convened', 'heldAt');
  if (c.attendees.length === 0) throw refuseInvalid('attendees must name at least one person', 'attendees');
  c.attendees.forEach((attendee, i) => {
    requireText(attendee.name, `attendees[${i}].name`, 'name');
    requireText(attendee.agency, `attendees[${i}].agency`, 'agency');
  });
  c.absentees.forEach((absentee, i) => requireText(absentee.agency, `absentees[${i}].agency`, 'agency'));
  return [
    {
      type: 'StrategyMeetingHeld',
      meetingId: c.meetingId,
      heldAt: c.heldAt,
      attendees: c.attendees.map((a) => defined(a)),
      absentees: c.absentees.map((a) => defined(a)),
    },
  ];
}

function recordDecision(c: RecordMeetingDecision, stream: ChildStream): ChildStreamEvent[] {
  heldMeeting(stream, c.meetingId);
  requireText(c.decision, 'decision');
  const { type: _type, now: _now, ...decision } = c;
  return [defined<MeetingDecisionRecorded>({ type: 'MeetingDecisionRecorded', ...decision })];
}

function agreeAction(c: AgreeMeetingAction, stream: ChildStream): ChildStreamEvent[] {
  const meeting = heldMeeting(stream, c.meetingId);
  if (findMeetingAction(meeting, c.actionId)) throw refuse(`action ${c.actionId} already exists`);
  requireText(c.what, 'what');
  requireText(c.owner, 'owner');
  requireText(c.agency, 'agency');
  // DOMAIN: actions with timescales; one due before the meeting could never have been met.
  if (calendarDate(c.dueDate, 'dueDate') < ukDateOf(meeting.heldAt!)) {
    throw refuseInvalid('dueDate is before the meeting was held', 'dueDate');
  }
  const { type: _type, now: _now, ...action } = c;
  return [{ type: 'MeetingActionAgreed', ...action }];
}

function completeAction(c: CompleteMeetingAction, stream: ChildStream): ChildStreamEvent[] {
  const meeting = openMeeting(stream, c.meetingId);
  const action = findMeetingAction(meeting, c.actionId);
  if (!action) throw refuseNotFound(`action ${c.actionId} does not exist on strategy meeting ${c.meetingId}`);
  if (action.completed) throw refuse(`action ${c.actionId} is already completed`);
  const { meetingId, actionId, completedBy, note, now } = c;
  return [defined<MeetingActionCompleted>({ type: 'MeetingActionCompleted', meetingId, actionId, completedBy, completedAt: now, note })];
}

function recordOutcome(c: RecordMeetingOutcome, stream: ChildStream): ChildStreamEvent[] {
  const meeting = heldMeeting(stream, c.meetingId);
  if (meeting.outcomeRecorded) throw refuse(`the outcome of strategy meeting ${c.meetingId} is already recorded`);
  requireText(c.outcome, 'outcome');
  if (c.nextReviewDate !== undefined && calendarDate(c.nextReviewDate, 'nextReviewDate') < ukDateOf(c.now)) {
    throw refuseInvalid('nextReviewDate is in the past', 'nextReviewDate');
  }
  const { meetingId, outcome, nextReviewDate, now } = c;
  return [defined<MeetingOutcomeRecorded>({ type: 'MeetingOutcomeRecorded', meetingId, outcome, nextReviewDate, recordedAt: now })];
}

/** Closing needs the outcome and every action completed: the record shows what was decided and done. */
function closeMeeting(c: CloseStrategyMeeting, stream: ChildStream): ChildStreamEvent[] {
  const meeting = openMeeting(stream, c.meetingId);
  if (!meeting.outcomeRecorded) throw refuse(`strategy meeting ${c.meetingId} has no outcome recorded`);
  const outstanding = Object.entries(meeting.actions).filter(([, action]) => !action.completed).map(([id]) => id);
  if (outstanding.length > 0) throw refuse(`strategy meeting ${c.meetingId} has actions not completed: ${outstanding.join(', ')}`);
  const { meetingId, closedBy, note, now } = c;
  return [defined<StrategyMeetingClosed>({ type: 'StrategyMeetingClosed', meetingId, closedBy, closedAt: now, note })];
}

function openMeeting(stream: ChildStream, meetingId: string): MeetingRecord {
  const meeting = findMeeting(stream.meetings, meetingId);
  if (!meeting) throw refuseNotFound(`strategy meeting ${meetingId} does not exist`);
  if (meeting.status === 'closed') throw refuse(`strategy meeting ${meetingId} is closed`);
  return meeting;
}

/** Decisions, actions and the outcome are made at the meeting, so it must have been held. */
function heldMeeting(stream: ChildStream, meetingId: string): MeetingRecord {
  const meeting = openMeeting(stream, meetingId);
  if (meeting.heldAt === null) throw refuse(`strategy meeting ${meetingId} has not been held yet`);
  return meeting;
}
