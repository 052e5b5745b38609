import type { Benchmark } from './lib/benchmark';
import { escalationLatency, escalationLatencyBurst } from './escalation-latency';

/**
 * Every benchmark `npm run bench` knows, in the order a bare `npm run bench` runs them. A new one
 * (append throughput, HTTP commands, rebuild, dashboard queries) is a module exporting a
 * Benchmark, listed here.
 */
export const BENCHMARKS: Benchmark[] = [escalationLatency, escalationLatencyBurst];

export const findBenchmark = (name: string): Benchmark | undefined => BENCHMARKS.find((benchmark) => benchmark.name === name);
