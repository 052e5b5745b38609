import type { EscalationPolicy } from '../escalation/policy/escalation-policy';
import type { Directory } from '../notifications/directory';
import { type ChildHistory, generateChildHistory } from './child-history';
import type { SyntheticPreset } from './presets';

const YEAR_MS = 365.25 * 24 * 3_600_000;

export interface HistoryPlan {
  preset: SyntheticPreset;
  seed: number;
  /** The end of the history ("now" for the demo; a fixed instant for a reproducible benchmark). */
  endMs: number;
  /** Districts of the first force (the configured ones for the demo); other forces get made-up names. */
  districts?: readonly string[];
}

export const DEFAULT_SEED = 20140826;
/** The fixed end of benchmark histories, so every run makes the same one. */
export const BENCHMARK_END = Date.parse('2026-01-01T00:00:00Z');

export function districtsOf(plan: HistoryPlan): string[] {
  const { forces, districtsPerForce } = plan.preset;
  const names: string[] = [];
  for (let force = 0; force < forces; force++) {
    for (let district = 0; district < districtsPerForce; district++) {
      const configured = force === 0 ? plan.districts?.[district] : undefined;
      names.push(configured ?? `Force ${String(force + 1).padStart(2, '0')} District ${district + 1}`);
    }
  }
  return names;
}

export const childrenIn = (plan: HistoryPlan): number =>
  plan.preset.forces * plan.preset.districtsPerForce * plan.preset.years * plan.preset.childrenPerDistrictYear;

/**
 * Every child's history, one at a time (a national history does not fit in memory at once):
 * year by year, district by district. Child k's history depends only on the seed and k.
 * `directory`: the service's, so the e-mails recorded as sent are those it would have sent.
 */
export function* syntheticHistory(plan: HistoryPlan, policy: EscalationPolicy, directory?: Directory): Generator<ChildHistory> {
  const { preset, seed, endMs } = plan;
  const startMs = endMs - preset.years * YEAR_MS;
  const districts = districtsOf(plan);
  let index = 0;
  for (let year = 0; year < preset.years; year++) {
    for (const district of districts) {
      for (let n = 0; n < preset.childrenPerDistrictYear; n++) {
        yield generateChildHistory(
          { seed, index: index++, district, startMs: startMs + year * YEAR_MS, firstWithinMs: YEAR_MS, endMs, episodesPerChild: preset.episodesPerChild },
          policy,
          directory,
        );
      }
    }
  }
}
