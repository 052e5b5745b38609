import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { noticeJobId, pickNotice, type EscalationNotice } from './escalation-notice';
import { messageIdFor, type Mailer } from './mailer';
import { renderNotice } from './mail-templates';

/**
 * The `notifications` queue: one job per escalation per recipient. At-least-once underneath
 * (retries, redelivery after a crash), exactly-once as people see it: one job id per notice, one
 * Message-ID per job, and a send that succeeded is not repeated when only the callback failed.
 */
export const NOTIFICATIONS_QUEUE = 'notifications';

/** BullMQ blocks on its connections: ioredis must retry a command for ever, not give up after 20 tries. */
export function createRedisConnection(url = 'redis://127.0.0.1:6379', options: RedisOptions = {}): Redis {
  return new Redis(url, { ...options, maxRetriesPerRequest: null });
}

export interface DeliveryReceipt {
  /** The Message-ID sent, in angle brackets. */
  messageId: string;
  /** ISO 8601: when the mail server (or the outbox) accepted the message. */
  deliveredAt: string;
}

/** Runs after a successful send; if it throws, the job fails and retries (without sending again). */
export type OnDelivered = (notice: EscalationNotice, receipt: DeliveryReceipt) => Promise<void> | void;

export interface DeadLetter {
  jobId: string;
  escalationId: string;
  email: string;
  attemptsMade: number;
  lastError: string;
  failedAt: string | null;
}

interface NoticeJob {
  notice: EscalationNotice;
  /** Set once the mail was accepted, so a retry re-runs only onDelivered. */
  delivered?: DeliveryReceipt;
}

export interface NotificationQueueOptions {
  /** Owned by the caller: close it after closing the queue. */
  connection: Redis;
  /** BullMQ key prefix (default "bull"); a unique one per test. */
  prefix?: string;
  /** Tries per notice before it becomes a dead letter. */
  attempts?: number;
  /** First retry after this, then doubling: 60 s × 8 attempts = retries over about 2 hours. */
  backoffDelayMs?: number;
  /** How long a completed job (and so its id) is kept; see enqueue. */
  keepCompletedSeconds?: number;
}

export class NotificationQueue {
  readonly queue: Queue<NoticeJob>;

  constructor(private readonly options: NotificationQueueOptions) {
    this.queue = new Queue<NoticeJob>(NOTIFICATIONS_QUEUE, { connection: options.connection, prefix: options.prefix });
  }

  /**
   * Adds the notice once: BullMQ ignores an add whose job id exists, whatever state that job is in.
   * A completed job is kept 7 days, so a redelivered or replayed escalation within that time sends
   * nothing twice. Past it the id is free again: the enqueuer must also skip recipients the event
   * history already records as notified (EscalationNotified), which is the durable guard.
   * (BullMQ removes aged completed jobs only when another job completes, so some stay longer.)
   * Failed jobs are kept until retried or removed: they are the dead letters.
   */
  async enqueue(notice: EscalationNotice): Promise<string> {
    const data = { notice: pickNotice(notice) };
    const jobId = noticeJobId(data.notice.escalationId, data.notice.recipient.email);
    await this.queue.add('notice', data, {
      jobId,
      attempts: this.options.attempts ?? 8,
      backoff: { type: 'exponential', delay: this.options.backoffDelayMs ?? 60_000 },
      removeOnComplete: { age: this.options.keepCompletedSeconds ?? 7 * 24 * 3600 },
      removeOnFail: false,
    });
    return jobId;
  }

  /** Notices that used up their attempts (or were refused for good), newest first. */
  async deadLetters(limit = 100): Promise<DeadLetter[]> {
    const jobs = await this.queue.getFailed(0, limit - 1);
    return jobs.map((job) => ({
      jobId: job.id ?? '',
      escalationId: job.data.notice.escalationId,
      email: job.data.notice.recipient.email,
      attemptsMade: job.attemptsMade,
      lastError: job.failedReason,
      failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    }));
  }

  /** Puts a dead letter back in the queue with a fresh set of attempts, if `mayRetry` lets it. */
  async retryDeadLetter(jobId: string, mayRetry: (notice: EscalationNotice) => Promise<boolean>): Promise<void> {
    const job = await this.queue.getJob(jobId);
    // Another district's e-mail answers as one that does not exist: its id says nothing.
    if (!job || !(await mayRetry(job.data.notice))) throw new Error(`notifications: no job ${jobId}`);
    const state = await job.getState();
    if (state !== 'failed') throw new Error(`notifications: job ${jobId} is ${state}, not a dead letter`);
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

export interface NotificationWorkerOptions {
  /** Owned by the caller; BullMQ duplicates it for its blocking connection and closes that itself. */
  connection: Redis;
  prefix?: string;
  mailer: Mailer;
  onDelivered: OnDelivered;
  concurrency?: number;
  /** The right-hand side of Message-IDs, e.g. the force's mail domain. */
  messageIdDomain?: string;
  now?: () => Date;
  /** Where failed attempts and connection errors are reported (e.g. a pino logger's warn). */
  log?: (line: string) => void;
}

export class NotificationWorker {
  readonly worker: Worker<NoticeJob>;

  constructor(private readonly options: NotificationWorkerOptions) {
    const log = options.log ?? ((line: string) => console.warn(line));
    this.worker = new Worker<NoticeJob>(NOTIFICATIONS_QUEUE, (job) => this.deliver(job), {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 4,
    });
    this.worker.on('failed', (job, error) => {
      const attempts = job?.opts.attempts ?? 1;
      const final = error instanceof UnrecoverableError || (job?.attemptsMade ?? 0) >= attempts;
      const then = final ? 'now a dead letter' : 'will retry';
      log(`notifications: ${job?.id ?? 'a job'}: attempt ${job?.attemptsMade ?? '?'} of ${attempts} failed (${then}): ${error.message}`);
    });
    this.worker.on('error', (error) => log(`notifications: worker: ${error.message}`));
  }

  private async deliver(job: Job<NoticeJob>): Promise<DeliveryReceipt> {
    const { notice } = job.data;
    let receipt = job.data.delivered;
    if (!receipt) {
      const messageId = messageIdFor(job.id!, this.options.messageIdDomain);
      try {
        await this.options.mailer.send({ to: notice.recipient.email, ...renderNotice(notice), messageId });
      } catch (error) {
        throw permanentRefusal(error) ? new UnrecoverableError((error as Error).message) : error;
      }
      receipt = { messageId, deliveredAt: (this.options.now?.() ?? new Date()).toISOString() };
      await job.updateData({ notice, delivered: receipt });
    }
    await this.options.onDelivered(notice, receipt);
    return receipt;
  }

  async close(): Promise<void> {
    await this.worker.close();
  }
}

/**
 * The server refused the address for good (a 5xx to RCPT TO, e.g. 550 no such mailbox): retrying
 * will not change it, so the notice goes straight to the dead letters for someone to fix the
 * directory. Everything else (4xx, connection refused, timeouts, authentication) is retried.
 */
function permanentRefusal(error: unknown): boolean {
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  return code === 'EENVELOPE' && typeof responseCode === 'number' && responseCode >= 500;
}
