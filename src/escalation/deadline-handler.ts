import { idCreatedBy } from '../event-store/command-handling';
import type { Clock } from '../shared/clock';
import type { Deadline } from './deadline-queue';
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
          rule: deadline.kind,
          episodeId: deadline.episodeId!,
          reviewAnchor: deadline.reviewAnchor,
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
