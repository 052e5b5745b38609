import type { RiskGrade } from '../child-case/child-case.events';
import type { SqlExecutor } from '../database/sql-database';
import type { EscalationPolicy } from '../escalation/policy/escalation-policy';
import { longMissingDeadline, reviewDeadlines } from '../escalation/policy/evaluate-policy';
import { type DistrictScope, inScope } from './district-scope';

export const VIEW_LIMIT = 200;
// Every open episode's clocks are read, so the most urgent deadline is never cut off by an older
// episode: the open set is what is happening now (a force has tens, the country a few thousand).
const OPEN_LIMIT = 5_000;

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
 * The children missing now, with the clock that bites first: the next risk review (the same
 * deadlines the escalation policy sets) or the long-missing mark, the most urgent `limit` of them.
 */
export async function openEpisodes(db: SqlExecutor, policy: EscalationPolicy, scope: DistrictScope, now: Date, limit = VIEW_LIMIT): Promise<OpenEpisode[]> {
  const clocks = await openEpisodeClocks(db, policy, scope, now);
  return withChildNames(db, clocks.sort((a, b) => a.nextDeadline.dueAt.localeCompare(b.nextDeadline.dueAt)).slice(0, limit));
}

/**
 * Every open episode's clocks, without names: the most urgent deadline is never cut off by an
 * older episode, and only the rows shown are named. Reads the open-episode index only.
 */
export async function openEpisodeClocks(db: SqlExecutor, policy: EscalationPolicy, scope: DistrictScope, now: Date): Promise<Omit<OpenEpisode, 'childName'>[]> {
  const rows = await db.query<OpenEpisodeRow>(
    `SELECT e.episode_id, e.child_id, e.district, e.missing_since, e.risk_grade, e.last_risk_assessed_at, e.last_action_at
       FROM rm_episodes e
      WHERE e.status = 'missing' AND ${inScope('e.district', 1)}
      ORDER BY e.missing_since LIMIT ${OPEN_LIMIT}`,
    [scope],
  );
  return rows.map((row) => {
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
  });
}
