import { createHash } from 'node:crypto';
import {
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  UnprocessableEntityException,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { from, lastValueFrom, Observable } from 'rxjs';
import { SQL_DATABASE, SqlExecutor } from '../database/sql-database';
import type { SqlDatabase } from '../database/sql-database';

export async function migrateIdempotencyKeys(db: SqlExecutor): Promise<void> {
  await db.query(`CREATE TABLE IF NOT EXISTS idempotency_keys (
    user_id       text NOT NULL,
    key           text NOT NULL,
    request_hash  text NOT NULL,
    status_code   integer,
    body          jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
  )`);
}

/**
 * `Idempotency-Key` on a POST: the same key and body give back the first answer and run
 * nothing again. Commands also derive their event ids from the key, so even a retry after a
 * crash between "events stored" and "answer saved" appends nothing twice.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(@Inject(SQL_DATABASE) private readonly db: SqlDatabase) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest();
    const key: string | undefined = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined) return next.handle();
    return from(this.handleOnce(context, next, request, String(key)));
  }

  private async handleOnce(context: ExecutionContext, next: CallHandler, request: any, key: string): Promise<unknown> {
    if (key.length === 0 || key.length > 200) {
      throw new UnprocessableEntityException('Idempotency-Key must be 1 to 200 characters');
    }
    const userId: string = request.actor?.userId ?? 'anonymous';
    const hash = createHash('sha256').update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`).digest('hex');
    await this.db.query(
      'INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT (user_id, key) DO NOTHING',
      [userId, key, hash],
    );
    const [row] = await this.db.query<{ request_hash: string; status_code: number | null; body: unknown }>(
      'SELECT request_hash, status_code, body FROM idempotency_keys WHERE user_id = $1 AND key = $2',
      [userId, key],
    );
    if (row && row.request_hash !== hash) throw new UnprocessableEntityException('this Idempotency-Key was used for a different request');
    if (row && row.status_code !== null) {
      context.switchToHttp().getResponse().header('idempotent-replayed', 'true');
      return row.body;
    }
    // Not answered yet: this is the first try, a twin still running, or a try that died with its
    // process. Running the command again is safe (its ids derive from the key) and gives the same answer.
    request.idempotencyKey = key;
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: null });
      const status = Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) ?? 201;
      await this.db.query(
        'UPDATE idempotency_keys SET status_code = $3, body = $4 WHERE user_id = $1 AND key = $2 AND status_code IS NULL',
        [userId, key, status, JSON.stringify(body)],
      );
      return body;
    } catch (error) {
      // A refused or failed request stores no answer: the client may correct it and retry.
      await this.db.query('DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND status_code IS NULL', [userId, key]);
      throw error;
    }
  }
}
