import type { SqlExecutor } from '../database/sql-database';

const LIST_LIMIT = 500;

/**
 * Returns and their casework, newest first; cancelled episodes owe nothing and are left out. The
 * interview is overdue from `hours` after the return until it is completed or declined.
 */
export function listReturnInterviews(db: SqlExecutor, childId: string | null, now: Date, hours: number) {
  return db.query(
    `SELECT episode_id AS "episodeId", child_id AS "childId", returned_at AS "returnedAt", episode_status AS "episodeStatus",
            returned_at + make_interval(hours => $3) AS "interviewDueBy", interview_status AS "interviewStatus",
            (interview_status NOT IN ('completed', 'declined') AND returned_at + make_interval(hours => $3) < $2) AS overdue,
            offers, interview, safe_and_well AS "safeAndWellCheck", overdue_escalation_id AS "overdueEscalationId"
       FROM rm_return_work
      WHERE episode_status <> 'cancelled' AND ($1::uuid IS NULL OR child_id = $1::uuid)
      ORDER BY returned_at DESC LIMIT ${LIST_LIMIT}`,
    [childId, now, hours],
  );
}
