import { SingleBar, Presets } from 'cli-progress';
import { loadConfiguration } from '../../config/configuration';
import { allProjections } from '../../consumers';
import { loadEscalationPolicy } from '../../escalation/policy/load-escalation-policy';
import { openEventStore, openSqlDatabase } from '../event-store.module';
import { rebuildProjection } from './rebuild-projection';

/**
 * `npm run rebuild -- <projection>`: empties a read model and replays every event into it.
 * package.json starts node with young-generation semi-spaces of 64 MB (`--max-semi-space-size`):
 * a batch's events and rows live across its round trips, and in V8's default size they outlived
 * the young generation's collections, which copied them again and again (a fifth of the process's
 * time went in those collections' pauses; see BENCHMARKS.md).
 */
async function main(): Promise<void> {
  const name = process.argv[2];
  const config = loadConfiguration();
  const projections = allProjections(loadEscalationPolicy(config.ESCALATION_POLICY_FILE));
  const projection = projections.find((candidate) => candidate.name === name);
  if (!projection) {
    throw new Error(`usage: npm run rebuild -- <projection>; projections: ${projections.map((p) => p.name).join(', ')}`);
  }
  const db = await openSqlDatabase(config);
  const store = await openEventStore(config, db);
  const bar = new SingleBar({ format: `${name} [{bar}] {percentage}% | {value}/{total} events | {eta_formatted} left` }, Presets.shades_classic);
  try {
    const started = Date.now();
    const replayed = await rebuildProjection(store, db, projection, {
      start: (total) => bar.start(total ?? 0, 0),
      advance: (events) => bar.increment(events),
      stop: () => bar.stop(),
    });
    const seconds = (Date.now() - started) / 1000;
    console.log(`rebuilt ${name} from ${replayed} events in ${seconds.toFixed(1)} s`);
  } finally {
    await store.close();
    await db.close();
  }
}

main().catch((error) => {
  console.error((error as Error).message);
  process.exit(1);
});
