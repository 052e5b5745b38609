import type { SqlExecutor } from '../database/sql-database';
import { agreedActionsJsonSql } from '../casework/agreed-actions';
import { LATEST_LIMIT } from '../escalation/dto';
import type { DistrictScope } from './district-scope';
import { withChildNames } from './open-episodes.queries';

/**
 * The meetings not closed yet, newest first, as the dashboard's card shows them: the child by name,
 * how the meeting came about, when convened and held, and its actions, done or open. A meeting's
 * whole record (agenda, figures, attendees, decisions, outcome) is the meetings' own list's
 * (`GET /api/strategy-meetings?childId=`); it was over half of each row here, sent for every open
 * meeting at each refresh of a page that never shows it.
 */
export async function openStrategyMeetings(db: SqlExecutor, scope: DistrictScope) {
  const meetings = await db.query<{ childId: string }>(
    `SELECT m.meeting_id AS "meetingId", m.child_id AS "childId", m.status, m.rule, m.reason,
            m.convened_at AS "convenedAt", m.held_at AS "heldAt",
            ${agreedActionsJsonSql('rm_meeting_actions', 'a.meeting_id = m.meeting_id')} AS actions
       FROM rm_meetings m
      WHERE m.status <> 'closed'
        AND ($1::text IS NULL OR EXISTS (SELECT 1 FROM rm_children c WHERE c.child_id = m.child_id AND c.local_authority = $1::text))
      ORDER BY m.convened_at DESC LIMIT $2`,
    // As many as the meetings' own list gives at most: nationally thousands are open at once.
    [scope, LATEST_LIMIT],
  );
  return withChildNames(db, meetings);
}
