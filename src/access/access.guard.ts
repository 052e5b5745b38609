import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Configuration } from '../config/configuration';
import { SQL_DATABASE } from '../database/sql-database';
import type { SqlDatabase } from '../database/sql-database';
import { ALLOWED_ROLES } from './access.decorators';
import { AuditLog } from './audit/audit-log';
import { CHILD_ADDRESSES, type ChildAddress, childOf, isId } from './child-addresses';
import { childrenInScope } from './child-districts';
import { type AccessedRequest, auditEntryOf } from './request-access';
import { Role } from './roles';

/** The body field that names the district a new record belongs to: a district's staff create in their own. */
const OWN_DISTRICT_FIELDS: Record<string, string> = { 'register-child': 'localAuthority', 'report-missing': 'district' };

/**
 * What an authenticated caller may do, for every route, in one place:
 * 1. the permission table (@Can): another role gets 403; a route that declares no permission is
 *    refused to everyone, so a forgotten decorator fails closed;
 * 2. district scope (scope.ts): the child a request addresses must be one the caller sees, or the
 *    answer is 404, the same as for a child that does not exist;
 * 3. a district's staff create records in their own district only (403).
 * Every refusal is written to the audit log, with the child it was about.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger('Access');

  constructor(
    private readonly reflector: Reflector,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    private readonly audit: AuditLog,
    private readonly config: Configuration,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AccessedRequest>();
    const { actor, access } = request;
    if (!actor || !access) return true; // a public route
    const body = typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : {};
    const addressed = await this.childrenAddressed(request, body);
    access.childId = addressed.find((entry) => entry.childId)?.childId ?? null;

    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, [context.getHandler(), context.getClass()]) ?? [];
    if (!allowed.includes(actor.role as Role)) {
      await this.refused(request, 403);
      throw new ForbiddenException(
        access.action === 'undeclared' ? 'this route declares no permission; nobody may call it' : `the role ${actor.role} may not ${access.action}`,
      );
    }
    if (access.scope.kind === 'force') return true;

    for (const { name, id, childId } of addressed) {
      if (!childId || !(await childrenInScope(this.db, access.scope, [childId])).has(childId)) {
        await this.refused(request, 404, childId);
        throw new NotFoundException(`no ${name.replace(/Id$/, '')} ${id} in your scope`);
      }
    }
    const field = OWN_DISTRICT_FIELDS[access.action];
    const named = field ? body[field] : undefined;
    // An unknown district is the route's validation's to refuse, with the list of districts.
    if (typeof named === 'string' && this.config.districts.includes(named) && named !== access.scope.district) {
      await this.refused(request, 403);
      throw new ForbiddenException(`${field} must be your own district, ${access.scope.district}`);
    }
    return true;
  }

  /** Every child address in the URL, the query (`childId`) and the body (`childId`), resolved to its child. */
  private async childrenAddressed(request: AccessedRequest, body: Record<string, unknown>) {
    const candidates: [ChildAddress, unknown][] = [
      ...(Object.entries((request.params ?? {}) as Record<string, unknown>).filter(([name]) => name in CHILD_ADDRESSES) as [ChildAddress, unknown][]),
      ['childId', (request.query as Record<string, unknown> | undefined)?.childId],
      ['childId', body.childId],
    ];
    const addressed: { name: ChildAddress; id: string; childId: string | null }[] = [];
    for (const [name, id] of candidates) {
      // Not an id: nothing can be found by it, and the route's validation answers 400.
      if (!isId(id)) continue;
      addressed.push({ name, id, childId: await childOf(this.db, name, id) });
    }
    return addressed;
  }

  /** The refusal stands even if its audit entry cannot be written; the log then says so. */
  private async refused(request: AccessedRequest, status: number, childId?: string | null): Promise<void> {
    await this.audit
      .append(auditEntryOf(request, 'answered', status, childId))
      .catch((error) => this.logger.error(`audit log entry for a refused request not written: ${(error as Error).message}`));
  }
}
