import { recordChildDistricts, tiesAddedBy } from '../access/child-districts';
import { recordInDirectory } from './stream-directory';
import { GroupCommit } from '../database/group-commit';
import type { SqlExecutor } from '../database/sql-database';
import type { ChildStreamEvent } from './child-stream';
import { directoryEntriesOf } from './child-stream';

interface LookupRows {
  directory: { kind: string; id: string; child_id: string }[];
  districts: { child_id: string; district: string; tie: string }[];
}

/**
 * The rows a command handler writes right after its append, so that the next command on a new
 * object finds it (stream_directory) and the access checks see the child's districts
 * (access_child_districts); the projections write the same rows, idempotently.
 *
 * On a request's path they are one statement for all the commands that append meanwhile (one
 * round trip, one commit) instead of one per row: a report that registers a child wrote three. An
 * event that also removes a tie (the child moved to another local authority) takes the row-by-row
 * path, in order, as the projection does.
 */
export class LookupsAfterAppend {
  private readonly rows = new GroupCommit<LookupRows>(async (commands) => {
    // The same INSERTs as recordInDirectory and recordChildDistricts, for many rows at once. In key
    // order, as the projections write them: inserts of the same keys in opposite orders deadlock.
    await this.db.query(
      `WITH directory AS (
         INSERT INTO stream_directory (kind, id, child_id)
         SELECT e.kind, e.id, e.child_id FROM jsonb_to_recordset($1::jsonb) AS e(kind text, id uuid, child_id uuid)
         ORDER BY e.kind, e.id
         ON CONFLICT DO NOTHING
       ), districts AS (
         INSERT INTO access_child_districts (child_id, district, tie)
         SELECT DISTINCT t.child_id, t.district, t.tie FROM jsonb_to_recordset($2::jsonb) AS t(child_id uuid, district text, tie text)
         ORDER BY t.child_id, t.district, t.tie
         ON CONFLICT DO NOTHING
       )
       SELECT 1`,
      [JSON.stringify(commands.flatMap((rows) => rows.directory)), JSON.stringify(commands.flatMap((rows) => rows.districts))],
    );
    return commands.map(() => undefined);
  });

  constructor(private readonly db: SqlExecutor) {}

  async record(childId: string, events: ChildStreamEvent[]): Promise<void> {
    const ties = events.map(tiesAddedBy);
    if (ties.some((added) => added === null)) {
      for (const event of events) {
        for (const { kind, id } of directoryEntriesOf(event)) await recordInDirectory(this.db, kind, id, childId);
        await recordChildDistricts(this.db, childId, event);
      }
      return;
    }
    const directory = events.flatMap(directoryEntriesOf).map(({ kind, id }) => ({ kind, id, child_id: childId }));
    const districts = ties.flatMap((added) => added ?? []).map(({ district, tie }) => ({ child_id: childId, district, tie }));
    if (directory.length === 0 && districts.length === 0) return;
    await this.rows.add({ directory, districts });
  }
}
