import { FollowedEvents } from '../child-stream/followed-events';
import { ReadSideIndexes } from '../database/read-side-indexes';
import type { SqlExecutor } from '../database/sql-database';
import type { RecordedEvent } from '../event-store/event-store.port';
import type { Projection } from '../event-store/subscriptions/consumer';
import { ERASED } from '../erasure/field-encryption';
import { MENTIONING, mentionsOf } from './link-mentions';

const FOLLOWED = FollowedEvents.of(...MENTIONING.types, 'ChildLinkedToOtherChildren').readingPersonalDataOf(
  ...MENTIONING.personalDataOf,
  'ChildLinkedToOtherChildren.key',
);

/**
 * Who named which person or place, in which episode (`rm_link_mentions`), and the links the machine
 * flagged (`rm_link_flags`): what GET /api/children/:id/links reads. Not what the flagging reads:
 * the linked-children processor keeps its own index, so it never waits on this read model.
 *
 * A place named across a country's history has hundreds of thousands of mentions, and the view
 * shows only the first children to name it and how many did. So each key's children are kept in
 * the order they first named it (`rm_link_key_children`) with a count per key (`rm_link_keys`):
 * the view reads a few index entries per key, never every mention.
 */
export class LinksProjection implements Projection {
  readonly kind = 'projection';
  readonly name = 'links';
  readonly reads = FOLLOWED.reads;
  // `apply` only inserts; the erasure reads a child's mentions and flags by the indexes kept.
  readonly readSideIndexes = new ReadSideIndexes({
    rm_link_mentions_by_key_and_child: 'ON rm_link_mentions (kind, key, child_id)',
    rm_link_key_children_in_order: 'ON rm_link_key_children (kind, key, first_named_at, child_id)',
  });

  async migrate(db: SqlExecutor): Promise<void> {
    // The key holds its kind (`name:`, `postcode:`, `address:`), so (event, key) is one mention.
    await db.query(`CREATE TABLE IF NOT EXISTS rm_link_mentions (
      event_id    uuid NOT NULL,
      key         text NOT NULL,
      kind        text NOT NULL,
      child_id    uuid NOT NULL,
      episode_id  uuid,
      source      text NOT NULL,
      display     text NOT NULL,
      named_at    timestamptz NOT NULL,
      PRIMARY KEY (event_id, key)
    )`);
    await db.query('CREATE INDEX IF NOT EXISTS rm_link_mentions_by_child ON rm_link_mentions (child_id)');
    await db.query('DROP INDEX IF EXISTS rm_link_mentions_by_key');
    await migrateKeyReach(db);
    await db.query(`CREATE TABLE IF NOT EXISTS rm_link_flags (
      event_id        uuid NOT NULL,
      other_child_id  uuid NOT NULL,
      child_id        uuid NOT NULL,
      kind            text NOT NULL,
      key             text NOT NULL,
      linked_at       timestamptz NOT NULL,
      PRIMARY KEY (event_id, other_child_id)
    )`);
    await db.query('CREATE INDEX IF NOT EXISTS rm_link_flags_by_child ON rm_link_flags (child_id)');
    await this.readSideIndexes.create(db);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query('TRUNCATE rm_link_mentions, rm_link_flags, rm_link_key_children, rm_link_keys');
  }

  /**
   * An erased child names nobody any more (erased values make no mention), and its flags keep which
   * children were linked but not through whom or what: as a rebuild from the erased events makes them.
   */
  async erasePersonalData(childId: string, tx: SqlExecutor): Promise<void> {
    const counted = await tx.query<{ kind: string; key: string; children: number }>(
      `WITH gone AS (
         DELETE FROM rm_link_key_children c
          USING (SELECT DISTINCT kind, key FROM rm_link_mentions WHERE child_id = $1) mine
          WHERE c.kind = mine.kind AND c.key = mine.key AND c.child_id = $1
         RETURNING c.kind, c.key)
       UPDATE rm_link_keys k SET children = k.children - 1 FROM gone WHERE k.kind = gone.kind AND k.key = gone.key
       RETURNING k.kind, k.key, k.children`,
      [childId],
    );
    // A key no one else named is the child's alone: it goes, as a rebuild would never have made it.
    const nobodyElse = counted.filter((row) => row.children === 0).map(({ kind, key }) => ({ kind, key }));
    if (nobodyElse.length > 0) {
      await tx.query('DELETE FROM rm_link_keys k USING jsonb_to_recordset($1::jsonb) AS e(kind text, key text) WHERE k.kind = e.kind AND k.key = e.key', [
        JSON.stringify(nobodyElse),
      ]);
    }
    await tx.query('DELETE FROM rm_link_mentions WHERE child_id = $1', [childId]);
    await tx.query('UPDATE rm_link_flags SET key = $2 WHERE child_id = $1', [childId, ERASED]);
  }

  /**
   * Set-based: every mention and flag of the batch written with one statement each (was one
   * statement per mention and per flag). ON CONFLICT DO NOTHING keeps the first of two equal rows,
   * within the statement as across batches, so a replayed event changes nothing; a key's count
   * grows only by the children it had not had.
   */
  async apply(events: RecordedEvent[], tx: SqlExecutor): Promise<void> {
    const mentions: object[] = [];
    const flags: object[] = [];
    for (const { event, recorded, childId } of FOLLOWED.in(events)) {
      if (event.type === 'ChildLinkedToOtherChildren') {
        for (const other of event.otherChildren) {
          flags.push({ event_id: recorded.id, other_child_id: other, child_id: childId, kind: event.kind, key: event.key, linked_at: event.linkedAt });
        }
        continue;
      }
      for (const mention of mentionsOf(event)) {
        const { key, kind, episodeId, source, display } = mention;
        mentions.push({ event_id: recorded.id, key, kind, child_id: childId, episode_id: episodeId, source, display, named_at: recorded.recordedAt });
      }
    }
    if (mentions.length > 0) {
      await tx.query(
        `WITH m AS (
           SELECT * FROM jsonb_to_recordset($1::jsonb)
               AS m(event_id uuid, key text, kind text, child_id uuid, episode_id uuid, source text, display text, named_at timestamptz)
         ), mentioned AS (
           INSERT INTO rm_link_mentions (event_id, key, kind, child_id, episode_id, source, display, named_at)
           SELECT * FROM m ON CONFLICT DO NOTHING
         ), newly_naming AS (
           INSERT INTO rm_link_key_children (kind, key, child_id, first_named_at)
           SELECT DISTINCT ON (kind, key, child_id) kind, key, child_id, named_at FROM m ORDER BY kind, key, child_id, named_at
           ON CONFLICT DO NOTHING
           RETURNING kind, key
         )
         INSERT INTO rm_link_keys (kind, key, children)
         SELECT kind, key, count(*) FROM newly_naming GROUP BY kind, key
         ON CONFLICT (kind, key) DO UPDATE SET children = rm_link_keys.children + EXCLUDED.children`,
        [JSON.stringify(mentions)],
      );
    }
    if (flags.length > 0) {
      await tx.query(
        `INSERT INTO rm_link_flags (event_id, other_child_id, child_id, kind, key, linked_at)
         SELECT * FROM jsonb_to_recordset($1::jsonb)
             AS f(event_id uuid, other_child_id uuid, child_id uuid, kind text, key text, linked_at timestamptz)
         ON CONFLICT DO NOTHING`,
        [JSON.stringify(flags)],
      );
    }
  }
}

/**
 * The children of each key in the order they first named it, and how many there are. Made from the
 * mentions where they are new, so a links read model from before them needs no rebuild.
 */
async function migrateKeyReach(db: SqlExecutor): Promise<void> {
  const [{ missing }] = await db.query<{ missing: boolean }>(`SELECT to_regclass('rm_link_keys') IS NULL AS missing`);
  await db.query(`CREATE TABLE IF NOT EXISTS rm_link_key_children (
    kind            text NOT NULL,
    key             text NOT NULL,
    child_id        uuid NOT NULL,
    first_named_at  timestamptz NOT NULL,
    PRIMARY KEY (kind, key, child_id)
  )`);
  await db.query(`CREATE TABLE IF NOT EXISTS rm_link_keys (
    kind      text NOT NULL,
    key       text NOT NULL,
    children  integer NOT NULL,
    PRIMARY KEY (kind, key)
  )`);
  if (!missing) return;
  await db.query(`INSERT INTO rm_link_key_children (kind, key, child_id, first_named_at)
    SELECT kind, key, child_id, min(named_at) FROM rm_link_mentions GROUP BY kind, key, child_id ON CONFLICT DO NOTHING`);
  await db.query(`INSERT INTO rm_link_keys (kind, key, children)
    SELECT kind, key, count(*) FROM rm_link_key_children GROUP BY kind, key ON CONFLICT DO NOTHING`);
}
