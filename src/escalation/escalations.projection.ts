import { type EventFollowedBy, FollowedEvents } from '../child-stream/followed-events';
import { KeptCount } from '../database/kept-count';
import { ReadSideIndexes } from '../database/read-side-indexes';
import { RowBatch } from '../database/row-batch';
import type { SqlExecutor } from '../database/sql-database';
import type { RecordedEvent } from '../event-store/event-store.port';
import type { Projection } from '../event-store/subscriptions/consumer';
import { assertNever } from '../shared/refusal';

// Nothing personal is kept: an acknowledgement's note stays in the event.
const FOLLOWED = FollowedEvents.of('EscalationRaised', 'EscalationNotified', 'EscalationAcknowledged').readingPersonalDataOf();

/** Escalations not yet acknowledged, per district: the dashboard's count of them. */
export const UNACKNOWLEDGED_ESCALATIONS = new KeptCount<EscalationRow>(
  'rm_escalation_unacknowledged_counts',
  { table: 'rm_escalations', district: 'district', countedInSql: 'acknowledged_at IS NULL' },
  (row) => row.acknowledged_at === null,
  (row) => row.district,
);

/** Escalations as rows, for the lists people read and the dashboard (meetings: the strategy-meetings projection). */
export class EscalationsProjection implements Projection {
  readonly kind = 'projection';
  readonly name = 'escalations';
  readonly reads = FOLLOWED.reads;
  // `apply` reads rows by their key alone, and there is nothing to erase.
  readonly readSideIndexes = new ReadSideIndexes({
    rm_escalations_by_child: 'ON rm_escalations (child_id, raised_at)',
    rm_escalations_unacknowledged: 'ON rm_escalations (raised_at) WHERE acknowledged_at IS NULL',
    // The latest escalations of every child (the list without a child), without sorting them all.
    rm_escalations_latest: 'ON rm_escalations (raised_at)',
  });

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
    await this.readSideIndexes.create(db);
    await UNACKNOWLEDGED_ESCALATIONS.migrate(db);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query(`TRUNCATE rm_escalations, ${UNACKNOWLEDGED_ESCALATIONS.table}`);
  }

  /** Rules, tiers, figures and who acknowledged: nothing personal about the child to scrub. */
  async erasePersonalData(): Promise<void> {}

  /**
   * Set-based: the rows a batch touches read with one statement, changed in memory, written back
   * with one (was one statement per event; escalations and their e-mail records are most of a
   * history, and a rebuild was bound by those round trips).
   */
  async apply(events: RecordedEvent[], tx: SqlExecutor): Promise<void> {
    const facts = FOLLOWED.in(events);
    if (facts.length === 0) return;
    const rows = await new RowBatch<EscalationRow>('rm_escalations', ESCALATION_COLUMNS, ['escalation_id']).load(
      tx,
      'escalation_id',
      facts.map(({ event }) => event.escalationId),
    );
    for (const { event, childId } of facts) applyToEscalations(rows, event, childId);
    await UNACKNOWLEDGED_ESCALATIONS.follow(rows, tx);
    await rows.write(tx);
  }
}

interface EscalationRow extends Record<string, unknown> {
  escalation_id: string;
  child_id: string;
  episode_id: string | null;
  rule: string;
  tier: number;
  district: string;
  figures: object;
  cause: string;
  escalates: string | null;
  raised_at: string | Date;
  notified: object[];
  acknowledged_at: string | Date | null;
  acknowledged_by: string | null;
}

const ESCALATION_COLUMNS = `escalation_id uuid, child_id uuid, episode_id uuid, rule text, tier integer, district text, figures jsonb,
  cause text, escalates uuid, raised_at timestamptz, notified jsonb, acknowledged_at timestamptz, acknowledged_by text`;

function applyToEscalations(rows: RowBatch<EscalationRow>, event: EventFollowedBy<typeof FOLLOWED>, childId: string): void {
  switch (event.type) {
    case 'EscalationRaised':
      rows.insert({
        escalation_id: event.escalationId,
        child_id: childId,
        episode_id: event.episodeId,
        rule: event.rule,
        tier: event.tier,
        district: event.district,
        figures: event.figures,
        cause: event.cause,
        escalates: event.escalates,
        raised_at: event.raisedAt,
        notified: [],
        acknowledged_at: null,
        acknowledged_by: null,
      });
      return;
    case 'EscalationNotified':
      rows.update([event.escalationId], (row) => ({ notified: [...row.notified, { ...event.recipient, deliveredAt: event.deliveredAt }] }));
      return;
    case 'EscalationAcknowledged':
      rows.update([event.escalationId], { acknowledged_at: event.acknowledgedAt, acknowledged_by: event.acknowledgedBy });
      return;
    default:
      return assertNever(event);
  }
}
