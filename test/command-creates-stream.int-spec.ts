import { randomUUID } from 'node:crypto';
import type { SqlDatabase } from '../src/database/sql-database';
import { type CommandContext, type Decider, handleCommand } from '../src/event-store/command-handling';
import type { EventStore } from '../src/event-store/event-store.port';
import { SqlEventStore } from '../src/event-store/postgres/sql-event-store';
import { freshPgliteDatabase, freshPostgresDatabase } from './support/databases';

/** A counter that starts once: `Start` on an empty stream, `Add` after it; `Start` again is refused. */
type Command = { type: 'Start'; at: string } | { type: 'Add' };
type Event = { type: 'Started'; at: string } | { type: 'Added' };
const counter: Decider<Command, { started: boolean; count: number }, Event> = {
  initialState: () => ({ started: false, count: 0 }),
  evolve: (state, event) => (event.type === 'Started' ? { ...state, started: true } : { ...state, count: state.count + 1 }),
  decide: (command, state) => {
    if (command.type === 'Start') {
      if (state.started) throw new Error('already started');
      return [{ type: 'Started', at: command.at }];
    }
    return [{ type: 'Added' }];
  },
};

const context = (commandId = randomUUID()): CommandContext => ({ actor: { userId: 'u', role: 'officer', district: 'Sheffield' }, commandId, correlationId: commandId });

/** The store, counting its stream reads. */
function counted(store: EventStore): EventStore & { reads: number } {
  const wrapped = Object.assign(Object.create(store) as EventStore, { reads: 0 });
  wrapped.readStream = (stream: string, from?: number) => {
    wrapped.reads++;
    return store.readStream(stream, from);
  };
  return wrapped;
}

describe.each([
  ['PostgreSQL', freshPostgresDatabase],
  ['embedded PGlite', freshPgliteDatabase],
])('a command that creates its stream (handleCommand createsStream), on %s', (_name, open) => {
  let db: SqlDatabase;
  let store: EventStore & { reads: number };

  beforeAll(async () => {
    db = await open();
    store = counted(await SqlEventStore.open(db));
  });
  afterAll(async () => {
    await store.close();
    await db.close();
  });
  beforeEach(() => {
    store.reads = 0;
  });

  it('appends without reading the stream first', async () => {
    const stream = `counter-${randomUUID()}`;
    const outcome = await handleCommand(store, stream, counter, { type: 'Start', at: 'first' }, context(), { createsStream: true });
    expect(outcome).toMatchObject({ events: [{ type: 'Started', at: 'first' }], replayed: false });
    expect(store.reads).toBe(0);
    expect((await store.readStream(stream)).map((event) => event.type)).toEqual(['Started']);
  });

  it('a retry of the same command answers with what the first try stored, and stores nothing more', async () => {
    const stream = `counter-${randomUUID()}`;
    const same = context();
    await handleCommand(store, stream, counter, { type: 'Start', at: 'first try' }, same, { createsStream: true });
    const retry = await handleCommand(store, stream, counter, { type: 'Start', at: 'second try' }, same, { createsStream: true });
    expect(retry).toMatchObject({ events: [{ type: 'Started', at: 'first try' }], replayed: true });
    expect((await store.readStream(stream)).map((event) => event.data)).toEqual([{ at: 'first try' }]);
  });

  it('a stream that exists after all: the append is refused, the decision taken again on what is stored', async () => {
    const stream = `counter-${randomUUID()}`;
    await handleCommand(store, stream, counter, { type: 'Start', at: 'someone else' }, context());
    await expect(handleCommand(store, stream, counter, { type: 'Start', at: 'mine' }, context(), { createsStream: true })).rejects.toThrow('already started');
    expect((await store.readStream(stream)).map((event) => event.data)).toEqual([{ at: 'someone else' }]);
  });
});
