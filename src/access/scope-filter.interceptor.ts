import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, NotFoundException } from '@nestjs/common';
import { mergeMap, Observable } from 'rxjs';
import { SQL_DATABASE } from '../database/sql-database';
import type { SqlDatabase } from '../database/sql-database';
import { addressOfRow, childrenOfObjects } from './child-addresses';
import { childrenInScope } from './child-districts';
import type { AccessedRequest } from './request-access';
import { AccessScope } from './scope';

type Row = Record<string, unknown>;

/**
 * The second half of district scope, for reads: whatever a GET answers about children is cut to
 * the children the caller sees. A row of a list (at the top, or one level down as in
 * `{ entries: [...] }`) that carries a child address (`childId`, `escalationId`, ...) is dropped
 * when its child is outside the scope or cannot be found; a single object about a child outside
 * the scope is a 404. A new list endpoint is covered as long as its rows carry such an id.
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
    const single = isRow(result) && addressOfRow(result) ? [result] : [];
    const lists = listsIn(result);
    const rows = [...single, ...lists.flat()];
    const addresses = new Map(rows.map((row) => [row, addressOfRow(row)]));
    const throughObjects = [...addresses.values()].filter((address) => address !== null && address.name !== 'childId').map((address) => address!.id);
    if (throughObjects.length === 0 && [...addresses.values()].every((address) => address === null)) return result;
    const objects = await childrenOfObjects(this.db, throughObjects);
    const childOfRow = (row: Row): string | null => {
      const address = addresses.get(row) ?? addressOfRow(row);
      if (!address) return null;
      return address.name === 'childId' ? address.id : (objects.get(address.id) ?? null);
    };
    const children = rows.map(childOfRow).filter((id): id is string => id !== null);
    const seen = await childrenInScope(this.db, scope, [...new Set(children)]);
    // A row about a child the directory does not know is not shown: fail closed.
    const visible = (row: Row) => !addressOfRow(row) || seen.has(childOfRow(row) ?? '');
    if (single.length && !visible(single[0])) throw new NotFoundException('no such record in your scope');
    const keep = (list: Row[]) => list.filter((row) => !isRow(row) || visible(row));
    if (Array.isArray(result)) return keep(result as Row[]);
    if (isRow(result)) return Object.fromEntries(Object.entries(result).map(([key, value]) => [key, isRowList(value) ? keep(value) : value]));
    return result;
  }
}

const isRow = (value: unknown): value is Row => value !== null && typeof value === 'object' && !Array.isArray(value);

const isRowList = (value: unknown): value is Row[] => Array.isArray(value) && value.some(isRow);

function listsIn(result: unknown): Row[][] {
  if (isRowList(result)) return [result.filter(isRow)];
  if (isRow(result)) return Object.values(result).filter(isRowList).map((list) => list.filter(isRow));
  return [];
}
