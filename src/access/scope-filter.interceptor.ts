import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, NotFoundException } from '@nestjs/common';
import { mergeMap, Observable } from 'rxjs';
import { SQL_DATABASE } from '../database/sql-database';
import type { SqlDatabase } from '../database/sql-database';
import { childrenInScope } from './child-districts';
import type { AccessedRequest } from './request-access';
import { AccessScope } from './scope';

type Row = { childId?: unknown };

/**
 * The second half of district scope, for reads: whatever a GET answers about children is cut to
 * the children the caller sees. Rows with a `childId` in a list (at the top or one level down, as in
 * `{ escalations: [...] }`) are dropped; a single object about a child outside the scope is a 404.
 * A new list endpoint is covered as long as its rows carry `childId`.
 */
@Injectable()
export class ScopeFilterInterceptor implements NestInterceptor {
  constructor(@Inject(SQL_DATABASE) private readonly db: SqlDatabase) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AccessedRequest>();
    const scope = request.access?.scope;
    if (!scope || scope.kind === 'force' || request.method !== 'GET') return next.handle();
    return next.handle().pipe(mergeMap((result) => this.cut(result, scope)));
  }

  private async cut(result: unknown, scope: AccessScope): Promise<unknown> {
    const lists = listsIn(result);
    const single = !Array.isArray(result) && typeof (result as Row | null)?.childId === 'string' ? [(result as Row).childId as string] : [];
    const childIds = [...new Set([...single, ...lists.flat().map((row) => row.childId).filter((id): id is string => typeof id === 'string')])];
    if (childIds.length === 0) return result;
    const seen = await childrenInScope(this.db, scope, childIds);
    if (single.length && !seen.has(single[0])) throw new NotFoundException(`no child ${single[0]} in your scope`);
    const keep = (rows: Row[]) => rows.filter((row) => typeof row.childId !== 'string' || seen.has(row.childId));
    if (Array.isArray(result)) return keep(result as Row[]);
    if (result && typeof result === 'object') {
      return Object.fromEntries(Object.entries(result).map(([key, value]) => [key, isRowList(value) ? keep(value) : value]));
    }
    return result;
  }
}

function isRowList(value: unknown): value is Row[] {
  return Array.isArray(value) && value.some((item) => item !== null && typeof item === 'object' && 'childId' in item);
}

function listsIn(result: unknown): Row[][] {
  if (isRowList(result)) return [result];
  if (result && typeof result === 'object' && !Array.isArray(result)) return Object.values(result).filter(isRowList);
  return [];
}
