import { randomUUID } from 'node:crypto';
import {
  EventStore,
  IdempotencyMismatch,
  NewEvent,
  RecordedEvent,
  WrongExpectedVersion,
} from '../src/event-store/event-store.port';

/**
 * The behaviour every event store adapter must have. Each adapter's suite calls this with a
 * factory for a fresh store, opened once per suite; every test writes streams of its own.
 * `narrowsByData`: the store leaves unsent the events a filter's `where` does not want.
 */
export function describeEventStoreContract(openStore: () => Promise<EventStore>, { narrowsByData = false } = {}): void {
  let store: EventStore;
  beforeAll(async () => {
    store = await openStore();
  });
  afterAll(async () => {
    await store?.close();
  });

  const stream = () => `contract-${randomUUID()}`;
  const event = (type = 'SomethingHappened', data: Record<string, unknown> = {}): NewEvent => ({
    id: randomUUID(),
    type,
    schemaVersion: 2,
    data,
    metadata: {
      actor: { userId: 'officer-7', role: 'officer', district: 'Sheffield' },
      correlationId: randomUUID(),
      causationId: null,
    },
  });

  /**
   * The global order hands out an event once no older transaction is still in flight anywhere on
   * the server (other suites write to the same PostgreSQL), so a reader may have to look again.
   */
  async function readUntil(batchSize: number, done: (seen: RecordedEvent[]) => boolean): Promise<RecordedEvent[]> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const seen = await readWholeGlobalOrder(batchSize);
      if (done(seen) || Date.now() > deadline) return seen;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async function readWholeGlobalOrder(batchSize: number): Promise<RecordedEvent[]> {
    const seen: RecordedEvent[] = [];
    let checkpoint: string | null = null;
    for (;;) {
      const page = await store.readAll(checkpoint, batchSize);
      if (page.length === 0) return seen;
      seen.push(...page);
      checkpoint = page[page.length - 1].checkpoint;
    }
  }

  it('appends to a new stream and reads it back with every piece of metadata', async () => {
    const name = stream();
    const first = event('ChildRegistered', { childId: 'c-1' });
    const second = event('ChildProfileUpdated', { ethnicity: 'White British' });
    const result = await store.append(name, [first, second], 'no_stream');

    expect(result).toEqual({ streamVersion: 1, appended: 2 });
    const events = await store.readStream(name);
    expect(events.map((e) => [e.id, e.type, e.streamVersion, e.stream])).toEqual([
      [first.id, 'ChildRegistered', 0, name],
      [second.id, 'ChildProfileUpdated', 1, name],
    ]);
    expect(events[0].data).toEqual({ childId: 'c-1' });
    expect(events[0].schemaVersion).toBe(2);
    expect(events[0].metadata).toEqual(first.metadata);
    expect(events[0].recordedAt).toBeInstanceOf(Date);
    expect(Math.abs(events[0].recordedAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(events[1].position).toBeGreaterThan(events[0].position);
  });

  it('reads an unknown stream as empty', async () => {
    expect(await store.readStream(stream())).toEqual([]);
  });

  it('reads a stream from a version on', async () => {
    const name = stream();
    await store.append(name, [event(), event(), event()], 'no_stream');
    expect((await store.readStream(name, 1)).map((e) => e.streamVersion)).toEqual([1, 2]);
  });

  it('appends with the exact expected version and refuses a stale one with WrongExpectedVersion', async () => {
    const name = stream();
    await store.append(name, [event()], 'no_stream');
    expect(await store.append(name, [event()], 0)).toEqual({ streamVersion: 1, appended: 1 });

    const stale = store.append(name, [event()], 0);
    await expect(stale).rejects.toBeInstanceOf(WrongExpectedVersion);
    await expect(store.append(name, [event()], 0)).rejects.toMatchObject({ stream: name, expected: 0, actual: 1 });
    expect(await store.readStream(name)).toHaveLength(2);
  });

  it('refuses an expected version ahead of the stream', async () => {
    const name = stream();
    await store.append(name, [event()], 'no_stream');
    await expect(store.append(name, [event()], 5)).rejects.toBeInstanceOf(WrongExpectedVersion);
  });

  it('refuses no_stream for a stream that exists, and a version for one that does not', async () => {
    const name = stream();
    await store.append(name, [event()], 'no_stream');
    await expect(store.append(name, [event()], 'no_stream')).rejects.toMatchObject({ actual: 0 });
    await expect(store.append(stream(), [event()], 0)).rejects.toMatchObject({ actual: 'no_stream' });
  });

  it('appends with any expected version whatever the stream holds', async () => {
    const name = stream();
    await store.append(name, [event()], 'any');
    await store.append(name, [event(), event()], 'any');
    expect((await store.readStream(name)).map((e) => e.streamVersion)).toEqual([0, 1, 2]);
  });

  it('is idempotent by event id: the same batch again stores nothing new and succeeds', async () => {
    const name = stream();
    const batch = [event(), event()];
    await store.append(name, batch, 'no_stream');
    await store.append(name, [event()], 1);

    expect(await store.append(name, batch, 'no_stream')).toEqual({ streamVersion: 1, appended: 0 });
    expect(await store.append(name, batch, 'any')).toMatchObject({ appended: 0 });
    expect(await store.readStream(name)).toHaveLength(3);
  });

  it('refuses a retry that matches only part of an earlier batch', async () => {
    const name = stream();
    const stored = event();
    await store.append(name, [stored], 'no_stream');
    await expect(store.append(name, [stored, event()], 'any')).rejects.toBeInstanceOf(IdempotencyMismatch);
    expect(await store.readStream(name)).toHaveLength(1);
  });

  it('lets exactly one of two writers with the same expected version win', async () => {
    const name = stream();
    await store.append(name, [event()], 'no_stream');
    const results = await Promise.allSettled([store.append(name, [event()], 0), store.append(name, [event()], 0)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refusal = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refusal.reason).toBeInstanceOf(WrongExpectedVersion);
  });

  it('reads the global order in batches from a checkpoint, every event once', async () => {
    const streams = [stream(), stream(), stream()];
    const appended: string[] = [];
    for (let round = 0; round < 5; round++) {
      for (const name of streams) {
        const batch = [event(), event()];
        await store.append(name, batch, 'any');
        appended.push(...batch.map((e) => e.id));
      }
    }
    const isOurs = (e: RecordedEvent) => streams.includes(e.stream);
    const seen = await readUntil(4, (events) => events.filter(isOurs).length >= appended.length);
    const ours = seen.filter(isOurs).map((e) => e.id);
    expect(ours).toEqual(appended);
    const last = seen.filter(isOurs).at(-1)!;
    const resumed = await store.readAll(last.checkpoint, 1000);
    expect(resumed.filter(isOurs)).toEqual([]);
  });

  it('resumes the global order after a checkpoint without repeating it', async () => {
    const name = stream();
    await store.append(name, [event(), event(), event()], 'no_stream');
    const all = (await readUntil(100, (events) => events.filter((e) => e.stream === name).length === 3)).filter(
      (e) => e.stream === name,
    );
    const after = await readWholeGlobalOrderFrom(all[0].checkpoint);
    expect(after.filter((e) => e.stream === name).map((e) => e.streamVersion)).toEqual([1, 2]);
  });

  it('reads only the types asked for, in the global order, page by page', async () => {
    // Types of this test's own, so other suites' events on the same server cannot match.
    const [wanted, alsoWanted, other] = ['Wanted', 'AlsoWanted', 'Other'].map((name) => `${name}${randomUUID().slice(0, 8)}`);
    const name = stream();
    const types = [wanted, other, alsoWanted, other, other, wanted, alsoWanted, other];
    const batch = types.map((type) => event(type));
    await store.append(name, batch, 'no_stream');
    await readUntil(100, (events) => events.filter((e) => e.stream === name).length === batch.length);

    const filter = { types: [wanted, alsoWanted] };
    const pages: RecordedEvent[][] = [];
    let checkpoint: string | null = null;
    for (let page = await store.readAll(null, 2, filter); page.length > 0; page = await store.readAll(checkpoint, 2, filter)) {
      pages.push(page);
      checkpoint = page[page.length - 1].checkpoint;
    }
    expect(pages.flat().map((e) => e.id)).toEqual(batch.filter((e) => e.type !== other).map((e) => e.id));
    expect(pages.map((page) => page.length)).toEqual([2, 2]);
    if (store.countEvents) expect(await store.countEvents(filter)).toBe(4);
  });

  it('reads a type narrowed by a field of its data: every event holding a wanted value, in order, and the other types as asked', async () => {
    const [narrowed, plain, other] = ['Narrowed', 'Plain', 'Other'].map((name) => `${name}${randomUUID().slice(0, 8)}`);
    const name = stream();
    const batch = [
      event(narrowed, { rule: 'wanted' }),
      event(narrowed, { rule: 'unwanted' }),
      event(plain, { rule: 'unwanted' }),
      event(other, { rule: 'wanted' }),
      event(narrowed, {}),
      event(narrowed, { rule: 'also-wanted' }),
    ];
    await store.append(name, batch, 'no_stream');
    await readUntil(100, (events) => events.filter((e) => e.stream === name).length === batch.length);

    const filter = { types: [narrowed, plain], where: { [narrowed]: { field: 'rule', values: ['wanted', 'also-wanted'] } } };
    const read: RecordedEvent[] = [];
    let checkpoint: string | null = null;
    for (let page = await store.readAll(null, 2, filter); page.length > 0; page = await store.readAll(checkpoint, 2, filter)) {
      read.push(...page);
      checkpoint = page[page.length - 1].checkpoint;
    }
    const wanted = [batch[0], batch[2], batch[5]].map((e) => e.id);
    // A store may send a narrowed type's other events too (KurrentDB filters by type alone): readers check.
    expect(read.map((e) => e.id).filter((id) => wanted.includes(id))).toEqual(wanted);
    expect(read.every((e) => filter.types.includes(e.type))).toBe(true);
    if (narrowsByData) {
      expect(read.map((e) => e.id)).toEqual(wanted);
      if (store.countEvents) expect(await store.countEvents(filter)).toBe(3);
    }
  });

  async function readWholeGlobalOrderFrom(checkpoint: string): Promise<RecordedEvent[]> {
    return store.readAll(checkpoint, 1000);
  }

  it('says whether committed events lie after a checkpoint', async () => {
    const name = stream();
    await store.append(name, [event(), event()], 'no_stream');
    const ours = (await readUntil(100, (events) => events.filter((e) => e.stream === name).length === 2)).filter(
      (e) => e.stream === name,
    );
    expect(await store.hasEventsAfter(ours[0].checkpoint)).toBe(true);
    expect(await store.hasEventsAfter(null)).toBe(true);
  });

  it('tells listeners that events were appended', async () => {
    let stop = () => undefined as unknown;
    const woken = new Promise<void>((resolve) => (stop = store.onAppended(resolve)));
    await store.append(stream(), [event()], 'no_stream');
    await expect(woken).resolves.toBeUndefined();
    stop();
  });
}
