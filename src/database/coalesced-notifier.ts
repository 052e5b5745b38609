import type { SqlDatabase } from './sql-database';

/**
 * NOTIFY after the fact, outside any transaction: one statement in flight per channel and process,
 * and whatever is announced meanwhile goes out together in the next one (payloads joined by
 * commas). A NOTIFY inside a transaction takes PostgreSQL's database-wide notification-queue lock
 * from the NOTIFY to the end of its commit, so every notifying commit waits for the others (8
 * appending writers: a quarter of the INSERT throughput); after the commit it holds up nothing.
 * NOTIFYs go out at most once every `spacingMs`: sent back to back, under 8 appending writers
 * they were a fifth of the single-event append's cost. A listener in another process hears of
 * everything at most one spacing and one round trip late (this process's own listeners are woken
 * directly); a notification lost with a crash or a dropped connection costs it one poll interval,
 * the fallback it has anyway.
 */
export class CoalescedNotifier {
  private inFlight: Promise<void> | null = null;
  private readonly pending = new Set<string>();

  constructor(
    private readonly db: SqlDatabase,
    private readonly channel: string,
    private readonly spacingMs = 10,
  ) {}

  announce(payload: string): void {
    this.pending.add(payload);
    if (!this.inFlight) this.send();
  }

  async settled(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  private send(): void {
    const payload = [...this.pending].join(',');
    this.pending.clear();
    const notified = this.db.query('SELECT pg_notify($1, $2)', [this.channel, payload]).catch(() => undefined);
    const spaced = new Promise((resolve) => setTimeout(resolve, this.spacingMs).unref());
    this.inFlight = Promise.all([notified, spaced])
      .then(() => undefined)
      .finally(() => {
        this.inFlight = null;
        if (this.pending.size > 0) this.send();
      });
  }
}
