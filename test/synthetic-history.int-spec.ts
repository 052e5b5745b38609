import { PgliteDatabase } from '../src/database/pglite-database';
import { loadEscalationPolicy } from '../src/escalation/policy/load-escalation-policy';
import { SqlEventStore } from '../src/event-store/postgres/sql-event-store';
import { loadHistory } from '../src/synthetic/load-history';
import { PRESETS } from '../src/synthetic/presets';
import { BENCHMARK_END, childrenIn, type HistoryPlan, syntheticHistory } from '../src/synthetic/synthetic-history';

const policy = loadEscalationPolicy('config/escalation-policy.json');
const plan: HistoryPlan = { preset: { ...PRESETS.demo, childrenPerDistrictYear: 25 }, seed: 11, endMs: BENCHMARK_END, districts: ['Barnsley', 'Doncaster', 'Rotherham', 'Sheffield'] };

describe('loading a synthetic history through the event store port', () => {
  let db: PgliteDatabase;
  let store: SqlEventStore;

  beforeAll(async () => {
    db = await PgliteDatabase.open();
    store = await SqlEventStore.open(db);
  });

  afterAll(async () => {
    await store.close();
    await db.close();
  });

  it("stores every child's stream whole, in the configured districts, and a second load appends nothing", async () => {
    const first = await loadHistory(store, syntheticHistory(plan, policy), { children: childrenIn(plan), progress: false });
    expect(first.children).toBe(100);
    expect(first.alreadyStored).toBe(0);
    expect(await store.countEvents()).toBe(first.events);
    const [history] = syntheticHistory(plan, policy);
    const stored = await store.readStream(history.stream);
    expect(stored.map((event) => event.id)).toEqual(history.events.map((event) => event.id));
    const districts = await db.query<{ district: string }>(`SELECT DISTINCT data->'profile'->>'localAuthority' AS district FROM events WHERE type = 'ChildRegistered' ORDER BY 1`);
    expect(districts.map((row) => row.district)).toEqual(plan.districts);

    const again = await loadHistory(store, syntheticHistory(plan, policy), { children: childrenIn(plan), progress: false });
    expect(again.alreadyStored).toBe(100);
    expect(await store.countEvents()).toBe(first.events);
  });
});
