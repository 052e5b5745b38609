import type { Pool } from 'pg';
import type { SqlDatabase } from '../../src/database/sql-database';
import { loadConfiguration } from '../../src/config/configuration';
import { loadEscalationPolicy } from '../../src/escalation/policy/load-escalation-policy';
import type { Directory } from '../../src/notifications/directory';
import type { EventStore } from '../../src/event-store/event-store.port';
import { historiesInWorker } from '../../src/synthetic/histories-in-worker';
import { type LoadReport, loadHistory } from '../../src/synthetic/load-history';
import { isPresetName, PRESETS } from '../../src/synthetic/presets';
import { BENCHMARK_END, childrenIn, DEFAULT_SEED, type HistoryPlan } from '../../src/synthetic/synthetic-history';

/** The history a benchmark stands on: `--scale` names a preset of src/synthetic (the demo's generator). */
export function historyPlan(scale: string, seed = DEFAULT_SEED, districts?: readonly string[]): HistoryPlan {
  if (!isPresetName(scale)) throw new Error(`--scale must be one of ${Object.keys(PRESETS).join(', ')}, not ${scale}`);
  return { preset: PRESETS[scale], seed, endMs: BENCHMARK_END, districts };
}

export const benchPolicy = () => loadEscalationPolicy(loadConfiguration().ESCALATION_POLICY_FILE);

/** Loads the plan's history through the port (the benchmarks' way to stand on a national-scale store). */
/** `directory`: the served service's, so the history's e-mails are recorded as sent to its people. */
export async function loadPlan(store: EventStore, plan: HistoryPlan, log: (line: string) => void, directory?: Directory): Promise<LoadReport> {
  const children = childrenIn(plan);
  log(`loading ${plan.preset.name} (${plan.preset.description}): ${children} children, seed ${plan.seed}`);
  const report = await loadHistory(store, historiesInWorker({ plan, policy: benchPolicy(), directory }), { children, log });
  log(`loaded ${report.events} events (${report.episodes} episodes) in ${report.seconds.toFixed(1)} s, ${Math.round(report.eventsPerSecond)} ev/s`);
  return report;
}

/**
 * Rows of the events table, the way a bench reads raw: keyset pages in the global order. ORDER BY
 * names the table's columns: the bare names are the text casts of the select list, which sort as
 * text and, with no index on them, made every page a sort of the whole table (the baseline read
 * 20k ev/s instead of the 150k an index walk gives).
 */
export async function rawSequentialRead(read: (sql: string, params: unknown[]) => Promise<unknown[]>, pageSize: number): Promise<number> {
  let rows = 0;
  let after: [string, string] = ['0', '0'];
  for (;;) {
    const page = (await read(
      `SELECT event_id::text, type, schema_version, stream_id, stream_version, position::text, tx_id::text, recorded_at, data, metadata
         FROM events WHERE (tx_id, position) > ($1::xid8, $2::bigint) ORDER BY events.tx_id, events.position LIMIT $3`,
      [after[0], after[1], pageSize],
    )) as { tx_id: string; position: string }[];
    if (page.length === 0) return rows;
    rows += page.length;
    const last = page[page.length - 1];
    after = [last.tx_id, last.position];
  }
}

export const poolReader = (pool: Pool) => async (sql: string, params: unknown[]) => (await pool.query(sql, params)).rows;
export const dbReader = (db: SqlDatabase) => (sql: string, params: unknown[]) => db.query(sql, params);
