import type { RecordedEvent } from '../event-store/event-store.port';
import { setOldestOut } from '../shared/oldest-out';

/**
 * The opened data of the events read lately, each with the key that opened it. Every consumer of
 * the global order reads every event, most from a checkpoint of their own, and the escalation
 * policy and the command handlers read a child's stream again on each report: without this each of
 * them opened the same values again, at a cipher context a value (a report's events were opened
 * three or four times over).
 *
 * An entry serves only a read that holds the very key object that opened it, so a destroyed key
 * ('erased'), or a key forgotten and read again, opens afresh. Oldest first out: an erased child's
 * entries are never served again, and stay in memory until newer events push them out.
 */
export class RecentlyOpened {
  private readonly entries = new Map<string, { key: Buffer; data: unknown }>();

  constructor(private readonly capacity = 4_096) {}

  dataOf(event: RecordedEvent, key: Buffer): unknown {
    const entry = this.entries.get(placeOf(event));
    return entry?.key === key ? entry.data : undefined;
  }

  remember(event: RecordedEvent, key: Buffer, data: unknown): void {
    setOldestOut(this.entries, this.capacity, placeOf(event), { key, data });
  }

  clear(): void {
    this.entries.clear();
  }
}

const placeOf = (event: RecordedEvent): string => `${event.stream}/${event.id}`;
