import { Inject, Injectable } from '@nestjs/common';
import { SQL_DATABASE } from '../../database/sql-database';
import type { SqlDatabase, SqlExecutor } from '../../database/sql-database';
import { GroupCommit } from '../../database/group-commit';

/**
 * The access log the Data Protection Act 2018 (Part 3, s.62) asks of law-enforcement processing:
 * who consulted, disclosed or changed a child's record, when and from where. Ids only, never the
 * record's content: an entry stays lawful to keep after the child's personal data is erased.
 */
export interface AuditEntry {
  /** One id per HTTP request; a command has a `requested` and an `answered` entry under it. */
  requestId: string;
  /** `requested`: written before a command runs; `answered`: the outcome, with the status sent. */
  stage: 'requested' | 'answered';
  userId: string;
  role: string;
  district: string | null;
  /** The permission the route asks for (`@Can`), e.g. `read-child-record`, `record-return`. */
  action: string;
  method: string;
  /** The route's pattern, e.g. `/api/episodes/:episodeId/return`; the ids are in `target`. */
  route: string;
  target: Record<string, string>;
  childId: string | null;
  status: number | null;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditRecord extends AuditEntry {
  entryId: string;
  at: Date;
}

export interface AuditFilter {
  childId?: string;
  from?: Date;
  to?: Date;
  /** The entry id after which this page starts (the previous page's `next`). */
  after?: string;
  limit: number;
}

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS audit_log (
    entry_id    bigserial PRIMARY KEY,
    request_id  uuid NOT NULL,
    stage       text NOT NULL CHECK (stage IN ('requested', 'answered')),
    at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    user_id     text NOT NULL,
    role        text NOT NULL,
    district    text,
    action      text NOT NULL,
    method      text NOT NULL,
    route       text NOT NULL,
    target      jsonb NOT NULL,
    child_id    uuid,
    status      integer,
    ip          text,
    user_agent  text
  )`,
  'CREATE INDEX IF NOT EXISTS audit_log_by_child ON audit_log (child_id, entry_id)',
  // Append-only in the database itself, not only in this code: UPDATE, DELETE and TRUNCATE fail.
  `CREATE OR REPLACE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
   END $$`,
  `CREATE OR REPLACE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
     FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only()`,
  `CREATE OR REPLACE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
     FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only()`,
];

export async function migrateAuditLog(db: SqlDatabase): Promise<void> {
  // Two instances starting together must not race on CREATE OR REPLACE.
  await db.transaction(async (tx: SqlExecutor) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || '/migrate:audit_log', 0))`);
    for (const statement of SCHEMA) await tx.query(statement);
  });
}

/** Appends to and reads the audit log. */
@Injectable()
export class AuditLog {
  /** Concurrent requests' entries share a statement and a commit (two entries per command otherwise cost two of each). */
  private readonly writes = new GroupCommit<AuditEntry>(async (entries) => {
    await this.db.query(
      `INSERT INTO audit_log (request_id, stage, user_id, role, district, action, method, route, target, child_id, status, ip, user_agent)
       SELECT request_id, stage, user_id, role, district, action, method, route, target, child_id, status, ip, user_agent
         FROM jsonb_to_recordset($1::jsonb) AS e(n int, request_id uuid, stage text, user_id text, role text, district text, action text,
                                                 method text, route text, target jsonb, child_id uuid, status int, ip text, user_agent text)
        ORDER BY n`,
      [JSON.stringify(entries.map((entry, n) => ({ n, ...rowOf(entry) })))],
    );
    return entries.map(() => undefined);
  });

  constructor(@Inject(SQL_DATABASE) private readonly db: SqlDatabase) {}

  /** Resolves once the entry is committed. */
  append(entry: AuditEntry): Promise<void> {
    return this.writes.add(entry);
  }

  /** Oldest first, one page; `next` is the cursor of the following page, null on the last. */
  async read(filter: AuditFilter): Promise<{ entries: AuditRecord[]; next: string | null }> {
    const rows = await this.db.query<AuditRecord>(
      `SELECT entry_id::text AS "entryId", request_id AS "requestId", stage, at, user_id AS "userId", role, district, action,
              method, route, target, child_id AS "childId", status, ip, user_agent AS "userAgent"
         FROM audit_log
        WHERE ($1::uuid IS NULL OR child_id = $1::uuid
               -- a command's 'requested' entry, written before the child it created was known
               OR request_id IN (SELECT request_id FROM audit_log WHERE child_id = $1::uuid))
          AND ($2::timestamptz IS NULL OR at >= $2::timestamptz)
          AND ($3::timestamptz IS NULL OR at < $3::timestamptz)
          AND ($4::bigint IS NULL OR entry_id > $4::bigint)
        ORDER BY entry_id
        LIMIT $5`,
      [filter.childId ?? null, filter.from ?? null, filter.to ?? null, filter.after ?? null, filter.limit + 1],
    );
    const entries = rows.slice(0, filter.limit);
    return { entries, next: rows.length > filter.limit ? entries[entries.length - 1].entryId : null };
  }
}

const rowOf = (entry: AuditEntry) => ({
  request_id: entry.requestId,
  stage: entry.stage,
  user_id: entry.userId,
  role: entry.role,
  district: entry.district,
  action: entry.action,
  method: entry.method,
  route: entry.route,
  target: entry.target,
  child_id: entry.childId,
  status: entry.status,
  ip: entry.ip,
  user_agent: entry.userAgent,
});
