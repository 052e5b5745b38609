import type { ChildStream } from '../child-stream/child-stream';
import { idCreatedBy } from '../event-store/command-handling';
import type { Clock } from '../shared/clock';
import { assertNever } from '../shared/refusal';
import { type Deadline, deadlineJobId } from './deadline-queue';
import type { EscalateUnacknowledged, OverdueRule, OverdueWork, RaiseOverdueEscalation } from './escalation.commands';
import type { Actor } from '../event-store/event-store.port';
import { type ExecuteChildStreamCommands, SYSTEM_ACTOR } from './escalation-policy.processor';
import { findEscalation } from './escalation.state';
import { stillOverdue } from './overdue-work';

/**
 * A clock ran out: issue the command that re-checks the case and escalates if the work is still
 * undone. Its ids derive from the job, so a job that runs twice escalates once.
 */
export function handleDeadline(execute: ExecuteChildStreamCommands, clock: Clock) {
  return async (deadline: Deadline, jobId: string): Promise<void> => {
    const { command, context } = deadlineCommand(deadline, jobId, clock.now().toISOString());
    await execute({ childId: deadline.childId }, [command], context);
  };
}

/**
 * What a clock issues when it runs out, and the ids it issues it with (derived from the job). The
 * synthetic history fires the clocks its history ran out the same way.
 */
export function deadlineCommand(
  deadline: Deadline,
  jobId: string,
  now: string,
): { command: EscalateUnacknowledged | RaiseOverdueEscalation; context: { actor: Actor; commandId: string; correlationId: string; causationId: string } } {
  const context = { actor: SYSTEM_ACTOR, commandId: idCreatedBy(jobId, 'command'), correlationId: jobId, causationId: deadline.cause };
  const escalationId = escalationIdOfJob(jobId);
  if (deadline.kind === 'unacknowledged') {
    return { command: { type: 'EscalateUnacknowledged', escalationId: deadline.escalationId!, newEscalationId: escalationId, tier: deadline.tier, now }, context };
  }
  return {
    command: {
      type: 'RaiseOverdueEscalation',
      work: overdueWork(deadline.kind, deadline),
      tier: deadline.tier,
      notify: deadline.notify,
      escalationId,
      figures: { ...deadline.figures, dueAt: deadline.dueAt },
      cause: deadline.cause,
      now,
    },
    context,
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
