// The session's one source of randomness. Every random choice Fair makes
// (samples, splits, synthetic rows, weight initialisation) draws from it in
// script order, so the same script and seed give the same output.

import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

type Generator = ReturnType<typeof xoroshiro128plus>;

/** The seed a session uses until a `seed` statement sets another. */
export const defaultSeed = 0;

export class Random {
  private generator: Generator;
  private spareNormal: number | undefined;

  constructor(readonly seed: number = defaultSeed) {
    this.generator = xoroshiro128plus(seed);
  }

  /** A number in [0, 1). */
  float(): number {
    return uniformFloat64(this.generator);
  }

  /** A whole number from min to max, both included. */
  int(min: number, max: number): number {
    return uniformInt(this.generator, min, max);
  }

  /** A draw from the standard normal distribution (Box-Muller). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return spare;
    }
    let u = 0;
    while (u === 0) u = this.float();
    const v = this.float();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** Shuffle in place (Fisher-Yates). */
  shuffle<T>(items: T[] | Uint32Array | Int32Array): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const swap = items[i]!;
      items[i] = items[j]!;
      items[j] = swap;
    }
  }

  /**
   * `count` distinct indices from 0 to n - 1, in increasing order, chosen
   * uniformly (a partial Fisher-Yates shuffle).
   */
  choose(n: number, count: number): Uint32Array {
    const pool = new Uint32Array(n);
    for (let i = 0; i < n; i++) pool[i] = i;
    for (let i = 0; i < count; i++) {
      const j = this.int(i, n - 1);
      const swap = pool[i]!;
      pool[i] = pool[j]!;
      pool[j] = swap;
    }
    return pool.slice(0, count).sort();
  }

  /** `count` indices from 0 to n - 1 drawn with replacement, in order. */
  draw(n: number, count: number): Uint32Array {
    const picks = new Uint32Array(count);
    for (let i = 0; i < count; i++) picks[i] = this.int(0, n - 1);
    return picks.sort();
  }
}
