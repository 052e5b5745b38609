import { ReadSideIndexes } from '../database/read-side-indexes';
import { asStoredInJsonb } from '../database/stored-in-jsonb';
import { SqlExecutor } from '../database/sql-database';
import { RecordedEvent } from '../event-store/event-store.port';
import { Projection } from '../event-store/subscriptions/consumer';
import { FollowedEvents } from '../child-stream/followed-events';
import { CHILD_CASE_EVENT_TYPES, type ChildCaseEvent, type ChildProfile } from '../child-case/child-case.events';
import { erasedCopy } from '../erasure/erase-read-models';
import { assertNever } from '../shared/refusal';


// Of the personal data, only the child's profile is kept here.
const FOLLOWED = FollowedEvents.of(...CHILD_CASE_EVENT_TYPES).readingPersonalDataOf('ChildRegistered', 'ChildProfileUpdated');

/** Children and their episodes as rows: the summary and the counts (the stream directory: StreamDirectoryProjection). */
export class ChildSummaryProjection implements Projection {
  readonly kind = 'projection';
  readonly name = 'child-summary';
  readonly reads = FOLLOWED.reads;
  // `apply` and the erasure read children and episodes by their keys.
  readonly readSideIndexes = new ReadSideIndexes({
    rm_episodes_by_child: 'ON rm_episodes (child_id, missing_since)',
    // The dashboard's open episodes, without reading the closed ones.
    rm_episodes_open: `ON rm_episodes (district, missing_since) WHERE status = 'missing'`,
  });

  async migrate(db: SqlExecutor): Promise<void> {
    await db.query(`CREATE TABLE IF NOT EXISTS rm_children (
      child_id         uuid PRIMARY KEY,
      local_authority  text NOT NULL,
      profile          jsonb NOT NULL,
      registered_at    timestamptz NOT NULL,
      open_episode_id  uuid,
      updated_at       timestamptz NOT NULL
    )`);
    await db.query(`CREATE TABLE IF NOT EXISTS rm_episodes (
      episode_id             uuid PRIMARY KEY,
      child_id               uuid NOT NULL,
      district               text NOT NULL,
      missing_since          timestamptz NOT NULL,
      reported_at            timestamptz NOT NULL,
      status                 text NOT NULL,
      risk_grade             text,
      last_risk_assessed_at  timestamptz,
      returned_at            timestamptz,
      last_action_at         timestamptz NOT NULL
    )`);
    await this.readSideIndexes.create(db);
    // Made for the repeat-without-plan count before the dashboard kept that window's spells; no query reads it now.
    await db.query('DROP INDEX IF EXISTS rm_episodes_by_time');
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query('TRUNCATE rm_children, rm_episodes');
  }

  /**
   * Set-based: the batch is folded in memory over the rows it touches (read in one statement per
   * table), then written back with one statement per table, instead of one to three statements
   * per event. A rebuild replays the whole history in batches of thousands, and the service's
   * consumers share two cores with its requests: round trips per event were what bounded both.
   */
  async apply(events: RecordedEvent[], tx: SqlExecutor): Promise<void> {
    const facts = FOLLOWED.in(events).map(({ event, recorded, childId }) => ({ event, childId: childId.toLowerCase(), at: recorded.recordedAt }));
    if (facts.length === 0) return;
    const rows = await SummaryRows.read(tx, facts);
    for (const { event, childId, at } of facts) rows.apply(event, childId, at);
    await rows.write(tx);
  }

  /** The profile keeps its shape and what is not personal (district, placement, flags); the rest reads as erased. */
  async erasePersonalData(childId: string, tx: SqlExecutor): Promise<void> {
    const [row] = await tx.query<{ profile: ChildProfile }>('SELECT profile FROM rm_children WHERE child_id = $1', [childId]);
    if (!row) return;
    const { profile } = erasedCopy('ChildRegistered', { profile: row.profile });
    await tx.query('UPDATE rm_children SET profile = $2 WHERE child_id = $1', [childId, JSON.stringify(profile)]);
  }
}

interface ChildRow {
  child_id: string;
  local_authority: string;
  profile: Record<string, unknown>;
  registered_at: Date | string;
  open_episode_id: string | null;
  updated_at: Date | string;
}

interface EpisodeRow {
  episode_id: string;
  child_id: string;
  district: string;
  missing_since: Date | string;
  reported_at: Date | string;
  status: string;
  risk_grade: string | null;
  last_risk_assessed_at: Date | string | null;
  returned_at: Date | string | null;
  last_action_at: Date | string;
}

const episodeIdOf = (event: ChildCaseEvent): string | null => ('episodeId' in event ? event.episodeId.toLowerCase() : null);

/** The rm_children and rm_episodes rows a batch touches, changed in memory as the per-event statements would. */
class SummaryRows {
  private readonly dirtyChildren = new Set<string>();
  private readonly dirtyEpisodes = new Set<string>();

  private constructor(
    private readonly children: Map<string, ChildRow>,
    private readonly episodes: Map<string, EpisodeRow>,
  ) {}

  static async read(tx: SqlExecutor, facts: { event: ChildCaseEvent; childId: string }[]): Promise<SummaryRows> {
    const childIds = [...new Set(facts.map((fact) => fact.childId))];
    const episodeIds = [...new Set(facts.map((fact) => episodeIdOf(fact.event)).filter((id): id is string => id !== null))];
    const children = await tx.query<ChildRow>(
      `SELECT child_id::text, local_authority, profile, registered_at, open_episode_id::text, updated_at
         FROM rm_children WHERE child_id = ANY($1::uuid[])`,
      [childIds],
    );
    const episodes = episodeIds.length
      ? await tx.query<EpisodeRow>(
          `SELECT episode_id::text, child_id::text, district, missing_since, reported_at, status, risk_grade,
                  last_risk_assessed_at, returned_at, last_action_at
             FROM rm_episodes WHERE episode_id = ANY($1::uuid[])`,
          [episodeIds],
        )
      : [];
    return new SummaryRows(new Map(children.map((row) => [row.child_id, row])), new Map(episodes.map((row) => [row.episode_id, row])));
  }

  apply(event: ChildCaseEvent, childId: string, at: Date): void {
    const episodeId = episodeIdOf(event);
    switch (event.type) {
      case 'ChildRegistered':
        if (!this.children.has(childId)) {
          this.children.set(childId, { child_id: childId, local_authority: event.profile.localAuthority, profile: asStoredInJsonb<object>(event.profile) as Record<string, unknown>, registered_at: at, open_episode_id: null, updated_at: at });
          this.dirtyChildren.add(childId);
        }
        return;
      case 'ChildProfileUpdated': {
        const changes = asStoredInJsonb<Record<string, unknown>>(event.changes);
        this.changeChild(childId, (child) => ({ ...child, profile: { ...child.profile, ...changes }, local_authority: (changes.localAuthority as string | null | undefined) ?? child.local_authority, updated_at: at }));
        return;
      }
      case 'ChildReportedMissing':
        if (!this.episodes.has(episodeId!)) {
          this.episodes.set(episodeId!, {
            episode_id: episodeId!,
            child_id: childId,
            district: event.district,
            missing_since: event.missingSince,
            reported_at: event.reportedAt,
            status: 'missing',
            risk_grade: event.initialRisk ?? null,
            last_risk_assessed_at: null,
            returned_at: null,
            last_action_at: at,
          });
          this.dirtyEpisodes.add(episodeId!);
        }
        this.changeChild(childId, (child) => ({ ...child, open_episode_id: episodeId, updated_at: at }));
        return;
      case 'RiskAssessed':
        this.changeEpisode(episodeId!, (episode) => ({ ...episode, risk_grade: event.grade, last_risk_assessed_at: event.assessedAt, last_action_at: at }));
        return;
      case 'SightingRecorded':
      case 'AssociateNamed':
      case 'LocationNamed':
        this.changeEpisode(episodeId!, (episode) => ({ ...episode, last_action_at: at }));
        return;
      case 'ChildReturned':
        this.endEpisode(childId, episodeId!, 'returned', at, event.returnedAt);
        return;
      case 'EpisodeCancelled':
        this.endEpisode(childId, episodeId!, 'cancelled', at);
        return;
      case 'EpisodeClosed':
        this.endEpisode(childId, episodeId!, 'closed', at);
        return;
      case 'ChildPersonalDataErased':
        // Scrubbed by erasePersonalData, which every projection has.
        return;
      default:
        return assertNever(event);
    }
  }

  async write(tx: SqlExecutor): Promise<void> {
    const children = [...this.dirtyChildren].map((id) => this.children.get(id)!);
    if (children.length > 0) {
      await tx.query(
        `INSERT INTO rm_children (child_id, local_authority, profile, registered_at, open_episode_id, updated_at)
         SELECT child_id, local_authority, profile, registered_at, open_episode_id, updated_at
           FROM jsonb_to_recordset($1::jsonb)
             AS c(child_id uuid, local_authority text, profile jsonb, registered_at timestamptz, open_episode_id uuid, updated_at timestamptz)
         ON CONFLICT (child_id) DO UPDATE SET local_authority = excluded.local_authority, profile = excluded.profile,
           open_episode_id = excluded.open_episode_id, updated_at = excluded.updated_at`,
        [JSON.stringify(children)],
      );
    }
    const episodes = [...this.dirtyEpisodes].map((id) => this.episodes.get(id)!);
    if (episodes.length > 0) {
      await tx.query(
        `INSERT INTO rm_episodes (episode_id, child_id, district, missing_since, reported_at, status, risk_grade,
                                  last_risk_assessed_at, returned_at, last_action_at)
         SELECT * FROM jsonb_to_recordset($1::jsonb)
             AS e(episode_id uuid, child_id uuid, district text, missing_since timestamptz, reported_at timestamptz, status text,
                  risk_grade text, last_risk_assessed_at timestamptz, returned_at timestamptz, last_action_at timestamptz)
         ON CONFLICT (episode_id) DO UPDATE SET status = excluded.status, risk_grade = excluded.risk_grade,
           last_risk_assessed_at = excluded.last_risk_assessed_at, returned_at = excluded.returned_at,
           last_action_at = excluded.last_action_at`,
        [JSON.stringify(episodes)],
      );
    }
  }

  private changeChild(childId: string, change: (child: ChildRow) => ChildRow): void {
    const child = this.children.get(childId);
    if (!child) return; // as an UPDATE of a row that is not there
    this.children.set(childId, change(child));
    this.dirtyChildren.add(childId);
  }

  private changeEpisode(episodeId: string, change: (episode: EpisodeRow) => EpisodeRow): void {
    const episode = this.episodes.get(episodeId);
    if (!episode) return;
    this.episodes.set(episodeId, change(episode));
    this.dirtyEpisodes.add(episodeId);
  }

  private endEpisode(childId: string, episodeId: string, status: string, at: Date, returnedAt?: string): void {
    this.changeEpisode(episodeId, (episode) => ({ ...episode, status, last_action_at: at, returned_at: returnedAt ?? episode.returned_at }));
    const child = this.children.get(childId);
    if (child?.open_episode_id?.toLowerCase() === episodeId) this.changeChild(childId, (row) => ({ ...row, open_episode_id: null, updated_at: at }));
  }
}
