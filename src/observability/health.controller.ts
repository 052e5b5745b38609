import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../access/access.decorators';
import { SQL_DATABASE } from '../database/sql-database';
import type { SqlDatabase } from '../database/sql-database';
import { EVENT_STORE } from '../event-store/event-store.port';
import type { EventStore } from '../event-store/event-store.port';
import { SubscriptionRunner } from '../event-store/subscriptions/subscription-runner';
import { EscalationRuntime } from '../escalation/escalation.runtime';

const timeout = (ms: number) => new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref());

/** Readiness of every dependency, each named: 503 when the database is down, degraded when Redis is. */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runner: SubscriptionRunner,
    private readonly escalation: EscalationRuntime,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  async check(@Res({ passthrough: true }) reply: FastifyReply) {
    try {
      return await this.checkEveryDependency();
    } catch (error) {
      // The per-dependency report is the useful part of a 503: send it as it is.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      reply.status(503);
      return error.getResponse();
    }
  }

  private checkEveryDependency() {
    return this.health.check([
      () =>
        this.indicators
          .check('database')
          .attempt(async () => {
            await this.db.ping();
            return { kind: this.db.kind };
          })
          .withTimeout(2_000),
      () =>
        this.indicators
          .check('eventStore')
          .attempt(async () => {
            await this.store.readStream('health-probe');
          })
          .withTimeout(2_000),
      // Redis down is degraded, not unready: reports are still recorded and the e-mails and
      // deadlines catch up from their checkpoints when it returns.
      async () => {
        const session = this.indicators.check('redis');
        try {
          await Promise.race([this.escalation.ping(), timeout(1_000)]);
          return session.up();
        } catch (error) {
          return session.degraded({ message: `down: ${(error as Error).message}; e-mails and deadlines wait for it` });
        }
      },
      () => {
        const consumers = this.runner.status();
        const failing = consumers.filter((consumer) => consumer.lastError);
        const session = this.indicators.check('subscriptions');
        // A consumer that keeps failing (Redis down, a bad event) is behind, not a reason to refuse work.
        return failing.length === 0 ? session.up({ consumers }) : session.degraded({ consumers });
      },
    ]);
  }
}
