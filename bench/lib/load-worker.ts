import autocannon from 'autocannon';

/**
 * The HTTP benchmarks' load generator: autocannon, run in a child process (bench/lib/load.ts forks
 * it and sends the job) so that it does not share the service's event loop. `concurrency` keep-alive connections to 127.0.0.1, each sending
 * the next POST as soon as the previous answer is read, for `warmupMs` (a first autocannon run,
 * not counted) then `durationMs` (the counted run).
 */
export interface LoadRequest {
  url: string;
  headers: Record<string, string>;
  /** The JSON body; `{{n}}` in it is replaced by a per-request counter. */
  body: string;
  concurrency: number;
  durationMs: number;
  warmupMs: number;
  /** The status a request must answer with to count as a success. */
  expectStatus: number;
}

export interface LoadResult {
  /** Answers with `expectStatus` in the counted run. */
  ok: number;
  /** From autocannon's start to its finish of the counted run. */
  seconds: number;
  /** autocannon's latency histogram of the counted run's 2xx answers, in ms. */
  latencyMs: { n: number; min: number; p50: number; p90: number; p99: number; max: number; mean: number };
  /** Answers per status code. */
  statuses: Record<string, number>;
  /** autocannon's counts: non-2xx answers, connection errors (timeouts included), timeouts. */
  non2xx: number;
  errors: number;
  timeouts: number;
  /** The first answer other than `expectStatus`, with the start of its body. */
  firstFailure?: string;
}

const TIMEOUT_S = 30;

async function generate(job: LoadRequest): Promise<LoadResult> {
  const target = new URL(job.url);
  if (target.hostname !== '127.0.0.1') throw new Error(`the load generator only targets 127.0.0.1, not ${target.hostname}`);
  let counter = 0;
  let firstFailure: string | undefined;
  const run = (seconds: number) =>
    autocannon({
      url: job.url,
      connections: job.concurrency,
      duration: seconds,
      timeout: TIMEOUT_S,
      requests: [
        {
          method: 'POST',
          headers: { ...job.headers, 'content-type': 'application/json' },
          setupRequest: (request) => ({ ...request, body: job.body.replace('{{n}}', String(counter++)) }),
          onResponse: (status, body) => {
            if (status !== job.expectStatus) firstFailure ??= `${status} ${body.slice(0, 300)}`;
          },
        },
      ],
    });
  if (job.warmupMs > 0) await run(job.warmupMs / 1000);
  firstFailure = undefined;
  process.send!({ countedRunStarts: true });
  const result = await run(job.durationMs / 1000);
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([status, { count }]) => [status, count ?? 0]));
  const { latency } = result;
  return {
    ok: statuses[String(job.expectStatus)] ?? 0,
    seconds: (result.finish.getTime() - result.start.getTime()) / 1000,
    latencyMs: { n: result['2xx'], min: latency.min, p50: latency.p50, p90: latency.p90, p99: latency.p99, max: latency.max, mean: latency.mean },
    statuses,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    ...(firstFailure ? { firstFailure } : {}),
  };
}

process.once('message', (job: LoadRequest) =>
  generate(job).then(
    (result) => process.send!({ result }),
    (error) => process.send!({ error: (error as Error).message }),
  ),
);
