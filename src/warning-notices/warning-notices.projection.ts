import { childIdOfStream } from '../children/child-summary.projection';
import type { ChildStreamEvent } from '../child-stream/child-stream';
import type { SqlExecutor } from '../database/sql-database';
import type { RecordedEvent } from '../event-store/event-store.port';
import type { CaseworkReadModel } from '../casework/casework-read-model';
import { eraseColumns } from '../erasure/erase-read-models';

/** Child abduction warning notices as rows: recommended, served, and whether the 7 days ran out. */
export const warningNoticesReadModel: CaseworkReadModel = {
  tables: ['rm_warning_notices'],

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
    await db.query('CREATE INDEX IF NOT EXISTS rm_warning_notices_unserved ON rm_warning_notices (recommended_at) WHERE served_at IS NULL');
  },

  async erasePersonalData(childId: string, tx: SqlExecutor): Promise<void> {
    await tx.query(`UPDATE rm_warning_notices SET ${eraseColumns('against', 'reason', 'note')} WHERE child_id = $1`, [childId]);
  },

  async apply(event: ChildStreamEvent, recorded: RecordedEvent, tx: SqlExecutor): Promise<void> {
    const childId = childIdOfStream(recorded.stream);
    switch (event.type) {
      case 'WarningNoticeRecommended':
        await tx.query(
          `INSERT INTO rm_warning_notices (notice_id, child_id, against, reason, recommended_by, recommended_at)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (notice_id) DO NOTHING`,
          [event.noticeId, childId, event.against, event.reason ?? null, event.recommendedBy, event.recommendedAt],
        );
        return;
      case 'WarningNoticeServed':
        await tx.query('UPDATE rm_warning_notices SET served_at = $2, served_by = $3, note = $4 WHERE notice_id = $1', [
          event.noticeId,
          event.servedAt,
          event.servedBy,
          event.note ?? null,
        ]);
        return;
      case 'EscalationRaised':
        if (event.rule === 'cawn-not-served' && typeof event.figures.noticeId === 'string') {
          const sql = 'UPDATE rm_warning_notices SET overdue_escalation_id = $2 WHERE notice_id = $1';
          await tx.query(sql, [event.figures.noticeId, event.escalationId]);
        }
        return;
    }
  },
};

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
