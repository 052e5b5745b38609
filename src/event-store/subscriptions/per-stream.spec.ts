import type { RecordedEvent } from '../event-store.port';
import { forEachStreamInOrder } from './per-stream';

const event = (stream: string, n: number) => ({ stream, id: `${stream}#${n}` }) as RecordedEvent;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('forEachStreamInOrder', () => {
  it("keeps each stream's order and handles different streams at the same time", async () => {
    const events = [event('a', 0), event('b', 0), event('a', 1), event('c', 0), event('b', 1), event('a', 2)];
    const seen: string[] = [];
    let inFlight = 0;
    let most = 0;
    await forEachStreamInOrder(events, async (e) => {
      most = Math.max(most, ++inFlight);
      await pause(5);
      seen.push(e.id);
      inFlight--;
    });
    for (const stream of ['a', 'b', 'c']) {
      expect(seen.filter((id) => id.startsWith(stream))).toEqual(events.filter((e) => e.stream === stream).map((e) => e.id));
    }
    expect(most).toBe(3);
  });

  it('finishes every stream before passing a failure on, and stops the failing stream there', async () => {
    const seen: string[] = [];
    const run = forEachStreamInOrder([event('a', 0), event('a', 1), event('b', 0), event('b', 1)], async (e) => {
      if (e.id === 'a#0') throw new Error('a failed');
      await pause(5);
      seen.push(e.id);
    });
    await expect(run).rejects.toThrow('a failed');
    expect(seen).toEqual(['b#0', 'b#1']);
  });
});
