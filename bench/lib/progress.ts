import { Presets, SingleBar } from 'cli-progress';

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
