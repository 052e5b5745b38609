import { randomUUID } from 'node:crypto';
import { PgDatabase } from '../src/database/pg-database';
import { ChildDataKeys } from '../src/erasure/child-data-keys';
import { EncryptingEventStore } from '../src/erasure/encrypting-event-store';
import { ERASED, isSealed } from '../src/erasure/field-encryption';
import type { EventStore, NewEvent, RecordedEvent } from '../src/event-store/event-store.port';
import { SqlEventStore } from '../src/event-store/postgres/sql-event-store';
import { describeEventStoreContract } from './event-store.contract';
import { freshPostgresUrl } from './support/databases';
import { eventually } from './support/deadlines';

const SECRET = 'a-data-encryption-key-long-enough-for-tests';
const actor = { userId: 'officer-1', role: 'officer', district: 'Sheffield' };
const event = (type: string, data: object): NewEvent => ({ id: randomUUID(), type, data, metadata: { actor, correlationId: 'c', causationId: null } });
const registered = (childId: string) =>
  event('ChildRegistered', { childId, profile: { firstName: 'Zephyrine', dateOfBirth: '2012-03-04', localAuthority: 'Sheffield', philomenaProfile: { phones: ['07700 900461'] } } });

interface Instance {
  db: PgDatabase;
  keys: ChildDataKeys;
  store: EventStore;
}

async function instance(url: string, secret = SECRET): Promise<Instance> {
  const db = new PgDatabase(url);
  const keys = await ChildDataKeys.open(db, secret);
  return { db, keys, store: new EncryptingEventStore(await SqlEventStore.open(db), keys) };
}

describe('event store contract through the encryption of personal fields', () => {
  describeEventStoreContract(async () => {
    const { db, store } = await instance(await freshPostgresUrl());
    const close = store.close.bind(store);
    store.close = async () => {
      await close();
      await db.close();
    };
    return store;
  }, { narrowsByData: true });
});

describe('personal fields in a child stream', () => {
  let url: string;
  let one: Instance;
  let two: Instance;
  const childId = randomUUID();
  const stream = `child-${childId}`;

  beforeAll(async () => {
    url = await freshPostgresUrl();
    one = await instance(url);
    two = await instance(url);
  });

  afterAll(async () => {
    for (const { store, db } of [one, two]) {
      await store.close();
      await db.close();
    }
  });

  const rawEvents = async () => (await one.db.query<{ data: string }>('SELECT data::text AS data FROM events')).map((row) => row.data).join('\n');

  it('are stored encrypted and read back in clear, by every instance and every read path', async () => {
    await one.store.append(stream, [registered(childId), event('RiskAssessed', { episodeId: 'e1', grade: 'high', rationale: 'seen with Mr Quillfeather', assessedBy: 'officer-1', assessedAt: '2026-11-25T07:00:00Z' })], 'no_stream');
    const raw = await rawEvents();
    for (const plain of ['Zephyrine', '2012-03-04', '07700 900461', 'Quillfeather']) expect(raw).not.toContain(plain);
    expect(raw).toContain('Sheffield');

    const [fromStream] = await two.store.readStream(stream);
    expect(fromStream.data).toMatchObject({ profile: { firstName: 'Zephyrine', philomenaProfile: { phones: ['07700 900461'] } } });
    // The global order holds events back while any older transaction is in flight (other suites share the server).
    const all = await eventually(() => two.store.readAll(null, 10), (read) => read.length === 2);
    expect(all[1].data).toMatchObject({ rationale: 'seen with Mr Quillfeather', grade: 'high' });
    expect(fromStream.erased).toBeUndefined();
  });

  it('are opened once by an instance that reads them again, by any read path', async () => {
    const [fromStream] = await two.store.readStream(stream);
    const [fromAll] = await eventually(() => two.store.readAll(null, 10), (read) => read.length === 2);
    // The same object: served from what the first read opened, not opened again.
    expect(fromAll.data).toBe(fromStream.data);
    expect((await one.store.readStream(stream))[0].data).not.toBe(fromStream.data);
  });

  it('opens of a filtered read only what it names: the personal fields of a type, or those under a path of it', async () => {
    const read = (personalDataOf: string[]) =>
      eventually(() => two.store.readAll(null, 10, { types: ['ChildRegistered', 'RiskAssessed'], personalDataOf }), (events) => events.length === 2);
    // Both events were opened whole by this instance before: a read of a part is not served that.
    const [registeredInPart, assessedSealed] = await read(['ChildRegistered.profile.philomenaProfile']);
    const profile = (registeredInPart.data as { profile: Record<string, unknown> }).profile;
    expect(profile.philomenaProfile).toEqual({ phones: ['07700 900461'] });
    expect(isSealed(profile.firstName) && isSealed(profile.dateOfBirth)).toBe(true);
    expect(profile.localAuthority).toBe('Sheffield');
    expect(isSealed((assessedSealed.data as { rationale: string }).rationale)).toBe(true);
    const [, assessed] = await read(['RiskAssessed']);
    expect(assessed.data).toMatchObject({ rationale: 'seen with Mr Quillfeather' });
    await expect(read(['ChildRegistered.profile.localAuthority'])).rejects.toThrow(/ChildRegistered.profile.localAuthority holds no personal value/);
  });

  it('passes plaintext stored before encryption through', async () => {
    const inner = await SqlEventStore.open(one.db);
    await inner.append(stream, [event('SightingRecorded', { episodeId: 'e1', sightingId: 's1', seenAt: '2026-11-25T08:00:00Z', place: 'Old plaintext bus station' })], 1);
    await inner.close();
    const events = await one.store.readStream(stream);
    expect(events[2].data).toMatchObject({ place: 'Old plaintext bus station' });
  });

  it('leaves an event\'s metadata unread until its reader reads it, opened afresh or again', async () => {
    let metadataReads = 0;
    const countingMetadataReads = (event: RecordedEvent) => {
      const read = Object.getOwnPropertyDescriptor(event, 'metadata')!.get!;
      return Object.defineProperty(event, 'metadata', { enumerable: true, get: () => (metadataReads++, read.call(event)) });
    };
    const inner = await SqlEventStore.open(one.db);
    const watched: EventStore = Object.assign(Object.create(inner), {
      readStream: async (name: string) => (await inner.readStream(name)).map(countingMetadataReads),
    });
    const store = new EncryptingEventStore(watched, one.keys);
    try {
      const [afresh] = await store.readStream(stream);
      const [again] = await store.readStream(stream);
      expect(again.data).toBe(afresh.data);
      expect(afresh.data).toMatchObject({ profile: { firstName: 'Zephyrine' } });
      expect(metadataReads).toBe(0);
      expect([afresh.metadata.actor.userId, again.metadata.actor.userId]).toEqual(['officer-1', 'officer-1']);
      expect(metadataReads).toBe(2);
    } finally {
      await inner.close(); // its listener holds a connection of the pool the suite closes
    }
  });

  it('read as erased everywhere once the key is destroyed, the other instance told at once', async () => {
    await two.store.readStream(stream); // the other instance holds the key in its cache
    await one.keys.destroy(childId);
    const events = await eventually(() => two.store.readStream(stream), (read) => read[0].erased !== undefined, 5_000);
    expect(events[0].data).toMatchObject({ profile: { firstName: ERASED, dateOfBirth: ERASED, localAuthority: 'Sheffield', philomenaProfile: { phones: [ERASED] } } });
    expect(events[0].erased).toEqual(['profile.firstName', 'profile.dateOfBirth', 'profile.philomenaProfile.phones.0']);
    expect(events[1].data).toMatchObject({ rationale: ERASED, grade: 'high', assessedBy: 'officer-1' });
    // What was done, when and by whom stays.
    expect(events.map((e) => [e.type, e.metadata.actor.userId])).toEqual([
      ['ChildRegistered', 'officer-1'],
      ['RiskAssessed', 'officer-1'],
      ['SightingRecorded', 'officer-1'],
    ]);
    // Even the plaintext written before encryption reads as erased.
    expect(events[2].data).toMatchObject({ place: ERASED });
    const all = await eventually(() => one.store.readAll(null, 10), (read) => read.length === 3);
    expect(JSON.stringify(all.map((e) => e.data))).not.toMatch(/Zephyrine|Quillfeather|900461/);
    // A read of a part finds that part erased, and leaves the rest as stored.
    const [inPart] = await one.store.readAll(null, 10, { types: ['ChildRegistered'], personalDataOf: ['ChildRegistered.profile.firstName'] });
    expect(inPart.erased).toEqual(['profile.firstName']);
    expect(isSealed((inPart.data as { profile: { dateOfBirth: string } }).profile.dateOfBirth)).toBe(true);
  });

  it('never gets a new key: personal fields appended afterwards are stored erased', async () => {
    await one.store.append(stream, [event('EscalationAcknowledged', { escalationId: 'x', acknowledgedBy: 'inspector-1', role: 'senior-officer', note: 'spoke to Zephyrine', acknowledgedAt: '2026-11-26T07:00:00Z' })], 'any');
    expect(await rawEvents()).not.toContain('spoke to Zephyrine');
    const [row] = await one.db.query<{ wrapped_key: string | null }>('SELECT wrapped_key FROM child_data_keys WHERE child_id = $1', [childId]);
    expect(row.wrapped_key).toBeNull();
  });

  it('refuses to open with another key-encryption key, saying which setting is wrong', async () => {
    const other = randomUUID();
    await one.store.append(`child-${other}`, [registered(other)], 'no_stream');
    const wrong = await instance(url, 'not-the-data-encryption-key-that-was-used');
    try {
      await expect(wrong.store.readStream(`child-${other}`)).rejects.toThrow(/DATA_ENCRYPTION_KEY/);
    } finally {
      await wrong.store.close();
      await wrong.db.close();
    }
  });
});
