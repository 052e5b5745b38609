import type { SqlExecutor } from '../database/sql-database';
import type { EscalationPolicy } from '../escalation/policy/escalation-policy';
import { ukDateOf } from '../shared/calendar';
import { UNACKNOWLEDGED_ESCALATIONS } from '../escalation/escalations.projection';
import { AWAITING_INTERVIEW, RETURNS_AWAITING_INTERVIEW } from '../return-work/return-work.projection';
import { REPEAT_CHILDREN } from './dashboard-rows';
import { type DistrictScope, inScope } from './district-scope';
import { RepeatSpells } from './repeat-spells';
import { firstReviewDueSql, reviewIntervals } from './open-episodes.queries';
import type { OverdueKind } from './overdue-work.queries';

/** A count kept per district by its projection, summed over the scope ($1). */
const kept = (table: string): string => `(SELECT coalesce(sum(k.n), 0)::int FROM ${table} k WHERE ${inScope('k.district', 1)})`;

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export interface SummaryCounts {
  openEpisodes: number;
  highRiskOpen: number;
  overdue: Record<OverdueKind, number>;
  repeatChildren: number;
  repeatChildrenNeedingPlan: number;
}

/**
 * The headline counts, counted by the database over the same conditions the lists use, so they
 * stay exact however far they run past the lists' caps, and no row is fetched to count it.
 * One statement: one round trip and one snapshot, so the figures agree with each other.
 *
 * Parameters: $1 scope, $2 now, $3 review intervals by grade (hours), $4..$7 each kind's cut-off.
 * The repeat-without-plan rule's window is the dashboard projection's (RepeatSpells), made with the same policy.
 */
export async function summaryCounts(db: SqlExecutor, policy: EscalationPolicy, scope: DistrictScope, now: Date): Promise<SummaryCounts> {
  const nowMs = now.getTime();
  const [row] = await db.query<Record<string, number>>(
    `SELECT
       (SELECT count(*)::int FROM rm_episodes e WHERE e.status = 'missing' AND ${inScope('e.district', 1)}) AS open_episodes,
       (SELECT count(*)::int FROM rm_episodes e
         WHERE e.status = 'missing' AND e.risk_grade = 'high' AND ${inScope('e.district', 1)}) AS high_risk_open,
       (SELECT count(*)::int FROM rm_episodes e
         WHERE e.status = 'missing' AND ${inScope('e.district', 1)} AND ${firstReviewDueSql(3)} < $2::timestamptz) AS risk_reviews,
       -- Force-wide: kept, less those not yet late. A district's: its own rows, the episode read for the district.
       (CASE WHEN $1::text IS NULL
          THEN ${kept(RETURNS_AWAITING_INTERVIEW.table)} - (SELECT count(*)::int FROM rm_return_work r WHERE ${AWAITING_INTERVIEW} AND r.returned_at >= $4)
          ELSE (SELECT count(*)::int FROM rm_return_work r
                 WHERE ${AWAITING_INTERVIEW} AND r.returned_at < $4 AND $1::text IS NOT NULL
                   AND EXISTS (SELECT 1 FROM rm_episodes e WHERE e.episode_id = r.episode_id AND e.district = $1::text)) END) AS return_interviews,
       -- Force-wide: the open actions alone (their partial index). A district's: through the meeting to the child's district.
       (CASE WHEN $1::text IS NULL
          THEN (SELECT count(*)::int FROM rm_meeting_actions a WHERE a.completed_at IS NULL AND a.due_date < $5)
          ELSE (SELECT count(*)::int FROM rm_meeting_actions a JOIN rm_meetings m USING (meeting_id) JOIN rm_children c ON c.child_id = m.child_id
                 WHERE a.completed_at IS NULL AND a.due_date < $5 AND c.local_authority = $1::text) END) AS meeting_actions,
       (SELECT count(*)::int FROM rm_warning_notices n JOIN rm_children c ON c.child_id = n.child_id
         WHERE n.served_at IS NULL AND n.recommended_at < $6 AND ${inScope('c.local_authority', 1)}) AS warning_notices,
       -- Kept per district; less those not yet late, raised since the cut-off (a few hours' worth).
       (${kept(UNACKNOWLEDGED_ESCALATIONS.table)} - (SELECT count(*)::int FROM rm_escalations x
         WHERE x.acknowledged_at IS NULL AND x.raised_at >= $7 AND ${inScope('x.district', 1)})) AS escalations,
       ${kept(REPEAT_CHILDREN.table)} AS repeat_children,
       -- The repeat-without-plan rule: the children within its window now (their spells), less those with an open plan.
       (SELECT count(DISTINCT w.child_id)::int FROM (${RepeatSpells.within(1, 2)}) AS w
         WHERE NOT EXISTS (SELECT 1 FROM rm_safeguarding_plans p WHERE p.child_id = w.child_id AND p.status = 'open')) AS repeat_needing_plan`,
    [
      scope,
      now,
      reviewIntervals(policy),
      new Date(nowMs - policy.returnInterviewOverdue.hours * HOUR_MS),
      ukDateOf(now.toISOString()),
      new Date(nowMs - policy.cawnNotServed.days * DAY_MS),
      new Date(nowMs - policy.unacknowledged.hours * HOUR_MS),
    ],
  );
  return {
    openEpisodes: row.open_episodes,
    highRiskOpen: row.high_risk_open,
    overdue: {
      'risk-review': row.risk_reviews,
      'return-interview': row.return_interviews,
      'meeting-action': row.meeting_actions,
      'warning-notice': row.warning_notices,
      'escalation-unacknowledged': row.escalations,
    },
    repeatChildren: row.repeat_children,
    repeatChildrenNeedingPlan: row.repeat_needing_plan,
  };
}
