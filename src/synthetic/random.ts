/**
 * A small seeded pseudo-random generator (mulberry32): the same seed gives the same history on
 * every machine, which Math.random cannot. Not for anything secret.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A generator of its own for a sub-part (one child), so parts do not depend on each other's draws. */
  static derive(seed: number, ...parts: number[]): Random {
    let h = seed >>> 0;
    for (const part of parts) h = Math.imul(h ^ (part >>> 0), 0x9e3779b1) ^ (h >>> 15);
    return new Random(h ^ 0x5bd1e995);
  }

  /** In [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  int(min: number, maxInclusive: number): number {
    return Math.floor(this.between(min, maxInclusive + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** One of the keys, with probability proportional to its weight. */
  weighted<K extends string | number>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    let roll = this.next() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [key, weight] of entries) if ((roll -= weight) < 0) return key;
    return entries[entries.length - 1][0];
  }

  /** Exponentially distributed with this mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}

/**
 * Draws from a truncated power law on 1..max (P(k) ∝ k^-exponent): most children go missing once,
 * a few dozens of times. The cumulative table is built once per (max, exponent).
 */
export function powerLaw(max: number, exponent: number): (random: Random) => number {
  const cumulative: number[] = [];
  let total = 0;
  for (let k = 1; k <= max; k++) cumulative.push((total += k ** -exponent));
  return (random) => {
    const roll = random.next() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid] > roll) high = mid;
      else low = mid + 1;
    }
    return low + 1;
  };
}
