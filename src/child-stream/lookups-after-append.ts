import { recordChildDistricts, tiesAddedBy } from '../access/child-districts';
import { recordInDirectory } from '../children/child-summary.projection';
import type { SqlExecutor } from '../database/sql-database';
import type { ChildStreamEvent } from './child-stream';
import { directoryEntriesOf } from './child-stream';

/**
 * The rows a command handler writes right after its append, so that the next command on a new
 * object finds it (stream_directory) and the access checks see the child's districts
 * (access_child_districts); the projections write the same rows, idempotently.
 *
 * On a request's path they are one statement (one round trip, one commit) instead of one per
 * row: a report that registers a child wrote three. An event that also removes a tie (the child
 * moved to another local authority) takes the row-by-row path, in order, as the projection does.
 */
export async function recordLookupsAfterAppend(db: SqlExecutor, childId: string, events: ChildStreamEvent[]): Promise<void> {
  const ties = events.map(tiesAddedBy);
  if (ties.some((added) => added === null)) {
    for (const event of events) {
      for (const { kind, id } of directoryEntriesOf(event)) await recordInDirectory(db, kind, id, childId);
      await recordChildDistricts(db, childId, event);
    }
    return;
  }
  const directory = events.flatMap(directoryEntriesOf);
  const districts = ties.flat();
  if (directory.length === 0 && districts.length === 0) return;
  // The same INSERTs as recordInDirectory and recordChildDistricts, for many rows at once.
  await db.query(
    `WITH directory AS (
       INSERT INTO stream_directory (kind, id, child_id)
       SELECT e.kind, e.id, $1::uuid FROM jsonb_to_recordset($2::jsonb) AS e(kind text, id uuid)
       ON CONFLICT DO NOTHING
     ), districts AS (
       INSERT INTO access_child_districts (child_id, district, tie)
       SELECT DISTINCT $1::uuid, t.district, t.tie FROM jsonb_to_recordset($3::jsonb) AS t(district text, tie text)
       ON CONFLICT DO NOTHING
     )
     SELECT 1`,
    [childId, JSON.stringify(directory), JSON.stringify(districts)],
  );
}
