import { on } from 'node:events';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EscalationPolicy } from '../escalation/policy/escalation-policy';
import type { Directory } from '../notifications/directory';
import type { ChildHistory } from './child-history';
import type { HistoryPlan } from './synthetic-history';

/** What syntheticHistory takes, as data a worker thread can be given. */
export interface HistoryRequest {
  plan: HistoryPlan;
  policy: EscalationPolicy;
  directory?: Directory;
}

/** Children per message: large enough that cloning is a small share, small enough to keep memory flat. */
const BATCH = 64;

/**
 * syntheticHistory's children, the same ones in the same order, made in a worker thread. Making
 * the histories (the deciders and the policy) took 60% of a national load's one thread; made beside
 * it, the appends have that thread to themselves. The worker makes the next batch while this
 * thread takes the last. A worker thread runs compiled code: dist/ or bench/.build, not jest.
 */
export async function* historiesInWorker(request: HistoryRequest): AsyncGenerator<ChildHistory> {
  const worker = new Worker(join(__dirname, 'history-worker.js'), { workerData: request });
  try {
    worker.postMessage(BATCH);
    worker.postMessage(BATCH);
    for await (const [batch] of on(worker, 'message', { close: ['exit'] }) as AsyncIterable<[ChildHistory[]]>) {
      if (batch.length === 0) return;
      worker.postMessage(BATCH);
      yield* batch;
    }
    throw new Error('the history worker thread stopped before the last child');
  } finally {
    await worker.terminate();
  }
}
