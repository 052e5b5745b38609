import { ReadSideIndexes } from '../database/read-side-indexes';
import type { SqlDatabase, SqlExecutor } from '../database/sql-database';
import type { EscalationPolicy } from '../escalation/policy/escalation-policy';
import { inScope } from './district-scope';

/** The repeat-without-plan rule's size: so many episodes with their missing-since times within so many days. */
export type RepeatWindow = Pick<EscalationPolicy['repeatWithoutPlan'], 'episodes' | 'windowDays'>;

const SPELLS = 'rm_dash_repeat_spells';
const RULE = 'rm_dash_repeat_spells_rule';

/**
 * When each child is within the repeat-without-plan rule's window, as spells of time kept from the
 * child's episodes. With the countable (not cancelled) episodes in missing-since order, each one and
 * the `episodes - 1` before it are enough from its own time until the earliest of them leaves the
 * window, `windowDays` after that one's time: one spell. The summary then counts the children whose
 * spell contains now, a few thousand rows at national scale, where it grouped every episode of the
 * last 90 days by child per request. A sliding window cannot be kept as a count (episodes leave it
 * as time passes, not on an event); its spells can, since only a child's episodes move them.
 *
 * The spells depend on the rule's size, so the table remembers the size it was made for and is
 * remade from the episodes when the configured rule differs (and, the first time, for a read model
 * from before it).
 */
export class RepeatSpells {
  static readonly table = SPELLS;

  /** A rebuild feeds no spells (`leftBehind`) and makes them all at its end, before these. */
  readonly readSideIndexes = new ReadSideIndexes({
    [`${SPELLS}_by_end`]: `ON ${SPELLS} (until_at) INCLUDE (from_at, child_id, district)`,
    [`${SPELLS}_by_child`]: `ON ${SPELLS} (child_id)`,
  });

  constructor(private readonly rule: RepeatWindow) {}

  async migrate(db: SqlDatabase): Promise<void> {
    await db.query(`CREATE TABLE IF NOT EXISTS ${SPELLS} (
      child_id uuid NOT NULL, district text NOT NULL, from_at timestamptz NOT NULL, until_at timestamptz NOT NULL)`);
    await this.readSideIndexes.create(db);
    await db.query(`CREATE TABLE IF NOT EXISTS ${RULE} (episodes integer NOT NULL, window_days integer NOT NULL)`);
    await this.makeAll(db);
  }

  /**
   * Makes every spell from the episodes, unless they were made for this rule (after a reset, or
   * while a rebuild fed the episodes, they were not); `always` makes them even so (a rebuild's end:
   * a service that started during the rebuild made them from the episodes of that moment).
   */
  async makeAll(db: SqlDatabase, always = false): Promise<void> {
    if (!always && (await this.madeForRule(db))) return;
    await db.transaction(async (tx) => {
      // Two instances starting at once: the second waits, then finds the spells made.
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [SPELLS]);
      if (!always && (await this.madeForRule(tx))) return;
      await tx.query(`DELETE FROM ${SPELLS}`);
      await this.insertSpells(tx, null);
      // Made whole (into an emptied table after a rebuild): without statistics the planner took a
      // delete of 1,500 children's spells for one of every row, and scanned the table.
      await tx.query(`ANALYZE ${SPELLS}`);
      await tx.query(`DELETE FROM ${RULE}`);
      await tx.query(`INSERT INTO ${RULE} (episodes, window_days) VALUES ($1, $2)`, [this.rule.episodes, this.rule.windowDays]);
    });
  }

  /** Empties the spells and forgets the rule they were made for, so that the next `makeAll` makes them. */
  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query(`TRUNCATE ${SPELLS}, ${RULE}`);
  }

  /**
   * The episodes moved without their spells (a rebuild's batch): forgets the rule, so that whoever
   * next feeds the read model makes them first, should the rebuild stop short.
   */
  async leftBehind(tx: SqlExecutor): Promise<void> {
    await tx.query(`DELETE FROM ${RULE}`);
  }

  private async madeForRule(db: SqlExecutor): Promise<boolean> {
    const madeFor = await db.query<{ episodes: number; window_days: number }>(`SELECT episodes, window_days FROM ${RULE}`);
    return madeFor.length === 1 && madeFor[0].episodes === this.rule.episodes && madeFor[0].window_days === this.rule.windowDays;
  }

  /** Remakes the spells of children whose episodes or district changed, from their rows as written. */
  async remake(tx: SqlExecutor, childIds: readonly string[]): Promise<void> {
    if (childIds.length === 0) return;
    await tx.query(`DELETE FROM ${SPELLS} WHERE child_id = ANY($1::uuid[])`, [childIds]);
    await this.insertSpells(tx, childIds);
  }

  /** The spells of `childIds` (every child's where null), from rm_dash_episodes and the children's districts. */
  private async insertSpells(tx: SqlExecutor, childIds: readonly string[] | null): Promise<void> {
    const which = childIds === null ? '' : 'AND e.child_id = ANY($3::uuid[])';
    // Whole hours, not days: a day's interval would follow the clocks' change, the rule's window does not.
    await tx.query(
      `INSERT INTO ${SPELLS} (child_id, district, from_at, until_at)
       SELECT s.child_id, c.district, s.from_at, s.until_at
         FROM (SELECT e.child_id, e.missing_since AS from_at,
                      lag(e.missing_since, $1::int - 1) OVER (PARTITION BY e.child_id ORDER BY e.missing_since) + $2::int * interval '24 hours' AS until_at
                 FROM rm_dash_episodes e WHERE NOT e.cancelled ${which}) AS s
         JOIN rm_dash_children c USING (child_id)
        WHERE s.until_at > s.from_at`,
      childIds === null ? [this.rule.episodes, this.rule.windowDays] : [this.rule.episodes, this.rule.windowDays, childIds],
    );
  }

  /** SQL for the children of the scope (parameter `$scope`) within the window at `$now`, each once per spell. */
  static within(scope: number, now: number): string {
    return `SELECT s.child_id FROM ${SPELLS} s WHERE s.until_at > $${now}::timestamptz AND s.from_at <= $${now}::timestamptz AND ${inScope('s.district', scope)}`;
  }
}
