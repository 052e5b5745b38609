import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { Actor } from '../event-store/event-store.port';
import type { AuditEntry } from './audit/audit-log';
import { isId } from './child-addresses';
import { AccessScope } from './scope';

/** What the access guards learnt about a request, for the handler's filters and the audit log. */
export interface RequestAccess {
  requestId: string;
  action: string;
  scope: AccessScope;
  /** The child the request is about, once known (from the URL, the query or the body). */
  childId: string | null;
}

export type AccessedRequest = FastifyRequest & { actor?: Actor; access?: RequestAccess };

export function startAccess(request: AccessedRequest, action: string, scope: AccessScope): RequestAccess {
  request.access = { requestId: randomUUID(), action, scope, childId: null };
  return request.access;
}

const USER_AGENT_LENGTH = 200;

/** An audit entry for this request: ids, the route's pattern and where it came from; never a body. */
export function auditEntryOf(request: AccessedRequest, stage: AuditEntry['stage'], status: number | null, childId?: string | null): AuditEntry {
  const actor = request.actor!;
  const access = request.access!;
  const userAgent = request.headers['user-agent'];
  return {
    requestId: access.requestId,
    stage,
    userId: actor.userId,
    role: actor.role,
    district: actor.district,
    action: access.action,
    method: request.method,
    route: request.routeOptions?.url ?? request.url.split('?')[0],
    target: idsOnly(request.params as Record<string, unknown>),
    childId: childId ?? access.childId,
    status,
    ip: request.ip ?? null,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, USER_AGENT_LENGTH) : null,
  };
}

/** An e-mail job's id: the escalation and a hash of the recipient (see noticeJobId). */
const NOTICE_JOB_ID = /^notice\.[A-Za-z0-9_.-]{1,100}\.[0-9a-f]{16}$/;

/** The URL's params as the log keeps them: ids, and a placeholder for anything typed in their place. */
function idsOnly(params: Record<string, unknown> = {}): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params).map(([name, value]) => [name, isId(value) || (typeof value === 'string' && NOTICE_JOB_ID.test(value)) ? value : '(not an id)']),
  );
}
