import { randomUUID } from 'node:crypto';
import type { PgDatabase } from '../src/database/pg-database';
import { CoalescedNotifier } from '../src/database/coalesced-notifier';
import { freshPostgresDatabase } from './support/databases';

describe('announcing through a CoalescedNotifier (PostgreSQL)', () => {
  let db: PgDatabase;

  beforeAll(async () => {
    db = await freshPostgresDatabase();
  });

  afterAll(async () => {
    await db.close();
  });

  // Payloads are few in use (the announcing instance's id, the read models changed): five here, over and over.
  it('lets every payload be heard, the last one last, in NOTIFYs at most one per spacing however fast they are announced', async () => {
    const channel = `notifier_${randomUUID().replace(/-/g, '')}`;
    const heard: string[] = [];
    const stop = await db.listen(channel, (payload) => {
      if (payload !== '') heard.push(payload);
    });
    const spacingMs = 20;
    const notifier = new CoalescedNotifier(db, channel, spacingMs);
    const announced: string[] = [];
    const started = performance.now();
    while (performance.now() - started < 200) {
      const payload = `p${announced.length % 5}`;
      announced.push(payload);
      notifier.announce(payload);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await notifier.settled();
    const elapsed = performance.now() - started;
    const last = announced[announced.length - 1];
    const deadline = Date.now() + 5_000;
    while (!heard[heard.length - 1]?.split(',').includes(last) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await stop();
    expect(new Set(heard.flatMap((payload) => payload.split(',')))).toEqual(new Set(announced));
    expect(heard[heard.length - 1].split(',')).toContain(last);
    expect(announced.length).toBeGreaterThan(100);
    expect(heard.length).toBeGreaterThan(1);
    expect(heard.length).toBeLessThanOrEqual(Math.ceil(elapsed / spacingMs) + 1);
  });
});
