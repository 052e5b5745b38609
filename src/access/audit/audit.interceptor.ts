import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor, ServiceUnavailableException } from '@nestjs/common';
import { defer, lastValueFrom, Observable } from 'rxjs';
import { toProblem } from '../../http/problem-details.filter';
import { type AccessedRequest, auditEntryOf } from '../request-access';
import { AuditEntry, AuditLog } from './audit-log';

const HTTP_CODE_METADATA = '__httpCode__';
const READS = new Set(['GET', 'HEAD']);

/**
 * Every authenticated request to the API is written to the audit log, by this one interceptor
 * (refusals by role or scope are written by the guards that refuse them).
 *
 * The order makes the log reliable: a command's `requested` entry is written before the command
 * runs, and if it cannot be written the command does not run (503). Its `answered` entry follows
 * with the status; if that one fails the command has happened, so the answer is still given and the
 * log keeps the `requested` entry (the events carry the actor too). A read's entry is written after
 * the data are fetched and before they are sent: if it cannot be written the data are not sent (503).
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Audit');

  constructor(private readonly audit: AuditLog) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AccessedRequest>();
    if (!request.access) return next.handle(); // a public route
    const successStatus: number = Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) ?? (request.method === 'POST' ? 201 : 200);
    return defer(() => this.around(request, next, successStatus));
  }

  private async around(request: AccessedRequest, next: CallHandler, successStatus: number): Promise<unknown> {
    const command = !READS.has(request.method);
    if (command) await this.appendOrStop(auditEntryOf(request, 'requested', null));
    let result: unknown;
    try {
      result = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (error) {
      await this.audit.append(auditEntryOf(request, 'answered', toProblem(error).status)).catch((failure) => this.failed(failure));
      throw error;
    }
    const answered = auditEntryOf(request, 'answered', successStatus, childIdIn(result));
    if (command) await this.audit.append(answered).catch((failure) => this.failed(failure));
    else await this.appendOrStop(answered);
    return result;
  }

  private async appendOrStop(entry: AuditEntry): Promise<void> {
    try {
      await this.audit.append(entry);
    } catch (error) {
      this.failed(error);
      throw new ServiceUnavailableException('the audit log cannot be written, so nothing was read or changed; try again shortly');
    }
  }

  private failed(error: unknown): void {
    this.logger.error(`audit log entry not written: ${(error as Error).message}`);
  }
}

/** The child a command created or acted on, from its answer (`{ childId }`), for the audit entry. */
function childIdIn(result: unknown): string | null {
  const childId = (result as { childId?: unknown } | null | undefined)?.childId;
  return typeof childId === 'string' ? childId : null;
}
