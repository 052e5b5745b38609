import { Inject, Injectable } from '@nestjs/common';
import { childStream } from '../child-case/child-case.events';
import { countEpisodes } from '../child-case/episode-counts';
import { SQL_DATABASE } from '../database/sql-database';
import type { SqlDatabase } from '../database/sql-database';
import { EVENT_STORE } from '../event-store/event-store.port';
import type { EventStore } from '../event-store/event-store.port';
import { refuseNotFound } from '../shared/refusal';

interface ChildRow {
  child_id: string;
  local_authority: string;
  profile: Record<string, unknown> & { riskFlags?: string[] };
  registered_at: Date;
  open_episode_id: string | null;
}

interface EpisodeRow {
  episode_id: string;
  district: string;
  missing_since: Date;
  reported_at: Date;
  status: string;
  risk_grade: string | null;
  returned_at: Date | null;
}

/** What people read about a child: the summary (from the read model) and the timeline (from the stream). */
@Injectable()
export class ChildQueries {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async summary(childId: string, now: Date) {
    const [child] = await this.db.query<ChildRow>('SELECT * FROM rm_children WHERE child_id = $1', [childId]);
    if (!child) throw refuseNotFound(`child ${childId} does not exist`);
    const episodes = await this.db.query<EpisodeRow>(
      'SELECT * FROM rm_episodes WHERE child_id = $1 ORDER BY missing_since',
      [childId],
    );
    const counts = countEpisodes(
      episodes.map((e) => ({ missingSince: e.missing_since.toISOString(), cancelled: e.status === 'cancelled' })),
      now.toISOString(),
    );
    const open = episodes.find((e) => e.episode_id === child.open_episode_id);
    const [plan] = await this.db.query<{ planId: string; createdAt: Date }>(
      `SELECT plan_id AS "planId", created_at AS "createdAt" FROM rm_safeguarding_plans WHERE child_id = $1 AND status = 'open'`,
      [childId],
    );
    return {
      childId,
      localAuthority: child.local_authority,
      profile: child.profile,
      registeredAt: child.registered_at,
      counts,
      openEpisode: open ? episodeView(open) : null,
      activePlan: plan ?? null,
      flags: child.profile.riskFlags ?? [],
      episodes: episodes.map(episodeView),
    };
  }

  async timeline(childId: string) {
    const events = await this.store.readStream(childStream(childId));
    if (events.length === 0) throw refuseNotFound(`child ${childId} does not exist`);
    return events.map((event) => ({
      eventId: event.id,
      type: event.type,
      recordedAt: event.recordedAt,
      position: event.position.toString(),
      streamVersion: event.streamVersion,
      by: event.metadata.actor,
      correlationId: event.metadata.correlationId,
      causationId: event.metadata.causationId,
      data: event.data,
      // After an erasure: which fields of `data` read "[erased]".
      ...(event.erased ? { erased: event.erased } : {}),
    }));
  }

  async localAuthorityOf(childId: string): Promise<string | null> {
    const [row] = await this.db.query<{ local_authority: string }>(
      'SELECT local_authority FROM rm_children WHERE child_id = $1',
      [childId],
    );
    return row?.local_authority ?? null;
  }
}

function episodeView(row: EpisodeRow) {
  return {
    episodeId: row.episode_id,
    district: row.district,
    missingSince: row.missing_since,
    reportedAt: row.reported_at,
    status: row.status,
    riskGrade: row.risk_grade,
    returnedAt: row.returned_at,
  };
}
