import type { RiskGrade } from '../child-case/child-case.events';
import type { SqlExecutor } from '../database/sql-database';
import type { EscalationPolicy } from '../escalation/policy/escalation-policy';
import { longMissingDeadline, reviewDeadlines } from '../escalation/policy/evaluate-policy';
import { type DistrictScope, inScope } from './district-scope';

export const VIEW_LIMIT = 200;

interface OpenEpisodeRow {
  episode_id: string;
  child_id: string;
  district: string;
  missing_since: Date;
  risk_grade: RiskGrade | null;
  last_risk_assessed_at: Date | null;
  last_action_at: Date;
}

export interface OpenEpisode {
  episodeId: string;
  childId: string;
  childName: string;
  district: string;
  riskGrade: RiskGrade | null;
  missingSince: string;
  missingForMs: number;
  reviewDueAt: string;
  nextDeadline: { kind: 'risk-review' | 'long-missing'; dueAt: string };
  lastActionAt: string;
}

/** A child as coordinators name them; the summary endpoint for LSCB leads never carries it. */
export const childName = (first: string | null, last: string | null): string =>
  [first, last].filter(Boolean).join(' ') || 'name not recorded';

/** The rows given, each with its child's name: named for the rows a view shows, not every row it sorted. */
export async function withChildNames<T extends { childId: string }>(db: SqlExecutor, rows: readonly T[]): Promise<(T & { childName: string })[]> {
  const names = await db.query<{ child_id: string; first_name: string | null; last_name: string | null }>(
    `SELECT child_id, profile->>'firstName' AS first_name, profile->>'lastName' AS last_name FROM rm_children WHERE child_id = ANY($1::uuid[])`,
    [[...new Set(rows.map((row) => row.childId))]],
  );
  const nameOf = new Map(names.map((row) => [row.child_id, childName(row.first_name, row.last_name)]));
  return rows.map((row) => ({ ...row, childName: nameOf.get(row.childId) ?? childName(null, null) }));
}

/**
 * An open episode's (alias e) first risk review as SQL, the rule reviewDeadlines applies: one
 * interval by grade (ungraded as medium) after the last review, or after missing-since.
 * `intervals` is the parameter holding reviewIntervals(policy).
 */
export const firstReviewDueSql = (intervals: number): string =>
  `coalesce(e.last_risk_assessed_at, e.missing_since) + ($${intervals}::jsonb->>coalesce(e.risk_grade, 'medium'))::float8 * interval '1 hour'`;

export const reviewIntervals = (policy: EscalationPolicy): string => JSON.stringify(policy.reviewOverdue.intervalHours);

// $2 of every pick below: reviewIntervals(policy).
const FIRST_REVIEW_DUE = firstReviewDueSql(2);

/**
 * The children missing now, with the clock that bites first: the next risk review (the same
 * deadlines the escalation policy sets) or the long-missing mark, the most urgent `limit` of them.
 * The database picks them, so the cost follows the rows shown however many are open.
 */
export function openEpisodes(db: SqlExecutor, policy: EscalationPolicy, scope: DistrictScope, now: Date, limit = VIEW_LIMIT): Promise<OpenEpisode[]> {
  return pickOpenEpisodes(db, policy, scope, now, limit, {
    orderBy: `least(${FIRST_REVIEW_DUE}, e.missing_since + $4::float8 * interval '1 hour')`,
    params: [policy.longMissing.hours],
  });
}

/** The open episodes whose risk review is past due, the longest overdue `limit` of them. */
export function lateRiskReviews(db: SqlExecutor, policy: EscalationPolicy, scope: DistrictScope, now: Date, limit = VIEW_LIMIT): Promise<OpenEpisode[]> {
  return pickOpenEpisodes(db, policy, scope, now, limit, { where: `${FIRST_REVIEW_DUE} < $4::timestamptz`, orderBy: FIRST_REVIEW_DUE, params: [now] });
}

/**
 * The first `limit` open episodes in scope by `orderBy` (and meeting `where`), with their clocks
 * and names. $1 is the scope, $2 the review intervals, $3 the limit; `params` are $4 on.
 */
async function pickOpenEpisodes(
  db: SqlExecutor,
  policy: EscalationPolicy,
  scope: DistrictScope,
  now: Date,
  limit: number,
  pick: { where?: string; orderBy: string; params: unknown[] },
): Promise<OpenEpisode[]> {
  const rows = await db.query<OpenEpisodeRow>(
    `SELECT e.episode_id, e.child_id, e.district, e.missing_since, e.risk_grade, e.last_risk_assessed_at, e.last_action_at
       FROM rm_episodes e
      WHERE e.status = 'missing' AND ${inScope('e.district', 1)} AND ${pick.where ?? 'true'}
      ORDER BY ${pick.orderBy}, e.episode_id
      LIMIT $3`,
    [scope, reviewIntervals(policy), limit, ...pick.params],
  );
  return withChildNames(db, rows.map((row) => clocksOf(policy, row, now)));
}

function clocksOf(policy: EscalationPolicy, row: OpenEpisodeRow, now: Date): Omit<OpenEpisode, 'childName'> {
  const missingSince = row.missing_since.toISOString();
  const [firstReview] = reviewDeadlines(policy, {
    grade: row.risk_grade,
    missingSince,
    lastReviewAt: row.last_risk_assessed_at?.toISOString() ?? null,
  });
  const longMissing = longMissingDeadline(policy, missingSince);
  const nextDeadline =
    firstReview.dueAt <= longMissing ? { kind: 'risk-review' as const, dueAt: firstReview.dueAt } : { kind: 'long-missing' as const, dueAt: longMissing };
  return {
    episodeId: row.episode_id,
    childId: row.child_id,
    district: row.district,
    riskGrade: row.risk_grade,
    missingSince,
    missingForMs: now.getTime() - row.missing_since.getTime(),
    reviewDueAt: firstReview.dueAt,
    nextDeadline,
    lastActionAt: row.last_action_at.toISOString(),
  };
}
