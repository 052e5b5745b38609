import { SQL_DATABASE, type SqlDatabase } from '../src/database/sql-database';
import { childIdFor } from '../src/synthetic/child-history';
import { Random } from '../src/synthetic/random';
import { childrenIn, DEFAULT_SEED } from '../src/synthetic/synthetic-history';
import type { Benchmark, BenchContext, Figure, RunOutcome } from './lib/benchmark';
import { historyPlan } from './lib/history';
import { serve, storeWithHistory } from './lib/served-history';
import { postgresVersion, redisVersion } from './lib/services';
import { roundSummary, summarize } from './lib/stats';

export interface DashboardView {
  name: string;
  /** The path for one sampled child (views that list across children ignore it). */
  path: (childId: string) => string;
}

/**
 * The views measured, in one place: the coordinator dashboard's own (GET /api/dashboard/...) are
 * added here when they exist; until then the read endpoints a dashboard is made of.
 */
export const DASHBOARD_VIEWS: DashboardView[] = [
  { name: 'child summary', path: (child) => `/api/children/${child}` },
  { name: 'child timeline', path: (child) => `/api/children/${child}/timeline` },
  { name: 'escalations of a child', path: (child) => `/api/escalations?childId=${child}` },
  { name: 'escalations, latest (all children)', path: () => '/api/escalations' },
  { name: 'strategy meetings of a child', path: (child) => `/api/strategy-meetings?childId=${child}` },
  { name: 'strategy meetings, latest (all children)', path: () => '/api/strategy-meetings' },
  { name: 'links and network of a child', path: (child) => `/api/children/${child}/links` },
  { name: 'dashboard: summary', path: () => '/api/dashboard/summary' },
  { name: 'dashboard: open episodes', path: () => '/api/dashboard/open-episodes' },
  { name: 'dashboard: overdue work', path: () => '/api/dashboard/overdue-work' },
  { name: 'dashboard: repeat children', path: () => '/api/dashboard/repeat-children' },
  { name: 'dashboard: strategy meetings', path: () => '/api/dashboard/strategy-meetings' },
  { name: 'dashboard: district comparison', path: () => '/api/dashboard/district-comparison' },
  { name: 'dashboard: episodes over time', path: () => '/api/dashboard/episodes-over-time' },
];

/**
 * Latency of each dashboard view (GET, JSON, an auditor's token) on a service serving a synthetic
 * history of `--scale` (loaded through the port, read models rebuilt; see bench/lib/served-history),
 * one request at a time over keep-alive, children sampled across the whole history. `--store
 * postgres|pglite`.
 *
 * Baseline, same run, interleaved with the requests: one primary-key SELECT of an event
 * (`WHERE position = $1`) through the service's own SqlDatabase (its pool, or its PGlite).
 */
async function measure({ options, log }: BenchContext): Promise<RunOutcome> {
  const scale = String(options.scale);
  const storeKind = String(options.store ?? 'postgres');
  const requests = Number(options.requests);
  const services: Record<string, string> = storeKind === 'postgres' ? { postgres: await postgresVersion(), redis: await redisVersion() } : { pglite: 'embedded', redis: await redisVersion() };
  const stored = await storeWithHistory(scale, storeKind, log);
  const served = await serve(stored.config, log).catch(async (error) => {
    await stored.remove();
    throw error;
  });
  try {
    const db = served.app.get<symbol, SqlDatabase>(SQL_DATABASE);
    const plan = historyPlan(scale);
    const random = new Random(DEFAULT_SEED);
    const children = Array.from({ length: 200 }, () => childIdFor(plan.seed, random.int(0, childrenIn(plan) - 1)));
    const [{ max }] = await db.query<{ max: string }>('SELECT max(position)::text AS max FROM events');
    const samples: Record<string, number[]> = Object.fromEntries(DASHBOARD_VIEWS.map((view) => [view.name, []]));
    const baseline: number[] = [];
    const statuses: Record<string, number> = {};
    const get = async (path: string) => {
      const response = await fetch(`${served.baseUrl}${path}`, { headers: { authorization: served.authorization } });
      await response.arrayBuffer();
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    };
    const warmup = Math.min(20, requests);
    for (let i = 0; i < warmup + requests; i++) {
      const child = children[i % children.length];
      let t = performance.now();
      await db.query('SELECT position, stream_id FROM events WHERE position = $1', [random.int(1, Number(max))]);
      if (i >= warmup) baseline.push(performance.now() - t);
      for (const view of DASHBOARD_VIEWS) {
        t = performance.now();
        await get(view.path(child));
        if (i >= warmup) samples[view.name].push(performance.now() - t);
      }
    }
    // A latency of refusals (429s, 401s) is not a latency of the views: no figure then.
    const refused = Object.entries(statuses).filter(([status]) => status !== '200');
    if (refused.length > 0) throw new Error(`dashboard views answered other than 200: ${JSON.stringify(Object.fromEntries(refused))}`);
    const base = summarize(baseline);
    const figures: Figure[] = [];
    for (const view of DASHBOARD_VIEWS) {
      const summary = summarize(samples[view.name]);
      log(`${view.name}: p50 ${summary.p50.toFixed(1)} ms, p99 ${summary.p99.toFixed(1)} ms`);
      figures.push({ name: `${view.name} (${scale}, ${storeKind}), p50`, unit: 'ms', value: summary.p50, baseline: base.p50, better: 'lower' });
      figures.push({ name: `${view.name} (${scale}, ${storeKind}), p99`, unit: 'ms', value: summary.p99, baseline: base.p99, better: 'lower', goal: { below: 50, text: 'p99 < 50 ms' } });
    }
    return {
      figures,
      baseline: { description: "one primary-key SELECT of an event through the service's own SqlDatabase, interleaved with the requests", summary: base },
      details: {
        views: Object.fromEntries(DASHBOARD_VIEWS.map((view) => [view.name, { path: view.path(':childId'), ms: roundSummary(summarize(samples[view.name])) }])),
        statuses,
        history: { scale, events: stored.loaded.events, episodes: stored.loaded.episodes, children: stored.loaded.children, servedInPlace: stored.inPlace ?? false },
        settledBeforeMeasuring: served.settled,
        method: `service on the history's clock (its end, running on), measured once its start-up catch-up is done; ${requests} requests per view after ${warmup} warm-up rounds, one at a time, each round a baseline SELECT then every view once, 200 children sampled with a seeded generator`,
      },
      services,
    };
  } finally {
    await served.app.close().catch((error) => log(`closing the app: ${(error as Error).message}`));
    await stored.remove();
  }
}

export const dashboardQueries: Benchmark = {
  name: 'dashboard-queries',
  description: "p50/p99 of each dashboard view on a service serving a synthetic history, against a primary-key SELECT on the service's own database connection",
  defaults: { scale: 'force-year', requests: 300 },
  run: measure,
};

export const dashboardQueriesPglite: Benchmark = {
  name: 'dashboard-queries-pglite',
  description: 'the same on embedded PGlite (no DATABASE_URL)',
  defaults: { scale: 'force-year', requests: 300, store: 'pglite' },
  run: measure,
};
