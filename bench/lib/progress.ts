import { Presets, SingleBar } from 'cli-progress';
import type { RebuildProgress } from '../../src/event-store/subscriptions/rebuild-projection';

export interface Progress {
  tick(status?: string): void;
  stop(): void;
}

/** A progress bar on stderr for long loops; silent when stderr is not a terminal (CI logs). */
export function progressBar(label: string, total: number): Progress {
  const bar = new SingleBar(
    {
      format: `${label.padEnd(24)} [{bar}] {value}/{total} {percentage}% | {duration_formatted} (eta {eta_formatted}) | {status}`,
      hideCursor: true,
      stream: process.stderr,
      etaBuffer: 50,
      fps: 5,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0, { status: '' });
  return {
    tick: (status = '') => bar.increment(1, { status }),
    stop: () => bar.stop(),
  };
}

/**
 * A rebuild's progress as log lines, every tenth of its events: a national rebuild takes minutes
 * per read model, and a benchmark's stderr is mostly a log file, where a bar shows nothing.
 */
export function rebuildProgressLog(label: string, log: (line: string) => void): RebuildProgress {
  let total = 0;
  let done = 0;
  let nextLine = 0;
  const started = performance.now();
  return {
    start: (events) => {
      total = events ?? 0;
      nextLine = total / 10;
    },
    advance: (events) => {
      done += events;
      if (total === 0 || done < nextLine) return;
      nextLine += total / 10;
      log(`${label}: ${done}/${total} events read, ${((performance.now() - started) / 1000).toFixed(0)} s`);
    },
    stop: () => undefined,
  };
}
