import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LoadRequest, LoadResult } from './load-worker';

export type { LoadRequest, LoadResult } from './load-worker';

/** Runs the load generator (bench/lib/load-worker.ts, compiled next to this file) in a worker thread. */
export function generateLoad(job: LoadRequest): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(join(__dirname, 'load-worker.js'), { workerData: job });
    worker.once('message', (message: { result?: LoadResult; error?: string }) => {
      if (message.error) reject(new Error(`load generator: ${message.error}`));
      else resolve(message.result!);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}
