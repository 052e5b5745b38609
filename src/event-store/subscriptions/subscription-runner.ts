import { Logger } from '@nestjs/common';
import { CoalescedNotifier } from '../../database/coalesced-notifier';
import { Lease, SqlDatabase } from '../../database/sql-database';
import { Checkpoint, EventStore, RecordedEvent } from '../event-store.port';
import { advanceCheckpoint, migrateCheckpoints, readCheckpoint } from './checkpoint-store';
import { applyToProjection, Consumer } from './consumer';

export interface SubscriptionRunnerOptions {
  batchSize: number;
  /** The fallback when a wake-up is missed (another process's NOTIFY lost with its connection). */
  pollIntervalMs: number;
  /** How often a standby instance tries to take over a consumer owned by another. */
  leaseRetryMs: number;
  /**
   * After a batch that reached the end of the log, how long a consumer lets the next appends gather
   * before it reads again. The first event after a quiet spell is handled at once; under a stream of
   * reports each batch then carries several, and a batch's statements (a transaction, its reads and
   * writes, the checkpoint) are shared by them instead of repeated for each.
   */
  gatherMs: number;
}

const DEFAULTS: SubscriptionRunnerOptions = { batchSize: 500, pollIntervalMs: 250, leaseRetryMs: 2_000, gatherMs: 10 };

class OwnershipLost extends Error {}

/** Notified with the names of the projections (comma-separated) that committed batches. */
export const READ_MODEL_CHANGED_CHANNEL = 'read_model_changed';

export interface ConsumerStatus {
  name: string;
  owned: boolean;
  lastError: string | null;
}

/**
 * Feeds every consumer from the global order, from its durable checkpoint. One instance owns a
 * consumer at a time (a lease); the others stand by and take over when the owner dies.
 */
export class SubscriptionRunner {
  private readonly logger = new Logger(SubscriptionRunner.name);
  private readonly options: SubscriptionRunnerOptions;
  private readonly statuses = new Map<string, ConsumerStatus>();
  private readonly loops: Promise<void>[] = [];
  private readonly sleepers = new Set<() => void>();
  private readonly stopSleepers = new Set<() => void>();
  /** Reads of the global order in flight, by checkpoint: see readShared. */
  private readonly readsInFlight = new Map<string, { generation: number; events: Promise<RecordedEvent[]> }>();
  private appendGeneration = 0;
  private stopped = false;
  private stopListening: (() => void) | null = null;
  private readonly readModelChanges: CoalescedNotifier;

  constructor(
    private readonly store: EventStore,
    private readonly db: SqlDatabase,
    private readonly consumers: Consumer[],
    options: Partial<SubscriptionRunnerOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.readModelChanges = new CoalescedNotifier(db, READ_MODEL_CHANGED_CHANNEL);
  }

  async start(): Promise<void> {
    await migrateCheckpoints(this.db);
    for (const consumer of this.consumers) {
      if (consumer.kind === 'projection') await consumer.migrate(this.db);
    }
    this.stopListening = this.store.onAppended(() => {
      this.appendGeneration++;
      this.wakeAll();
    });
    for (const consumer of this.consumers) {
      this.statuses.set(consumer.name, { name: consumer.name, owned: false, lastError: null });
      this.loops.push(this.run(consumer));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopListening?.();
    this.wakeAll();
    for (const wake of [...this.stopSleepers]) wake();
    await Promise.all(this.loops);
    await this.readModelChanges.settled();
  }

  status(): ConsumerStatus[] {
    return [...this.statuses.values()].map((status) => ({ ...status }));
  }

  /** Resolves once every consumer (or those of one kind), whichever instance owns it, has reached the end of the global order. */
  async waitUntilCaughtUp(timeoutMs = 30_000, kind?: Consumer['kind']): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const behind = [];
      for (const consumer of this.consumers.filter((c) => kind === undefined || c.kind === kind)) {
        const checkpoint = await readCheckpoint(this.db, consumer.name);
        if (await this.store.hasEventsAfter(checkpoint)) behind.push(consumer.name);
      }
      if (behind.length === 0) return;
      if (Date.now() > deadline) throw new Error(`consumers still behind after ${timeoutMs} ms: ${behind.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private async run(consumer: Consumer): Promise<void> {
    const status = this.statuses.get(consumer.name)!;
    let failures = 0;
    while (!this.stopped) {
      let lease: Lease | null = null;
      try {
        lease = await this.db.tryLease(`consumer:${consumer.name}`);
        if (!lease) {
          await this.sleep(this.options.leaseRetryMs, false);
          continue;
        }
        status.owned = true;
        // What a rebuild that stopped short left to be made (the dashboard's repeat spells) is made
        // before this instance feeds the read model on from its checkpoint.
        if (consumer.kind === 'projection') await consumer.resume?.(this.db);
        await this.drainWhileOwned(consumer, lease, () => {
          failures = 0;
          status.lastError = null;
        });
      } catch (error) {
        if (!(error instanceof OwnershipLost)) {
          failures++;
          status.lastError = (error as Error).message;
          this.logger.error(`consumer ${consumer.name} failed, retrying: ${(error as Error).message}`);
          await this.sleep(Math.min(30_000, 200 * 2 ** Math.min(failures, 8)), false);
        }
      } finally {
        status.owned = false;
        await lease?.release();
      }
    }
  }

  private async drainWhileOwned(consumer: Consumer, lease: Lease, onProgress: () => void): Promise<void> {
    let owned = true;
    void lease.lost.then(() => {
      owned = false;
      this.wakeAll();
    });
    let checkpoint = await readCheckpoint(this.db, consumer.name);
    let heldBackMs = 0;
    while (!this.stopped && owned) {
      const generation = this.appendGeneration;
      const events = await this.readShared(checkpoint, generation);
      if (events.length === 0) {
        // An append that woke us while we were reading is not lost: look again at once.
        if (generation !== this.appendGeneration) continue;
        // Committed events held back behind a transaction still in flight are released by that
        // commit, which wakes nobody: look again soon, backing off, rather than after a full poll.
        heldBackMs = (await this.store.hasEventsAfter(checkpoint)) ? Math.min(this.options.pollIntervalMs, Math.max(2, heldBackMs * 2)) : 0;
        await this.sleep(heldBackMs || this.options.pollIntervalMs);
        continue;
      }
      heldBackMs = 0;
      const next = events[events.length - 1].checkpoint;
      if (consumer.kind === 'projection') {
        await this.db.transaction(async (tx) => {
          await applyToProjection(consumer, events, tx, 'live');
          if (!(await advanceCheckpoint(tx, consumer.name, checkpoint, next, events.length))) throw new OwnershipLost();
        });
        // After the commit, to every instance: live views refresh only from what is committed.
        this.readModelChanges.announce(consumer.name);
      } else {
        await consumer.handle(events);
        if (!(await advanceCheckpoint(this.db, consumer.name, checkpoint, next, events.length))) throw new OwnershipLost();
      }
      checkpoint = next;
      onProgress();
      if (events.length < this.options.batchSize && this.options.gatherMs > 0) await this.sleep(this.options.gatherMs, false);
    }
  }

  /**
   * The consumers wake together on an append and, when caught up, read from the same checkpoint:
   * one read (one query, each personal field decrypted once) answers all of them. Only a read that
   * is still in flight and began in the same append generation is shared, so no consumer is given
   * a result older than the append that woke it (which would put it back to sleep on an empty
   * answer). The events are shared objects: consumers read them and never change them.
   */
  private readShared(checkpoint: Checkpoint | null, generation: number): Promise<RecordedEvent[]> {
    const key = checkpoint ?? '';
    const inFlight = this.readsInFlight.get(key);
    if (inFlight && inFlight.generation === generation) return inFlight.events;
    const events = this.store.readAll(checkpoint, this.options.batchSize);
    const read = { generation, events };
    this.readsInFlight.set(key, read);
    const settled = () => {
      if (this.readsInFlight.get(key) === read) this.readsInFlight.delete(key);
    };
    events.then(settled, settled);
    return events;
  }

  /** Sleeps `ms`; a wakeable sleep also ends when events are appended (and every sleep on stop). */
  private sleep(ms: number, wakeable = true): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        this.stopSleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      (wakeable ? this.sleepers : this.stopSleepers).add(wake);
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.sleepers]) wake();
  }
}
