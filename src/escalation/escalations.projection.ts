import type { SqlExecutor } from '../database/sql-database';
import { toDomainEvent } from '../event-store/command-handling';
import type { RecordedEvent } from '../event-store/event-store.port';
import type { Projection } from '../event-store/subscriptions/consumer';
import { childIdOfStream } from '../children/child-summary.projection';
import type { EscalationEvent } from './escalation.events';
import { isEscalationEventType } from './escalation.events';

/** Escalations as rows, for the lists people read and the dashboard (meetings: the strategy-meetings projection). */
export class EscalationsProjection implements Projection {
  readonly kind = 'projection';
  readonly name = 'escalations';

  async migrate(db: SqlExecutor): Promise<void> {
    await db.query(`CREATE TABLE IF NOT EXISTS rm_escalations (
      escalation_id    uuid PRIMARY KEY,
      child_id         uuid NOT NULL,
      episode_id       uuid,
      rule             text NOT NULL,
      tier             integer NOT NULL,
      district         text NOT NULL,
      figures          jsonb NOT NULL,
      cause            text NOT NULL,
      escalates        uuid,
      raised_at        timestamptz NOT NULL,
      notified         jsonb NOT NULL DEFAULT '[]',
      acknowledged_at  timestamptz,
      acknowledged_by  text
    )`);
    await db.query('CREATE INDEX IF NOT EXISTS rm_escalations_by_child ON rm_escalations (child_id, raised_at)');
    await db.query('CREATE INDEX IF NOT EXISTS rm_escalations_unacknowledged ON rm_escalations (raised_at) WHERE acknowledged_at IS NULL');
    // The latest escalations of every child (the list without a child), without sorting them all.
    await db.query('CREATE INDEX IF NOT EXISTS rm_escalations_latest ON rm_escalations (raised_at)');
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query('TRUNCATE rm_escalations');
  }

  /** Rules, tiers, figures and who acknowledged: nothing personal about the child to scrub. */
  async erasePersonalData(): Promise<void> {}

  async apply(events: RecordedEvent[], tx: SqlExecutor): Promise<void> {
    for (const recorded of events) {
      if (!isEscalationEventType(recorded.type)) continue;
      await this.applyOne(toDomainEvent<EscalationEvent>(recorded), childIdOfStream(recorded.stream), tx);
    }
  }

  private async applyOne(event: EscalationEvent, childId: string, tx: SqlExecutor): Promise<void> {
    switch (event.type) {
      case 'EscalationRaised':
        await tx.query(
          `INSERT INTO rm_escalations (escalation_id, child_id, episode_id, rule, tier, district, figures, cause, escalates, raised_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (escalation_id) DO NOTHING`,
          [event.escalationId, childId, event.episodeId, event.rule, event.tier, event.district, JSON.stringify(event.figures), event.cause, event.escalates, event.raisedAt],
        );
        return;
      case 'EscalationNotified':
        await tx.query(
          `UPDATE rm_escalations SET notified = notified || $2::jsonb WHERE escalation_id = $1`,
          [event.escalationId, JSON.stringify([{ ...event.recipient, deliveredAt: event.deliveredAt }])],
        );
        return;
      case 'EscalationAcknowledged':
        await tx.query('UPDATE rm_escalations SET acknowledged_at = $2, acknowledged_by = $3 WHERE escalation_id = $1', [
          event.escalationId,
          event.acknowledgedAt,
          event.acknowledgedBy,
        ]);
        return;
    }
  }
}
