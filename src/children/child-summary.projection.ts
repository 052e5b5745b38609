import { SqlExecutor } from '../database/sql-database';
import { RecordedEvent } from '../event-store/event-store.port';
import { toDomainEvent } from '../event-store/command-handling';
import { Projection } from '../event-store/subscriptions/consumer';
import { type ChildStreamEvent, directoryEntriesOf } from '../child-stream/child-stream';
import type { DirectoryKind } from '../child-stream/child-stream-slice';
import { type ChildCaseEvent, type ChildProfile, isChildCaseEventType } from '../child-case/child-case.events';
import { erasedCopy } from '../erasure/erase-read-models';
import { assertNever } from '../shared/refusal';

export const childIdOfStream = (stream: string): string => stream.slice('child-'.length);

/**
 * Children and their episodes as rows: the summary, the counts, and the directory that commands on
 * an episode, an escalation, a plan, a meeting or a notice use to find their child's stream.
 */
export class ChildSummaryProjection implements Projection {
  readonly kind = 'projection';
  readonly name = 'child-summary';

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
    await db.query('CREATE INDEX IF NOT EXISTS rm_episodes_by_child ON rm_episodes (child_id, missing_since)');
    // The dashboard's open episodes, without reading the closed ones.
    await db.query(`CREATE INDEX IF NOT EXISTS rm_episodes_open ON rm_episodes (district, missing_since) WHERE status = 'missing'`);
    await db.query(`CREATE TABLE IF NOT EXISTS stream_directory (
      kind      text NOT NULL,
      id        uuid NOT NULL,
      child_id  uuid NOT NULL,
      PRIMARY KEY (kind, id)
    )`);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query('TRUNCATE rm_children, rm_episodes, stream_directory');
  }

  async apply(events: RecordedEvent[], tx: SqlExecutor): Promise<void> {
    for (const recorded of events) {
      if (!recorded.stream.startsWith('child-')) continue;
      const event = toDomainEvent<ChildStreamEvent>(recorded);
      const childId = childIdOfStream(recorded.stream);
      for (const { kind, id } of directoryEntriesOf(event)) await recordInDirectory(tx, kind, id, childId);
      if (isChildCaseEventType(event.type)) await this.applyOne(event as ChildCaseEvent, childId, recorded.recordedAt, tx);
    }
  }

  private async applyOne(event: ChildCaseEvent, childId: string, at: Date, tx: SqlExecutor): Promise<void> {
    switch (event.type) {
      case 'ChildRegistered':
        await tx.query(
          `INSERT INTO rm_children (child_id, local_authority, profile, registered_at, updated_at)
           VALUES ($1, $2, $3, $4, $4) ON CONFLICT (child_id) DO NOTHING`,
          [childId, event.profile.localAuthority, JSON.stringify(event.profile), at],
        );
        return;
      case 'ChildProfileUpdated':
        await tx.query(
          `UPDATE rm_children SET profile = profile || $2::jsonb,
                  local_authority = coalesce($2::jsonb->>'localAuthority', local_authority), updated_at = $3
            WHERE child_id = $1`,
          [childId, JSON.stringify(event.changes), at],
        );
        return;
      case 'ChildReportedMissing':
        await tx.query(
          `INSERT INTO rm_episodes (episode_id, child_id, district, missing_since, reported_at, status, risk_grade, last_action_at)
           VALUES ($1, $2, $3, $4, $5, 'missing', $6, $7) ON CONFLICT (episode_id) DO NOTHING`,
          [event.episodeId, childId, event.district, event.missingSince, event.reportedAt, event.initialRisk ?? null, at],
        );
        await tx.query('UPDATE rm_children SET open_episode_id = $2, updated_at = $3 WHERE child_id = $1', [childId, event.episodeId, at]);
        return;
      case 'RiskAssessed':
        await tx.query(
          'UPDATE rm_episodes SET risk_grade = $2, last_risk_assessed_at = $3, last_action_at = $4 WHERE episode_id = $1',
          [event.episodeId, event.grade, event.assessedAt, at],
        );
        return;
      case 'SightingRecorded':
      case 'AssociateNamed':
      case 'LocationNamed':
        await tx.query('UPDATE rm_episodes SET last_action_at = $2 WHERE episode_id = $1', [event.episodeId, at]);
        return;
      case 'ChildReturned':
        await this.endEpisode(tx, childId, event.episodeId, 'returned', at, event.returnedAt);
        return;
      case 'EpisodeCancelled':
        await this.endEpisode(tx, childId, event.episodeId, 'cancelled', at);
        return;
      case 'EpisodeClosed':
        await this.endEpisode(tx, childId, event.episodeId, 'closed', at);
        return;
      case 'ChildPersonalDataErased':
        // Scrubbed by erasePersonalData, which every projection has.
        return;
      default:
        return assertNever(event);
    }
  }

  /** The profile keeps its shape and what is not personal (district, placement, flags); the rest reads as erased. */
  async erasePersonalData(childId: string, tx: SqlExecutor): Promise<void> {
    const [row] = await tx.query<{ profile: ChildProfile }>('SELECT profile FROM rm_children WHERE child_id = $1', [childId]);
    if (!row) return;
    const { profile } = erasedCopy('ChildRegistered', { profile: row.profile });
    await tx.query('UPDATE rm_children SET profile = $2 WHERE child_id = $1', [childId, JSON.stringify(profile)]);
  }

  private async endEpisode(tx: SqlExecutor, childId: string, episodeId: string, status: string, at: Date, returnedAt?: string) {
    await tx.query(
      `UPDATE rm_episodes SET status = $2, last_action_at = $3, returned_at = coalesce($4::timestamptz, returned_at)
        WHERE episode_id = $1`,
      [episodeId, status, at, returnedAt ?? null],
    );
    await tx.query(
      'UPDATE rm_children SET open_episode_id = NULL, updated_at = $3 WHERE child_id = $1 AND open_episode_id = $2',
      [childId, episodeId, at],
    );
  }
}

/**
 * Which child's stream holds an episode, an escalation, a plan, a meeting or a notice. Also written
 * right after a command stores one, so the next command on it finds it at once.
 */
export async function recordInDirectory(db: SqlExecutor, kind: DirectoryKind, id: string, childId: string): Promise<void> {
  await db.query('INSERT INTO stream_directory (kind, id, child_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [kind, id, childId]);
}
