import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signingKey } from '../src/access/signing-key';
import { issueToken } from '../src/access/tokens';
import { childIdFor } from '../src/synthetic/child-history';
import { Random } from '../src/synthetic/random';
import { childrenIn } from '../src/synthetic/synthetic-history';
import { DASHBOARD_VIEWS } from './dashboard-queries';
import { requestBody } from './http-report-missing';
import type { Benchmark, BenchContext, RunOutcome } from './lib/benchmark';
import { historyPlan } from './lib/history';
import { generateLoad } from './lib/load';
import { storeWithHistory } from './lib/served-history';
import { BENCH_DATABASE_URL, freshDatabase, postgresVersion, redisVersion } from './lib/services';
import { summarize } from './lib/stats';

const MIB = 1024 * 1024;

/** Resident set now and at its peak (VmHWM) of a process, from /proc (Linux). */
function residentMiB(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN);
  return { now: (kib('VmRSS') * 1024) / MIB, peak: (kib('VmHWM') * 1024) / MIB };
}

/** Starts a Node process and resolves once `ready(line)` accepts a line of its stdout. */
function startProcess(args: string[], env: Record<string, string>, ready: (line: string) => string | null, timeoutMs = 120_000): Promise<{ child: ChildProcess; value: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const look = (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of output.split('\n')) {
        const value = ready(line);
        if (value) {
          clearTimeout(timer);
          resolve({ child, value });
          return;
        }
      }
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`${args[0]} exited with ${code}:\n${output}`)));
  });
}

async function waitForHealth(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fetch(`${url}/health`).then((r) => r.status === 200, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the service at ${url} did not become healthy`);
}

/** Samples a process's resident set every 100 ms while `work` runs; the peak is the kernel's VmHWM. */
async function underLoad(pid: number, work: () => Promise<unknown>) {
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(residentMiB(pid).now), 100);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return { peakMiB: residentMiB(pid).peak, samples: summarize(samples) };
}

/**
 * Peak resident memory (VmHWM) of the compiled service (`node dist/main.js`, as `npm start` runs
 * it, production settings) serving a synthetic history of `--scale`: `--seconds` of reports of new
 * children (POST /api/episodes, `--concurrency` connections) while a reader walks every dashboard
 * view for children sampled across the history. Its consumers run (read models, policy, deadlines,
 * e-mails) on what the load appends.
 *
 * Baseline, same run: the peak resident memory of a bare Node process serving the same POST load
 * on the HTTP benchmark's bare endpoint (Fastify, a pg Pool of 10, one INSERT per request;
 * bench/bare-server.ts): what Node, Fastify and pg cost under that load before any of the service.
 * The ratio is what the service multiplies that floor by; the goal is on the absolute figure.
 */
async function measure({ options, log }: BenchContext): Promise<RunOutcome> {
  const scale = String(options.scale);
  const storeKind = String(options.store ?? 'postgres');
  const durationMs = Number(options.seconds) * 1000;
  const concurrency = Number(options.concurrency);
  const services: Record<string, string> = { ...(storeKind === 'postgres' ? { postgres: await postgresVersion() } : { pglite: 'embedded' }), redis: await redisVersion() };
  log('compiling the service (tsc -p tsconfig.json)');
  execFileSync(process.execPath, [join('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { stdio: 'inherit' });
  const stored = await storeWithHistory(scale, storeKind, log);
  const port = String(20_000 + Math.floor(Math.random() * 20_000));
  const processes: ChildProcess[] = [];
  const bareDatabase = await freshDatabase('bench');
  try {
    const token = await issueToken(signingKey(stored.config), { userId: 'bench:memory', role: 'officer', district: stored.config.districts[0] });
    const reader = await issueToken(signingKey(stored.config), { userId: 'bench:memory-reader', role: 'auditor', district: null });
    const body = requestBody(stored.config.districts[0]);

    const bare = await startProcess([join(__dirname, 'bare-server.js')], { DATABASE_URL: bareDatabase.url }, (line) => (line.startsWith('http://') ? line.trim() : null));
    processes.push(bare.child);
    const bareRun = await underLoad(bare.child.pid!, () => generateLoad({ url: bare.value, headers: { authorization: `Bearer ${token}` }, body, concurrency, durationMs, warmupMs: 1000, expectStatus: 201 }));
    bare.child.kill('SIGTERM');
    log(`bare Node + Fastify + pg: peak ${bareRun.peakMiB.toFixed(0)} MiB`);

    const service = spawn(process.execPath, ['dist/main.js'], { env: { ...process.env, ...stored.env, PORT: port }, stdio: ['ignore', 'ignore', 'inherit'] });
    processes.push(service);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(baseUrl);
    const startedMiB = residentMiB(service.pid!).now;
    const plan = historyPlan(scale);
    const random = new Random(7);
    let reads = 0;
    let stopReading = false;
    const readLoop = async () => {
      while (!stopReading) {
        const child = childIdFor(plan.seed, random.int(0, childrenIn(plan) - 1));
        for (const view of DASHBOARD_VIEWS) {
          const response = await fetch(`${baseUrl}${view.path(child)}`, { headers: { authorization: `Bearer ${reader}` } });
          await response.arrayBuffer();
          reads++;
        }
      }
    };
    const serviceRun = await underLoad(service.pid!, async () => {
      const reading = [readLoop(), readLoop()];
      const load = await generateLoad({ url: `${baseUrl}/api/episodes`, headers: { authorization: `Bearer ${token}` }, body, concurrency, durationMs, warmupMs: 1000, expectStatus: 201 });
      stopReading = true;
      await Promise.all(reading);
      return load;
    });
    log(`service: ${startedMiB.toFixed(0)} MiB serving at start, peak ${serviceRun.peakMiB.toFixed(0)} MiB; ${reads} dashboard reads`);
    return {
      figures: [
        { name: `service peak RSS serving ${scale} (${storeKind}), reports c=${concurrency} + dashboard reads`, unit: 'MiB', value: Math.round(serviceRun.peakMiB), baseline: Math.round(bareRun.peakMiB), better: 'lower', goal: { below: 512, text: '< 512 MiB' } },
      ],
      baseline: { description: 'peak RSS (VmHWM, MiB) of a bare Node process serving the same POST load on the bare endpoint (Fastify, pg Pool of 10, one INSERT per request)', summary: bareRun.samples },
      details: {
        serviceAtStartMiB: Math.round(startedMiB),
        serviceSamplesMiB: serviceRun.samples,
        bareSamplesMiB: bareRun.samples,
        dashboardReads: reads,
        history: { scale, store: storeKind, events: stored.loaded.events, episodes: stored.loaded.episodes, servedInPlace: stored.inPlace ?? false },
        database: storeKind === 'postgres' ? BENCH_DATABASE_URL.replace(/\/\/.*@/, '//') : 'PGlite in a temporary folder',
      },
      services,
    };
  } finally {
    for (const child of processes) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await bareDatabase.drop().catch(() => undefined);
    await stored.remove();
  }
}

export const memory: Benchmark = {
  name: 'memory',
  description: 'peak resident memory of the compiled service serving a synthetic history under report and dashboard load, against a bare Node + Fastify + pg process under the same report load',
  defaults: { scale: 'force-year', seconds: 20, concurrency: 32 },
  run: measure,
};
