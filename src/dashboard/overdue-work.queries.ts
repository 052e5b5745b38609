import type { SqlExecutor } from '../database/sql-database';
import { meetingActionDeadline, returnInterviewDeadline, warningNoticeDeadline } from '../escalation/policy/casework-deadlines';
import { acknowledgementDeadline } from '../escalation/policy/evaluate-policy';
import type { EscalationPolicy } from '../escalation/policy/escalation-policy';
import { ukDateOf } from '../shared/calendar';
import { type DistrictScope, inScope } from './district-scope';
import { AWAITING_INTERVIEW } from '../return-work/return-work.projection';
import { childName, lateRiskReviews, VIEW_LIMIT } from './open-episodes.queries';

export type OverdueKind = 'risk-review' | 'return-interview' | 'meeting-action' | 'warning-notice' | 'escalation-unacknowledged';

export interface OverdueItem {
  kind: OverdueKind;
  /** The episode, meeting action, notice or escalation that is late. */
  id: string;
  childId: string;
  childName: string;
  district: string;
  what: string;
  dueAt: string;
  lateByMs: number;
}

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

interface Row {
  id: string;
  child_id: string;
  district: string;
  first_name: string | null;
  last_name: string | null;
  at: Date | string;
  what: string;
}

const CHILD_COLUMNS = `c.child_id, c.profile->>'firstName' AS first_name, c.profile->>'lastName' AS last_name`;

/**
 * Work past its deadline, by the same deadlines the escalation policy sets, the most overdue
 * first, up to VIEW_LIMIT of each kind. Each query reads a partial index of the work still open,
 * never the whole history; risk reviews by the open episodes' clocks.
 */
export async function overdueWork(db: SqlExecutor, policy: EscalationPolicy, scope: DistrictScope, now: Date): Promise<OverdueItem[]> {
  const nowMs = now.getTime();
  const item = (kind: OverdueKind, row: Row, dueAt: string): OverdueItem => ({
    kind,
    id: row.id,
    childId: row.child_id,
    childName: childName(row.first_name, row.last_name),
    district: row.district,
    what: row.what,
    dueAt,
    lateByMs: nowMs - Date.parse(dueAt),
  });
  const reviews = lateRiskReviews(db, policy, scope, now);
  const interviews = db.query<Row>(
    `SELECT r.episode_id AS id, e.district, r.returned_at AS at, 'return home interview' AS what, ${CHILD_COLUMNS}
       FROM rm_return_work r JOIN rm_episodes e USING (episode_id) JOIN rm_children c ON c.child_id = r.child_id
      WHERE ${AWAITING_INTERVIEW} AND r.returned_at < $2
        AND ${inScope('e.district', 1)}
      ORDER BY r.returned_at LIMIT ${VIEW_LIMIT}`,
    [scope, new Date(nowMs - policy.returnInterviewOverdue.hours * HOUR_MS)],
  );
  const actions = db.query<Row>(
    `SELECT a.action_id AS id, c.local_authority AS district, a.due_date AS at, a.what || ' (' || a.owner || ')' AS what, ${CHILD_COLUMNS}
       FROM rm_meeting_actions a JOIN rm_meetings m USING (meeting_id) JOIN rm_children c ON c.child_id = m.child_id
      WHERE a.completed_at IS NULL AND a.due_date < $2 AND ${inScope('c.local_authority', 1)}
      ORDER BY a.due_date LIMIT ${VIEW_LIMIT}`,
    [scope, ukDateOf(now.toISOString())],
  );
  const notices = db.query<Row>(
    `SELECT n.notice_id AS id, c.local_authority AS district, n.recommended_at AS at, 'warning notice to serve' AS what, ${CHILD_COLUMNS}
       FROM rm_warning_notices n JOIN rm_children c ON c.child_id = n.child_id
      WHERE n.served_at IS NULL AND n.recommended_at < $2 AND ${inScope('c.local_authority', 1)}
      ORDER BY n.recommended_at LIMIT ${VIEW_LIMIT}`,
    [scope, new Date(nowMs - policy.cawnNotServed.days * DAY_MS)],
  );
  const escalations = db.query<Row>(
    `SELECT x.escalation_id AS id, x.district, x.raised_at AS at, x.rule || ', tier ' || x.tier AS what, ${CHILD_COLUMNS}
       FROM rm_escalations x JOIN rm_children c ON c.child_id = x.child_id
      WHERE x.acknowledged_at IS NULL AND x.raised_at < $2 AND ${inScope('x.district', 1)}
      ORDER BY x.raised_at LIMIT ${VIEW_LIMIT}`,
    [scope, new Date(nowMs - policy.unacknowledged.hours * HOUR_MS)],
  );
  // Independent reads: sent together, they cost one round trip's wait instead of five.
  const [reviewRows, interviewRows, actionRows, noticeRows, escalationRows] = await Promise.all([reviews, interviews, actions, notices, escalations]);
  const iso = (at: Date | string) => (at instanceof Date ? at.toISOString() : at);
  return [
    ...reviewRows.map(
      (e): OverdueItem => ({
        kind: 'risk-review',
        id: e.episodeId,
        childId: e.childId,
        childName: e.childName,
        district: e.district,
        what: `risk review (${e.riskGrade ?? 'ungraded'})`,
        dueAt: e.reviewDueAt,
        lateByMs: nowMs - Date.parse(e.reviewDueAt),
      }),
    ),
    ...interviewRows.map((row) => item('return-interview', row, returnInterviewDeadline(policy, iso(row.at)))),
    ...actionRows.map((row) => item('meeting-action', row, meetingActionDeadline(iso(row.at)))),
    ...noticeRows.map((row) => item('warning-notice', row, warningNoticeDeadline(policy, iso(row.at)))),
    ...escalationRows.map((row) => item('escalation-unacknowledged', row, acknowledgementDeadline(policy, iso(row.at)))),
  ].sort((a, b) => b.lateByMs - a.lateByMs);
}
