import type { Benchmark } from './lib/benchmark';
import { appendThroughput, appendThroughputPglite } from './append-throughput';
import { dashboardQueries, dashboardQueriesPglite } from './dashboard-queries';
import { escalationLatency, escalationLatencyBurst } from './escalation-latency';
import { httpReportMissing, httpReportMissingPglite } from './http-report-missing';
import { memory } from './memory';
import { nationalHistory } from './national-history';
import { rebuild } from './rebuild';

/**
 * Every benchmark `npm run bench` knows, in the order a bare `npm run bench` runs them. A new one
 * (append throughput, HTTP commands, rebuild, dashboard queries) is a module exporting a
 * Benchmark, listed here.
 */
export const BENCHMARKS: Benchmark[] = [escalationLatency, escalationLatencyBurst, appendThroughput, httpReportMissing, nationalHistory, rebuild, dashboardQueries, memory, appendThroughputPglite, httpReportMissingPglite, dashboardQueriesPglite];

export const findBenchmark = (name: string): Benchmark | undefined => BENCHMARKS.find((benchmark) => benchmark.name === name);
