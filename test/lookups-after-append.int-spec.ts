import { randomUUID } from 'node:crypto';
import { migrateChildDistricts, recordChildDistricts } from '../src/access/child-districts';
import { profileUpdated, registered, reported } from '../src/child-case/child-case.fixtures';
import type { ChildStreamEvent } from '../src/child-stream/child-stream';
import { directoryEntriesOf } from '../src/child-stream/child-stream';
import { LookupsAfterAppend } from '../src/child-stream/lookups-after-append';
import { migrateStreamDirectory, recordInDirectory } from '../src/child-stream/stream-directory';
import type { SqlDatabase } from '../src/database/sql-database';
import { freshPgliteDatabase, freshPostgresDatabase } from './support/databases';

/** The rows the projections write for the same events, one by one: what the handler's single statement must equal. */
async function rowByRow(db: SqlDatabase, childId: string, events: ChildStreamEvent[]): Promise<void> {
  for (const event of events) {
    for (const { kind, id } of directoryEntriesOf(event)) await recordInDirectory(db, kind, id, childId);
    await recordChildDistricts(db, childId, event);
  }
}

async function lookups(db: SqlDatabase, childId: string) {
  return {
    directory: await db.query('SELECT kind, id FROM stream_directory WHERE child_id = $1 ORDER BY kind, id', [childId]),
    districts: await db.query('SELECT district, tie FROM access_child_districts WHERE child_id = $1 ORDER BY district, tie', [childId]),
  };
}

describe.each([
  ['PostgreSQL', freshPostgresDatabase],
  ['embedded PGlite', freshPgliteDatabase],
])('the rows a command handler writes after its append, on %s', (_name, open) => {
  let db: SqlDatabase;

  beforeAll(async () => {
    db = await open();
    await migrateStreamDirectory(db);
    await migrateChildDistricts(db);
  });
  afterAll(() => db.close());

  const registeredAndReported = (childId: string): ChildStreamEvent[] => [
    registered({ childId, profile: { firstName: 'Amy', dateOfBirth: '2012-03-04', localAuthority: 'Sheffield' } }),
    reported({ childId, episodeId: randomUUID(), district: 'Rotherham' }),
  ];

  it('registering a child and reporting it missing: the directory entry and both districts, as the projections write them', async () => {
    const [mine, theirs] = [randomUUID(), randomUUID()];
    const events = registeredAndReported(mine);
    await new LookupsAfterAppend(db).record(mine, events);
    await rowByRow(db, theirs, registeredAndReported(theirs));
    const written = await lookups(db, mine);
    expect(written.districts).toEqual([
      { district: 'Rotherham', tie: 'episode' },
      { district: 'Sheffield', tie: 'local-authority' },
    ]);
    expect(written.directory).toEqual([{ kind: 'episode', id: (events[1] as { episodeId: string }).episodeId }]);
    expect((await lookups(db, theirs)).districts).toEqual(written.districts);
  });

  it('is idempotent: the projection writing the same rows after it changes nothing', async () => {
    const childId = randomUUID();
    const events = registeredAndReported(childId);
    await new LookupsAfterAppend(db).record(childId, events);
    const before = await lookups(db, childId);
    await rowByRow(db, childId, events);
    await new LookupsAfterAppend(db).record(childId, events);
    expect(await lookups(db, childId)).toEqual(before);
  });

  it('a child moved to another local authority: the old authority loses it, the districts of its episodes keep it', async () => {
    const childId = randomUUID();
    await new LookupsAfterAppend(db).record(childId, registeredAndReported(childId));
    await new LookupsAfterAppend(db).record(childId, [profileUpdated({ childId, changes: { localAuthority: 'Barnsley' } })]);
    expect((await lookups(db, childId)).districts).toEqual([
      { district: 'Barnsley', tie: 'local-authority' },
      { district: 'Rotherham', tie: 'episode' },
    ]);
  });

  it('events that address nothing and tie no district write nothing', async () => {
    const childId = randomUUID();
    await new LookupsAfterAppend(db).record(childId, [profileUpdated({ childId })]);
    expect(await lookups(db, childId)).toEqual({ directory: [], districts: [] });
  });
});
