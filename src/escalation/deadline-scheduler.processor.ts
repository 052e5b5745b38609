import type { ChildReportedMissing, RiskAssessed } from '../child-case/child-case.events';
import { childIdOfStream } from '../children/child-summary.projection';
import type { RecordedEvent } from '../event-store/event-store.port';
import type { Processor } from '../event-store/subscriptions/consumer';
import type { Clock } from '../shared/clock';
import type { Deadline, DeadlineQueue } from './deadline-queue';
import type { EscalationRaised } from './escalation.events';
import type { EscalationPolicy } from './policy/escalation-policy';
import { acknowledgementDeadline, longMissingDeadline, nextTier, reviewDeadlines } from './policy/evaluate-policy';

/**
 * Sets the clocks the policy watches, from the times in the events: a risk review by grade, the
 * 72 hours missing, the acknowledgement of an escalation. With Redis down this consumer stops at
 * its checkpoint and catches up when Redis is back; nothing is lost.
 */
export class DeadlineSchedulerProcessor implements Processor {
  readonly kind = 'processor';
  readonly name = 'deadline-scheduler';

  constructor(
    private readonly deadlines: DeadlineQueue,
    private readonly policy: EscalationPolicy,
    private readonly clock: Clock,
  ) {}

  async handle(events: RecordedEvent[]): Promise<void> {
    for (const event of events) {
      for (const deadline of this.deadlinesSetBy(event)) await this.deadlines.schedule(deadline, this.clock.now());
    }
  }

  private deadlinesSetBy(event: RecordedEvent): Deadline[] {
    const childId = event.stream.startsWith('child-') ? childIdOfStream(event.stream) : null;
    if (!childId) return [];
    const base = { childId, escalationId: null, cause: event.id };
    switch (event.type) {
      case 'ChildReportedMissing': {
        const report = event.data as Omit<ChildReportedMissing, 'type'>;
        const episode = { ...base, episodeId: report.episodeId };
        return [
          ...this.reviewClocks(episode, report.missingSince, report.initialRisk ?? null, null),
          {
            ...episode,
            kind: 'long-missing',
            step: 0,
            tier: this.policy.longMissing.tier,
            notify: this.policy.longMissing.notify,
            reviewAnchor: null,
            dueAt: longMissingDeadline(this.policy, report.missingSince),
            figures: { hoursMissing: this.policy.longMissing.hours, missingSince: report.missingSince },
          },
        ];
      }
      case 'RiskAssessed': {
        const grading = event.data as Omit<RiskAssessed, 'type'>;
        return this.reviewClocks({ ...base, episodeId: grading.episodeId }, null, grading.grade, grading.assessedAt);
      }
      case 'EscalationRaised': {
        const escalation = event.data as Omit<EscalationRaised, 'type'>;
        const tier = nextTier(this.policy, escalation.tier);
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
            dueAt: acknowledgementDeadline(this.policy, escalation.raisedAt),
            figures: { hours: this.policy.unacknowledged.hours },
          },
        ];
      }
      default:
        return [];
    }
  }

  private reviewClocks(
    episode: Pick<Deadline, 'childId' | 'episodeId' | 'escalationId' | 'cause'>,
    missingSince: string | null,
    grade: RiskAssessed['grade'] | null,
    lastReviewAt: string | null,
  ): Deadline[] {
    const anchor = lastReviewAt ?? missingSince!;
    return reviewDeadlines(this.policy, { missingSince: anchor, grade, lastReviewAt }).map((step) => ({
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
}
