import { createHash } from 'node:crypto';
import { type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { OverdueRule } from './escalation.commands';
import type { RecipientRole } from './policy/escalation-policy';

export const DEADLINES_QUEUE = 'deadlines';

/** A clock on a piece of work: when it is due, the work is re-checked and escalated if still undone. */
export interface Deadline {
  kind: OverdueRule | 'unacknowledged';
  childId: string;
  episodeId: string | null;
  escalationId: string | null;
  /** meeting-action-overdue: the meeting and the action watched. */
  meetingId?: string;
  actionId?: string;
  /** cawn-not-served: the warning notice watched. */
  noticeId?: string;
  step: number;
  tier: number;
  notify: RecipientRole[];
  /** review-overdue: the last review the deadline runs from (null: from missing-since). */
  reviewAnchor: string | null;
  dueAt: string;
  /** The event that set the clock. */
  cause: string;
  figures: Record<string, unknown>;
}

/** The same clock set twice (a replay, a redelivery) is one job. */
export const deadlineJobId = (deadline: Deadline): string =>
  `deadline.${deadline.kind}.${createHash('sha256').update(`${deadline.cause}/${deadline.step}`).digest('hex').slice(0, 32)}`;

export class DeadlineQueue {
  private readonly queue: Queue<Deadline>;

  constructor(connection: Redis, prefix?: string) {
    this.queue = new Queue<Deadline>(DEADLINES_QUEUE, { connection, prefix });
  }

  /** Due times come from the events' own times, so a clock that has already run out fires at once. */
  async schedule(deadline: Deadline, now: Date): Promise<void> {
    await this.scheduleAll([deadline], now);
  }

  /** Several clocks in one round trip to Redis (a batch of reports sets two or three each). */
  async scheduleAll(deadlines: readonly Deadline[], now: Date): Promise<void> {
    if (deadlines.length === 0) return;
    await this.queue.addBulk(
      deadlines.map((deadline) => ({
        name: deadline.kind,
        data: deadline,
        opts: {
          jobId: deadlineJobId(deadline),
          delay: Math.max(0, Date.parse(deadline.dueAt) - now.getTime()),
          attempts: 10,
          backoff: { type: 'exponential', delay: 1_000 },
          removeOnComplete: { age: 30 * 24 * 3600 },
          removeOnFail: false,
        },
      })),
    );
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

export class DeadlineWorker {
  private readonly worker: Worker<Deadline>;

  constructor(connection: Redis, onDue: (deadline: Deadline, jobId: string) => Promise<void>, prefix?: string, log = console.warn) {
    this.worker = new Worker<Deadline>(DEADLINES_QUEUE, (job: Job<Deadline>) => onDue(job.data, job.id!), {
      connection,
      prefix,
      concurrency: 4,
    });
    this.worker.on('failed', (job, error) => log(`deadlines: ${job?.id}: ${error.message}`));
    this.worker.on('error', (error) => log(`deadlines: worker: ${error.message}`));
  }

  async close(): Promise<void> {
    await this.worker.close();
  }
}
