/** How much history to make. The national preset is sized from the domain brief's volumes. */
export interface SyntheticPreset {
  name: string;
  description: string;
  forces: number;
  /** Districts per force, each with its own local authority and LSCB. */
  districtsPerForce: number;
  years: number;
  /** Children with at least one episode, per district per year. */
  childrenPerDistrictYear: number;
  /** Episodes per child follow a power law on 1..max: most once, a few dozens of times. */
  episodesPerChild: { max: number; exponent: number };
}

export const PRESETS = {
  demo: {
    name: 'demo',
    description: "one force (the configured four districts), one year ending now: a living dashboard in about a minute",
    forces: 1,
    districtsPerForce: 4,
    years: 1,
    childrenPerDistrictYear: 400,
    episodesPerChild: { max: 60, exponent: 2 },
  },
  'force-year': {
    name: 'force-year',
    description: 'one force of four districts, one year (the quick benchmark scale)',
    forces: 1,
    districtsPerForce: 4,
    years: 1,
    childrenPerDistrictYear: 1_200,
    episodesPerChild: { max: 60, exponent: 2 },
  },
  'four-forces': {
    name: 'four-forces',
    description: 'four forces of four districts, ten years: a tenth of national, loaded in minutes, its rebuilds as fast per event',
    forces: 4,
    districtsPerForce: 4,
    years: 10,
    childrenPerDistrictYear: 400,
    episodesPerChild: { max: 60, exponent: 2 },
  },
  national: {
    name: 'national',
    description: 'England and Wales: 43 forces of four districts, ten years (about 2 million episodes)',
    forces: 43,
    districtsPerForce: 4,
    years: 10,
    childrenPerDistrictYear: 400,
    episodesPerChild: { max: 60, exponent: 2 },
  },
} as const satisfies Record<string, SyntheticPreset>;

export type PresetName = keyof typeof PRESETS;

export const isPresetName = (name: string): name is PresetName => Object.hasOwn(PRESETS, name);
