import type { ChildReportedMissing, ChildReturned, RiskAssessed } from '../child-case/child-case.events';
import { childIdOfStream } from '../child-stream/followed-events';
import type { RecordedEvent } from '../event-store/event-store.port';
import type { Processor } from '../event-store/subscriptions/consumer';
import type { Clock } from '../shared/clock';
import type { Deadline, DeadlineQueue } from './deadline-queue';
import type { MeetingActionAgreed } from '../strategy-meetings/strategy-meeting.events';
import type { WarningNoticeRecommended } from '../warning-notices/warning-notice.events';
import type { EscalationRaised } from './escalation.events';
import { meetingActionDeadline, returnInterviewDeadline, warningNoticeDeadline } from './policy/casework-deadlines';
import type { EscalationPolicy } from './policy/escalation-policy';
import { acknowledgementDeadline, longMissingDeadline, nextTier, reviewDeadlines } from './policy/evaluate-policy';

/**
 * Sets the clocks the policy watches, from the times in the events: a risk review by grade, the
 * 72 hours missing, the acknowledgement of an escalation, and the casework after a return (the
 * return interview, meeting actions, warning notices). With Redis down this consumer stops at
 * its checkpoint and catches up when Redis is back; nothing is lost.
 */
export class DeadlineSchedulerProcessor implements Processor {
  readonly kind = 'processor';
  readonly name = 'deadline-scheduler';

  constructor(
    private readonly deadlines: DeadlineQueue,
    readonly policy: EscalationPolicy,
    private readonly clock: Clock,
  ) {}

  /** The clocks are independent and their job ids deterministic: the whole batch's go to Redis at once. */
  async handle(events: RecordedEvent[]): Promise<void> {
    await this.deadlines.scheduleAll(events.flatMap((event) => this.deadlinesSetBy(event)), this.clock.now());
  }

  /** The clocks an event sets; the re-enqueue sweep asks the same of a child's history. */
  deadlinesSetBy(event: RecordedEvent): Deadline[] {
    return deadlinesSetBy(this.policy, event);
  }
}

/** The clocks an event sets, from its own times: the scheduler's, the sweep's and the synthetic history's answer. */
export function deadlinesSetBy(policy: EscalationPolicy, event: Pick<RecordedEvent, 'id' | 'stream' | 'type' | 'data'>): Deadline[] {
  const childId = event.stream.startsWith('child-') ? childIdOfStream(event.stream) : null;
  if (!childId) return [];
  const base = { childId, escalationId: null, cause: event.id };
  switch (event.type) {
    case 'ChildReportedMissing': {
      const report = event.data as Omit<ChildReportedMissing, 'type'>;
      const episode = { ...base, episodeId: report.episodeId };
      return [
        ...reviewClocks(policy, episode, report.missingSince, report.initialRisk ?? null, null),
        {
          ...episode,
          kind: 'long-missing',
          step: 0,
          tier: policy.longMissing.tier,
          notify: policy.longMissing.notify,
          reviewAnchor: null,
          dueAt: longMissingDeadline(policy, report.missingSince),
          figures: { hoursMissing: policy.longMissing.hours, missingSince: report.missingSince },
        },
      ];
    }
    case 'RiskAssessed': {
      const grading = event.data as Omit<RiskAssessed, 'type'>;
      return reviewClocks(policy, { ...base, episodeId: grading.episodeId }, null, grading.grade, grading.assessedAt);
    }
    case 'EscalationRaised': {
      const escalation = event.data as Omit<EscalationRaised, 'type'>;
      const tier = nextTier(policy, escalation.tier);
      if (tier === null) return [];
      return [
        {
          ...base,
          kind: 'unacknowledged',
          episodeId: escalation.episodeId,
          escalationId: escalation.escalationId,
          step: 0,
          tier,
          notify: ['senior-officer'],
          reviewAnchor: null,
          dueAt: acknowledgementDeadline(policy, escalation.raisedAt),
          figures: { hours: policy.unacknowledged.hours },
        },
      ];
    }
    default:
      return caseworkClocks(policy, event, base);
  }
}

/** The casework after a return: the interview, each meeting action, each warning notice. */
function caseworkClocks(policy: EscalationPolicy, event: Pick<RecordedEvent, 'type' | 'data'>, base: Pick<Deadline, 'childId' | 'escalationId' | 'cause'>): Deadline[] {
  const clock = { ...base, episodeId: null, step: 0, reviewAnchor: null };
  switch (event.type) {
    case 'ChildReturned': {
      const { episodeId, returnedAt } = event.data as Omit<ChildReturned, 'type'>;
      const { hours, tier, notify } = policy.returnInterviewOverdue;
      const dueAt = returnInterviewDeadline(policy, returnedAt);
      return [{ ...clock, kind: 'return-interview-overdue', episodeId, tier, notify, dueAt, figures: { hours, returnedAt } }];
    }
    case 'MeetingActionAgreed': {
      const { meetingId, actionId, agency, dueDate } = event.data as Omit<MeetingActionAgreed, 'type'>;
      const { tier, notify } = policy.meetingActionOverdue;
      const dueAt = meetingActionDeadline(dueDate);
      // No free text (what, owner) in the figures: they travel to Redis with the e-mail jobs.
      const figures = { meetingId, actionId, agency, dueDate };
      return [{ ...clock, kind: 'meeting-action-overdue', meetingId, actionId, tier, notify, dueAt, figures }];
    }
    case 'WarningNoticeRecommended': {
      const { noticeId, recommendedAt } = event.data as Omit<WarningNoticeRecommended, 'type'>;
      const { days, tier, notify } = policy.cawnNotServed;
      const dueAt = warningNoticeDeadline(policy, recommendedAt);
      return [{ ...clock, kind: 'cawn-not-served', noticeId, tier, notify, dueAt, figures: { noticeId, days, recommendedAt } }];
    }
    default:
      return [];
  }
}

function reviewClocks(
  policy: EscalationPolicy,
  episode: Pick<Deadline, 'childId' | 'episodeId' | 'escalationId' | 'cause'>,
  missingSince: string | null,
  grade: RiskAssessed['grade'] | null,
  lastReviewAt: string | null,
): Deadline[] {
  const anchor = lastReviewAt ?? missingSince!;
  return reviewDeadlines(policy, { missingSince: anchor, grade, lastReviewAt }).map((step) => ({
    ...episode,
    kind: 'review-overdue',
    step: step.step,
    tier: step.tier,
    notify: step.notify,
    reviewAnchor: lastReviewAt,
    dueAt: step.dueAt,
    figures: { grade, reviewDueAt: step.dueAt, lastReviewAt, step: step.step + 1 },
  }));
}
