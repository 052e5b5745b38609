import type { Benchmark, BenchContext, Figure, RunOutcome } from './lib/benchmark';
import { postgresVersion } from './lib/services';
import { rebuildInItsOwnProcess } from './lib/rebuild-process';
import { keepAsStoredHistory, takeLoadedHistory } from './lib/stored-histories';
import { roundMs, summarize } from './lib/stats';

const PAGE = 2_000;

/**
 * Every projection of `allProjections()` rebuilt from zero (`npm run rebuild`'s code path:
 * rebuildProjection, batches of 2,000 events, one transaction per batch, in a process started
 * with the options `npm run rebuild` gives node) over a synthetic history of `--scale` loaded
 * through the port, one projection after another. A rebuild asks the store for the event types
 * its read model follows only, so the figure is the history's events per second of rebuilding:
 * the events it read are in the JSON.
 *
 * Baseline, same run and process: a raw sequential read of the events table with pg, the same
 * columns in the same global order, keyset pages of 2,000 rows, nothing done with them; read
 * before and after the rebuilds, the faster of the two taken (a warm cache for both sides).
 */
async function measure({ options, log }: BenchContext): Promise<RunOutcome> {
  const scale = String(options.scale);
  const services = { postgres: await postgresVersion() };
  const history = await takeLoadedHistory(scale, log);
  const { database, loaded } = history;
  let kept = false;
  try {
    const request = { url: database.url, dataEncryptionKey: history.dataEncryptionKey, events: loaded.events, page: PAGE };
    const { rebuilt, rawReadEventsPerSecond } = await rebuildInItsOwnProcess(request, log);
    const raw = Math.max(rawReadEventsPerSecond.before, rawReadEventsPerSecond.after);
    // What is left is the history benchmarks serve: its read models are built.
    await keepAsStoredHistory(history, log, 'built');
    kept = true;
    const figures: Figure[] = [];
    for (const [name, result] of Object.entries(rebuilt)) {
      figures.push({ name: `rebuild ${name} (${scale}), history events/s`, unit: 'ops/s', value: result.historyEventsPerSecond, baseline: Math.round(raw), better: 'higher', goal: { above: 50_000, text: '≥ 50,000 ev/s' } });
      figures.push({ name: `rebuild ${name} (${scale}): share of raw read`, unit: 'x', value: roundMs(result.historyEventsPerSecond / raw), baseline: 1, better: 'higher', goal: { above: 0.5, text: '≥ 0.5 of raw read' } });
    }
    const totalSeconds = Object.values(rebuilt).reduce((sum, r) => sum + r.seconds, 0);
    return {
      figures,
      baseline: { description: `raw sequential read of the events table (pg, keyset pages of ${PAGE} in the global order, all columns, nothing done with the rows); the faster of a read before and one after the rebuilds`, summary: summarize([rawReadEventsPerSecond.before, rawReadEventsPerSecond.after]) },
      details: { preset: scale, events: loaded.events, episodes: loaded.episodes, loadSeconds: roundMs(loaded.seconds), rebuilt, allProjectionsSeconds: roundMs(totalSeconds), rawReadEventsPerSecond },
      services,
    };
  } finally {
    if (!kept) await database.drop().catch((error) => log(`could not drop database ${database.name}: ${(error as Error).message}`));
  }
}

export const rebuild: Benchmark = {
  name: 'rebuild',
  description: 'events/s rebuilding every projection from zero over a synthetic history, against a raw sequential read of the events table',
  defaults: { scale: 'force-year' },
  run: measure,
};
