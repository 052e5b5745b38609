import { Presets, SingleBar } from 'cli-progress';
import { loadConfiguration } from '../config/configuration';
import { allProjections } from '../consumers';
import type { SqlDatabase } from '../database/sql-database';
import type { EventStore } from '../event-store/event-store.port';
import { rebuildProjection } from '../event-store/subscriptions/rebuild-projection';
import { loadEscalationPolicy } from '../escalation/policy/load-escalation-policy';
import type { EscalationPolicy } from '../escalation/policy/escalation-policy';
import { loadDirectory } from '../notifications/directory';
import { openEventStore, openSqlDatabase } from '../event-store/event-store.module';
import { historiesInWorker } from './histories-in-worker';
import { loadHistory } from './load-history';
import { ESCALATION_PROCESSORS, startProcessorsAtEnd } from './processors-at-end';
import { isPresetName, PRESETS } from './presets';
import { childrenIn, DEFAULT_SEED, type HistoryPlan } from './synthetic-history';

/**
 * `npm run demo [-- --preset demo|force-year|national] [--seed N]`: loads a synthetic history
 * into the configured store (embedded PGlite under DATA_DIR without DATABASE_URL, as `npm start`),
 * ending now, in the configured districts. A running service on PostgreSQL picks it up live; on
 * PGlite (one process per data folder) stop the service first and start it again after.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const presetName = option('preset') ?? 'demo';
  if (!isPresetName(presetName)) throw new Error(`unknown preset ${presetName}; presets: ${Object.keys(PRESETS).join(', ')}`);
  const seed = Number(option('seed') ?? DEFAULT_SEED);
  const config = loadConfiguration();
  const policy = loadEscalationPolicy(config.ESCALATION_POLICY_FILE);
  const plan: HistoryPlan = { preset: PRESETS[presetName], seed, endMs: Date.now(), districts: config.districts };
  const db = await openSqlDatabase(config);
  const store = await openEventStore(config, db);
  try {
    console.log(`${presetName}: ${plan.preset.description}; seed ${seed}; into ${config.DATABASE_URL ? 'PostgreSQL' : `embedded PGlite in ${config.pgliteDir}`}`);
    const directory = loadDirectory(config.DIRECTORY_FILE, config.districts);
    const report = await loadHistory(store, historiesInWorker({ plan, policy, directory }), { children: childrenIn(plan), progress: true });
    console.log(
      `loaded ${report.children} children, ${report.episodes} episodes, ${report.events} events in ${report.seconds.toFixed(1)} s (${Math.round(report.eventsPerSecond)} events/s)` +
        (report.alreadyStored ? `; ${report.alreadyStored} children were already there (same seed), nothing appended for them` : ''),
    );
    await buildReadModels(store, db, policy);
    // The history holds the escalation processors' work; linked-children still replays it (the links are not generated).
    const leftAlone = await startProcessorsAtEnd(db, ESCALATION_PROCESSORS);
    if (leftAlone.length > 0) console.log(`processors ${leftAlone.join(', ')}: a running service is working through the history`);
    console.log('start the service (npm start) and open the dashboard; the policy (deadlines, e-mails) catches up from the history');
  } finally {
    await store.close();
    await db.close();
  }
}

/**
 * Builds the read models now, in batches of thousands, so a service started afterwards shows the
 * history at once rather than catching up event by event. A running service owns them (on
 * PostgreSQL): it catches up by itself.
 */
async function buildReadModels(store: EventStore, db: SqlDatabase, policy: EscalationPolicy): Promise<void> {
  for (const projection of allProjections(policy)) {
    const bar = new SingleBar({ format: `read model ${projection.name.padEnd(14)} [{bar}] {percentage}% | {value}/{total} events` }, Presets.shades_classic);
    try {
      await rebuildProjection(store, db, projection, { start: (total) => bar.start(total ?? 0, 0), advance: (n) => bar.increment(n), stop: () => bar.stop() });
    } catch (error) {
      console.log(`read model ${projection.name}: left to the running service (${(error as Error).message})`);
    }
  }
}

main().catch((error) => {
  console.error((error as Error).message);
  process.exit(1);
});
