import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * A small, bounded HTTP load generator, run in a worker thread so that it does not share the
 * service's event loop: `concurrency` keep-alive connections to 127.0.0.1, each sending the next
 * POST as soon as the previous answer is read, for `warmupMs` (not counted) then `durationMs`.
 * Started by bench/lib/load.ts; answers with the latencies and status counts.
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
  latenciesMs: number[];
  seconds: number;
  ok: number;
  statuses: Record<string, number>;
  errors: Record<string, number>;
  firstFailure?: string;
}

async function generate(job: LoadRequest): Promise<LoadResult> {
  const target = new URL(job.url);
  if (target.hostname !== '127.0.0.1') throw new Error(`the load generator only targets 127.0.0.1, not ${target.hostname}`);
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  let counter = 0;
  const post = () =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const body = job.body.replace('{{n}}', String(counter++));
      const req = request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { ...job.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error('timeout after 30 s')));
      req.on('error', reject);
      req.end(body);
    });

  const result: LoadResult = { latenciesMs: [], seconds: 0, ok: 0, statuses: {}, errors: {} };
  const start = performance.now();
  const measureFrom = start + job.warmupMs;
  const deadline = measureFrom + job.durationMs;
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        const counted = t >= measureFrom;
        try {
          const answer = await post();
          const elapsed = performance.now() - t;
          if (!counted) continue;
          result.statuses[answer.status] = (result.statuses[answer.status] ?? 0) + 1;
          if (answer.status === job.expectStatus) {
            result.ok++;
            result.latenciesMs.push(elapsed);
          } else result.firstFailure ??= `${answer.status} ${answer.body.slice(0, 300)}`;
        } catch (error) {
          if (!counted) continue;
          const message = (error as Error).message;
          result.errors[message] = (result.errors[message] ?? 0) + 1;
          result.firstFailure ??= message;
        }
      }
    }),
  );
  // Requests started before the deadline finish after it: the window is until the last answer.
  result.seconds = (performance.now() - measureFrom) / 1000;
  agent.destroy();
  return result;
}

generate(workerData as LoadRequest).then(
  (result) => parentPort!.postMessage({ result }),
  (error) => parentPort!.postMessage({ error: (error as Error).message }),
);
