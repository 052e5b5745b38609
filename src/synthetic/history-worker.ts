import { parentPort, workerData } from 'node:worker_threads';
import type { ChildHistory } from './child-history';
import type { HistoryRequest } from './histories-in-worker';
import { syntheticHistory } from './synthetic-history';

/**
 * The thread behind historiesInWorker: each message asks for up to that many more children, in
 * order; an empty answer says there are none left.
 */
const { plan, policy, directory } = workerData as HistoryRequest;
const histories = syntheticHistory(plan, policy, directory);
parentPort!.on('message', (wanted: number) => {
  const batch: ChildHistory[] = [];
  for (let next = histories.next(); !next.done; next = histories.next()) {
    batch.push(next.value);
    if (batch.length === wanted) break;
  }
  parentPort!.postMessage(batch);
});
