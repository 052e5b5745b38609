import { Logger } from '@nestjs/common';
import { childIdOfStream } from '../child-stream/followed-events';
import type { RecordedEvent } from '../event-store/event-store.port';
import type { Processor } from '../event-store/subscriptions/consumer';
import { forEachStreamInOrder } from '../event-store/subscriptions/per-stream';
import { type Directory, listedDistricts, recipientsOrReason } from '../notifications/directory';
import type { NotificationQueue } from '../notifications/notification-queue';
import type { Clock } from '../shared/clock';
import type { EventStore } from '../event-store/event-store.port';
import { type ChildStreamView, childSummaryForNotice, readChildStream } from './child-stream-reader';
import type { RecordEscalationNotified } from './escalation.commands';
import type { EscalationRaised } from './escalation.events';
import { SYSTEM_ACTOR } from './escalation-policy.processor';
import type { RecipientRole } from './policy/escalation-policy';
import { idCreatedBy } from '../event-store/command-handling';
import { findEscalation } from './escalation.state';

/**
 * One e-mail job per recipient of each escalation. Job ids derive from the escalation and the
 * address, and recipients the history already records as notified are skipped, so a replay or a
 * redelivery sends nothing twice.
 */
export class EscalationNotifierProcessor implements Processor {
  readonly kind = 'processor';
  readonly name = 'escalation-notifier';
  private readonly logger = new Logger('EscalationNotifier');

  constructor(
    private readonly store: EventStore,
    private readonly queue: NotificationQueue,
    private readonly directory: Directory,
    private readonly clock: Clock,
    private readonly dashboardUrl: string,
  ) {}

  /** The districts whose escalations have someone to tell, in lower case. */
  districtsWithRecipients(): string[] {
    return listedDistricts(this.directory);
  }

  async handle(events: RecordedEvent[]): Promise<void> {
    await forEachStreamInOrder(events, async (event) => {
      if (event.type !== 'EscalationRaised') return;
      const noOneToTell = await this.enqueueUnsent(event, await readChildStream(this.store, childIdOfStream(event.stream)));
      // Retrying would hold up every later escalation's e-mails behind this one. Its e-mails are
      // sent by the start-up sweep after the directory has the district.
      if (noOneToTell) this.logger.error(`escalation ${(event.data as EscalationRaised).escalationId}: ${noOneToTell}; its e-mails wait for the directory`);
    });
  }

  /**
   * The e-mails of one escalation that the child's stream (`view`, read by the caller) does not
   * record as sent. Nothing more is read or folded for an escalation whose e-mails all went out.
   * Returns why no one can be told (a district the directory lacks), or null.
   */
  async enqueueUnsent(event: RecordedEvent, view: ChildStreamView): Promise<string | null> {
    const escalation = event.data as Omit<EscalationRaised, 'type'>;
    const childId = childIdOfStream(event.stream);
    const alreadyNotified = findEscalation(view.current.safeguarding, escalation.escalationId)?.notified ?? [];
    const { recipients, noOneBecause } = recipientsOrReason(this.directory, escalation.district, escalation.notify, escalation.tier);
    if (noOneBecause) return noOneBecause;
    const unsent = recipients.filter((recipient) => !alreadyNotified.includes(recipient.email));
    if (unsent.length === 0) return null;
    const about = childSummaryForNotice(view.at(event.streamVersion), childId, this.clock.now());
    for (const recipient of unsent) {
      await this.queue.enqueue({
        escalationId: escalation.escalationId,
        childId,
        recipient,
        rule: escalation.rule,
        tier: escalation.tier,
        district: escalation.district,
        figures: escalation.figures,
        raisedAt: escalation.raisedAt,
        dashboardUrl: `${this.dashboardUrl}/#/children/${childId}`,
        ...about,
      });
    }
    return null;
  }
}

/**
 * The command that records one e-mail as delivered, with ids derived from the escalation and the
 * address, so a delivery reported twice is recorded once. The synthetic history records its
 * e-mails as sent with the same command.
 */
export function deliveryRecord(escalationId: string, recipient: { role: RecipientRole; email: string }, receipt: { messageId: string; deliveredAt: string }) {
  const command: RecordEscalationNotified = {
    type: 'RecordEscalationNotified',
    escalationId,
    recipient: { role: recipient.role, email: recipient.email },
    messageId: receipt.messageId,
    deliveredAt: receipt.deliveredAt,
  };
  const context = { actor: SYSTEM_ACTOR, commandId: idCreatedBy(`${escalationId}/${recipient.email}`, 'notified'), correlationId: escalationId, causationId: escalationId };
  return { command, context };
}
