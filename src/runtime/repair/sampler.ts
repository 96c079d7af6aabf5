// The per-group sampler: new rows that follow one group's distribution.
//
//   numbers      a Gaussian copula: each column's values become normal
//                scores (from their ranks), the scores' correlation is
//                kept, and new scores drawn with that correlation are
//                turned back into values through the column's own
//                empirical quantiles (linear between observed values)
//   categories   drawn together, as the combination of a random row of
//                the group, so their joint (conditional) frequencies are
//                the group's
//
// Known shortcoming: numbers and categories are drawn independently
// within a group, so a link between them inside the group (say income
// and job title) is lost; name such a column in `by` to keep it.

import type { Random } from '../random.js';
import { valueAt, type Column, type Value } from '../table.js';

export interface SampledRows {
  numeric: Float64Array[];
  categorical: Value[][];
}

export function sampleRows(
  numeric: readonly Float64Array[],
  categorical: readonly Column[],
  rows: readonly number[],
  count: number,
  random: Random,
): SampledRows {
  // 1. Categories: the combination of a random row of the group.
  const categoricalOut = categorical.map(() => new Array<Value>(count));
  for (let i = 0; i < count; i++) {
    const row = rows[random.int(0, rows.length - 1)]!;
    categorical.forEach((column, c) => {
      categoricalOut[c]![i] = valueAt(column, row);
    });
  }

  // 2. Numbers: normal scores, their correlation, its Cholesky factor.
  const values = numeric.map((column) =>
    Float64Array.from(rows, (row) => column[row]!));
  const scores = values.map(normalScores);
  const factor = cholesky(correlation(scores));

  const sorted = values.map((v) => Float64Array.from(v).sort());
  const whole = values.map((v) => v.every(Number.isInteger));
  const p = numeric.length;
  const numericOut = numeric.map(() => new Float64Array(count));
  const independent = new Float64Array(p);

  // 3. Correlated scores, back through each column's quantiles.
  for (let i = 0; i < count; i++) {
    for (let d = 0; d < p; d++) independent[d] = random.normal();
    for (let d = 0; d < p; d++) {
      let z = 0;
      for (let e = 0; e <= d; e++) z += factor[d * p + e]! * independent[e]!;
      const value = empiricalQuantile(sorted[d]!, normalCdf(z));
      numericOut[d]![i] = whole[d] ? Math.round(value) : value;
    }
  }
  return { numeric: numericOut, categorical: categoricalOut };
}

/** Normal scores from ranks (ties share their mean rank): Φ⁻¹(r/(n+1)). */
export function normalScores(values: Float64Array): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i)
    .sort((a, b) => values[a]! - values[b]!);
  const scores = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]!] === values[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) {
      scores[order[t]!] = normalQuantile(rank / (n + 1));
    }
    i = j + 1;
  }
  return scores;
}

/** Pearson correlation matrix, row-major; a constant column gets 0s. */
export function correlation(columns: readonly Float64Array[]): Float64Array {
  const p = columns.length;
  const centred = columns.map((column) => {
    let sum = 0;
    for (const value of column) sum += value;
    const centre = sum / column.length;
    return Float64Array.from(column, (value) => value - centre);
  });
  const norms = centred.map((c) => Math.sqrt(c.reduce((s, v) => s + v * v, 0)));

  const matrix = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    matrix[a * p + a] = 1;
    for (let b = 0; b < a; b++) {
      let dot = 0;
      const x = centred[a]!;
      const y = centred[b]!;
      for (let i = 0; i < x.length; i++) dot += x[i]! * y[i]!;
      const r = norms[a]! && norms[b]! ? dot / (norms[a]! * norms[b]!) : 0;
      matrix[a * p + b] = r;
      matrix[b * p + a] = r;
    }
  }
  return matrix;
}

/**
 * Lower Cholesky factor. A correlation matrix that is only just positive
 * semi-definite (two columns moving together exactly) gets a tiny ridge on
 * the diagonal, growing until the factor exists.
 */
export function cholesky(matrix: Float64Array): Float64Array {
  const p = Math.round(Math.sqrt(matrix.length));
  for (let ridge = 0; ridge < 1; ridge = ridge ? ridge * 10 : 1e-12) {
    const factor = new Float64Array(p * p);
    let ok = true;
    for (let i = 0; i < p && ok; i++) {
      for (let j = 0; j <= i; j++) {
        let sum = matrix[i * p + j]! + (i === j ? ridge : 0);
        for (let k = 0; k < j; k++) {
          sum -= factor[i * p + k]! * factor[j * p + k]!;
        }
        if (i === j) {
          if (sum <= 0) {
            ok = false;
            break;
          }
          factor[i * p + i] = Math.sqrt(sum);
        } else {
          factor[i * p + j] = sum / factor[j * p + j]!;
        }
      }
    }
    if (ok) return factor;
  }
  // Unreachable for a correlation matrix: a ridge of 1 makes it definite.
  throw new Error('correlation matrix has no Cholesky factor');
}

/** Linear interpolation between sorted values at probability u. */
function empiricalQuantile(sorted: Float64Array, u: number): number {
  const position = u * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const gap = sorted[above]! - sorted[below]!;
  return sorted[below]! + (position - below) * gap;
}

/** Φ(x), from the complementary error function. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/**
 * erfc by the Chebyshev fit of Numerical Recipes (erfcc): fractional
 * error under 1.2e-7, ample for turning scores into probabilities.
 */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 +
    t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
    t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** Φ⁻¹(p) by Acklam's rational approximation (relative error 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-3.969683028665376e+01, 2.209460984245205e+02,
    -2.759285104469687e+02, 1.383577518672690e+02,
    -3.066479806614716e+01, 2.506628277459239e+00];
  const b = [-5.447609879822406e+01, 1.615858368580409e+02,
    -1.556989798598866e+02, 6.680131188771972e+01,
    -1.328068155288572e+01];
  const c = [-7.784894002430293e-03, -3.223964580411365e-01,
    -2.400758277161838e+00, -2.549732539343734e+00,
    4.374664141464968e+00, 2.938163982698783e+00];
  const d = [7.784695709041462e-03, 3.224671290700398e-01,
    2.445134137142996e+00, 3.754408661907416e+00];
  const low = 0.02425;

  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) *
      q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) *
    r + a[5]!) * q / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) *
    r + b[4]!) * r + 1);
}
