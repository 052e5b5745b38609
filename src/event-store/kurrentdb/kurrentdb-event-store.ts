import {
  ANY,
  AllStreamSubscription,
  AppendStreamState,
  BACKWARDS,
  CurrentStreamState,
  END,
  JSONType,
  KurrentDBClient,
  NO_STREAM,
  Position,
  RecordedEvent as KurrentRecordedEvent,
  ReadStreamOptions,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
} from '@kurrent/kurrentdb-client';
import {
  Actor,
  AppendResult,
  Checkpoint,
  EventStore,
  ExpectedVersion,
  IdempotencyMismatch,
  NewEvent,
  ReadFilter,
  RecordedEvent,
  WrongExpectedVersion,
} from '../event-store.port';

/** The port's metadata and schema version, plus the keys KurrentDB's own projections read. */
type StoredMetadata = {
  actor: Actor;
  correlationId: string;
  causationId: string | null;
  schemaVersion: number;
  $correlationId: string;
  $causationId?: string;
};

const RESUBSCRIBE_DELAY_MS = 1_000;

/**
 * The event store on KurrentDB (EventStoreDB). Streams, revisions and the global order ($all)
 * are the server's own; the port's idempotency is stricter than the server's, so refused and
 * replayed appends are settled here by comparing event ids. Ids are checked within the stream
 * only, and with `any` the server finds a replay only among recently written ids (a cache), so
 * a batch retried with `any` long after it was stored can be stored twice.
 */
export class KurrentDbEventStore implements EventStore {
  private readonly listeners = new Set<() => void>();
  private subscription: AllStreamSubscription | null = null;
  private resubscribeTimer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(private readonly client: KurrentDBClient) {}

  static async open(connectionString: string): Promise<KurrentDbEventStore> {
    const client = KurrentDBClient.connectionString(connectionString);
    try {
      // The client connects lazily: fail here, not at the first append, when the server is unreachable.
      await client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }).next();
    } catch (error) {
      await client.dispose();
      throw error;
    }
    return new KurrentDbEventStore(client);
  }

  async append(stream: string, events: NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    // The server answers a replayed batch like a fresh one, so only the version before tells them apart.
    const before = await this.lastVersion(stream);
    if (events.length === 0) return { streamVersion: before, appended: 0 };
    try {
      const result = await this.client.appendToStream(stream, events.map(toEventData), {
        streamState: toStreamState(expected),
      });
      const streamVersion = Number(result.nextExpectedRevision);
      if (streamVersion <= before) return { streamVersion, appended: 0 };
      this.wakeListeners();
      return { streamVersion, appended: events.length };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      // The server only recognises a replay at the version it was first written with.
      const replay = await this.alreadyStored(stream, events);
      if (replay) return replay;
      throw new WrongExpectedVersion(stream, expected, toActualVersion(error.actualState));
    }
  }

  readStream(stream: string, fromVersion = 0): Promise<RecordedEvent[]> {
    return this.read(stream, { fromRevision: BigInt(fromVersion) });
  }

  async hasEventsAfter(after: Checkpoint | null): Promise<boolean> {
    return (await this.readAll(after, 1)).length > 0;
  }

  async readAll(after: Checkpoint | null, limit: number, filter?: ReadFilter): Promise<RecordedEvent[]> {
    if (limit <= 0) return [];
    const from = after ? parseCheckpoint(after) : START;
    const events: RecordedEvent[] = [];
    // Filtered by the server; the names are the project's own event types, matched whole.
    const types = filter ? eventTypeFilter({ regex: `^(?:${filter.types.map(escapeRegex).join('|')})$` }) : excludeSystemEvents();
    // A forward read includes the event at its start position: one more covers the checkpoint's own.
    const read = this.client.readAll({ fromPosition: from, maxCount: limit + 1, filter: types });
    for await (const { event } of read) {
      if (!event || event.type.startsWith('$') || (from !== START && samePosition(event.position, from))) continue;
      events.push(toRecordedEvent(event));
      if (events.length === limit) break;
    }
    return events;
  }

  onAppended(listener: () => void): () => void {
    this.listeners.add(listener);
    if (!this.subscription) this.subscribe();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) void this.unsubscribe();
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await this.unsubscribe();
    await this.client.dispose();
  }

  private wakeListeners(): void {
    for (const listener of this.listeners) listener();
  }

  /** Appends by other processes reach this one only through a subscription to $all. */
  private subscribe(): void {
    const subscription = this.client.subscribeToAll({ fromPosition: END, filter: excludeSystemEvents() });
    subscription.on('data', () => this.wakeListeners());
    subscription.on('error', () => {
      if (this.subscription !== subscription) return;
      this.subscription = null;
      this.resubscribeTimer = setTimeout(() => {
        this.resubscribeTimer = null;
        if (this.closed || this.listeners.size === 0 || this.subscription) return;
        this.subscribe();
        // Events appended while the subscription was down woke no one.
        this.wakeListeners();
      }, RESUBSCRIBE_DELAY_MS);
      this.resubscribeTimer.unref();
    });
    this.subscription = subscription;
  }

  private async unsubscribe(): Promise<void> {
    if (this.resubscribeTimer) clearTimeout(this.resubscribeTimer);
    this.resubscribeTimer = null;
    const subscription = this.subscription;
    this.subscription = null;
    await subscription?.unsubscribe().catch(() => undefined);
  }

  private async read(stream: string, options: ReadStreamOptions): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const { event } of this.client.readStream(stream, options)) {
        if (event) events.push(toRecordedEvent(event));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  private async lastVersion(stream: string): Promise<number> {
    const [last] = await this.read(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
    return last ? last.streamVersion : -1;
  }

  /** The result of an earlier identical append, or null when none of the ids is in the stream. */
  private async alreadyStored(stream: string, events: NewEvent[]): Promise<AppendResult | null> {
    const wanted = new Set(events.map((event) => event.id.toLowerCase()));
    const stored = (await this.readStream(stream)).filter((event) => wanted.has(event.id.toLowerCase()));
    if (stored.length === 0) return null;
    if (new Set(stored.map((event) => event.id.toLowerCase())).size !== wanted.size) {
      throw new IdempotencyMismatch(stream);
    }
    return { streamVersion: Math.max(...stored.map((event) => event.streamVersion)), appended: 0 };
  }
}

function toEventData(event: NewEvent) {
  const metadata: StoredMetadata = {
    actor: event.metadata.actor,
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId,
    schemaVersion: event.schemaVersion ?? 1,
    $correlationId: event.metadata.correlationId,
    ...(event.metadata.causationId !== null && { $causationId: event.metadata.causationId }),
  };
  return jsonEvent({ id: event.id, type: event.type, data: event.data as JSONType, metadata });
}

function toRecordedEvent(event: KurrentRecordedEvent): RecordedEvent {
  const metadata = (event.metadata ?? {}) as Partial<StoredMetadata>;
  // Servers before 22.6 leave positions out of stream reads.
  const position = event.position ?? { commit: -1n, prepare: -1n };
  return {
    id: event.id,
    type: event.type,
    schemaVersion: metadata.schemaVersion ?? 1,
    stream: event.streamId,
    streamVersion: Number(event.revision),
    position: position.commit,
    checkpoint: `${position.commit}:${position.prepare}`,
    recordedAt: event.created,
    data: event.data,
    metadata: {
      actor: metadata.actor as Actor,
      correlationId: metadata.correlationId as string,
      causationId: metadata.causationId ?? null,
    },
  };
}

function toStreamState(expected: ExpectedVersion): AppendStreamState {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  return BigInt(expected);
}

function toActualVersion(state: CurrentStreamState): number | 'no_stream' {
  return typeof state === 'bigint' ? Number(state) : 'no_stream';
}

function parseCheckpoint(checkpoint: Checkpoint): Position {
  const match = /^(\d+):(\d+)$/.exec(checkpoint);
  if (!match) throw new Error(`not a checkpoint of the KurrentDB event store: ${checkpoint}`);
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}

function samePosition(a: Position, b: Position): boolean {
  return a.commit === b.commit && a.prepare === b.prepare;
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
