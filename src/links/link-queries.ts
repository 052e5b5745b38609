import type { SqlDatabase } from '../database/sql-database';
import { refuseNotFound } from '../shared/refusal';
import { childLinks, type FlagRow, type MentionRow, type OtherMention, sharersOf } from './link-network';

const MENTION_COLUMNS = `child_id AS "childId", kind, key, display, episode_id AS "episodeId", source, named_at AS "namedAt"`;

/** A child's people and places and the children they link it to, from the links read model. */
export class LinkQueries {
  /** `maxChildren`: the policy's public-place cap (a place named for more children links no more). */
  constructor(
    private readonly db: SqlDatabase,
    private readonly maxChildren: number,
  ) {}

  async linksOf(childId: string) {
    const [child] = await this.db.query('SELECT 1 FROM rm_children WHERE child_id = $1', [childId]);
    if (!child) throw refuseNotFound(`child ${childId} does not exist`);
    const [mine, flags] = await Promise.all([
      this.db.query<MentionRow>(`SELECT ${MENTION_COLUMNS} FROM rm_link_mentions WHERE child_id = $1 ORDER BY named_at, event_id, key`, [childId]),
      this.db.query<FlagRow>(`SELECT other_child_id AS "otherChildId", kind, key, linked_at AS "linkedAt" FROM rm_link_flags WHERE child_id = $1`, [childId]),
    ]);
    const keys = [...new Map(mine.map((row) => [`${row.kind} ${row.key}`, { kind: row.kind, key: row.key }])).values()];
    // Of the other children, only the first `maxChildren` to name each key, and how many did in
    // all: a public place (a bus station named by thousands) is shown as one, not as a list of
    // every child who passed through it, as the linked-children processor links no more by it.
    // Read from the key's children in order and its count: a few index entries however many named it.
    const others = keys.length
      ? await this.db.query<OtherMention & { namedBy: number }>(
          `SELECT m.key, m.child_id AS "childId", m.episode_id AS "episodeId", reach.children - 1 AS "namedBy"
             FROM jsonb_to_recordset($1::jsonb) AS k(kind text, key text)
             JOIN rm_link_keys reach ON reach.kind = k.kind AND reach.key = k.key
             CROSS JOIN LATERAL (
               SELECT c.child_id FROM rm_link_key_children c
                WHERE c.kind = k.kind AND c.key = k.key AND c.child_id <> $2
                ORDER BY c.first_named_at, c.child_id LIMIT $3
             ) first
             JOIN rm_link_mentions m ON m.kind = k.kind AND m.key = k.key AND m.child_id = first.child_id
            ORDER BY m.named_at, m.event_id, m.key`,
          [JSON.stringify(keys), childId, this.maxChildren],
        )
      : [];
    const namedByOthers = new Map(others.map((row) => [row.key, Number(row.namedBy)]));
    return childLinks(childId, mine, sharersOf(others), flags, { maxChildren: this.maxChildren, namedByOthers });
  }
}
