import type { RecordedEvent } from '../event-store.port';

/**
 * Handles a batch's events stream by stream: each stream's events one after another in their
 * order, different streams at the same time (up to `concurrency`). A processor acting on one
 * child must see that child's events in order; ten children crossing a threshold together need
 * not wait for each other. Every stream is finished before a failure is passed on, so a retry of
 * the batch never overlaps a stream still being handled.
 */
export async function forEachStreamInOrder(
  events: readonly RecordedEvent[],
  handle: (event: RecordedEvent) => Promise<void>,
  concurrency = 16,
): Promise<void> {
  const byStream = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    const list = byStream.get(event.stream);
    if (list) list.push(event);
    else byStream.set(event.stream, [event]);
  }
  const streams = [...byStream.values()];
  const failures: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < streams.length) {
      const stream = streams[next++];
      try {
        for (const event of stream) await handle(event);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, streams.length) }, worker));
  if (failures.length > 0) throw failures[0];
}
