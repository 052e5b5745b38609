import type { ChildStreamEvent } from '../child-stream/child-stream';
import { FollowedEvents } from '../child-stream/followed-events';
import { SqlExecutor } from '../database/sql-database';
import { RecordedEvent } from '../event-store/event-store.port';
import { Projection } from '../event-store/subscriptions/consumer';
import { assertNever } from '../shared/refusal';
import { type AccessScope, type DistrictTie, sees } from './scope';

/** The events that tie a child to a district: its authority (and a move of it) and its episodes. */
const TIED_BY = FollowedEvents.of('ChildRegistered', 'ChildProfileUpdated', 'ChildReportedMissing').readingPersonalDataOf();

/**
 * The districts each child is tied to: its local authority and the districts of its episodes. The
 * access checks read it. Like the stream directory, the command handler writes it right after an
 * append (so the person who just registered a child sees it at once) and this projection writes it
 * too (so a rebuild, or a database that had events before the table existed, fills it).
 */
export class ChildDistrictsProjection implements Projection {
  readonly kind = 'projection';
  readonly name = 'child-districts';
  readonly reads = TIED_BY.reads;

  async migrate(db: SqlExecutor): Promise<void> {
    await migrateChildDistricts(db);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query('TRUNCATE access_child_districts');
  }

  /** Districts are not personal data: who may see the erased child's history does not change. */
  async erasePersonalData(): Promise<void> {}

  async apply(events: RecordedEvent[], tx: SqlExecutor): Promise<void> {
    await writeChildDistricts(tx, TIED_BY.in(events));
  }
}

export async function migrateChildDistricts(db: SqlExecutor): Promise<void> {
  await db.query(`CREATE TABLE IF NOT EXISTS access_child_districts (
    child_id  uuid NOT NULL,
    district  text NOT NULL,
    tie       text NOT NULL,
    PRIMARY KEY (child_id, district, tie)
  )`);
  await db.query('CREATE INDEX IF NOT EXISTS access_child_districts_by_district ON access_child_districts (district, child_id)');
}

/** Idempotent: applying an event twice (handler, then projection) leaves the same rows. */
export async function recordChildDistricts(db: SqlExecutor, childId: string, event: ChildStreamEvent): Promise<void> {
  await writeChildDistricts(db, [{ childId, event }]);
}

/**
/**
 * The ties an event adds, when adding is all it does (a move also removes one: null), so that a
 * command's ties can be written together with other rows in one statement.
 */
export function tiesAddedBy(event: ChildStreamEvent): { district: string; tie: DistrictTie }[] | null {
  if (!TIED_BY.follows(event)) return [];
  switch (event.type) {
    case 'ChildRegistered':
      return [{ district: event.profile.localAuthority, tie: 'local-authority' }];
    case 'ChildProfileUpdated':
      return event.changes.localAuthority === undefined ? [] : null;
    case 'ChildReportedMissing':
      return [{ district: event.district, tie: 'episode' }];
    default:
      return assertNever(event);
  }
}

/**
 * The ties a run of events makes, written with at most two statements whatever its length (one
 * per event before): the removals, then the ties. A child that moved keeps, of its local-authority
 * ties, the last authority it moved to and any tied after that move, as the events one by one would.
 */
export async function writeChildDistricts(db: SqlExecutor, facts: { childId: string; event: ChildStreamEvent }[]): Promise<void> {
  const ties = new Map<string, { child_id: string; district: string; tie: DistrictTie }>();
  const movedTo = new Map<string, string>();
  const add = (childId: string, district: string, how: DistrictTie) =>
    ties.set(JSON.stringify([childId, district, how]), { child_id: childId, district, tie: how });
  for (const fact of facts) {
    const { event } = fact;
    const childId = fact.childId.toLowerCase(); // as uuid columns compare
    const added = tiesAddedBy(event);
    if (added !== null) {
      for (const { district, tie } of added) add(childId, district, tie);
      continue;
    }
    // The child moved: its new authority's staff and LSCB take it over; districts of its episodes keep it.
    const moved = (event as Extract<ChildStreamEvent, { type: 'ChildProfileUpdated' }>).changes.localAuthority!;
    for (const [key, row] of ties) {
      if (row.child_id === childId && row.tie === 'local-authority' && row.district !== moved) ties.delete(key);
    }
    movedTo.set(childId, moved);
    add(childId, moved, 'local-authority');
  }
  if (movedTo.size > 0) {
    await db.query(
      `DELETE FROM access_child_districts a USING jsonb_to_recordset($1::jsonb) AS m(child_id uuid, district text)
        WHERE a.child_id = m.child_id AND a.tie = 'local-authority' AND a.district <> m.district`,
      [JSON.stringify([...movedTo].map(([child_id, district]) => ({ child_id, district })))],
    );
  }
  if (ties.size > 0) {
    // In key order, as a request's lookups write the same rows: inserts of the same keys in opposite orders deadlock.
    await db.query(
      `INSERT INTO access_child_districts (child_id, district, tie)
       SELECT child_id, district, tie FROM jsonb_to_recordset($1::jsonb) AS t(child_id uuid, district text, tie text)
       ORDER BY child_id, district, tie
       ON CONFLICT DO NOTHING`,
      [JSON.stringify([...ties.values()])],
    );
  }
}

/** Of the given children, those the scope sees (unknown children are not seen). */
export async function childrenInScope(db: SqlExecutor, scope: AccessScope, childIds: string[]): Promise<Set<string>> {
  if (childIds.length === 0) return new Set();
  const rows = await db.query<{ child_id: string; district: string; tie: DistrictTie }>(
    'SELECT child_id, district, tie FROM access_child_districts WHERE child_id = ANY($1::uuid[])',
    [childIds],
  );
  const byChild = new Map<string, { district: string; tie: DistrictTie }[]>();
  for (const row of rows) byChild.set(row.child_id, [...(byChild.get(row.child_id) ?? []), { district: row.district, tie: row.tie }]);
  return new Set([...byChild].filter(([, ties]) => sees(scope, ties)).map(([childId]) => childId));
}
