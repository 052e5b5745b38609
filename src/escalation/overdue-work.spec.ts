import { CHILD_ID, EPISODE_ID, NOW, cancelled, closed, registered, reported, returned, riskAssessed } from '../child-case/child-case.fixtures';
import type { ChildStreamEvent } from '../child-stream/child-stream';
import { given } from '../child-stream/child-stream.given';
import { interviewCompleted, interviewDeclined, interviewOffered } from '../return-work/return-work.fixtures';
import { ACTION_ID, MEETING_ID, actionAgreed, actionCompleted, meetingCalled, meetingHeld } from '../strategy-meetings/strategy-meeting.fixtures';
import { NOTICE_ID, noticeRecommended, noticeServed } from '../warning-notices/warning-notice.fixtures';
import type { OverdueWork, RaiseOverdueEscalation } from './escalation.commands';
import type { EscalationRaised } from './escalation.events';

// A deadline re-checks the case when it fires, rule by rule: done in time, nothing; still undone, one escalation.

const deadlineFired = (work: OverdueWork): RaiseOverdueEscalation => ({
  type: 'RaiseOverdueEscalation',
  work,
  tier: 1,
  notify: ['senior-officer'],
  escalationId: 'escalation-9',
  figures: { dueAt: NOW },
  cause: 'event-1',
  now: NOW,
});

const escalation = (work: OverdueWork): EscalationRaised => ({
  type: 'EscalationRaised',
  escalationId: 'escalation-9',
  childId: CHILD_ID,
  district: 'Sheffield',
  rule: work.rule,
  tier: 1,
  notify: ['senior-officer'],
  episodeId: 'episodeId' in work ? work.episodeId : null,
  figures: { dueAt: NOW },
  cause: 'event-1',
  escalates: null,
  raisedAt: NOW,
});

/** Given the history, the deadline on `work` fires: escalation or nothing. */
const whenFired = (history: ChildStreamEvent[], work: OverdueWork) => ({
  thenEscalates: () => given(history).when(deadlineFired(work)).thenEmits([escalation(work)]),
  thenNothing: () => given(history).when(deadlineFired(work)).thenNothing(),
});

describe('review-overdue', () => {
  const work: OverdueWork = { rule: 'review-overdue', episodeId: EPISODE_ID, reviewAnchor: null };
  it('still unreviewed: escalates', () => whenFired([registered(), reported()], work).thenEscalates());
  it('reviewed since the clock was set: nothing', () => whenFired([registered(), reported(), riskAssessed({ assessedAt: NOW })], work).thenNothing());
  it('the child has returned: nothing', () => whenFired([registered(), reported(), returned()], work).thenNothing());
});

describe('long-missing', () => {
  const work: OverdueWork = { rule: 'long-missing', episodeId: EPISODE_ID };
  it('still missing: escalates', () => whenFired([registered(), reported()], work).thenEscalates());
  it('returned in time: nothing', () => whenFired([registered(), reported(), returned()], work).thenNothing());
  it('cancelled: nothing', () => whenFired([registered(), reported(), cancelled()], work).thenNothing());
});

describe('return-interview-overdue', () => {
  const work: OverdueWork = { rule: 'return-interview-overdue', episodeId: EPISODE_ID };
  const back = [registered(), reported(), returned()];
  it('no interview: escalates', () => whenFired(back, work).thenEscalates());
  it('offered but not held: escalates', () => whenFired([...back, interviewOffered()], work).thenEscalates());
  it('episode closed without an interview: escalates', () => whenFired([...back, closed()], work).thenEscalates());
  it('completed in time: nothing', () => whenFired([...back, interviewCompleted()], work).thenNothing());
  it('declined in time: nothing', () => whenFired([...back, interviewDeclined()], work).thenNothing());
  it('the episode was reported in error: nothing', () => whenFired([...back, cancelled()], work).thenNothing());
});

describe('meeting-action-overdue', () => {
  const work: OverdueWork = { rule: 'meeting-action-overdue', meetingId: MEETING_ID, actionId: ACTION_ID };
  const agreed = [registered(), meetingCalled(), meetingHeld(), actionAgreed()];
  it('not completed by its due date: escalates', () => whenFired(agreed, work).thenEscalates());
  it('completed before its due date: nothing', () => whenFired([...agreed, actionCompleted()], work).thenNothing());
  it('an action the child’s meetings do not have: nothing', () => whenFired([registered()], work).thenNothing());
});

describe('cawn-not-served', () => {
  const work: OverdueWork = { rule: 'cawn-not-served', noticeId: NOTICE_ID };
  it('not served in 7 days: escalates', () => whenFired([registered(), noticeRecommended()], work).thenEscalates());
  it('served in time: nothing', () => whenFired([registered(), noticeRecommended(), noticeServed()], work).thenNothing());
});
