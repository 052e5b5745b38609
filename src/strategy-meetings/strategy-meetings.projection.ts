import { childIdOfStream } from '../children/child-summary.projection';
import type { ChildStreamEvent } from '../child-stream/child-stream';
import type { SqlExecutor } from '../database/sql-database';
import type { RecordedEvent } from '../event-store/event-store.port';
import type { CaseworkReadModel } from '../casework/casework-read-model';
import { eraseColumns, erasedCopy } from '../erasure/erase-read-models';

/**
 * Strategy meetings as rows, whether the policy convened them or a coordinator called them: the
 * agenda, who attended, decisions, actions and their completion, the outcome and the closing.
 */
export const strategyMeetingsReadModel: CaseworkReadModel = {
  tables: ['rm_meetings', 'rm_meeting_actions'],

  async migrate(db: SqlExecutor): Promise<void> {
    await db.query(`CREATE TABLE IF NOT EXISTS rm_meetings (
      meeting_id        uuid PRIMARY KEY,
      child_id          uuid NOT NULL,
      rule              text,
      reason            text,
      called_by         text,
      status            text NOT NULL,
      agencies          jsonb NOT NULL,
      agenda            jsonb NOT NULL DEFAULT '[]',
      figures           jsonb,
      convened_at       timestamptz NOT NULL,
      held_at           timestamptz,
      attendees         jsonb,
      absentees         jsonb,
      decisions         jsonb NOT NULL DEFAULT '[]',
      outcome           text,
      next_review_date  text,
      closed_at         timestamptz,
      closed_by         text
    )`);
    await db.query('CREATE INDEX IF NOT EXISTS rm_meetings_by_child ON rm_meetings (child_id, convened_at)');
    await db.query(`CREATE INDEX IF NOT EXISTS rm_meetings_open ON rm_meetings (convened_at) WHERE status <> 'closed'`);
    // The latest meetings of every child (the list without a child), without sorting them all.
    await db.query('CREATE INDEX IF NOT EXISTS rm_meetings_latest ON rm_meetings (convened_at)');
    await db.query(`CREATE TABLE IF NOT EXISTS rm_meeting_actions (
      action_id              uuid PRIMARY KEY,
      meeting_id             uuid NOT NULL,
      what                   text NOT NULL,
      owner                  text NOT NULL,
      agency                 text NOT NULL,
      due_date               text NOT NULL,
      completed_at           timestamptz,
      completed_by           text,
      note                   text,
      overdue_escalation_id  uuid
    )`);
    await db.query('CREATE INDEX IF NOT EXISTS rm_meeting_actions_by_meeting ON rm_meeting_actions (meeting_id)');
    await db.query('CREATE INDEX IF NOT EXISTS rm_meeting_actions_open ON rm_meeting_actions (due_date) WHERE completed_at IS NULL');
  },

  async erasePersonalData(childId: string, tx: SqlExecutor): Promise<void> {
    const meetings = await tx.query<{ meeting_id: string; decisions: object[] }>('SELECT meeting_id, decisions FROM rm_meetings WHERE child_id = $1', [childId]);
    for (const meeting of meetings) {
      const decisions = meeting.decisions.map((decision) => erasedCopy('MeetingDecisionRecorded', decision));
      await tx.query(`UPDATE rm_meetings SET ${eraseColumns('reason', 'outcome')}, decisions = $2 WHERE meeting_id = $1`, [
        meeting.meeting_id,
        JSON.stringify(decisions),
      ]);
      await tx.query(`UPDATE rm_meeting_actions SET ${eraseColumns('what', 'note')} WHERE meeting_id = $1`, [meeting.meeting_id]);
    }
  },

  async apply(event: ChildStreamEvent, recorded: RecordedEvent, tx: SqlExecutor): Promise<void> {
    const childId = childIdOfStream(recorded.stream);
    const set = (sql: string, meetingId: string, ...params: unknown[]) =>
      tx.query(`UPDATE rm_meetings SET ${sql} WHERE meeting_id = $1`, [meetingId, ...params]);
    switch (event.type) {
      case 'StrategyMeetingConvened':
        await tx.query(
          `INSERT INTO rm_meetings (meeting_id, child_id, rule, status, agencies, agenda, figures, convened_at)
           VALUES ($1, $2, $3, 'open', $4, $5, $6, $7) ON CONFLICT (meeting_id) DO NOTHING`,
          [event.meetingId, childId, event.rule, ...[event.agencies, event.agenda, event.figures].map((json) => JSON.stringify(json)), event.convenedAt],
        );
        return;
      case 'StrategyMeetingCalled':
        await tx.query(
          `INSERT INTO rm_meetings (meeting_id, child_id, reason, called_by, status, agencies, convened_at)
           VALUES ($1, $2, $3, $4, 'open', $5, $6) ON CONFLICT (meeting_id) DO NOTHING`,
          [event.meetingId, childId, event.reason, event.calledBy, JSON.stringify(event.agencies), event.calledAt],
        );
        return;
      case 'EpisodeAddedToMeetingAgenda':
        await set('agenda = agenda || $2::jsonb', event.meetingId, JSON.stringify([event.episodeId]));
        return;
      case 'StrategyMeetingHeld': {
        const people = [event.attendees, event.absentees].map((list) => JSON.stringify(list));
        await set('held_at = $2, attendees = $3, absentees = $4', event.meetingId, event.heldAt, ...people);
        return;
      }
      case 'MeetingDecisionRecorded': {
        const { type: _type, meetingId, ...decision } = event;
        await set('decisions = decisions || $2::jsonb', meetingId, JSON.stringify([decision]));
        return;
      }
      case 'MeetingActionAgreed':
        await tx.query(
          `INSERT INTO rm_meeting_actions (action_id, meeting_id, what, owner, agency, due_date)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (action_id) DO NOTHING`,
          [event.actionId, event.meetingId, event.what, event.owner, event.agency, event.dueDate],
        );
        return;
      case 'MeetingActionCompleted':
        await tx.query('UPDATE rm_meeting_actions SET completed_at = $2, completed_by = $3, note = $4 WHERE action_id = $1', [
          event.actionId,
          event.completedAt,
          event.completedBy,
          event.note ?? null,
        ]);
        return;
      case 'MeetingOutcomeRecorded':
        await set('outcome = $2, next_review_date = $3', event.meetingId, event.outcome, event.nextReviewDate ?? null);
        return;
      case 'StrategyMeetingClosed':
        await set(`status = 'closed', closed_at = $2, closed_by = $3`, event.meetingId, event.closedAt, event.closedBy);
        return;
      case 'EscalationRaised':
        if (event.rule === 'meeting-action-overdue' && typeof event.figures.actionId === 'string') {
          const sql = 'UPDATE rm_meeting_actions SET overdue_escalation_id = $2 WHERE action_id = $1';
          await tx.query(sql, [event.figures.actionId, event.escalationId]);
        }
        return;
    }
  },
};

const LIST_LIMIT = 500;

export interface MeetingFilter {
  childId?: string | null;
  /** Only the meetings not closed yet, for children of this local authority (null: every one). */
  openIn?: { district: string | null };
}

/** A child's meetings (or everyone's), newest first, each with its actions in due order. */
export function listStrategyMeetings(db: SqlExecutor, filter: MeetingFilter = {}) {
  return db.query(
    `SELECT m.meeting_id AS "meetingId", m.child_id AS "childId", m.rule, m.reason, m.called_by AS "calledBy", m.status,
            m.agencies, m.agenda, m.figures, m.convened_at AS "convenedAt", m.held_at AS "heldAt", m.attendees, m.absentees,
            m.decisions,
            coalesce((SELECT json_agg(json_build_object('actionId', a.action_id, 'what', a.what, 'owner', a.owner, 'agency', a.agency,
                                      'dueDate', a.due_date, 'completedAt', a.completed_at, 'completedBy', a.completed_by, 'note', a.note,
                                      'overdueEscalationId', a.overdue_escalation_id)
                                      ORDER BY a.due_date, a.action_id)
                        FROM rm_meeting_actions a WHERE a.meeting_id = m.meeting_id), '[]'::json) AS actions,
            m.outcome, m.next_review_date AS "nextReviewDate", m.closed_at AS "closedAt", m.closed_by AS "closedBy"
       FROM rm_meetings m
      WHERE ($1::uuid IS NULL OR m.child_id = $1::uuid)
        AND (NOT $2::boolean OR (m.status <> 'closed' AND ($3::text IS NULL OR
             EXISTS (SELECT 1 FROM rm_children c WHERE c.child_id = m.child_id AND c.local_authority = $3::text))))
      ORDER BY m.convened_at DESC LIMIT ${LIST_LIMIT}`,
    [filter.childId ?? null, filter.openIn !== undefined, filter.openIn?.district ?? null],
  );
}
