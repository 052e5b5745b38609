import type { AppendResult, Checkpoint, EventStore, ExpectedVersion, NewEvent, ReadFilter, RecordedEvent } from '../event-store/event-store.port';
import type { ChildDataKeys, ChildKey } from './child-data-keys';
import { ERASED, isSealed, open, seal } from './field-encryption';
import { isWithin, mapPersonalStrings, openedPathsOf, personalPathsOf } from './personal-data';
import { RecentlyOpened } from './recently-opened';

const CHILD_STREAM_PREFIX = 'child-';

/**
 * Crypto-shredding at the event store port: the personal fields of a child's events (see
 * PERSONAL_DATA) are sealed with the child's key on append and opened on every read, so events
 * never change and destroying the key erases them. Wraps any adapter; nothing above it sees
 * ciphertext, nothing below it sees plaintext.
 */
export class EncryptingEventStore implements EventStore {
  /** Only where the adapter can tell cheaply, as the port says. */
  readonly countEvents?: (filter?: ReadFilter) => Promise<number>;
  private readonly recentlyOpened = new RecentlyOpened();

  constructor(
    private readonly inner: EventStore,
    private readonly keys: ChildDataKeys,
  ) {
    if (inner.countEvents) this.countEvents = (filter) => inner.countEvents!(filter);
  }

  async append(stream: string, events: NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    const childId = childIdOf(stream);
    if (childId === null || !events.some((event) => personalPathsOf(event.type).length > 0)) {
      return this.inner.append(stream, events, expected);
    }
    const key = await this.keys.keyFor(childId);
    const sealed = events.map((event) => ({
      ...event,
      // After an erasure nothing personal is stored again, even if a command carried some.
      data: mapPersonalStrings(event.type, event.data, (value, where) =>
        key === 'erased' ? ERASED : seal(key, value, aadOf(stream, event.id, where)),
      ),
    }));
    return this.inner.append(stream, sealed, expected);
  }

  async readStream(stream: string, fromVersion?: number): Promise<RecordedEvent[]> {
    const events = await this.inner.readStream(stream, fromVersion);
    const childId = childIdOf(stream);
    if (childId === null || events.length === 0) return events;
    const key = await this.keys.existingKeyFor(childId);
    return events.map((event) => this.openEvent(event, key));
  }

  async readAll(after: Checkpoint | null, limit: number, filter?: ReadFilter): Promise<RecordedEvent[]> {
    const events = await this.inner.readAll(after, limit, filter);
    // Opening a value costs a cipher context (about 4 µs): most of a rebuild's read, for values most read models never look at.
    const opened = filter?.personalDataOf ? openedPathsOf(filter.personalDataOf) : null;
    const opens = (event: RecordedEvent) => (opened === null || opened.has(event.type)) && personalPathsOf(event.type).length > 0;
    const keys = await this.keys.existingKeysFor(events.filter(opens).map((event) => childIdOf(event.stream)).filter((childId) => childId !== null));
    return events.map((event) => {
      const childId = childIdOf(event.stream);
      if (childId === null || !opens(event)) return event;
      const paths = opened?.get(event.type) ?? null;
      // Opened in part, an event is not what a reader of the whole would be served from RecentlyOpened.
      return paths === null ? this.openEvent(event, keys.get(childId) ?? null) : openEvent(event, keys.get(childId) ?? null, paths);
    });
  }

  hasEventsAfter(after: Checkpoint | null): Promise<boolean> {
    return this.inner.hasEventsAfter(after);
  }

  onAppended(listener: () => void): () => void {
    return this.inner.onAppended(listener);
  }

  private openEvent(event: RecordedEvent, key: ChildKey | null): RecordedEvent {
    if (!Buffer.isBuffer(key) || personalPathsOf(event.type).length === 0) return openEvent(event, key);
    const data = this.recentlyOpened.dataOf(event, key);
    if (data !== undefined) return withData(event, data);
    const opened = openEvent(event, key);
    this.recentlyOpened.remember(event, key, opened.data);
    return opened;
  }

  async close(): Promise<void> {
    this.recentlyOpened.clear();
    await this.keys.close();
    await this.inner.close();
  }
}

/**
 * Sealed values open with the child's key; once the key is destroyed every personal string reads
 * as erased, including plaintext stored before encryption existed (that plaintext is still in the
 * events table: see the README). With `paths`, only the values at or under them: the rest stay as stored.
 */
function openEvent(event: RecordedEvent, key: ChildKey | null, paths?: readonly string[]): RecordedEvent {
  if (personalPathsOf(event.type).length === 0) return event;
  const erased = new Set<string>();
  const data = mapPersonalStrings(event.type, event.data, (value, where) => {
    if (paths && !paths.some((path) => isWithin(where, path))) return value;
    if (key === 'erased' || (key === null && isSealed(value))) {
      erased.add(where);
      return ERASED;
    }
    return isSealed(value) ? open(key!, value, aadOf(event.stream, event.id, where)) : value;
  });
  return withData(event, data, erased.size > 0 ? [...erased] : undefined);
}

/**
 * The event with its data opened. Not a spread: the SQL store's events parse their metadata when it
 * is first read, and a spread reads it, on V8's slow path for a getter (in a CPU profile of a
 * casework rebuild that copy and the parse were a tenth of the process's samples; BENCHMARKS.md).
 */
function withData(event: RecordedEvent, data: unknown, erased?: readonly string[]): RecordedEvent {
  const opened: RecordedEvent = {
    id: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    stream: event.stream,
    streamVersion: event.streamVersion,
    position: event.position,
    checkpoint: event.checkpoint,
    recordedAt: event.recordedAt,
    data,
    get metadata() {
      return event.metadata;
    },
  };
  const erasedFields = erased ?? event.erased;
  if (erasedFields) opened.erased = erasedFields;
  return opened;
}

const childIdOf = (stream: string): string | null => (stream.startsWith(CHILD_STREAM_PREFIX) ? stream.slice(CHILD_STREAM_PREFIX.length) : null);

const aadOf = (stream: string, eventId: string, where: string): string => `${stream}/${eventId}/${where}`;
