import { LoggerService } from '@nestjs/common';
import { Logger as Pino } from 'pino';
import { withoutQuotedValues } from './log-safety';

/**
 * Nest's own log lines, as structured JSON through the same pino logger as the requests. Every
 * application log call goes through here, so quoted values in messages (echoed input) are cut here.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Pino) {}

  log(message: unknown, context?: string) {
    this.pino.info({ context }, line(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.pino.error({ context, trace: trace === undefined ? undefined : withoutQuotedValues(trace) }, line(message));
  }
  warn(message: unknown, context?: string) {
    this.pino.warn({ context }, line(message));
  }
  debug(message: unknown, context?: string) {
    this.pino.debug({ context }, line(message));
  }
  verbose(message: unknown, context?: string) {
    this.pino.trace({ context }, line(message));
  }
}

const line = (message: unknown): string => withoutQuotedValues(String(message));
