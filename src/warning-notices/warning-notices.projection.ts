import { ReadSideIndexes } from '../database/read-side-indexes';
import type { SqlExecutor } from '../database/sql-database';
import { type CaseworkReadModel, valuesOf } from '../casework/casework-read-model';
import { type EventFollowedBy, FollowedEvents } from '../child-stream/followed-events';
import type { RecordedEvent } from '../event-store/event-store.port';
import { RowBatch } from '../database/row-batch';
import { eraseColumns } from '../erasure/erase-read-models';
import { WARNING_NOTICE_EVENT_TYPES } from './warning-notice.events';

/** Child abduction warning notices as rows: recommended, served, and whether the 7 days ran out. */
/** Its own events, and the not-served escalation it marks. */
const FOLLOWED = FollowedEvents.of(...WARNING_NOTICE_EVENT_TYPES, 'EscalationRaised')
  .readingPersonalDataOf(...WARNING_NOTICE_EVENT_TYPES)
  .onlyWhere('EscalationRaised', 'rule', ['cawn-not-served']);

export const warningNoticesReadModel: CaseworkReadModel = {
  tables: ['rm_warning_notices'],
  reads: FOLLOWED.reads,
  readSideIndexes: new ReadSideIndexes({ rm_warning_notices_unserved: 'ON rm_warning_notices (recommended_at) WHERE served_at IS NULL' }),

  async migrate(db: SqlExecutor): Promise<void> {
    await db.query(`CREATE TABLE IF NOT EXISTS rm_warning_notices (
      notice_id              uuid PRIMARY KEY,
      child_id               uuid NOT NULL,
      against                text NOT NULL,
      reason                 text,
      recommended_by         text NOT NULL,
      recommended_at         timestamptz NOT NULL,
      served_at              timestamptz,
      served_by              text,
      note                   text,
      overdue_escalation_id  uuid
    )`);
    await db.query('CREATE INDEX IF NOT EXISTS rm_warning_notices_by_child ON rm_warning_notices (child_id, recommended_at)');
    await this.readSideIndexes.create(db);
  },

  async erasePersonalData(childId: string, tx: SqlExecutor): Promise<void> {
    await tx.query(`UPDATE rm_warning_notices SET ${eraseColumns('against', 'reason', 'note')} WHERE child_id = $1`, [childId]);
  },

  async apply(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    const facts = FOLLOWED.in(events);
    if (facts.length === 0) return;
    const overdue = facts.map(({ event }) => (event.type === 'EscalationRaised' ? event.figures.noticeId : null)).filter((id) => typeof id === 'string');
    const notices = await new RowBatch<NoticeRow>('rm_warning_notices', NOTICE_COLUMNS, ['notice_id']).load(tx, 'notice_id', [
      ...valuesOf(facts, 'noticeId'),
      ...overdue,
    ]);
    for (const { event, childId } of facts) applyToNotices(notices, event, childId);
    await notices.write(tx);
  },
};

interface NoticeRow extends Record<string, unknown> {
  notice_id: string;
  child_id: string;
  against: string;
  reason: string | null;
  recommended_by: string;
  recommended_at: string | Date;
  served_at: string | Date | null;
  served_by: string | null;
  note: string | null;
  overdue_escalation_id: string | null;
}

const NOTICE_COLUMNS = `notice_id uuid, child_id uuid, against text, reason text, recommended_by text, recommended_at timestamptz,
  served_at timestamptz, served_by text, note text, overdue_escalation_id uuid`;

function applyToNotices(notices: RowBatch<NoticeRow>, event: EventFollowedBy<typeof FOLLOWED>, childId: string): void {
  switch (event.type) {
    case 'WarningNoticeRecommended':
      notices.insert({
        notice_id: event.noticeId,
        child_id: childId,
        against: event.against,
        reason: event.reason ?? null,
        recommended_by: event.recommendedBy,
        recommended_at: event.recommendedAt,
        served_at: null,
        served_by: null,
        note: null,
        overdue_escalation_id: null,
      });
      return;
    case 'WarningNoticeServed':
      notices.update([event.noticeId], { served_at: event.servedAt, served_by: event.servedBy, note: event.note ?? null });
      return;
    case 'EscalationRaised':
      if (event.rule === 'cawn-not-served' && typeof event.figures.noticeId === 'string') {
        notices.update([event.figures.noticeId], { overdue_escalation_id: event.escalationId });
      }
      return;
  }
}

const LIST_LIMIT = 500;

/** A child's notices (or everyone's), newest recommendation first. */
export function listWarningNotices(db: SqlExecutor, childId: string | null) {
  return db.query(
    `SELECT notice_id AS "noticeId", child_id AS "childId", against, reason, recommended_by AS "recommendedBy",
            recommended_at AS "recommendedAt", served_at AS "servedAt", served_by AS "servedBy", note,
            overdue_escalation_id AS "overdueEscalationId"
       FROM rm_warning_notices WHERE $1::uuid IS NULL OR child_id = $1::uuid
      ORDER BY recommended_at DESC LIMIT ${LIST_LIMIT}`,
    [childId],
  );
}
