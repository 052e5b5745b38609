import type { Benchmark } from './lib/benchmark';
import { appendThroughput } from './append-throughput';
import { escalationLatency, escalationLatencyBurst } from './escalation-latency';
import { httpReportMissing } from './http-report-missing';
import { nationalHistory } from './national-history';
import { rebuild } from './rebuild';

/**
 * Every benchmark `npm run bench` knows, in the order a bare `npm run bench` runs them. A new one
 * (append throughput, HTTP commands, rebuild, dashboard queries) is a module exporting a
 * Benchmark, listed here.
 */
export const BENCHMARKS: Benchmark[] = [escalationLatency, escalationLatencyBurst, appendThroughput, httpReportMissing, nationalHistory, rebuild];

export const findBenchmark = (name: string): Benchmark | undefined => BENCHMARKS.find((benchmark) => benchmark.name === name);
