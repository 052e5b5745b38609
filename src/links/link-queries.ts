import { Inject, Injectable } from '@nestjs/common';
import { SQL_DATABASE } from '../database/sql-database';
import type { SqlDatabase } from '../database/sql-database';
import { refuseNotFound } from '../shared/refusal';
import { childLinks, type FlagRow, type MentionRow, type OtherMention, sharersOf } from './link-network';

const MENTION_COLUMNS = `child_id AS "childId", kind, key, display, episode_id AS "episodeId", source, named_at AS "namedAt"`;

/** A child's people and places and the children they link it to, from the links read model. */
@Injectable()
export class LinkQueries {
  constructor(@Inject(SQL_DATABASE) private readonly db: SqlDatabase) {}

  async linksOf(childId: string) {
    const [child] = await this.db.query('SELECT 1 FROM rm_children WHERE child_id = $1', [childId]);
    if (!child) throw refuseNotFound(`child ${childId} does not exist`);
    const [mine, flags] = await Promise.all([
      this.db.query<MentionRow>(`SELECT ${MENTION_COLUMNS} FROM rm_link_mentions WHERE child_id = $1 ORDER BY named_at, event_id, key`, [childId]),
      this.db.query<FlagRow>(`SELECT other_child_id AS "otherChildId", kind, key, linked_at AS "linkedAt" FROM rm_link_flags WHERE child_id = $1`, [childId]),
    ]);
    const keys = [...new Set(mine.map((row) => row.key))];
    // Only what the network shows of the other children (who, through which key, in which
    // episodes): a place such as a bus station is named thousands of times, and their displays,
    // sources and dates would only be read, parsed and dropped.
    const others = keys.length
      ? await this.db.query<OtherMention>(
          `SELECT key, child_id AS "childId", episode_id AS "episodeId" FROM rm_link_mentions
            WHERE key = ANY($1::text[]) AND child_id <> $2 ORDER BY named_at, event_id, key`,
          [keys, childId],
        )
      : [];
    return childLinks(childId, mine, sharersOf(others), flags);
  }
}
