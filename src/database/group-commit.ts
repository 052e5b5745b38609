/**
 * Writes what concurrent requests add in shared statements: one statement in flight at a time,
 * and what is added meanwhile goes into the next (up to `maxBatch` items). Each `add` settles when
 * the statement holding its item has committed, with that item's result, or fails with it. Under
 * load the rows of many requests share one round trip and one commit (a request's path used to be
 * five of each, and round trips on a loopback socket were most of a report's CPU); a request alone
 * waits for no one.
 *
 * `write` returns one result per item, in order. It must be safe to run the items of different
 * requests in one statement: independent rows, idempotent upserts.
 */
export class GroupCommit<T, R = void> {
  private queue: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  private writing = false;

  constructor(
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 256,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const results = await this.write(batch.map(({ item }) => item));
          batch.forEach(({ resolve }, i) => resolve(results[i]));
        } catch (error) {
          for (const { reject } of batch) reject(error);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
