import { hkdfSync, randomBytes } from 'node:crypto';
import { GroupCommit } from '../database/group-commit';
import type { SqlDatabase, SqlExecutor } from '../database/sql-database';
import { open, seal } from './field-encryption';
import { setOldestOut } from '../shared/oldest-out';

export const CHILD_KEY_DESTROYED_CHANNEL = 'child_data_key_destroyed';

/** A child's data key, or the fact that it was destroyed (the child's personal data is erased). */
export type ChildKey = Buffer | 'erased';

/** Live keys are looked up again after this, so an instance that missed a destruction notice forgets within a minute. */
const LIVE_KEY_TTL_MS = 60_000;

const MAX_CACHED_KEYS = 50_000;

export async function migrateChildDataKeys(db: SqlExecutor): Promise<void> {
  // wrapped_key NULL with destroyed_at set is the tombstone: the child never gets a new key.
  await db.query(`CREATE TABLE IF NOT EXISTS child_data_keys (
    child_id      text PRIMARY KEY,
    wrapped_key   text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    destroyed_at  timestamptz
  )`);
}

/**
 * One AES-256 data key per child, stored wrapped (encrypted) by the key-encryption key from
 * configuration, unwrapped once and kept in memory. Destroying a child's key erases every personal
 * field of the child's events at once, without rewriting any event.
 */
export class ChildDataKeys {
  private readonly cache = new Map<string, { key: ChildKey; until: number }>();
  private stopListening: (() => Promise<void>) | null = null;

  private constructor(
    private readonly db: SqlDatabase,
    private readonly keyEncryptionKey: Buffer,
  ) {}

  /** `secret`: DATA_ENCRYPTION_KEY (or the development key); the key-encryption key derives from it. */
  static async open(db: SqlDatabase, secret: string): Promise<ChildDataKeys> {
    await migrateChildDataKeys(db);
    const kek = Buffer.from(hkdfSync('sha256', secret, 'child-data-keys', 'key-encryption-key', 32));
    const keys = new ChildDataKeys(db, kek);
    // Another instance destroyed a key: forget it at once rather than at the end of its time to live.
    keys.stopListening = await db.listen(CHILD_KEY_DESTROYED_CHANNEL, (childId) => {
      if (childId) keys.cache.delete(childId);
    });
    return keys;
  }

  /** The child's key, created on first use; 'erased' once destroyed. */
  async keyFor(childId: string): Promise<ChildKey> {
    const cached = this.cache.get(childId);
    if (cached && cached.until > Date.now()) return cached.key;
    for (;;) {
      const fresh = seal(this.keyEncryptionKey, randomBytes(32).toString('base64'), wrapAad(childId));
      const stored = await this.storedOrCreated.add({ childId, fresh });
      if (stored !== undefined) return this.remember(childId, this.unwrap(childId, stored));
    }
  }

  /**
   * On a request's path, one round trip shared by the requests meanwhile: each child's stored key,
   * or the fresh one stored now. The statement's SELECT cannot see a key a concurrent first append
   * committed while the INSERT waited on it: then neither part answers for that child (undefined),
   * and its next turn reads that key. The stored keys are looked up one child at a time (LATERAL,
   * OFFSET 0 keeps it from becoming a join): a prepared statement's generic plan made while the
   * table was empty hash-joined a sequential scan of it, and kept doing so as it grew to 688,000
   * rows wherever no ANALYZE invalidated the plan (the national load slowed to a crawl). New keys
   * are inserted in key order, as every batch of lookup rows is: two instances' first appends for
   * the same children would otherwise each wait on the other's uncommitted row (DISTINCT ON sorts
   * them too, but as a plan's side effect).
   */
  private readonly storedOrCreated = new GroupCommit<{ childId: string; fresh: string }, string | null | undefined>(async (wanted) => {
    const rows = await this.db.query<{ child_id: string; wrapped_key: string | null }>(
      `WITH wanted AS (SELECT DISTINCT ON (child_id) child_id, fresh FROM jsonb_to_recordset($1::jsonb) AS w(child_id text, fresh text)),
       created AS (
         INSERT INTO child_data_keys (child_id, wrapped_key) SELECT child_id, fresh FROM wanted ORDER BY child_id ON CONFLICT (child_id) DO NOTHING
         RETURNING child_id, wrapped_key)
       SELECT child_id, wrapped_key FROM created
       UNION ALL SELECT w.child_id, k.wrapped_key FROM wanted w
         CROSS JOIN LATERAL (SELECT wrapped_key FROM child_data_keys WHERE child_id = w.child_id OFFSET 0) k`,
      [JSON.stringify(wanted.map(({ childId, fresh }) => ({ child_id: childId, fresh })))],
    );
    const stored = new Map(rows.map((row) => [row.child_id, row.wrapped_key]));
    return wanted.map(({ childId }) => stored.get(childId));
  });

  /** The child's key if one exists, without creating one (reading a stream that was never encrypted). */
  async existingKeyFor(childId: string): Promise<ChildKey | null> {
    const cached = this.cache.get(childId);
    if (cached && cached.until > Date.now()) return cached.key;
    const stored = await this.stored(childId);
    return stored === undefined ? null : this.remember(childId, stored);
  }

  /**
   * existingKeyFor of several children, the ones not in memory read with one statement: a batch of
   * the global order names hundreds of children, and a rebuild walks them all.
   */
  async existingKeysFor(childIds: Iterable<string>): Promise<Map<string, ChildKey | null>> {
    const found = new Map<string, ChildKey | null>();
    const missing: string[] = [];
    for (const childId of new Set(childIds)) {
      const cached = this.cache.get(childId);
      if (cached && cached.until > Date.now()) found.set(childId, cached.key);
      else missing.push(childId);
    }
    if (missing.length === 0) return found;
    const rows = await this.db.query<{ child_id: string; wrapped_key: string | null }>(
      'SELECT child_id, wrapped_key FROM child_data_keys WHERE child_id = ANY($1::text[])',
      [missing],
    );
    const stored = new Map(rows.map((row) => [row.child_id, row.wrapped_key]));
    for (const childId of missing) {
      found.set(childId, stored.has(childId) ? this.remember(childId, this.unwrap(childId, stored.get(childId) ?? null)) : null);
    }
    return found;
  }

  /** Idempotent; leaves a tombstone so that no later append creates a new key for the child. */
  async destroy(childId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO child_data_keys (child_id, wrapped_key, destroyed_at) VALUES ($1, NULL, now())
       ON CONFLICT (child_id) DO UPDATE SET wrapped_key = NULL, destroyed_at = coalesce(child_data_keys.destroyed_at, now())`,
      [childId],
    );
    this.remember(childId, 'erased');
    await this.db.query('SELECT pg_notify($1, $2)', [CHILD_KEY_DESTROYED_CHANNEL, childId]);
  }

  async close(): Promise<void> {
    await this.stopListening?.();
    this.cache.clear();
  }

  private async stored(childId: string): Promise<ChildKey | undefined> {
    const [row] = await this.db.query<{ wrapped_key: string | null }>('SELECT wrapped_key FROM child_data_keys WHERE child_id = $1', [childId]);
    return row ? this.unwrap(childId, row.wrapped_key) : undefined;
  }

  private unwrap(childId: string, wrapped: string | null): ChildKey {
    if (wrapped === null) return 'erased';
    try {
      return Buffer.from(open(this.keyEncryptionKey, wrapped, wrapAad(childId)), 'base64');
    } catch {
      throw new Error(`child data key of ${childId} does not open: DATA_ENCRYPTION_KEY is not the key it was stored with`);
    }
  }

  private remember(childId: string, key: ChildKey): ChildKey {
    // Bounded, oldest first out: a rebuild walks every child once. A destruction is final: no need to look again.
    setOldestOut(this.cache, MAX_CACHED_KEYS, childId, { key, until: key === 'erased' ? Infinity : Date.now() + LIVE_KEY_TTL_MS });
    return key;
  }
}

const wrapAad = (childId: string): string => `child-data-key/${childId}`;
