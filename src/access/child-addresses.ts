import { SqlExecutor } from '../database/sql-database';

/**
 * The names by which a request or an answer addresses a child, directly or through one of its
 * objects (looked up in the stream directory). A route param, a query parameter or a body field
 * with one of these names is checked against the caller's scope before the handler runs, and rows
 * of an answer that carry one are cut to the caller's scope: a new route is covered by naming its
 * param and its fields accordingly (`:childId`, `:episodeId`, ...), with no code of its own.
 */
export const CHILD_ADDRESSES = {
  childId: null,
  episodeId: 'episode',
  escalationId: 'escalation',
  planId: 'plan',
  meetingId: 'meeting',
  noticeId: 'notice',
} as const;

export type ChildAddress = keyof typeof CHILD_ADDRESSES;

/** Route params that are not a child's: an action inside a plan or meeting (its parent is checked), a mail job. */
export const UNSCOPED_PARAMS = ['actionId', 'jobId'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isId = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** The child an address stands for, or null when nothing has that id. */
export async function childOf(db: SqlExecutor, name: ChildAddress, id: string): Promise<string | null> {
  const kind = CHILD_ADDRESSES[name];
  if (kind === null) return id;
  const [row] = await db.query<{ child_id: string }>('SELECT child_id FROM stream_directory WHERE kind = $1 AND id = $2', [kind, id]);
  return row?.child_id ?? null;
}

/** The first child address an answer's row carries (`childId` first), or null for a row about no child. */
export function addressOfRow(row: Record<string, unknown>): { name: ChildAddress; id: string } | null {
  for (const name of Object.keys(CHILD_ADDRESSES) as ChildAddress[]) {
    if (isId(row[name])) return { name, id: row[name] };
  }
  return null;
}

/** The children of many object ids at once (ids are UUIDs, unique whatever their kind). */
export async function childrenOfObjects(db: SqlExecutor, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<{ id: string; child_id: string }>('SELECT id, child_id FROM stream_directory WHERE id = ANY($1::uuid[])', [ids]);
  return new Map(rows.map((row) => [row.id, row.child_id]));
}
