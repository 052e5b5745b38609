import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { signingKey } from '../src/access/signing-key';
import { issueToken } from '../src/access/tokens';
import { createApp } from '../src/app.factory';
import { loadConfiguration } from '../src/config/configuration';
import { PgliteDatabase } from '../src/database/pglite-database';
import { SQL_DATABASE, type SqlDatabase } from '../src/database/sql-database';
import { bareServer, rawPool } from './lib/bare-endpoint';
import type { Benchmark, BenchContext, Figure, RunOutcome } from './lib/benchmark';
import { countCalls, perRequest } from './lib/call-counter';
import { generateLoad, type LoadResult } from './lib/load';
import { BENCH_REDIS_URL, benchPool, benchServiceEnv, deleteRedisPrefix, freshDatabase, postgresVersion, redisVersion } from './lib/services';
import { roundMs, roundSummary, type Summary } from './lib/stats';

/**
 * HTTP throughput and latency of reporting a child missing: `POST /api/episodes` with the child
 * given inline (so each request registers a new child and opens its first episode, independent of
 * every other), `--concurrency` keep-alive connections for `--seconds` (the issue's 32 and 20 s),
 * from autocannon in a child process (bench/lib/load-worker.ts; 127.0.0.1 only).
 * Every answer must be 201: any other status or a connection error and the benchmark refuses to
 * report.
 *
 * The app runs in-process, configured like production (NODE_ENV=production, LOG_LEVEL=warn, its
 * consumers running), on a fresh database, a BullMQ prefix of its own and an outbox under a temp
 * dir, listening on 127.0.0.1. The request carries an officer's bearer token, signed with the
 * run's JWT_SECRET as `npm run token` signs it, and no Idempotency-Key.
 *
 * Baseline, same run: a bare endpoint. createApp() awaits `fastify.ready()`, after which Fastify
 * refuses new routes, and src/ is not edited; so the bare endpoint is a second, minimal Fastify
 * server in this process (no hooks, default JSON parsing) whose POST /bench/bare does one raw
 * INSERT of the request body as one jsonb row through a `pg` Pool of the app's pool size
 * (DATABASE_POOL_SIZE, `--pool-size`) in the same database, and answers 201. Same load generator, same body,
 * same concurrency and duration; it runs first, then the app's endpoint.
 */

export const requestBody = (district: string) =>
  JSON.stringify({
    child: {
      firstName: 'Bench{{n}}',
      lastName: 'Child',
      dateOfBirth: '2011-03-04',
      gender: 'unknown',
      localAuthority: district,
      lookedAfter: true,
      placementType: 'foster',
    },
    missingSince: new Date(Date.now() - 3_600_000).toISOString(),
    district,
    lastSeenPlace: 'Outside the school gates on Abbeydale Road',
    reporter: { name: 'Bench Reporter', relationship: 'foster carer', phone: '0114 000 0000' },
    circumstances: 'Did not come home after school; phone switched off.',
    initialRisk: 'medium',
  });

const describe = (load: LoadResult & { cpuMsPerRequest: number }) => ({
  cpuMsPerRequest: load.cpuMsPerRequest,
  requests: load.ok,
  seconds: roundMs(load.seconds),
  requestsPerSecond: roundMs(load.ok / load.seconds),
  latencyMs: roundSummary(load.latencyMs),
  statuses: load.statuses,
  non2xx: load.non2xx,
  errors: load.errors,
  timeouts: load.timeouts,
  ...(load.firstFailure ? { firstFailure: load.firstFailure } : {}),
});

/**
 * Samples the service's pg Pool (PgDatabase keeps it private; the benchmark reads it as it is):
 * how many connections are checked out and how many statements wait for one. A pool always full
 * with statements waiting says the pool, not the Node thread, sets the pace.
 */
function poolSampler(db: SqlDatabase): { stop(): { samples: number; meanInUse: number; meanWaiting: number; maxWaiting: number } | null } {
  const pool = (db as unknown as { pool?: { totalCount: number; idleCount: number; waitingCount: number } }).pool;
  if (!pool) return { stop: () => null };
  const inUse: number[] = [];
  const waiting: number[] = [];
  const timer = setInterval(() => {
    inUse.push(pool.totalCount - pool.idleCount);
    waiting.push(pool.waitingCount);
  }, 50);
  const mean = (values: number[]) => roundMs(values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length));
  return {
    stop: () => {
      clearInterval(timer);
      return { samples: inUse.length, meanInUse: mean(inUse), meanWaiting: mean(waiting), maxWaiting: Math.max(0, ...waiting) };
    },
  };
}

/** Every answer 201, no connection error: otherwise the figures would mix refusals with work. */
function refuseFailures(endpoint: string, load: LoadResult): void {
  const failures = load.non2xx + load.errors + Object.entries(load.statuses).filter(([status]) => status !== '201').reduce((n, [, c]) => n + c, 0);
  if (load.ok === 0 || failures > 0)
    throw new Error(`${endpoint}: ${load.ok} answers 201, ${load.non2xx} other answers (${JSON.stringify(load.statuses)}), ${load.errors} errors (${load.timeouts} timeouts); first failure: ${load.firstFailure ?? 'none recorded'}`);
}

async function measure(context: BenchContext): Promise<RunOutcome> {
  const { options, log } = context;
  const concurrency = Number(options.concurrency);
  const durationMs = Number(options.seconds) * 1000;
  const warmupMs = Number(options['warmup-s']) * 1000;
  const onPglite = options.store === 'pglite';
  const on = onPglite ? ' (PGlite)' : '';
  const services: Record<string, string> = { ...(onPglite ? { pglite: 'embedded' } : { postgres: await postgresVersion() }), redis: await redisVersion() };
  const database = onPglite ? null : await freshDatabase('bench');
  const { env, prefix, scratch } = benchServiceEnv(database);
  // 0: the configuration's default, as `npm start` runs.
  const config = loadConfiguration({ ...env, ...(Number(options['pool-size']) > 0 ? { DATABASE_POOL_SIZE: String(options['pool-size']) } : {}) });
  const poolSize = config.DATABASE_POOL_SIZE;
  log(`${database ? `database ${database.name}` : 'embedded PGlite in a temporary folder (the bare endpoint on a PGlite of its own)'}, queue prefix ${prefix}; ${concurrency} connections, ${options.seconds} s per endpoint after ${options['warmup-s']} s warm-up`);
  const district = config.districts[0];
  const body = requestBody(district);
  // The bare endpoint's database: a pg Pool of the app's size, or an embedded PGlite of its own.
  const pool = database ? benchPool(database.url, poolSize) : null;
  const barePglite = database ? null : await PgliteDatabase.open(join(scratch, 'bare-pglite'));
  let bare: FastifyInstance | null = null;
  let app: NestFastifyApplication | null = null;
  try {
    const token = await issueToken(signingKey(config), { userId: 'bench:http-report-missing', role: 'officer', district });
    const headers = { authorization: `Bearer ${token}` };

    const bareEndpoint = await bareServer(pool ? rawPool(pool) : barePglite!);
    bare = bareEndpoint.server;
    app = await createApp(config);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.getHttpAdapter().getInstance().server.address() as AddressInfo;
    const appUrl = `http://127.0.0.1:${port}/api/episodes`;

    // CPU time of this process (the service or the bare server; autocannon runs in a child process)
    // over the counted run: on a shared machine a steadier measure of the work per request than req/s.
    const load = async (url: string) => {
      let from = process.cpuUsage();
      const result = await generateLoad({ url, headers, body, concurrency, durationMs, warmupMs, expectStatus: 201 }, () => (from = process.cpuUsage()));
      const used = process.cpuUsage(from);
      return { ...result, cpuMsPerRequest: roundMs((used.user + used.system) / 1000 / result.ok) };
    };
    const bareLoad = await load(bareEndpoint.url);
    log(`bare: ${Math.round(bareLoad.ok / bareLoad.seconds)} req/s, p50 ${roundMs(bareLoad.latencyMs.p50)} ms, ${bareLoad.cpuMsPerRequest} ms CPU per request`);
    const counter = countCalls(app.getHttpAdapter().getInstance().server);
    const appPool = poolSampler(app.get<symbol, SqlDatabase>(SQL_DATABASE));
    const appLoad = await load(appUrl);
    const poolUse = appPool.stop();
    counter.stop();
    log(`POST /api/episodes: ${Math.round(appLoad.ok / appLoad.seconds)} req/s, p50 ${roundMs(appLoad.latencyMs.p50)} ms, ${appLoad.cpuMsPerRequest} ms CPU per report`);
    refuseFailures('the bare endpoint', bareLoad);
    refuseFailures(appUrl, appLoad);

    const appLatency: Summary = appLoad.latencyMs;
    const bareLatency: Summary = bareLoad.latencyMs;
    const appRps = appLoad.ok / appLoad.seconds;
    const bareRps = bareLoad.ok / bareLoad.seconds;
    const figures: Figure[] = [
      { name: `POST /api/episodes (inline child)${on}, c=${concurrency}: throughput`, unit: 'ops/s', value: Math.round(appRps), baseline: Math.round(bareRps), better: 'higher' },
      { name: `POST /api/episodes${on}, c=${concurrency}: share of bare throughput`, unit: 'x', value: roundMs(appRps / bareRps), baseline: 1, better: 'higher', goal: { above: 0.5, text: '≥ 0.5 of bare' } },
      { name: `POST /api/episodes${on}, c=${concurrency}: latency p50`, unit: 'ms', value: appLatency.p50, baseline: bareLatency.p50, better: 'lower' },
      { name: `POST /api/episodes${on}, c=${concurrency}: latency p99`, unit: 'ms', value: appLatency.p99, baseline: bareLatency.p99, better: 'lower' },
      { name: `POST /api/episodes${on}, c=${concurrency}: process CPU per request`, unit: 'ms', value: appLoad.cpuMsPerRequest, baseline: bareLoad.cpuMsPerRequest, better: 'lower' },
    ];
    const [{ events, reports }] = (
      await app.get<symbol, SqlDatabase>(SQL_DATABASE).query<{ events: string; reports: string }>(
        `SELECT count(*)::text AS events, count(*) FILTER (WHERE type = 'ChildReportedMissing')::text AS reports FROM events`,
      )
    );
    // Warm-up included on both sides: every report stored, every call made meanwhile.
    const callsPerReport = { request: perRequest(counter.counts.request, Number(reports)), background: perRequest(counter.counts.background, Number(reports)) };
    log(`per report: ${callsPerReport.request.total} calls on the request path, ${callsPerReport.background.total} by the consumers (details in the JSON)`);
    if (poolUse) log(`pool of ${poolSize}: ${poolUse.meanInUse} connections in use and ${poolUse.meanWaiting} statements waiting on average`);
    return {
      figures,
      baseline: {
        description: `a bare endpoint: POST /bench/bare on a second, minimal Fastify server in the same process (createApp's Fastify is ready, so routes cannot be added to it), one raw INSERT of the body as a jsonb row through a pg Pool of ${poolSize}, answering 201; same load generator (autocannon), body, concurrency and duration; summary: latency in ms`,
        summary: bareLatency,
      },
      details: {
        note: "requests/s = 201 answers ÷ seconds of autocannon's counted run (after a warm-up run); latencies from autocannon's histogram of 2xx answers, in ms; any other answer or error and the benchmark refuses to report; cpuMsPerRequest = user + system CPU of the benchmark's process (the service, its consumers included, or the bare server; not autocannon, a child process) over the counted run ÷ 201 answers",
        app: describe(appLoad),
        bare: describe(bareLoad),
        eventsStored: Number(events),
        ...(poolUse ? { appPool: { note: "the service's pg Pool sampled every 50 ms during the app's load (warm-up included): connections checked out and statements waiting for one", ...poolUse } } : {}),
        callsPerReport: {
          note: "PgDatabase.query/transaction calls and ioredis commands of the service during the app's load (warm-up included), divided by the ChildReportedMissing events stored; request = made on behalf of an HTTP request, background = the consumers",
          ...callsPerReport,
        },
        loadGenerator: `autocannon in a child process, ${concurrency} keep-alive connections, each sending the next request when the previous answer is read; a ${options['warmup-s']} s warm-up run not counted`,
        appConfiguration: `NODE_ENV=production, LOG_LEVEL=warn, a pg pool of ${poolSize} (DATABASE_POOL_SIZE), its consumers (projections, escalation policy, notifier) running during the load`,
      },
      services,
    };
  } finally {
    await app?.close().catch((error) => log(`closing the app: ${(error as Error).message}`));
    await bare?.close().catch(() => undefined);
    await pool?.end().catch(() => undefined);
    await barePglite?.close().catch(() => undefined);
    await database?.drop().catch((error) => log(`could not drop database ${database.name}: ${(error as Error).message}`));
    await deleteRedisPrefix(BENCH_REDIS_URL, prefix).catch((error) => log(`could not delete Redis keys ${prefix}:*: ${(error as Error).message}`));
    rmSync(scratch, { recursive: true, force: true });
  }
}

export const httpReportMissing: Benchmark = {
  name: 'http-report-missing',
  description:
    'requests/s and latency of POST /api/episodes (report missing, child inline) under autocannon (c=32, 20 s), against a bare Fastify endpoint doing one raw INSERT',
  defaults: { concurrency: 32, seconds: 20, 'warmup-s': 2, 'pool-size': 0 },
  run: measure,
};

export const httpReportMissingPglite: Benchmark = {
  name: 'http-report-missing-pglite',
  description: 'the same on embedded PGlite (no DATABASE_URL, as `npm start` without a server); the bare endpoint inserts into a PGlite of its own',
  defaults: { concurrency: 32, seconds: 20, 'warmup-s': 2, 'pool-size': 0, store: 'pglite' },
  run: measure,
};
