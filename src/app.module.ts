import { DynamicModule, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE, Reflector } from '@nestjs/core';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { AccessGuard } from './access/access.guard';
import { AuditController } from './access/audit/audit.controller';
import { AuditInterceptor } from './access/audit/audit.interceptor';
import { AuditLog, migrateAuditLog } from './access/audit/audit-log';
import { AuthGuard } from './access/auth.guard';
import { ScopeFilterInterceptor } from './access/scope-filter.interceptor';
import { signingKey } from './access/signing-key';
import { localTokenVerifier, oidcTokenVerifier, type TokenVerifier } from './access/tokens';
import {
  ExecuteChildStreamCommands,
  ExecuteChildStreamCommandsHandler,
  executeOnChildStream,
} from './child-stream/execute-child-stream-commands.handler';
import { EscalationRuntime } from './escalation/escalation.runtime';
import { EscalationsController } from './escalation/escalations.controller';
import { ChildQueries } from './children/child-queries';
import { ChildrenController } from './children/children.controller';
import { Configuration } from './config/configuration';
import { allProjections } from './consumers';
import { SQL_DATABASE } from './database/sql-database';
import type { SqlDatabase } from './database/sql-database';
import { DashboardController } from './dashboard/dashboard.controller';
import { DashboardQueries } from './dashboard/dashboard.queries';
import { DashboardLiveUpdates } from './dashboard/live-updates';
import { ChildDataKeys } from './erasure/child-data-keys';
import { ErasureController } from './erasure/erasure.controller';
import { PersonalDataShredder } from './erasure/personal-data-shredder.processor';
import { EpisodesController } from './episodes/episodes.controller';
import { EVENT_STORE, EventStore } from './event-store/event-store.port';
import { EventStoreModule } from './event-store/event-store.module';
import { SubscriptionRunner } from './event-store/subscriptions/subscription-runner';
import { IdempotencyInterceptor, migrateIdempotencyKeys } from './http/idempotency.interceptor';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { validationPipe } from './http/validation';
import { LinkedChildrenProcessor } from './links/linked-children.processor';
import { LinksController } from './links/links.controller';
import { LinkQueries } from './links/link-queries';
import { HealthController } from './observability/health.controller';
import { ReturnWorkController } from './return-work/return-work.controller';
import { SafeguardingPlansController } from './safeguarding-plans/safeguarding-plans.controller';
import { StrategyMeetingsController } from './strategy-meetings/strategy-meetings.controller';
import { WarningNoticesController } from './warning-notices/warning-notices.controller';
import { MetricsController } from './observability/metrics';
import { CLOCK, systemClock } from './shared/clock';
import type { Clock } from './shared/clock';

/** Starts the consumers once the app is up, and stops them before storage closes. */
class SubscriptionLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly runner: SubscriptionRunner,
    private readonly escalation: EscalationRuntime,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await migrateIdempotencyKeys(this.db);
    await migrateAuditLog(this.db);
    await this.escalation.start();
    await this.runner.start();
    // In the background: the service answers while the sweep reads the histories.
    void this.escalation.startRequeueSweeps(this.db, () => this.runner.waitUntilCaughtUp(120_000, 'projection'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    await this.escalation.stop();
  }
}

/** The force's identity provider when configured, else the local key of `npm run token`. */
function tokenVerifier(config: Configuration): TokenVerifier {
  if (!config.OIDC_ISSUER) return localTokenVerifier(signingKey(config));
  return oidcTokenVerifier({
    issuer: config.OIDC_ISSUER,
    audience: config.OIDC_AUDIENCE!,
    roleClaim: config.OIDC_ROLE_CLAIM,
    districtClaim: config.OIDC_DISTRICT_CLAIM,
  });
}

export interface AppOptions {
  clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot(config: Configuration, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        TerminusModule,
        EventStoreModule.forRoot(config),
      ],
      controllers: [
        ChildrenController,
        EpisodesController,
        ReturnWorkController,
        SafeguardingPlansController,
        StrategyMeetingsController,
        WarningNoticesController,
        ErasureController,
        EscalationsController,
        LinksController,
        DashboardController,
        HealthController,
        MetricsController,
        AuditController,
      ],
      providers: [
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        {
          provide: EscalationRuntime,
          inject: [EVENT_STORE, CommandBus, CLOCK],
          useFactory: (store: EventStore, bus: CommandBus, clock: Clock) =>
            new EscalationRuntime(
              config,
              store,
              (target, commands, context) => bus.execute(new ExecuteChildStreamCommands(target, commands, context)),
              clock,
            ),
        },
        {
          provide: SubscriptionRunner,
          inject: [EVENT_STORE, SQL_DATABASE, EscalationRuntime, CommandBus, CLOCK, ChildDataKeys],
          useFactory: (store: EventStore, db: SqlDatabase, escalation: EscalationRuntime, bus: CommandBus, clock: Clock, keys: ChildDataKeys) =>
            new SubscriptionRunner(store, db, [
              ...allProjections(escalation.policy),
              ...escalation.processors,
              new LinkedChildrenProcessor(db, store, executeOnChildStream.bind(null, bus), escalation.policy.linkedPeopleOrPlaces, clock),
              new PersonalDataShredder(keys),
            ]),
        },
        SubscriptionLifecycle,
        ChildQueries,
        {
          provide: LinkQueries,
          inject: [SQL_DATABASE, EscalationRuntime],
          useFactory: (db: SqlDatabase, escalation: EscalationRuntime) => new LinkQueries(db, escalation.policy.linkedPeopleOrPlaces.maxChildren),
        },
        DashboardQueries,
        DashboardLiveUpdates,
        ExecuteChildStreamCommandsHandler,
        AuditLog,
        // Guards run in this order: who (the token), then what they may do (permission table, district scope).
        {
          provide: APP_GUARD,
          inject: [Reflector],
          useFactory: (reflector: Reflector) => new AuthGuard(reflector, tokenVerifier(config)),
        },
        { provide: APP_GUARD, useClass: AccessGuard },
        // Interceptors wrap in this order: the audit entry outermost, then the scope cut of what is read.
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
        { provide: APP_INTERCEPTOR, useClass: ScopeFilterInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useValue: validationPipe },
      ],
    };
  }
}
