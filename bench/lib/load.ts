import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { LoadRequest, LoadResult } from './load-worker';

export type { LoadRequest, LoadResult } from './load-worker';

/**
 * Runs the load generator (bench/lib/load-worker.ts, compiled next to this file: autocannon) in a
 * child process of its own, so that it shares no event loop with the service. (Not a worker
 * thread: autocannon in a worker thread takes itself for one of its own workers and answers with
 * its undecoded partial result.)
 */
export function generateLoad(job: LoadRequest, onCountedRunStart?: () => void): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'load-worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let answered = false;
    child.on('message', (message: { countedRunStarts?: true; result?: LoadResult; error?: string }) => {
      if (message.countedRunStarts) return onCountedRunStart?.();
      answered = true;
      if (message.error) reject(new Error(`load generator: ${message.error}`));
      else resolve(message.result!);
      child.disconnect();
      child.removeAllListeners('message');
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!answered) reject(new Error(`load generator exited with ${code} before answering`));
    });
    child.send(job);
  });
}
