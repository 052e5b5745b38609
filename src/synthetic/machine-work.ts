import type { Actor } from '../event-store/event-store.port';
import { deadlineCommand } from '../escalation/deadline-handler';
import { deadlineJobId } from '../escalation/deadline-queue';
import { deadlinesSetBy } from '../escalation/deadline-scheduler.processor';
import { deliveryRecord } from '../escalation/escalation-notifier.processor';
import type { EscalationRaised } from '../escalation/escalation.events';
import type { EscalationPolicy } from '../escalation/policy/escalation-policy';
import { type Directory, recipientsOrReason } from '../notifications/directory';
import { noticeJobId } from '../notifications/escalation-notice';
import { messageIdFor } from '../notifications/mailer';
import type { ChildStreamCommand } from '../child-stream/child-stream';

/** How long after an escalation its e-mails went out (the queue's first attempt, a moment later). */
const DELIVERY_DELAY_MS = 60_000;

/** A command the service's own machinery would have issued at a moment of the history. */
export interface MachineStep {
  at: number;
  actor: Actor;
  command: ChildStreamCommand;
  commandId: string;
  correlationId: string;
  causationId: string;
}

/**
 * What the service's clocks and e-mails would have done about an event while the history ran:
 * every clock it sets fires at its due time (the decider re-checks the work then, so work done in
 * time raises nothing), and every escalation's e-mails are delivered a minute after it is raised,
 * recorded with the delivery path's own command and ids. Built with the deadline scheduler's,
 * the deadline handler's and the notifier's functions, so a service started at the end of the
 * history finds only what is still due: clocks running past the end, e-mails not yet sent.
 * Without a directory (districts no service is configured for) no e-mail is recorded.
 */
export function machineWorkAfter(
  policy: EscalationPolicy,
  directory: Directory | undefined,
  event: { id: string; type: string; data: unknown },
  stream: string,
  atMs: number,
): MachineStep[] {
  const steps: MachineStep[] = [];
  for (const deadline of deadlinesSetBy(policy, { ...event, stream })) {
    const { command, context } = deadlineCommand(deadline, deadlineJobId(deadline), '');
    steps.push({ at: Math.max(Date.parse(deadline.dueAt), atMs), ...context, command });
  }
  if (event.type === 'EscalationRaised' && directory) {
    const escalation = event.data as Omit<EscalationRaised, 'type'>;
    recipientsOf(directory, escalation).forEach((recipient, index) => {
      const deliveredAt = atMs + DELIVERY_DELAY_MS + index * 1_000;
      const receipt = { messageId: messageIdFor(noticeJobId(escalation.escalationId, recipient.email)), deliveredAt: new Date(deliveredAt).toISOString() };
      const { command, context } = deliveryRecord(escalation.escalationId, recipient, receipt);
      steps.push({ at: deliveredAt, ...context, command });
    });
  }
  return steps;
}

function recipientsOf(directory: Directory, escalation: Omit<EscalationRaised, 'type'>) {
  // A district the directory does not know: the service could not have mailed anyone either.
  return recipientsOrReason(directory, escalation.district, escalation.notify, escalation.tier).recipients;
}
