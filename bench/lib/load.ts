import { answerOfChildProcess } from './child-process';
import type { LoadRequest, LoadResult } from './load-worker';

export type { LoadRequest, LoadResult } from './load-worker';

/**
 * Runs the load generator (bench/lib/load-worker.ts, compiled next to this file: autocannon) in a
 * child process of its own, so that it shares no event loop with the service. (Not a worker
 * thread: autocannon in a worker thread takes itself for one of its own workers and answers with
 * its undecoded partial result.)
 */
export function generateLoad(job: LoadRequest, onCountedRunStart?: () => void): Promise<LoadResult> {
  return answerOfChildProcess<LoadResult, { countedRunStarts: true }>('load-worker.js', job, () => onCountedRunStart?.());
}
