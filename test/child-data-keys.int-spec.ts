import { randomUUID } from 'node:crypto';
import { PgDatabase } from '../src/database/pg-database';
import { ChildDataKeys } from '../src/erasure/child-data-keys';
import { freshPostgresUrl } from './support/databases';

const SECRET = 'a-data-encryption-key-long-enough-for-tests';

/**
 * Two instances taking the first reports of the same children at once each create the children's
 * keys, one statement for the requests of that moment. Whichever commits first wins and the other
 * reads its key; inserted in whatever order each had the children, the two would wait on each
 * other's rows.
 */
describe("children's data keys created by two instances at once", () => {
  const instances: { db: PgDatabase; keys: ChildDataKeys }[] = [];

  beforeAll(async () => {
    const url = await freshPostgresUrl();
    for (let n = 0; n < 2; n++) {
      const db = new PgDatabase(url);
      instances.push({ db, keys: await ChildDataKeys.open(db, SECRET) });
    }
  });

  afterAll(async () => {
    for (const { db, keys } of instances) {
      await keys.close();
      await db.close();
    }
  });

  it('give each child one key, whichever order each instance has the children in, without deadlock', async () => {
    const [one, two] = instances;
    for (let round = 0; round < 30; round++) {
      const children = Array.from({ length: 40 }, () => randomUUID());
      const [fromOne, fromTwo] = await Promise.all([
        Promise.all(children.map((childId) => one.keys.keyFor(childId))),
        Promise.all([...children].reverse().map((childId) => two.keys.keyFor(childId))).then((keys) => keys.reverse()),
      ]);
      const hex = (keys: unknown[]) => keys.map((key) => (Buffer.isBuffer(key) ? key.toString('hex') : key));
      expect(hex(fromTwo)).toEqual(hex(fromOne));
    }
    const [{ keys }] = await one.db.query<{ keys: number }>('SELECT count(*)::int AS keys FROM child_data_keys');
    expect(keys).toBe(30 * 40);
  });
});
