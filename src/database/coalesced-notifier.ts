import type { SqlDatabase } from './sql-database';

/**
 * NOTIFY after the fact, outside any transaction: one statement in flight per channel and process,
 * and whatever is announced meanwhile goes out together in the next one (payloads joined by
 * commas). A NOTIFY inside a transaction takes PostgreSQL's database-wide notification-queue lock
 * from the NOTIFY to the end of its commit, so every notifying commit waits for the others (8
 * appending writers: a quarter of the INSERT throughput); after the commit it holds up nothing. A
 * listener hears of everything at most one NOTIFY round trip late; a notification lost with a
 * crash or a dropped connection costs it one poll interval, the fallback it has anyway.
 */
export class CoalescedNotifier {
  private inFlight: Promise<void> | null = null;
  private readonly pending = new Set<string>();

  constructor(
    private readonly db: SqlDatabase,
    private readonly channel: string,
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
    this.inFlight = this.db
      .query('SELECT pg_notify($1, $2)', [this.channel, payload])
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        this.inFlight = null;
        if (this.pending.size > 0) this.send();
      });
  }
}
