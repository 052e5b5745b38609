import { countEpisodes, type EpisodeCounts } from '../child-case/episode-counts';
import type { SqlExecutor } from '../database/sql-database';
import type { EscalationPolicy } from '../escalation/policy/escalation-policy';
import { type DistrictScope, inScope } from './district-scope';
import { childName } from './open-episodes.queries';

const REPEAT_LIMIT = 100;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface RepeatChild {
  childId: string;
  childName: string;
  district: string;
  lastMissingSince: string;
  counts: EpisodeCounts;
  activePlanId: string | null;
  openMeetingId: string | null;
  /** How many other children share an associate or a place with this one (the links slice's flags). */
  linkedChildren: number;
  /** The repeat-without-plan rule's condition: the child stays on show until a plan exists. */
  needsPlan: boolean;
}

/**
 * Children with two or more episodes, most recently missing first, with the counts the summary
 * gives (by missing-since time, cancelled ones left out), their plan, any open meeting and how many
 * other children they are linked to. The lifetime count is kept by the dashboard projection, so
 * only the listed children's episodes are read.
 */
export async function repeatChildren(db: SqlExecutor, policy: EscalationPolicy, scope: DistrictScope, now: Date): Promise<RepeatChild[]> {
  const children = await db.query<{ child_id: string; district: string; last_missing_since: Date; first_name: string | null; last_name: string | null; plan_id: string | null; meeting_id: string | null; linked_children: number }>(
    `SELECT d.child_id, d.district, d.last_missing_since, c.profile->>'firstName' AS first_name, c.profile->>'lastName' AS last_name,
            (SELECT p.plan_id FROM rm_safeguarding_plans p WHERE p.child_id = d.child_id AND p.status = 'open' LIMIT 1) AS plan_id,
            (SELECT m.meeting_id FROM rm_meetings m WHERE m.child_id = d.child_id AND m.status <> 'closed' LIMIT 1) AS meeting_id,
            (SELECT count(DISTINCT f.other_child_id)::int FROM rm_link_flags f WHERE f.child_id = d.child_id) AS linked_children
       FROM rm_dash_children d JOIN rm_children c USING (child_id)
      WHERE d.lifetime >= 2 AND ${inScope('d.district', 1)}
      ORDER BY d.last_missing_since DESC LIMIT ${REPEAT_LIMIT}`,
    [scope],
  );
  if (children.length === 0) return [];
  const episodes = await db.query<{ child_id: string; missing_since: Date; status: string }>(
    'SELECT child_id, missing_since, status FROM rm_episodes WHERE child_id = ANY($1::uuid[])',
    [children.map((child) => child.child_id)],
  );
  const rule = policy.repeatWithoutPlan;
  return children.map((child) => {
    const countable = episodes
      .filter((episode) => episode.child_id === child.child_id)
      .map((episode) => ({ missingSince: episode.missing_since.toISOString(), cancelled: episode.status === 'cancelled' }));
    const counts = countEpisodes(countable, now.toISOString());
    const inRuleWindow = countable.filter((episode) => {
      const age = now.getTime() - Date.parse(episode.missingSince);
      return !episode.cancelled && age >= 0 && age < rule.windowDays * DAY_MS;
    }).length;
    return {
      childId: child.child_id,
      childName: childName(child.first_name, child.last_name),
      district: child.district,
      lastMissingSince: child.last_missing_since.toISOString(),
      counts,
      activePlanId: child.plan_id,
      openMeetingId: child.meeting_id,
      linkedChildren: child.linked_children,
      needsPlan: child.plan_id === null && inRuleWindow >= rule.episodes,
    };
  });
}
