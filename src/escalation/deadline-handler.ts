import type { ChildStream } from '../child-stream/child-stream';
import { idCreatedBy } from '../event-store/command-handling';
import type { Clock } from '../shared/clock';
import { assertNever } from '../shared/refusal';
import { type Deadline, deadlineJobId } from './deadline-queue';
import type { OverdueRule, OverdueWork } from './escalation.commands';
import { type ExecuteChildStreamCommands, SYSTEM_ACTOR } from './escalation-policy.processor';
import { findEscalation } from './escalation.state';
import { stillOverdue } from './overdue-work';

/**
 * A clock ran out: issue the command that re-checks the case and escalates if the work is still
 * undone. Its ids derive from the job, so a job that runs twice escalates once.
 */
export function handleDeadline(execute: ExecuteChildStreamCommands, clock: Clock) {
  return async (deadline: Deadline, jobId: string): Promise<void> => {
    const now = clock.now().toISOString();
    const context = { actor: SYSTEM_ACTOR, commandId: idCreatedBy(jobId, 'command'), correlationId: jobId, causationId: deadline.cause };
    const escalationId = escalationIdOfJob(jobId);
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

/** The escalation a deadline job raises: derived from the job id, so a job run twice raises one. */
const escalationIdOfJob = (jobId: string): string => idCreatedBy(jobId, 'escalation');

/**
 * Whether a clock still has something to do: it has not raised its escalation, and its work is
 * still undone (for an acknowledgement clock, the escalation is still unacknowledged). What the
 * re-enqueue sweep puts back after Redis lost its jobs. One clock can come back that had already
 * run to no effect: a return interview declined when it ran and offered again since, which is
 * owed again and so escalates.
 */
export function deadlineStillPending(deadline: Deadline, state: ChildStream): boolean {
  if (findEscalation(state.safeguarding, escalationIdOfJob(deadlineJobId(deadline)))) return false;
  if (deadline.kind !== 'unacknowledged') return stillOverdue(overdueWork(deadline.kind, deadline), state);
  const escalation = findEscalation(state.safeguarding, deadline.escalationId!);
  return escalation !== undefined && !escalation.acknowledged;
}
