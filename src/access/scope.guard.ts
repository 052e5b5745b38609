import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { Configuration } from '../config/configuration';
import { SQL_DATABASE } from '../database/sql-database';
import type { SqlDatabase } from '../database/sql-database';
import { AuditLog } from './audit/audit-log';
import { childrenInScope } from './child-districts';
import { type AccessedRequest, auditEntryOf } from './request-access';

/**
 * The names by which a route addresses a child, directly or through one of its objects (looked up
 * in the stream directory). A route param, a query parameter or a body field with one of these
 * names is checked against the caller's scope before the handler runs: a new route is covered by
 * naming its param accordingly (`:childId`, `:episodeId`, ...), with no code of its own.
 */
export const CHILD_ADDRESSES = {
  childId: null,
  episodeId: 'episode',
  escalationId: 'escalation',
  planId: 'plan',
  meetingId: 'meeting',
  noticeId: 'notice',
} as const;

type ChildAddress = keyof typeof CHILD_ADDRESSES;

/** Route params that are not a child's: an action inside a plan or meeting (its parent is checked), a mail job. */
export const UNSCOPED_PARAMS = ['actionId', 'jobId'];

/** The body field that names the district a new record belongs to: a district's staff create in their own. */
const OWN_DISTRICT_FIELDS: Record<string, string> = { 'register-child': 'localAuthority', 'report-missing': 'district' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * District scope, for every route, in one place: the child a request addresses must be one the
 * caller sees (see scope.ts), or the answer is 404, the same as for a child that does not exist,
 * and the attempt is written to the audit log.
 */
@Injectable()
export class ScopeGuard implements CanActivate {
  private readonly logger = new Logger('Access');

  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    private readonly audit: AuditLog,
    private readonly config: Configuration,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AccessedRequest>();
    const access = request.access;
    if (!access) return true; // a public route
    const body = typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : {};
    const addresses: [ChildAddress, unknown][] = [
      ...Object.entries((request.params ?? {}) as Record<string, unknown>).filter(([name]) => name in CHILD_ADDRESSES),
      ['childId', (request.query as Record<string, unknown> | undefined)?.childId],
      ['childId', body.childId],
    ] as [ChildAddress, unknown][];
    for (const [name, value] of addresses) {
      // Not an id: nothing can be found by it, and the route's validation answers 400.
      if (typeof value !== 'string' || !UUID.test(value)) continue;
      const childId = await this.childOf(name, value);
      access.childId ??= childId;
      if (access.scope.kind === 'force') continue;
      if (!childId || !(await childrenInScope(this.db, access.scope, [childId])).has(childId)) {
        await this.refused(request, 404, childId);
        throw new NotFoundException(`no ${name.replace(/Id$/, '')} ${value} in your scope`);
      }
    }
    const districtField = OWN_DISTRICT_FIELDS[access.action];
    const named = districtField ? body[districtField] : undefined;
    // An unknown district is the route's validation's to refuse, with the list of districts.
    if (access.scope.kind !== 'force' && typeof named === 'string' && this.config.districts.includes(named) && named !== access.scope.district) {
      await this.refused(request, 403, null);
      throw new ForbiddenException(`${districtField} must be your own district, ${access.scope.district}`);
    }
    return true;
  }

  private async childOf(name: ChildAddress, id: string): Promise<string | null> {
    const kind = CHILD_ADDRESSES[name];
    if (kind === null) return id;
    const [row] = await this.db.query<{ child_id: string }>('SELECT child_id FROM stream_directory WHERE kind = $1 AND id = $2', [kind, id]);
    return row?.child_id ?? null;
  }

  private async refused(request: AccessedRequest, status: number, childId: string | null): Promise<void> {
    await this.audit
      .append(auditEntryOf(request, 'answered', status, childId))
      .catch((error) => this.logger.error(`audit log entry for a refused request not written: ${(error as Error).message}`));
  }
}
