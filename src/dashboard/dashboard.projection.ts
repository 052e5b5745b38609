import type { ChildProfile } from '../child-case/child-case.events';
import { ReadSideIndexes } from '../database/read-side-indexes';
import type { SqlDatabase, SqlExecutor } from '../database/sql-database';
import type { RecordedEvent } from '../event-store/event-store.port';
import type { Feeding, Projection } from '../event-store/subscriptions/consumer';
import { erasedCopy } from '../erasure/erase-read-models';
import { breakdownOf } from './breakdowns';
import { DASHBOARD_FOLLOWS, DashboardRows, DIMENSIONS, REPEAT_CHILDREN } from './dashboard-rows';
import { RepeatSpells, type RepeatWindow } from './repeat-spells';

/** The repeat children's lists, by district and force-wide: `apply` and the erasure read children by their key. */
const DASHBOARD_INDEXES = new ReadSideIndexes({
  rm_dash_children_repeat: 'ON rm_dash_children (district, last_missing_since DESC) WHERE lifetime >= 2',
  rm_dash_children_repeat_force: 'ON rm_dash_children (last_missing_since DESC) WHERE lifetime >= 2',
});

/**
 * What the dashboard needs beyond the child summary and casework lists: each child's lifetime count
 * (to list repeat children without counting everyone's episodes per request), and the district
 * comparison as additive counters per year, district and breakdown, kept by deltas as facts arrive,
 * so the comparison reads a few hundred rows whatever the history's size; and when each child is
 * within the repeat-without-plan rule's window (RepeatSpells), which is why it takes the rule.
 */
export class DashboardProjection implements Projection {
  readonly kind = 'projection';
  readonly name = 'dashboard';
  readonly reads = DASHBOARD_FOLLOWS.reads;
  readonly readSideIndexes: ReadSideIndexes;
  private readonly spells: RepeatSpells;

  constructor(repeatWithoutPlan: RepeatWindow) {
    this.spells = new RepeatSpells(repeatWithoutPlan);
    this.readSideIndexes = ReadSideIndexes.of(DASHBOARD_INDEXES, this.spells.readSideIndexes);
  }

  async migrate(db: SqlDatabase): Promise<void> {
    await db.query(`CREATE TABLE IF NOT EXISTS rm_dash_children (
      child_id uuid PRIMARY KEY, district text NOT NULL, profile jsonb NOT NULL,
      first_plan_at timestamptz, lifetime integer NOT NULL DEFAULT 0, last_missing_since timestamptz)`);
    await DASHBOARD_INDEXES.create(db);
    await REPEAT_CHILDREN.migrate(db);
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
    await this.spells.migrate(db);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query(`TRUNCATE rm_dash_children, rm_dash_episodes, rm_dash_child_years, rm_dash_meetings, rm_dash_stats, rm_dash_monthly, ${REPEAT_CHILDREN.table}`);
    await this.spells.reset(tx);
  }

  /**
   * Set-based: the batch folded in memory over the rows it touches (read with one statement per
   * table), its counters summed as deltas, then written with one statement per table (was up to
   * nine statements per fact; a rebuild was bound by the round trips). A rebuild leaves the spells
   * to its end: remade per batch, a repeat child's were remade once for each batch holding one of
   * their events.
   */
  async apply(events: RecordedEvent[], tx: SqlExecutor, feeding: Feeding): Promise<void> {
    const facts = DASHBOARD_FOLLOWS.in(events);
    if (facts.length === 0) return;
    const rows = await DashboardRows.read(tx, facts);
    for (const { event, childId } of facts) rows.apply(event, childId);
    await rows.write(tx);
    if (feeding === 'live') await this.spells.remake(tx, rows.spellsMoved());
    else await this.spells.leftBehind(tx);
  }

  async finishRebuild(db: SqlDatabase): Promise<void> {
    await this.spells.makeAll(db, true);
  }

  async resume(db: SqlDatabase): Promise<void> {
    await this.spells.makeAll(db);
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
