/**
 * What a benchmark module is to the runner (bench/run.ts). A module measures its figures AND the
 * baseline they are compared with in the same run, so a ratio means the same thing on any machine:
 * "this path costs N times the physical floor of what it does, here, now".
 */
import type { Summary } from './stats';

export type OptionValue = number | string | boolean;

export interface BenchContext {
  /** The module's defaults, overridden by `--name value` on the command line. */
  options: Record<string, OptionValue>;
  /** Which of `--repeat` runs this is (1-based), and how many there are. */
  run: number;
  runs: number;
  /** A line for the person watching (stderr; stdout stays free for the service's logs). */
  log(line: string): void;
}

/** One row of the table: a figure, its baseline and the goal it is held to, if any. */
export interface Figure {
  /** Short and stable, e.g. "report → e-mail job queued, p99". */
  name: string;
  unit: 'ms' | 'ops/s' | 'x' | 'MiB';
  value: number;
  /** The baseline figure it is divided by (same unit, same percentile). */
  baseline: number;
  /** How the figure is held: `lower` is better (latency) or `higher` (throughput). */
  better: 'lower' | 'higher';
  /** The goal from the benchmarks issue, e.g. { below: 250 }; absent when there is none. */
  goal?: { below?: number; above?: number; text: string };
}

export interface RunOutcome {
  figures: Figure[];
  baseline: { description: string; summary: Summary; parts?: Record<string, Summary> };
  /** Everything else worth keeping: per-stage breakdowns, counts, failures, notes. */
  details: Record<string, unknown>;
  /** Versions of the services the run used, e.g. { postgres: '15.2', redis: '7.0.15' }. */
  services: Record<string, string>;
}

export interface Benchmark {
  name: string;
  /** One sentence: what is measured, from where to where. */
  description: string;
  /** Every option the module understands, with its default; the runner parses only these. */
  defaults: Record<string, OptionValue>;
  run(context: BenchContext): Promise<RunOutcome>;
}
