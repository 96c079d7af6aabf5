// The statistics an audit reports, as plain functions of counts and
// shares: the Wilson interval of a rate, the diversity of group shares and
// the divergence of two distributions. Logarithms are natural (nats).

/** The normal quantile for a two-sided 95 % interval. */
export const z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/**
 * The Wilson score interval of a proportion (Wilson 1927), as
 * statsmodels' `proportion_confint(method="wilson")` and scipy's
 * `binomtest(...).proportion_ci("wilson")` compute it. Unlike the normal
 * approximation it stays inside [0, 1] and behaves for rates near 0 or 1.
 * `n` may be a weighted count: weights are read as frequencies.
 */
export function wilson(positives: number, n: number, z = z95):
Interval | undefined {
  if (!(n > 0)) return undefined;
  const p = positives / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) *
    Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  return {
    low: Math.max(0, centre - half),
    high: Math.min(1, centre + half),
  };
}

/** Counts to shares of their total. */
export function normalise(counts: readonly number[]): number[] {
  const total = counts.reduce((sum, c) => sum + c, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
}

/** Shannon entropy -Σ p ln p, in nats; empty shares count as 0. */
export function entropy(shares: readonly number[]): number {
  let h = 0;
  for (const p of shares) if (p > 0) h -= p * Math.log(p);
  return h === 0 ? 0 : h;
}

/**
 * Gini-Simpson diversity 1 - Σ p²: the chance that two rows drawn at
 * random (with replacement) belong to different groups.
 */
export function simpson(shares: readonly number[]): number {
  let concentration = 0;
  for (const p of shares) concentration += p * p;
  return 1 - concentration;
}

/**
 * Kullback-Leibler divergence KL(p ‖ q) = Σ p ln(p / q), in nats.
 * Undefined (infinite) when p has mass where q has none.
 */
export function klDivergence(
  p: readonly number[],
  q: readonly number[],
): number | undefined {
  let kl = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    const qi = q[i]!;
    if (pi === 0) continue;
    if (qi === 0) return undefined;
    kl += pi * Math.log(pi / qi);
  }
  return Math.max(0, kl);
}

/**
 * Jensen-Shannon divergence ½ KL(p ‖ m) + ½ KL(q ‖ m) with m the average
 * of p and q, in nats: finite, symmetric, at most ln 2. (scipy's
 * `jensenshannon` returns its square root, the JS distance.)
 */
export function jsDivergence(
  p: readonly number[],
  q: readonly number[],
): number {
  const m = p.map((pi, i) => (pi + q[i]!) / 2);
  return Math.max(0,
    (klDivergence(p, m) ?? 0) / 2 + (klDivergence(q, m) ?? 0) / 2);
}
