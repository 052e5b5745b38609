import type { ChildProfile } from '../child-case/child-case.events';
import type { ChildStreamEvent } from '../child-stream/child-stream';
import { childIdOfStream } from '../children/child-summary.projection';
import type { SqlExecutor } from '../database/sql-database';
import { toDomainEvent } from '../event-store/command-handling';
import type { RecordedEvent } from '../event-store/event-store.port';
import type { Projection } from '../event-store/subscriptions/consumer';
import { erasedCopy } from '../erasure/erase-read-models';
import { type Breakdown, breakdownOf, ukMonthOf, ukYearOf } from './breakdowns';

// DfE 2014: the independent return interview is to happen within 72 hours of the return.
const INTERVIEW_WITHIN_MS = 72 * 60 * 60 * 1000;

type StatsKey = { year: number; district: string } & Breakdown;
type Counter = 'episodes' | 'children' | 'repeat_children' | 'repeat_children_with_plan' | 'returns' | 'interviews_in_time' | 'meetings_held' | 'ms_to_meeting';

const DIMENSIONS = 'age_band, gender, ethnicity, placement';

/**
 * What the dashboard needs beyond the child summary and casework lists: each child's lifetime count
 * (to list repeat children without counting everyone's episodes per request), and the district
 * comparison as additive counters per year, district and breakdown, kept by deltas as facts arrive,
 * so the comparison reads a few hundred rows whatever the history's size.
 */
export class DashboardProjection implements Projection {
  readonly kind = 'projection';
  readonly name = 'dashboard';

  async migrate(db: SqlExecutor): Promise<void> {
    await db.query(`CREATE TABLE IF NOT EXISTS rm_dash_children (
      child_id uuid PRIMARY KEY, district text NOT NULL, profile jsonb NOT NULL,
      first_plan_at timestamptz, lifetime integer NOT NULL DEFAULT 0, last_missing_since timestamptz)`);
    await db.query(`CREATE INDEX IF NOT EXISTS rm_dash_children_repeat ON rm_dash_children (district, last_missing_since DESC) WHERE lifetime >= 2`);
    await db.query(`CREATE INDEX IF NOT EXISTS rm_dash_children_repeat_force ON rm_dash_children (last_missing_since DESC) WHERE lifetime >= 2`);
    await db.query(`CREATE TABLE IF NOT EXISTS rm_dash_episodes (
      episode_id uuid PRIMARY KEY, child_id uuid NOT NULL, year integer NOT NULL, district text NOT NULL,
      age_band text NOT NULL, gender text NOT NULL, ethnicity text NOT NULL, placement text NOT NULL,
      missing_since timestamptz NOT NULL, cancelled boolean NOT NULL DEFAULT false, returned_at timestamptz,
      interview_in_time boolean NOT NULL DEFAULT false)`);
    await db.query('CREATE INDEX IF NOT EXISTS rm_dash_episodes_by_child ON rm_dash_episodes (child_id, missing_since)');
    await db.query(`CREATE TABLE IF NOT EXISTS rm_dash_child_years (
      child_id uuid NOT NULL, year integer NOT NULL, district text NOT NULL,
      age_band text NOT NULL, gender text NOT NULL, ethnicity text NOT NULL, placement text NOT NULL,
      episodes integer NOT NULL, PRIMARY KEY (child_id, year))`);
    await db.query(`CREATE TABLE IF NOT EXISTS rm_dash_meetings (
      meeting_id uuid PRIMARY KEY, child_id uuid NOT NULL, year integer NOT NULL, district text NOT NULL,
      age_band text NOT NULL, gender text NOT NULL, ethnicity text NOT NULL, placement text NOT NULL,
      convened_at timestamptz NOT NULL, held_at timestamptz)`);
    await db.query(`CREATE TABLE IF NOT EXISTS rm_dash_stats (
      year integer NOT NULL, district text NOT NULL,
      age_band text NOT NULL, gender text NOT NULL, ethnicity text NOT NULL, placement text NOT NULL,
      episodes integer NOT NULL DEFAULT 0, children integer NOT NULL DEFAULT 0, repeat_children integer NOT NULL DEFAULT 0,
      repeat_children_with_plan integer NOT NULL DEFAULT 0, returns integer NOT NULL DEFAULT 0,
      interviews_in_time integer NOT NULL DEFAULT 0, meetings_held integer NOT NULL DEFAULT 0, ms_to_meeting bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (year, district, ${DIMENSIONS}))`);
    await db.query(`CREATE TABLE IF NOT EXISTS rm_dash_monthly (
      month text NOT NULL, district text NOT NULL, episodes integer NOT NULL, PRIMARY KEY (month, district))`);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query('TRUNCATE rm_dash_children, rm_dash_episodes, rm_dash_child_years, rm_dash_meetings, rm_dash_stats, rm_dash_monthly');
  }

  async apply(events: RecordedEvent[], tx: SqlExecutor): Promise<void> {
    for (const recorded of events) {
      if (!recorded.stream.startsWith('child-')) continue;
      await this.applyOne(toDomainEvent<ChildStreamEvent>(recorded), childIdOfStream(recorded.stream), tx);
    }
  }

  private async applyOne(event: ChildStreamEvent, childId: string, tx: SqlExecutor): Promise<void> {
    switch (event.type) {
      case 'ChildRegistered':
        await tx.query(
          'INSERT INTO rm_dash_children (child_id, district, profile) VALUES ($1, $2, $3) ON CONFLICT (child_id) DO NOTHING',
          [childId, event.profile.localAuthority, JSON.stringify(event.profile)],
        );
        return;
      case 'ChildProfileUpdated':
        await tx.query(
          `UPDATE rm_dash_children SET profile = profile || $2::jsonb, district = coalesce($2::jsonb->>'localAuthority', district)
            WHERE child_id = $1`,
          [childId, JSON.stringify(event.changes)],
        );
        return;
      case 'ChildReportedMissing':
        return this.episodeReported(tx, childId, event.episodeId, event.district, event.missingSince);
      case 'EpisodeCancelled':
        return this.episodeCancelled(tx, childId, event.episodeId);
      case 'ChildReturned': {
        const [episode] = await tx.query<StatsKey>(
          `UPDATE rm_dash_episodes SET returned_at = $2 WHERE episode_id = $1 AND NOT cancelled AND returned_at IS NULL
           RETURNING ${KEY_COLUMNS}`,
          [event.episodeId, event.returnedAt],
        );
        if (episode) await bump(tx, episode, { returns: 1 });
        return;
      }
      case 'ReturnInterviewCompleted': {
        const [episode] = await tx.query<StatsKey>(
          `UPDATE rm_dash_episodes SET interview_in_time = true
            WHERE episode_id = $1 AND NOT cancelled AND NOT interview_in_time AND $2::timestamptz - returned_at <= $3 * interval '1 millisecond'
           RETURNING ${KEY_COLUMNS}`,
          [event.episodeId, event.completedAt, INTERVIEW_WITHIN_MS],
        );
        if (episode) await bump(tx, episode, { interviews_in_time: 1 });
        return;
      }
      case 'SafeguardingPlanCreated':
        return this.planCreated(tx, childId, event.createdAt);
      case 'StrategyMeetingConvened':
        // The threshold meetings: the time from the crossing to the meeting is what the comparison shows.
        if (event.rule !== 'repeat-in-window') return;
        await tx.query(
          `INSERT INTO rm_dash_meetings (meeting_id, child_id, year, district, ${DIMENSIONS}, convened_at)
           SELECT $1, child_id, $3, district, $4, $5, $6, $7, $8 FROM rm_dash_children WHERE child_id = $2
           ON CONFLICT (meeting_id) DO NOTHING`,
          [event.meetingId, childId, ukYearOf(event.convenedAt), ...(await this.breakdownNow(tx, childId, event.convenedAt)), event.convenedAt],
        );
        return;
      case 'StrategyMeetingHeld': {
        const [meeting] = await tx.query<StatsKey & { ms: string }>(
          `UPDATE rm_dash_meetings SET held_at = $2 WHERE meeting_id = $1 AND held_at IS NULL
           RETURNING ${KEY_COLUMNS}, (extract(epoch FROM held_at - convened_at) * 1000)::bigint AS ms`,
          [event.meetingId, event.heldAt],
        );
        if (meeting) await bump(tx, meeting, { meetings_held: 1, ms_to_meeting: Number(meeting.ms) });
        return;
      }
      default:
        return;
    }
  }

  /**
   * The profile reads as erased, and the child's rows move to the breakdown a rebuild from the erased
   * events gives (age band and ethnicity not recorded); the counters of the years and districts the
   * child touched are then recounted from the rows, since they are sums over them.
   */
  async erasePersonalData(childId: string, tx: SqlExecutor): Promise<void> {
    const [child] = await tx.query<{ profile: ChildProfile }>('SELECT profile FROM rm_dash_children WHERE child_id = $1', [childId]);
    if (!child) return;
    const { profile } = erasedCopy('ChildRegistered', { profile: child.profile });
    await tx.query('UPDATE rm_dash_children SET profile = $2 WHERE child_id = $1', [childId, JSON.stringify(profile)]);
    const { ageBand, ethnicity } = breakdownOf(profile, new Date().toISOString());
    for (const table of ['rm_dash_episodes', 'rm_dash_child_years', 'rm_dash_meetings']) {
      await tx.query(`UPDATE ${table} SET age_band = $2, ethnicity = $3 WHERE child_id = $1`, [childId, ageBand, ethnicity]);
    }
    const touched = await tx.query<{ year: number; district: string }>(
      `SELECT year, district FROM rm_dash_episodes WHERE child_id = $1 UNION SELECT year, district FROM rm_dash_child_years WHERE child_id = $1
       UNION SELECT year, district FROM rm_dash_meetings WHERE child_id = $1`,
      [childId],
    );
    for (const { year, district } of touched) await recountStats(tx, year, district);
  }

  private async breakdownNow(tx: SqlExecutor, childId: string, at: string): Promise<string[]> {
    const [child] = await tx.query<{ profile: Partial<ChildProfile> }>('SELECT profile FROM rm_dash_children WHERE child_id = $1', [childId]);
    const breakdown = breakdownOf(child?.profile ?? {}, at);
    return [breakdown.ageBand, breakdown.gender, breakdown.ethnicity, breakdown.placement];
  }

  private async episodeReported(tx: SqlExecutor, childId: string, episodeId: string, district: string, missingSince: string) {
    const year = ukYearOf(missingSince);
    const [ageBand, gender, ethnicity, placement] = await this.breakdownNow(tx, childId, missingSince);
    const key: StatsKey = { year, district, ageBand, gender, ethnicity, placement };
    const inserted = await tx.query(
      `INSERT INTO rm_dash_episodes (episode_id, child_id, year, district, ${DIMENSIONS}, missing_since)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (episode_id) DO NOTHING RETURNING 1`,
      [episodeId, childId, year, district, ageBand, gender, ethnicity, placement, missingSince],
    );
    if (inserted.length === 0) return;
    await bump(tx, key, { episodes: 1 });
    await bumpMonth(tx, ukMonthOf(missingSince), district, 1);
    await this.countChildEpisode(tx, childId, +1);
    // The child's first episode of the year places the child's row for that year.
    const [childYear] = await tx.query<StatsKey & { episodes: number }>(
      `INSERT INTO rm_dash_child_years (child_id, year, district, ${DIMENSIONS}, episodes) VALUES ($1, $2, $3, $4, $5, $6, $7, 1)
       ON CONFLICT (child_id, year) DO UPDATE SET episodes = rm_dash_child_years.episodes + 1
       RETURNING ${KEY_COLUMNS}, episodes`,
      [childId, year, district, ageBand, gender, ethnicity, placement],
    );
    await this.childYearChanged(tx, childId, childYear, childYear.episodes - 1);
  }

  private async episodeCancelled(tx: SqlExecutor, childId: string, episodeId: string) {
    const [episode] = await tx.query<StatsKey & { returned: boolean; in_time: boolean; missing_since: Date }>(
      `UPDATE rm_dash_episodes SET cancelled = true WHERE episode_id = $1 AND NOT cancelled
       RETURNING ${KEY_COLUMNS}, returned_at IS NOT NULL AS returned, interview_in_time AS in_time, missing_since`,
      [episodeId],
    );
    if (!episode) return;
    await bump(tx, episode, { episodes: -1, returns: episode.returned ? -1 : 0, interviews_in_time: episode.in_time ? -1 : 0 });
    await bumpMonth(tx, ukMonthOf(episode.missing_since.toISOString()), episode.district, -1);
    await this.countChildEpisode(tx, childId, -1);
    const [childYear] = await tx.query<StatsKey & { episodes: number }>(
      `UPDATE rm_dash_child_years SET episodes = episodes - 1 WHERE child_id = $1 AND year = $2 RETURNING ${KEY_COLUMNS}, episodes`,
      [childId, episode.year],
    );
    await this.childYearChanged(tx, childId, childYear, childYear.episodes + 1);
  }

  private async countChildEpisode(tx: SqlExecutor, childId: string, delta: number) {
    await tx.query(
      `UPDATE rm_dash_children SET lifetime = lifetime + $2,
              last_missing_since = (SELECT max(missing_since) FROM rm_dash_episodes WHERE child_id = $1 AND NOT cancelled)
        WHERE child_id = $1`,
      [childId, delta],
    );
  }

  /** A child's episodes in a year went from `before` to `row.episodes`: one child, a repeat child, planned or not. */
  private async childYearChanged(tx: SqlExecutor, childId: string, row: StatsKey & { episodes: number }, before: number) {
    const after = row.episodes;
    const children = Number(after >= 1) - Number(before >= 1);
    const repeat = Number(after >= 2) - Number(before >= 2);
    if (children === 0 && repeat === 0) return;
    const [planned] = await tx.query(
      `SELECT 1 FROM rm_dash_children WHERE child_id = $1 AND first_plan_at IS NOT NULL AND extract(year FROM first_plan_at AT TIME ZONE 'Europe/London') <= $2`,
      [childId, row.year],
    );
    await bump(tx, row, { children, repeat_children: repeat, repeat_children_with_plan: planned ? repeat : 0 });
  }

  /** A first plan counts for the child's repeat years from the plan's year on ("had a plan by the year's end"). */
  private async planCreated(tx: SqlExecutor, childId: string, createdAt: string) {
    const updated = await tx.query(
      'UPDATE rm_dash_children SET first_plan_at = $2 WHERE child_id = $1 AND first_plan_at IS NULL RETURNING 1',
      [childId, createdAt],
    );
    if (updated.length === 0) return;
    const years = await tx.query<StatsKey>(
      `SELECT ${KEY_COLUMNS} FROM rm_dash_child_years WHERE child_id = $1 AND year >= $2 AND episodes >= 2`,
      [childId, ukYearOf(createdAt)],
    );
    for (const row of years) await bump(tx, row, { repeat_children_with_plan: 1 });
  }
}

const KEY_COLUMNS = 'year, district, age_band AS "ageBand", gender, ethnicity, placement';

async function bump(tx: SqlExecutor, key: StatsKey, deltas: Partial<Record<Counter, number>>): Promise<void> {
  const columns = Object.keys(deltas) as Counter[];
  await tx.query(
    `INSERT INTO rm_dash_stats (year, district, ${DIMENSIONS}, ${columns.join(', ')})
     VALUES ($1, $2, $3, $4, $5, $6, ${columns.map((_, i) => `$${i + 7}`).join(', ')})
     ON CONFLICT (year, district, ${DIMENSIONS}) DO UPDATE SET ${columns.map((c) => `${c} = rm_dash_stats.${c} + excluded.${c}`).join(', ')}`,
    [key.year, key.district, key.ageBand, key.gender, key.ethnicity, key.placement, ...columns.map((c) => deltas[c])],
  );
}

/** The counters of one year and district as sums over the rows they were bumped from, each its part. */
async function recountStats(tx: SqlExecutor, year: number, district: string): Promise<void> {
  await tx.query('DELETE FROM rm_dash_stats WHERE year = $1 AND district = $2', [year, district]);
  await tx.query(
    `INSERT INTO rm_dash_stats (year, district, ${DIMENSIONS}, episodes, returns, interviews_in_time, children, repeat_children,
                               repeat_children_with_plan, meetings_held, ms_to_meeting)
     SELECT year, district, ${DIMENSIONS}, sum(episodes), sum(returns), sum(in_time), sum(children), sum(repeats), sum(planned), sum(held), sum(ms)
       FROM (SELECT year, district, ${DIMENSIONS}, (NOT cancelled)::int AS episodes, (NOT cancelled AND returned_at IS NOT NULL)::int AS returns,
                    (NOT cancelled AND interview_in_time)::int AS in_time, 0 AS children, 0 AS repeats, 0 AS planned, 0 AS held, 0::bigint AS ms
               FROM rm_dash_episodes WHERE year = $1 AND district = $2
             UNION ALL
             SELECT y.year, y.district, y.age_band, y.gender, y.ethnicity, y.placement, 0, 0, 0, (y.episodes >= 1)::int, (y.episodes >= 2)::int,
                    (y.episodes >= 2 AND c.first_plan_at IS NOT NULL AND extract(year FROM c.first_plan_at AT TIME ZONE 'Europe/London') <= y.year)::int, 0, 0
               FROM rm_dash_child_years y JOIN rm_dash_children c USING (child_id) WHERE y.year = $1 AND y.district = $2
             UNION ALL
             SELECT year, district, ${DIMENSIONS}, 0, 0, 0, 0, 0, 0, 1, (extract(epoch FROM held_at - convened_at) * 1000)::bigint
               FROM rm_dash_meetings WHERE year = $1 AND district = $2 AND held_at IS NOT NULL) AS parts
      GROUP BY year, district, ${DIMENSIONS}`,
    [year, district],
  );
}

async function bumpMonth(tx: SqlExecutor, month: string, district: string, delta: number): Promise<void> {
  await tx.query(
    `INSERT INTO rm_dash_monthly (month, district, episodes) VALUES ($1, $2, $3)
     ON CONFLICT (month, district) DO UPDATE SET episodes = rm_dash_monthly.episodes + excluded.episodes`,
    [month, district, delta],
  );
}
