import { Presets, SingleBar } from 'cli-progress';
import type { EventStore } from '../event-store/event-store.port';
import type { ChildHistory } from './child-history';

export interface LoadOptions {
  /** Children, to size the bar. */
  children: number;
  /** Appends in flight at once (one child's stream each). */
  concurrency?: number;
  /** Show a progress bar on stderr (off when stderr is not a terminal, unless forced). */
  progress?: boolean;
  /** Where there is no bar: a line every twentieth of the children (a national load takes an hour). */
  log?: (line: string) => void;
}

export interface LoadReport {
  children: number;
  episodes: number;
  events: number;
  /** Children whose stream already held the same events (a second load of the same seed). */
  alreadyStored: number;
  seconds: number;
  eventsPerSecond: number;
  /** Time this thread spent making the histories (deciders, policy), inside `seconds`: 0 where a worker thread made them. */
  generatingSeconds: number;
}

/**
 * Appends each child's history through the event store port, one append per child (its whole
 * stream, expected to be new), a few children at a time. A second load of the same histories
 * appends nothing: the event ids are the same, and the store recognises the batch. The histories
 * are made here (syntheticHistory) or in a worker thread (historiesInWorker).
 */
export async function loadHistory(store: EventStore, histories: Iterable<ChildHistory> | AsyncIterable<ChildHistory>, options: LoadOptions): Promise<LoadReport> {
  const concurrency = options.concurrency ?? 8;
  const showBar = options.progress ?? process.stderr.isTTY === true;
  const bar = new SingleBar(
    { format: 'loading history [{bar}] {percentage}% | {value}/{total} children | {events} events, {rate} ev/s | eta {eta_formatted}', stream: process.stderr, fps: 4, etaBuffer: 200 },
    Presets.shades_classic,
  );
  if (showBar) bar.start(options.children, 0, { events: 0, rate: 0 });
  const report = { children: 0, episodes: 0, events: 0, alreadyStored: 0, generatingSeconds: 0 };
  const started = performance.now();
  const step = Math.max(1, Math.round(options.children / 20));
  const iterator = Symbol.asyncIterator in histories ? histories[Symbol.asyncIterator]() : histories[Symbol.iterator]();
  const nextHistory = async (): Promise<ChildHistory | null> => {
    // Only the synchronous part is this thread's making; waiting for a worker thread is not.
    const t = performance.now();
    const pending = iterator.next();
    report.generatingSeconds += (performance.now() - t) / 1000;
    const { value, done } = await pending;
    return done ? null : value;
  };
  const worker = async () => {
    for (let history = await nextHistory(); history; history = await nextHistory()) {
      const { appended } = await store.append(history.stream, history.events, 'no_stream');
      if (appended === 0) report.alreadyStored++;
      report.children++;
      report.episodes += history.episodes;
      report.events += history.events.length;
      const rate = Math.round(report.events / ((performance.now() - started) / 1000));
      if (showBar) bar.update(report.children, { events: report.events, rate });
      else if (options.log && report.children % step === 0) {
        const etaMinutes = ((options.children - report.children) * (performance.now() - started)) / report.children / 60_000;
        options.log(`loading: ${report.children}/${options.children} children, ${report.events} events, ${rate} ev/s, about ${etaMinutes.toFixed(0)} min left`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    if (showBar) bar.stop();
    // After a failed append the source is left part-read: closing it ends a worker thread making more.
    await iterator.return?.();
  }
  const seconds = (performance.now() - started) / 1000;
  return { ...report, seconds, eventsPerSecond: report.events / seconds };
}
