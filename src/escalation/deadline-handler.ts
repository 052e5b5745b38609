import { idCreatedBy } from '../event-store/command-handling';
import type { Clock } from '../shared/clock';
import { assertNever } from '../shared/refusal';
import type { Deadline } from './deadline-queue';
import type { OverdueRule, OverdueWork } from './escalation.commands';
import { type ExecuteChildStreamCommands, SYSTEM_ACTOR } from './escalation-policy.processor';

/**
 * A clock ran out: issue the command that re-checks the case and escalates if the work is still
 * undone. Its ids derive from the job, so a job that runs twice escalates once.
 */
export function handleDeadline(execute: ExecuteChildStreamCommands, clock: Clock) {
  return async (deadline: Deadline, jobId: string): Promise<void> => {
    const now = clock.now().toISOString();
    const context = { actor: SYSTEM_ACTOR, commandId: idCreatedBy(jobId, 'command'), correlationId: jobId, causationId: deadline.cause };
    const escalationId = idCreatedBy(jobId, 'escalation');
    if (deadline.kind === 'unacknowledged') {
      await execute(
        { childId: deadline.childId },
        [{ type: 'EscalateUnacknowledged', escalationId: deadline.escalationId!, newEscalationId: escalationId, tier: deadline.tier, now }],
        context,
      );
      return;
    }
    await execute(
      { childId: deadline.childId },
      [
        {
          type: 'RaiseOverdueEscalation',
          work: overdueWork(deadline.kind, deadline),
          tier: deadline.tier,
          notify: deadline.notify,
          escalationId,
          figures: { ...deadline.figures, dueAt: deadline.dueAt },
          cause: deadline.cause,
          now,
        },
      ],
      context,
    );
  };
}

/** The work a deadline job watches, from the job's data (ids set by the deadline scheduler). */
export function overdueWork(rule: OverdueRule, deadline: Deadline): OverdueWork {
  switch (rule) {
    case 'review-overdue':
      return { rule, episodeId: deadline.episodeId!, reviewAnchor: deadline.reviewAnchor };
    case 'long-missing':
    case 'return-interview-overdue':
      return { rule, episodeId: deadline.episodeId! };
    case 'meeting-action-overdue':
      return { rule, meetingId: deadline.meetingId!, actionId: deadline.actionId! };
    case 'cawn-not-served':
      return { rule, noticeId: deadline.noticeId! };
    default:
      return assertNever(rule);
  }
}
