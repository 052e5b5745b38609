import type { ChildStreamEvent } from '../child-stream/child-stream';
import { childIdOfStream } from '../children/child-summary.projection';
import { SqlExecutor } from '../database/sql-database';
import { toDomainEvent } from '../event-store/command-handling';
import { RecordedEvent } from '../event-store/event-store.port';
import { Projection } from '../event-store/subscriptions/consumer';
import { type AccessScope, type DistrictTie, sees } from './scope';

/**
 * The districts each child is tied to: its local authority and the districts of its episodes. The
 * access checks read it. Like the stream directory, the command handler writes it right after an
 * append (so the person who just registered a child sees it at once) and this projection writes it
 * too (so a rebuild, or a database that had events before the table existed, fills it).
 */
export class ChildDistrictsProjection implements Projection {
  readonly kind = 'projection';
  readonly name = 'child-districts';

  async migrate(db: SqlExecutor): Promise<void> {
    await migrateChildDistricts(db);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.query('TRUNCATE access_child_districts');
  }

  /** Districts are not personal data: who may see the erased child's history does not change. */
  async erasePersonalData(): Promise<void> {}

  async apply(events: RecordedEvent[], tx: SqlExecutor): Promise<void> {
    for (const recorded of events) {
      if (!recorded.stream.startsWith('child-')) continue;
      await recordChildDistricts(tx, childIdOfStream(recorded.stream), toDomainEvent<ChildStreamEvent>(recorded));
    }
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
  switch (event.type) {
    case 'ChildRegistered':
      return tie(db, childId, event.profile.localAuthority, 'local-authority');
    case 'ChildProfileUpdated': {
      const moved = event.changes.localAuthority;
      if (moved === undefined) return;
      // The child moved: its new authority's staff and LSCB take it over; districts of its episodes keep it.
      await db.query(`DELETE FROM access_child_districts WHERE child_id = $1 AND tie = 'local-authority' AND district <> $2`, [childId, moved]);
      return tie(db, childId, moved, 'local-authority');
    }
    case 'ChildReportedMissing':
      return tie(db, childId, event.district, 'episode');
    default:
      return;
  }
}

/**
 * The ties an event adds, when adding is all it does (a move also removes one: null), so that a
 * command's ties can be written together with other rows in one statement. Mirrors
 * recordChildDistricts.
 */
export function tiesAddedBy(event: ChildStreamEvent): { district: string; tie: DistrictTie }[] | null {
  switch (event.type) {
    case 'ChildRegistered':
      return [{ district: event.profile.localAuthority, tie: 'local-authority' }];
    case 'ChildProfileUpdated':
      return event.changes.localAuthority === undefined ? [] : null;
    case 'ChildReportedMissing':
      return [{ district: event.district, tie: 'episode' }];
    default:
      return [];
  }
}

async function tie(db: SqlExecutor, childId: string, district: string, how: DistrictTie): Promise<void> {
  await db.query('INSERT INTO access_child_districts (child_id, district, tie) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [childId, district, how]);
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
