import type { ChildProfile } from '../child-case/child-case.events';
import { type EventFollowedBy, FollowedEvents } from '../child-stream/followed-events';
import { KeptCount } from '../database/kept-count';
import { RowBatch } from '../database/row-batch';
import type { SqlExecutor } from '../database/sql-database';
import { assertNever } from '../shared/refusal';
import { type Breakdown, breakdownOf, brokenDownFieldsOf, ukMonthOf, ukYearOf } from './breakdowns';

/** The facts the dashboard's rows and counters are made of. */
export const DASHBOARD_FOLLOWS = FollowedEvents.of(
  'ChildRegistered',
  'ChildProfileUpdated',
  'ChildReportedMissing',
  'EpisodeCancelled',
  'ChildReturned',
  'ReturnInterviewCompleted',
  'SafeguardingPlanCreated',
  'StrategyMeetingConvened',
  'StrategyMeetingHeld',
  // Of the personal data, only what the breakdowns read: the age band's date of birth and the ethnicity.
).readingPersonalDataOf(
  'ChildRegistered.profile.dateOfBirth',
  'ChildRegistered.profile.ethnicity',
  'ChildProfileUpdated.changes.dateOfBirth',
  'ChildProfileUpdated.changes.ethnicity',
);
type DashboardFact = EventFollowedBy<typeof DASHBOARD_FOLLOWS>;

// DfE 2014: the independent return interview is to happen within 72 hours of the return.
const INTERVIEW_WITHIN_MS = 72 * 60 * 60 * 1000;

type StatsKey = { year: number; district: string } & Breakdown;
type Counter = 'episodes' | 'children' | 'repeat_children' | 'repeat_children_with_plan' | 'returns' | 'interviews_in_time' | 'meetings_held' | 'ms_to_meeting';
const COUNTERS: readonly Counter[] = ['episodes', 'children', 'repeat_children', 'repeat_children_with_plan', 'returns', 'interviews_in_time', 'meetings_held', 'ms_to_meeting'];

export const DIMENSIONS = 'age_band, gender, ethnicity, placement';

type Instant = string | Date;
const iso = (at: Instant): string => new Date(at).toISOString();

/** The breakdown columns of a row, as the key of the counters it bumps. */
interface Placed extends Record<string, unknown> {
  year: number;
  district: string;
  age_band: string;
  gender: string;
  ethnicity: string;
  placement: string;
}

interface ChildRow extends Record<string, unknown> {
  child_id: string;
  district: string;
  /** What the breakdowns read of the child's profile (brokenDownFieldsOf). */
  profile: Partial<ChildProfile>;
  first_plan_at: Instant | null;
  lifetime: number;
  last_missing_since: Instant | null;
}

/** Children missing twice or more in their lifetime, per district: the dashboard's count of them. */
export const REPEAT_CHILDREN = new KeptCount<ChildRow>(
  'rm_dash_repeat_child_counts',
  { table: 'rm_dash_children', district: 'district', countedInSql: 'lifetime >= 2' },
  (row) => row.lifetime >= 2,
  (row) => row.district,
);

interface EpisodeRow extends Placed {
  episode_id: string;
  child_id: string;
  missing_since: Instant;
  cancelled: boolean;
  returned_at: Instant | null;
  interview_in_time: boolean;
}

interface ChildYearRow extends Placed {
  child_id: string;
  episodes: number;
}

interface MeetingRow extends Placed {
  meeting_id: string;
  child_id: string;
  convened_at: Instant;
  held_at: Instant | null;
}

const PLACED = 'year integer, district text, age_band text, gender text, ethnicity text, placement text';

const keyOf = (row: Placed): StatsKey => ({ year: row.year, district: row.district, ageBand: row.age_band, gender: row.gender, ethnicity: row.ethnicity, placement: row.placement });

/**
 * The dashboard's rows a batch of events touches, changed in memory event by event as one statement
 * per fact used to change them, and its counters as deltas summed over the batch; then written with
 * one statement per table. `write` must follow the events of the batch, in the same transaction.
 */
export class DashboardRows {
  private readonly stats = new Map<string, { key: StatsKey; deltas: Record<Counter, number> }>();
  private readonly monthly = new Map<string, { month: string; district: string; episodes: number }>();
  /** Children whose episodes changed: their latest missing date is recomputed from the rows once written. */
  private readonly episodesChanged = new Set<string>();
  /** Children who moved district: their repeat spells count for the new one. */
  private readonly districtChanged = new Set<string>();

  private constructor(
    private readonly children: RowBatch<ChildRow>,
    private readonly episodes: RowBatch<EpisodeRow>,
    private readonly childYears: RowBatch<ChildYearRow>,
    private readonly meetings: RowBatch<MeetingRow>,
  ) {}

  static async read(tx: SqlExecutor, facts: readonly { event: DashboardFact; childId: string }[]): Promise<DashboardRows> {
    const field = (name: string) => facts.map(({ event }) => (event as unknown as Record<string, unknown>)[name]);
    const childIds = facts.map(({ childId }) => childId);
    return new DashboardRows(
      await new RowBatch<ChildRow>(
        'rm_dash_children',
        'child_id uuid, district text, profile jsonb, first_plan_at timestamptz, lifetime integer, last_missing_since timestamptz',
        ['child_id'],
      ).load(tx, 'child_id', childIds),
      await new RowBatch<EpisodeRow>(
        'rm_dash_episodes',
        `episode_id uuid, child_id uuid, ${PLACED}, missing_since timestamptz, cancelled boolean, returned_at timestamptz, interview_in_time boolean`,
        ['episode_id'],
      ).load(tx, 'episode_id', field('episodeId')),
      // Every year of the children in the batch: a first plan counts for all their repeat years.
      await new RowBatch<ChildYearRow>('rm_dash_child_years', `child_id uuid, ${PLACED}, episodes integer`, ['child_id', 'year']).load(tx, 'child_id', childIds),
      await new RowBatch<MeetingRow>('rm_dash_meetings', `meeting_id uuid, child_id uuid, ${PLACED}, convened_at timestamptz, held_at timestamptz`, [
        'meeting_id',
      ]).load(tx, 'meeting_id', field('meetingId')),
    );
  }

  apply(event: DashboardFact, childId: string): void {
    switch (event.type) {
      case 'ChildRegistered':
        this.children.insert({
          child_id: childId,
          district: event.profile.localAuthority,
          profile: brokenDownFieldsOf(event.profile),
          first_plan_at: null,
          lifetime: 0,
          last_missing_since: null,
        });
        return;
      case 'ChildProfileUpdated': {
        const { changes } = event;
        const child = this.children.update([childId], (row) => ({ profile: { ...row.profile, ...brokenDownFieldsOf(changes) }, district: changes.localAuthority ?? row.district }));
        if (child && changes.localAuthority !== undefined) this.districtChanged.add(childId.toLowerCase());
        return;
      }
      case 'ChildReportedMissing':
        return this.episodeReported(childId, event.episodeId, event.district, event.missingSince);
      case 'EpisodeCancelled':
        return this.episodeCancelled(childId, event.episodeId);
      case 'ChildReturned': {
        const episode = this.episodes.get(event.episodeId);
        if (!episode || episode.cancelled || episode.returned_at !== null) return;
        this.episodes.update([event.episodeId], { returned_at: event.returnedAt });
        this.bump(keyOf(episode), { returns: 1 });
        return;
      }
      case 'ReturnInterviewCompleted': {
        const episode = this.episodes.get(event.episodeId);
        if (!episode || episode.cancelled || episode.interview_in_time || episode.returned_at === null) return;
        if (Date.parse(event.completedAt) - new Date(episode.returned_at).getTime() > INTERVIEW_WITHIN_MS) return;
        this.episodes.update([event.episodeId], { interview_in_time: true });
        this.bump(keyOf(episode), { interviews_in_time: 1 });
        return;
      }
      case 'SafeguardingPlanCreated':
        return this.planCreated(childId, event.createdAt);
      case 'StrategyMeetingConvened': {
        // The threshold meetings: the time from the crossing to the meeting is what the comparison shows.
        const child = this.children.get(childId);
        if (event.rule !== 'repeat-in-window' || !child) return;
        const placed = this.placedNow(childId, ukYearOf(event.convenedAt), child.district, event.convenedAt);
        this.meetings.insert({ meeting_id: event.meetingId, child_id: childId, ...placed, convened_at: event.convenedAt, held_at: null });
        return;
      }
      case 'StrategyMeetingHeld': {
        const meeting = this.meetings.get(event.meetingId);
        if (!meeting || meeting.held_at !== null) return;
        this.meetings.update([event.meetingId], { held_at: event.heldAt });
        this.bump(keyOf(meeting), { meetings_held: 1, ms_to_meeting: Date.parse(event.heldAt) - new Date(meeting.convened_at).getTime() });
        return;
      }
      default:
        return assertNever(event);
    }
  }

  async write(tx: SqlExecutor): Promise<void> {
    await REPEAT_CHILDREN.follow(this.children, tx);
    await this.children.write(tx);
    await this.episodes.write(tx);
    await this.childYears.write(tx);
    await this.meetings.write(tx);
    if (this.episodesChanged.size > 0) {
      await tx.query(
        `UPDATE rm_dash_children c
            SET last_missing_since = (SELECT max(missing_since) FROM rm_dash_episodes e WHERE e.child_id = c.child_id AND NOT cancelled)
          WHERE child_id = ANY($1::uuid[])`,
        [[...this.episodesChanged]],
      );
    }
    if (this.stats.size > 0) {
      const rows = [...this.stats.values()].map(({ key, deltas }) => ({ year: key.year, district: key.district, age_band: key.ageBand, gender: key.gender, ethnicity: key.ethnicity, placement: key.placement, ...deltas }));
      await tx.query(
        `INSERT INTO rm_dash_stats (year, district, ${DIMENSIONS}, ${COUNTERS.join(', ')})
         SELECT year, district, ${DIMENSIONS}, ${COUNTERS.join(', ')}
           FROM jsonb_to_recordset($1::jsonb) AS s(${PLACED}, ${COUNTERS.map((c) => `${c} bigint`).join(', ')})
         ON CONFLICT (year, district, ${DIMENSIONS}) DO UPDATE SET ${COUNTERS.map((c) => `${c} = rm_dash_stats.${c} + excluded.${c}`).join(', ')}`,
        [JSON.stringify(rows)],
      );
    }
    if (this.monthly.size > 0) {
      await tx.query(
        `INSERT INTO rm_dash_monthly (month, district, episodes)
         SELECT month, district, episodes FROM jsonb_to_recordset($1::jsonb) AS m(month text, district text, episodes integer)
         ON CONFLICT (month, district) DO UPDATE SET episodes = rm_dash_monthly.episodes + excluded.episodes`,
        [JSON.stringify([...this.monthly.values()])],
      );
    }
  }

  /** The children whose repeat spells (RepeatSpells) the batch may have moved: remade once `write` is done. */
  spellsMoved(): string[] {
    return [...new Set([...this.episodesChanged, ...this.districtChanged])];
  }

  /** The breakdown of the child's profile at `at`, as the columns of a row placed in `year` and `district`. */
  private placedNow(childId: string, year: number, district: string, at: string): Placed {
    const { ageBand, gender, ethnicity, placement } = breakdownOf(this.children.get(childId)?.profile ?? {}, at);
    return { year, district, age_band: ageBand, gender, ethnicity, placement };
  }

  private episodeReported(childId: string, episodeId: string, district: string, missingSince: string): void {
    const placed = this.placedNow(childId, ukYearOf(missingSince), district, missingSince);
    const inserted = this.episodes.insert({
      episode_id: episodeId,
      child_id: childId,
      ...placed,
      missing_since: missingSince,
      cancelled: false,
      returned_at: null,
      interview_in_time: false,
    });
    if (!inserted) return;
    this.bump(keyOf(placed), { episodes: 1 });
    this.bumpMonth(ukMonthOf(missingSince), district, 1);
    this.countChildEpisode(childId, +1);
    // The child's first episode of the year places the child's row for that year.
    const year = this.childYears.update([childId, placed.year], (row) => ({ episodes: row.episodes + 1 }));
    if (year) this.childYearChanged(childId, year, year.episodes - 1);
    else {
      const first = { child_id: childId, ...placed, episodes: 1 };
      this.childYears.insert(first);
      this.childYearChanged(childId, first, 0);
    }
  }

  private episodeCancelled(childId: string, episodeId: string): void {
    const episode = this.episodes.get(episodeId);
    if (!episode || episode.cancelled) return;
    this.episodes.update([episodeId], { cancelled: true });
    this.bump(keyOf(episode), { episodes: -1, returns: episode.returned_at !== null ? -1 : 0, interviews_in_time: episode.interview_in_time ? -1 : 0 });
    this.bumpMonth(ukMonthOf(iso(episode.missing_since)), episode.district, -1);
    this.countChildEpisode(childId, -1);
    const year = this.childYears.update([childId, episode.year], (row) => ({ episodes: row.episodes - 1 }));
    if (year) this.childYearChanged(childId, year, year.episodes + 1);
  }

  private countChildEpisode(childId: string, delta: number): void {
    this.children.update([childId], (child) => ({ lifetime: child.lifetime + delta }));
    this.episodesChanged.add(childId.toLowerCase());
  }

  /** A child's episodes in a year went from `before` to `row.episodes`: one child, a repeat child, planned or not. */
  private childYearChanged(childId: string, row: ChildYearRow, before: number): void {
    const after = row.episodes;
    const children = Number(after >= 1) - Number(before >= 1);
    const repeat = Number(after >= 2) - Number(before >= 2);
    if (children === 0 && repeat === 0) return;
    const firstPlanAt = this.children.get(childId)?.first_plan_at ?? null;
    const planned = firstPlanAt !== null && ukYearOf(iso(firstPlanAt)) <= row.year;
    this.bump(keyOf(row), { children, repeat_children: repeat, repeat_children_with_plan: planned ? repeat : 0 });
  }

  /** A first plan counts for the child's repeat years from the plan's year on ("had a plan by the year's end"). */
  private planCreated(childId: string, createdAt: string): void {
    const child = this.children.get(childId);
    if (!child || child.first_plan_at !== null) return;
    this.children.update([childId], { first_plan_at: createdAt });
    const from = ukYearOf(createdAt);
    const sameChild = childId.toLowerCase();
    for (const row of this.childYears.where((year) => year.child_id.toLowerCase() === sameChild && year.year >= from && year.episodes >= 2)) {
      this.bump(keyOf(row), { repeat_children_with_plan: 1 });
    }
  }

  private bump(key: StatsKey, deltas: Partial<Record<Counter, number>>): void {
    const id = JSON.stringify([key.year, key.district, key.ageBand, key.gender, key.ethnicity, key.placement]);
    const entry = this.stats.get(id) ?? { key, deltas: Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Record<Counter, number> };
    for (const [counter, delta] of Object.entries(deltas) as [Counter, number][]) entry.deltas[counter] += delta;
    this.stats.set(id, entry);
  }

  private bumpMonth(month: string, district: string, delta: number): void {
    const id = JSON.stringify([month, district]);
    const entry = this.monthly.get(id) ?? { month, district, episodes: 0 };
    entry.episodes += delta;
    this.monthly.set(id, entry);
  }
}
