import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { Configuration } from '../config/configuration';
import type { EventStore } from '../event-store/event-store.port';
import type { Processor } from '../event-store/subscriptions/consumer';
import { loadDirectory } from '../notifications/directory';
import type { EscalationNotice } from '../notifications/escalation-notice';
import { createMailer } from '../notifications/mailer';
import { createRedisConnection, NotificationQueue, NotificationWorker } from '../notifications/notification-queue';
import { assertRedisNoEviction, RedisEvictionPolicyError } from '../notifications/redis-check';
import type { Clock } from '../shared/clock';
import { handleDeadline } from './deadline-handler';
import { DeadlineQueue, DeadlineWorker } from './deadline-queue';
import { DeadlineSchedulerProcessor } from './deadline-scheduler.processor';
import { deliveryRecord, EscalationNotifierProcessor } from './escalation-notifier.processor';
import type { RecipientRole } from './policy/escalation-policy';
import { EscalationPolicyProcessor, type ExecuteChildStreamCommands } from './escalation-policy.processor';
import { loadEscalationPolicy } from './policy/load-escalation-policy';
import type { SqlExecutor } from '../database/sql-database';
import { RequeueSweep } from './requeue-sweep';

/**
 * Everything that acts on escalations: the policy, the clocks and the e-mails, with their Redis
 * connections. Redis down is not data lost: the consumers that enqueue stop at their checkpoints
 * in the database and catch up when it is back, while the API keeps recording.
 */
export class EscalationRuntime {
  private readonly logger = new Logger('Escalation');
  readonly policy;
  readonly processors: Processor[];
  readonly notifications: NotificationQueue;
  private readonly deadlines: DeadlineQueue;
  private readonly producerConnection: Redis;
  private readonly workerConnection: Redis;
  private workers: { close(): Promise<void> }[] = [];
  private redisDownSince: number | null = null;
  private readonly scheduler: DeadlineSchedulerProcessor;
  private readonly notifier: EscalationNotifierProcessor;
  private sweep: (() => void) | null = null;
  /** The sweeps queued so far, settled: what a benchmark waits for before it measures a quiet service. */
  sweepsSettled: () => Promise<void> = () => Promise.resolve();
  /** Not ready since the last sweep could run (or ever): the next 'ready' sweeps. */
  private producerLost = true;

  constructor(
    private readonly config: Configuration,
    private readonly store: EventStore,
    private readonly execute: ExecuteChildStreamCommands,
    private readonly clock: Clock,
  ) {
    this.policy = loadEscalationPolicy(config.ESCALATION_POLICY_FILE);
    const directory = loadDirectory(config.DIRECTORY_FILE, config.districts);
    // Producers fail fast while Redis is down (their consumer retries from its checkpoint); workers wait.
    this.producerConnection = createRedisConnection(config.REDIS_URL, { enableOfflineQueue: false });
    this.workerConnection = createRedisConnection(config.REDIS_URL);
    for (const connection of [this.producerConnection, this.workerConnection]) {
      connection.on('error', (error) => this.redisDown(error));
      connection.on('ready', () => this.redisBack());
    }
    // The sweep enqueues through the producer connection, so it follows that one. A restart quicker
    // than the first reconnection attempt raises no error, but may have lost every job all the same.
    this.producerConnection.on('close', () => (this.producerLost = true));
    this.producerConnection.on('ready', () => this.sweepAfterLoss());
    const prefix = config.QUEUE_PREFIX;
    this.notifications = new NotificationQueue({ connection: this.producerConnection, prefix, backoffDelayMs: config.NOTIFICATION_BACKOFF_MS });
    this.deadlines = new DeadlineQueue(this.producerConnection, prefix);
    this.scheduler = new DeadlineSchedulerProcessor(this.deadlines, this.policy, clock);
    this.notifier = new EscalationNotifierProcessor(store, this.notifications, directory, clock, config.DASHBOARD_URL);
    this.processors = [new EscalationPolicyProcessor(store, execute, this.policy, clock), this.scheduler, this.notifier];
  }

  /** Refuses to run on a Redis that may evict jobs; a Redis that is down is waited for. */
  async start(): Promise<void> {
    const probe = new Redis(this.config.REDIS_URL, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await assertRedisNoEviction(probe);
    } catch (error) {
      if (error instanceof RedisEvictionPolicyError && error.kind !== 'unreachable') throw error;
      this.redisDown(error as Error);
    } finally {
      probe.disconnect();
    }
    const prefix = this.config.QUEUE_PREFIX;
    this.workers = [
      new NotificationWorker({
        connection: this.workerConnection,
        prefix,
        mailer: createMailer({ smtpUrl: this.config.SMTP_URL, outboxDir: this.config.outboxDir, from: this.config.MAIL_FROM }),
        onDelivered: (notice, receipt) => this.recordDelivery(notice, receipt).then(() => undefined),
        log: (line) => this.logger.warn(line),
      }),
      new DeadlineWorker(this.workerConnection, handleDeadline(this.execute, this.clock), prefix, (line) => this.logger.warn(line)),
    ];
  }

  /**
   * Re-enqueues the clocks and e-mails Redis should hold, now and whenever Redis comes back from
   * an outage: a Redis restarted empty (no append-only file, a failover to a fresh replica) has
   * lost them, and the consumers that enqueued them have long moved their checkpoints on. Each
   * sweep first waits for the read models it picks children from to be current.
   */
  startRequeueSweeps(db: SqlExecutor, readModelsCurrent: () => Promise<void>): Promise<void> {
    const sweep = new RequeueSweep(db, this.store, this.scheduler, this.notifier, this.deadlines, this.clock);
    let running: Promise<void> = Promise.resolve();
    let queued = false;
    const stopped = () => this.sweep === null;
    const runOnce = async () => {
      queued = false;
      if (stopped()) return;
      try {
        // Under a steady flow of appends they may never be exactly current: sweep what they show.
        await readModelsCurrent().catch((error: Error) => stopped() || this.logger.warn(`re-enqueue sweep: ${error.message}; sweeping what they show`));
        const started = Date.now();
        const result = await sweep.run(stopped);
        this.logger.log(
          `re-enqueue sweep: ${result.children} children with pending work; ${result.deadlines} clocks still running and the ` +
            `e-mails of ${result.escalations} escalations enqueued again (jobs Redis still holds left as they are) in ${Date.now() - started} ms`,
        );
        if (result.skipped > 0) {
          const reasons = result.skipReasons.slice(0, 3).join('; ') + (result.skipReasons.length > 3 ? `; and ${result.skipReasons.length - 3} more` : '');
          this.logger.warn(`re-enqueue sweep: the e-mails of ${result.skipped} escalations have no one to go to and were left out: ${reasons}`);
        }
      } catch (error) {
        // Redis down again, or the database: the next recovery sweeps again. Shutting down: nothing to say.
        if (!stopped()) this.logger.warn(`re-enqueue sweep did not finish: ${(error as Error).message}`);
      }
    };
    this.sweepsSettled = () => running;
    // One sweep at a time; recoveries during a sweep queue one more after it, not one each.
    this.sweep = () => {
      if (queued) return;
      queued = true;
      running = running.then(runOnce);
    };
    // Redis not there yet: its first 'ready' sweeps.
    if (this.producerConnection.status === 'ready') this.sweepAfterLoss();
    return running;
  }

  async stop(): Promise<void> {
    this.sweep = null;
    // BullMQ waits for Redis to close cleanly; with Redis down that would hold the shutdown for ever.
    const bounded = (closing: Promise<unknown>) => Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    await bounded(Promise.allSettled(this.workers.map((worker) => worker.close())));
    await bounded(Promise.allSettled([this.notifications.close(), this.deadlines.close()]));
    this.producerConnection.disconnect();
    this.workerConnection.disconnect();
  }

  async ping(): Promise<void> {
    await this.producerConnection.ping();
  }

  /** Addressed by the child, not the escalation: the escalation's directory entry may not be written yet. */
  private recordDelivery({ escalationId, childId, recipient }: EscalationNotice, receipt: { messageId: string; deliveredAt: string }) {
    const { command, context } = deliveryRecord(escalationId, { role: recipient.role as RecipientRole, email: recipient.email }, receipt);
    return this.execute({ childId }, [command], context);
  }

  /** Said once per outage, plainly, with how to fix it; not once per reconnect attempt. */
  private redisDown(error: Error): void {
    if (this.redisDownSince !== null) return;
    this.redisDownSince = Date.now();
    this.logger.error(
      `Redis at ${this.config.REDIS_URL} is unreachable (${error.message}): reports are still recorded, and e-mails and ` +
        'deadlines will follow when it is back. Start it with `redis-server --maxmemory-policy noeviction` or `docker compose up -d redis`.',
    );
  }

  private redisBack(): void {
    if (this.redisDownSince === null) return;
    this.logger.log(`Redis is back after ${Math.round((Date.now() - this.redisDownSince) / 1000)} s; catching up`);
    this.redisDownSince = null;
  }

  private sweepAfterLoss(): void {
    if (!this.sweep || !this.producerLost) return;
    this.producerLost = false;
    this.sweep();
  }
}
