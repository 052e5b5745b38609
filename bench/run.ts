import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import type { Benchmark, OptionValue, RunOutcome } from './lib/benchmark';
import { BENCHMARKS, findBenchmark } from './registry';
import { type BenchResult, combineRuns, currentLoad, describeMachine, machineLine, refreshBenchmarksMd, writeResult } from './lib/report';
import { dropStoredHistories } from './lib/stored-histories';

/**
 * npm run bench -- [name ...] [--children N] [--repeat R] [--<option> value ...]
 *
 * Runs the named benchmarks (all of them when none is named), each `--repeat` times, writes
 * bench/results/<name>.json and refreshes the table in BENCHMARKS.md. Options are the modules'
 * own (see `npm run bench -- --help`); an option no selected module knows is refused.
 */
const USAGE = `usage: npm run bench -- [name ...] [--repeat R] [--<option> value ...]

benchmarks:
${BENCHMARKS.map((b) => `  ${b.name.padEnd(26)} ${b.description}\n${Object.entries(b.defaults)
  .map(([key, value]) => `      --${key} ${JSON.stringify(value)}`)
  .join('\n')}`).join('\n')}

  --repeat R         run each benchmark R times; the table shows medians over the runs (default 1)
  --keep-history     keep the loaded histories (template databases) for the next run on the same code;
                     without it they are dropped at the end (a national one is tens of gigabytes)
  --refresh-table    only rewrite the table in BENCHMARKS.md from bench/results/*.json
`;

interface Arguments {
  names: string[];
  options: Record<string, string>;
  repeat: number;
  keepHistory: boolean;
}

function parseArguments(argv: string[]): Arguments {
  const names: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    }
    if (arg === '--refresh-table') {
      refreshBenchmarksMd(BENCHMARKS.map((benchmark) => benchmark.name));
      process.stderr.write('refreshed the table in BENCHMARKS.md\n');
      process.exit(0);
    }
    if (arg.startsWith('--')) {
      const [key, inline] = arg.slice(2).split('=', 2);
      const value = inline ?? (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') ? argv[++i] : 'true');
      options[key] = value;
    } else {
      names.push(arg);
    }
  }
  const repeat = Number(options.repeat ?? 1);
  const keepHistory = options['keep-history'] !== undefined && options['keep-history'] !== 'false';
  delete options.repeat;
  delete options['keep-history'];
  if (!Number.isInteger(repeat) || repeat < 1) fail(`--repeat must be a whole number ≥ 1, not ${JSON.stringify(repeat)}`);
  return { names, options, repeat, keepHistory };
}

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function optionsFor(benchmark: Benchmark, given: Record<string, string>): Record<string, OptionValue> {
  const options: Record<string, OptionValue> = { ...benchmark.defaults };
  for (const [key, raw] of Object.entries(given)) {
    if (!(key in benchmark.defaults)) continue;
    const kind = typeof benchmark.defaults[key];
    const value = kind === 'number' ? Number(raw) : kind === 'boolean' ? raw !== 'false' : raw;
    if (kind === 'number' && !Number.isFinite(value)) fail(`--${key} must be a number, not ${JSON.stringify(raw)}`);
    options[key] = value;
  }
  return options;
}

/** The code measured: the commit, and whether src/ or config/ differ from it (BENCH_SOURCE overrides, e.g. for a snapshot). */
function sourceUnderTest(): string {
  if (process.env.BENCH_SOURCE) return process.env.BENCH_SOURCE;
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'config'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${commit} + uncommitted changes in src/ or config/` : commit;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

async function main(): Promise<void> {
  const { names, options, repeat, keepHistory } = parseArguments(process.argv.slice(2));
  const selected = names.length ? names.map((name) => findBenchmark(name) ?? fail(`no benchmark named ${JSON.stringify(name)}`)) : BENCHMARKS;
  const unknown = Object.keys(options).filter((key) => !selected.some((benchmark) => key in benchmark.defaults));
  if (unknown.length) fail(`unknown option ${unknown.map((key) => `--${key}`).join(', ')}`);

  const log = (line: string) => process.stderr.write(`${line}\n`);
  // Stale stored histories go first: the disk may not hold a new national one beside an old one.
  await dropStoredHistories(true, log);
  try {
    await runAll(selected, options, repeat);
  } finally {
    await dropStoredHistories(keepHistory, log);
  }
}

async function runAll(selected: Benchmark[], options: Record<string, string>, repeat: number): Promise<void> {
  for (const benchmark of selected) {
    const parameters = optionsFor(benchmark, options);
    // The command that reproduces this result: only what was given, in a stable order.
    const given = Object.keys(options).filter((key) => key in benchmark.defaults).sort();
    const command = ['npm run bench --', benchmark.name, ...given.map((key) => `--${key} ${options[key]}`), ...(repeat > 1 ? [`--repeat ${repeat}`] : [])].join(' ');
    const loadAtStart = currentLoad();
    const outcomes: RunOutcome[] = [];
    process.stderr.write(`\n${benchmark.name}: ${benchmark.description}\n  ${JSON.stringify(parameters)}${repeat > 1 ? ` × ${repeat} runs` : ''}\n`);
    for (let run = 1; run <= repeat; run++) {
      outcomes.push(
        await benchmark.run({ options: parameters, run, runs: repeat, log: (line) => process.stderr.write(`  ${line}\n`) }),
      );
    }
    const result: BenchResult = {
      name: benchmark.name,
      description: benchmark.description,
      date: new Date().toISOString(),
      command,
      source: sourceUnderTest(),
      parameters,
      runs: repeat,
      machine: describeMachine(outcomes[0].services, loadAtStart),
      method:
        'percentiles by nearest rank over the samples of a run; ratio = figure ÷ the same statistic of the baseline measured in the same run; with --repeat R > 1, value, baseline and ratio are each the median over the R runs',
      ...combineRuns(outcomes),
    };
    const scale = parameters.scale;
    const file = writeResult(result, scale !== undefined && scale !== benchmark.defaults.scale ? String(scale) : undefined);
    refreshBenchmarksMd(BENCHMARKS.map((benchmark) => benchmark.name));
    process.stderr.write(`\n${benchmark.name} (${machineLine(result.machine)})\n`);
    for (const figure of result.figures) {
      const goal = figure.goal ? `  goal ${figure.goal.text}: ${figure.goalMet ? 'met' : 'MISSED'}` : '';
      process.stderr.write(`  ${figure.name.padEnd(48)} ${String(figure.value).padStart(9)} ${figure.unit}   baseline ${figure.baseline} ${figure.unit}   ratio ${figure.ratio}×${goal}\n`);
    }
    process.stderr.write(`  wrote ${file} and refreshed BENCHMARKS.md\n`);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench: ${(error as Error)?.stack ?? error}\n`);
    process.exit(1);
  },
);
