import type { ChildProfile } from '../child-case/child-case.events';
import { ERASED } from '../erasure/field-encryption';
import { ukDateOf } from '../shared/calendar';

/** What the district comparison is broken down by, taken from the child's profile when a fact happens. */
export interface Breakdown {
  ageBand: string;
  gender: string;
  ethnicity: string;
  placement: string;
}

export const BREAKDOWNS = ['ageBand', 'gender', 'ethnicity', 'placement'] as const;
export type BreakdownName = (typeof BREAKDOWNS)[number];

export const NOT_RECORDED = 'not recorded';

// Bands that follow the guidance's thresholds: under 10, the exploitation-risk years, 16-17, adults.
const AGE_BANDS: [number, string][] = [
  [10, 'under 10'],
  [14, '10-13'],
  [16, '14-15'],
  [18, '16-17'],
];

/** The child's age band on a UK calendar day, from a YYYY-MM-DD date of birth. */
export function ageBandOn(dateOfBirth: string | undefined | null, at: string): string {
  // Erased ('[erased]') or malformed: no age to band.
  if (!dateOfBirth || !/^\d{4}-\d{2}-\d{2}/.test(dateOfBirth)) return NOT_RECORDED;
  const day = ukDateOf(at);
  let age = Number(day.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  if (day.slice(5) < dateOfBirth.slice(5, 10)) age--;
  if (age < 0) return NOT_RECORDED;
  return AGE_BANDS.find(([below]) => age < below)?.[1] ?? '18 and over';
}

/** The fields of a profile a breakdown reads (dateOfBirth and ethnicity are personal, the others kept). */
export const PROFILE_BROKEN_DOWN = ['dateOfBirth', 'gender', 'ethnicity', 'placementType'] as const satisfies readonly (keyof ChildProfile)[];

/** Those fields of a profile, or of a profile's changes: all of it the dashboard keeps. */
export const brokenDownFieldsOf = (profile: Partial<ChildProfile>): Partial<ChildProfile> =>
  Object.fromEntries(PROFILE_BROKEN_DOWN.filter((field) => profile[field] !== undefined).map((field) => [field, profile[field]]));

export function breakdownOf(profile: Partial<ChildProfile>, at: string): Breakdown {
  return {
    ageBand: ageBandOn(profile.dateOfBirth, at),
    gender: profile.gender ?? NOT_RECORDED,
    ethnicity: (profile.ethnicity !== ERASED && profile.ethnicity?.trim()) || NOT_RECORDED,
    placement: profile.placementType ?? NOT_RECORDED,
  };
}

/** The UK calendar year and month of an instant: the comparison's periods. */
export const ukYearOf = (iso: string): number => Number(ukDateOf(iso).slice(0, 4));
export const ukMonthOf = (iso: string): string => ukDateOf(iso).slice(0, 7);
