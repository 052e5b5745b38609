import { CHILD_ID, EPISODE_ID, NOW, registered, reported } from '../child-case/child-case.fixtures';
import { given } from '../child-stream/child-stream.given';
import type { StrategyMeetingConvened } from '../escalation/escalation.events';
import {
  ACTION_ID,
  HELD_AT,
  MEETING_ID,
  actionAgreed,
  actionCompleted,
  agreeAction,
  callMeeting,
  closeMeeting,
  completeAction,
  decisionRecorded,
  meetingCalled,
  meetingClosed,
  meetingHeld,
  outcomeRecorded,
  recordDecision,
  recordHeld,
  recordOutcome,
} from './strategy-meeting.fixtures';

const convened = (o: Partial<StrategyMeetingConvened> = {}): StrategyMeetingConvened => ({
  type: 'StrategyMeetingConvened',
  meetingId: MEETING_ID,
  childId: CHILD_ID,
  rule: 'repeat-in-window',
  agencies: ['police'],
  agenda: [EPISODE_ID],
  figures: {},
  cause: 'event-1',
  convenedAt: NOW,
  ...o,
});

const called = [registered(), meetingCalled()];
const held = [...called, meetingHeld()];

describe('CallStrategyMeeting', () => {
  it('calls a meeting by hand, with the reason and the agencies', () => {
    given([registered()]).when(callMeeting()).thenEmits([meetingCalled()]);
  });

  it('refuses a second open meeting for the child, whoever opened the first', () => {
    given([registered(), reported(), convened()])
      .when(callMeeting({ meetingId: 'meeting-2' }))
      .thenRefuses(`a strategy meeting is already open for the child (${MEETING_ID})`);
  });

  it('calls a new meeting once the last one is closed', () => {
    const closedOne = [...held, outcomeRecorded(), meetingClosed()];
    given(closedOne).when(callMeeting({ meetingId: 'meeting-2' })).thenEmits([meetingCalled({ meetingId: 'meeting-2' })]);
  });

  it('refuses a meeting without a reason or without agencies', () => {
    given([registered()]).when(callMeeting({ reason: '' })).thenRefuses('reason is required', { kind: 'invalid', field: 'reason' });
    given([registered()]).when(callMeeting({ agencies: [] })).thenRefuses('agencies must name at least one agency', { kind: 'invalid', field: 'agencies' });
  });

  it('refuses a child who is not registered', () => {
    given([]).when(callMeeting()).thenRefuses(`child ${CHILD_ID} does not exist`, { kind: 'not-found' });
  });
});

describe('RecordMeetingHeld', () => {
  it('records when it was held, who attended for which agency, and who did not', () => {
    given(called).when(recordHeld()).thenEmits([meetingHeld()]);
  });

  it('records a meeting the policy convened', () => {
    given([registered(), reported(), convened()]).when(recordHeld()).thenEmits([meetingHeld()]);
  });

  it('refuses a meeting held twice', () => {
    given(held).when(recordHeld()).thenRefuses(`strategy meeting ${MEETING_ID} was already held (${HELD_AT})`);
  });

  it('refuses a meeting held before it was convened, or in the future', () => {
    given(called).when(recordHeld({ heldAt: '2026-11-25T09:00:00.000Z' })).thenRefuses('heldAt is before the meeting was convened', { kind: 'invalid', field: 'heldAt' });
    given(called).when(recordHeld({ heldAt: '2026-11-27T09:00:00.000Z' })).thenRefuses('heldAt is in the future', { kind: 'invalid', field: 'heldAt' });
  });

  it('refuses a meeting nobody attended, or an attendee with no agency', () => {
    given(called).when(recordHeld({ attendees: [] })).thenRefuses('attendees must name at least one person', { kind: 'invalid', field: 'attendees' });
    given(called)
      .when(recordHeld({ attendees: [{ name: 'DS Hart', agency: '' }] }))
      .thenRefuses('agency is required', { kind: 'invalid', field: 'attendees[0].agency' });
  });

  it('refuses a meeting this child does not have', () => {
    given([registered()]).when(recordHeld()).thenRefuses(`strategy meeting ${MEETING_ID} does not exist`, { kind: 'not-found' });
  });
});

describe('decisions and actions', () => {
  it('records a decision made at the meeting', () => {
    given(held).when(recordDecision()).thenEmits([decisionRecorded()]);
  });

  it('refuses a decision before the meeting was held', () => {
    given(called).when(recordDecision()).thenRefuses(`strategy meeting ${MEETING_ID} has not been held yet`);
  });

  it('agrees an action with an owner, an agency and a due date', () => {
    given(held).when(agreeAction()).thenEmits([actionAgreed()]);
  });

  it('refuses an action due before the meeting was held', () => {
    given(held).when(agreeAction({ dueDate: '2026-11-24' })).thenRefuses('dueDate is before the meeting was held', { kind: 'invalid', field: 'dueDate' });
  });

  it('completes an action, once', () => {
    given([...held, actionAgreed()]).when(completeAction()).thenEmits([actionCompleted()]);
    given([...held, actionAgreed(), actionCompleted()]).when(completeAction()).thenRefuses(`action ${ACTION_ID} is already completed`);
  });

  it('refuses completing an action the meeting does not have', () => {
    given(held).when(completeAction()).thenRefuses(`action ${ACTION_ID} does not exist on strategy meeting ${MEETING_ID}`, { kind: 'not-found' });
  });
});

describe('outcome and closing', () => {
  it('records the outcome and the next review', () => {
    given(held).when(recordOutcome({ nextReviewDate: '2026-12-09' })).thenEmits([outcomeRecorded({ nextReviewDate: '2026-12-09' })]);
  });

  it('refuses a second outcome', () => {
    given([...held, outcomeRecorded()]).when(recordOutcome()).thenRefuses(`the outcome of strategy meeting ${MEETING_ID} is already recorded`);
  });

  it('closes a meeting whose outcome is recorded and actions completed', () => {
    given([...held, actionAgreed(), actionCompleted(), outcomeRecorded()]).when(closeMeeting()).thenEmits([meetingClosed()]);
  });

  it('refuses closing with no outcome, or with actions not completed', () => {
    given(held).when(closeMeeting()).thenRefuses(`strategy meeting ${MEETING_ID} has no outcome recorded`);
    given([...held, actionAgreed(), outcomeRecorded()]).when(closeMeeting()).thenRefuses(`strategy meeting ${MEETING_ID} has actions not completed: ${ACTION_ID}`);
  });

  it('refuses any work on a closed meeting', () => {
    const closed = [...held, outcomeRecorded(), meetingClosed()];
    given(closed).when(agreeAction()).thenRefuses(`strategy meeting ${MEETING_ID} is closed`);
    given(closed).when(recordDecision()).thenRefuses(`strategy meeting ${MEETING_ID} is closed`);
    given(closed).when(closeMeeting()).thenRefuses(`strategy meeting ${MEETING_ID} is closed`);
  });

  it('lets a later repeat crossing convene a new meeting once this one is closed', () => {
    const closed = [registered(), reported(), convened(), meetingHeld(), outcomeRecorded(), meetingClosed()];
    const figures = { episodesInWindow: 3, windowDays: 30, windowStart: NOW, windowEnd: NOW, threshold: 3 };
    const crossing = {
      type: 'ApplyRuleOutcome' as const,
      outcome: { rule: 'repeat-in-window' as const, kind: 'crossed' as const, tier: 1, figures },
      episodeId: EPISODE_ID,
      meetingId: 'meeting-2',
      escalationId: 'escalation-2',
      notify: ['senior-officer' as const],
      agencies: ['police'],
      cause: 'event-2',
      now: NOW,
    };
    given(closed).when(crossing).thenEmits([
      convened({ meetingId: 'meeting-2', cause: 'event-2', figures, agenda: [EPISODE_ID] }),
      {
        type: 'EscalationRaised',
        escalationId: 'escalation-2',
        childId: CHILD_ID,
        district: 'Sheffield',
        rule: 'repeat-in-window',
        tier: 1,
        notify: ['senior-officer'],
        episodeId: EPISODE_ID,
        figures,
        cause: 'event-2',
        escalates: null,
        raisedAt: NOW,
      },
    ]);
  });
});
