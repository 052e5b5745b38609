import { CHILD_ID, NOW, registered } from '../child-case/child-case.fixtures';
import { type ChildStreamEvent, evolveChildStream, initialChildStream } from '../child-stream/child-stream';
import { idCreatedBy } from '../event-store/command-handling';
import { NOTICE_ID, noticeRecommended, noticeServed } from '../warning-notices/warning-notice.fixtures';
import { type Deadline, deadlineJobId } from './deadline-queue';
import { deadlineStillPending } from './deadline-handler';
import type { EscalationRaised } from './escalation.events';

// What the re-enqueue sweep puts back after Redis lost its jobs: only clocks with something left to do.

const cawnClock: Deadline = {
  kind: 'cawn-not-served',
  childId: CHILD_ID,
  episodeId: null,
  escalationId: null,
  noticeId: NOTICE_ID,
  step: 0,
  tier: 1,
  notify: ['senior-officer'],
  reviewAnchor: null,
  dueAt: NOW,
  cause: 'recommended-event',
  figures: {},
};

const raised = (escalationId: string): EscalationRaised => ({
  type: 'EscalationRaised',
  escalationId,
  childId: CHILD_ID,
  district: 'Sheffield',
  rule: 'cawn-not-served',
  tier: 1,
  notify: ['senior-officer'],
  episodeId: null,
  figures: {},
  cause: 'recommended-event',
  escalates: null,
  raisedAt: NOW,
});

const ackClock: Deadline = { ...cawnClock, kind: 'unacknowledged', noticeId: undefined, escalationId: 'escalation-1', tier: 2, cause: 'raised-event' };
const acknowledged: ChildStreamEvent = { type: 'EscalationAcknowledged', escalationId: 'escalation-1', acknowledgedBy: 'insp-1', role: 'senior-officer', acknowledgedAt: NOW };
const pending = (deadline: Deadline, history: ChildStreamEvent[]) =>
  deadlineStillPending(deadline, [registered(), ...history].reduce(evolveChildStream, initialChildStream()));
/** The escalation the clock's own job raises when it fires. */
const firedBy = (deadline: Deadline) => raised(idCreatedBy(deadlineJobId(deadline), 'escalation'));

describe('a clock still pending', () => {
  it('is one whose work is undone and which has not fired', () => {
    expect(pending(cawnClock, [noticeRecommended()])).toBe(true);
  });

  it('is not one whose work was done', () => {
    expect(pending(cawnClock, [noticeRecommended(), noticeServed()])).toBe(false);
  });

  it('is not one that already raised its escalation, though the work is still undone', () => {
    expect(pending(cawnClock, [noticeRecommended(), firedBy(cawnClock)])).toBe(false);
  });

  it('watches an acknowledgement until it is given or the escalation has climbed', () => {
    expect(pending(ackClock, [raised('escalation-1')])).toBe(true);
    expect(pending(ackClock, [raised('escalation-1'), acknowledged])).toBe(false);
    expect(pending(ackClock, [raised('escalation-1'), firedBy(ackClock)])).toBe(false);
  });
});
