// SMOTE and SMOTE-NC: new rows of a class on the segments between its rows
// and their nearest neighbours in the same class.
//
// This follows imbalanced-learn's code (BaseSMOTE._make_samples and
// _generate_samples; SMOTENC), not its docstring:
//
//   1. find each row's k nearest neighbours among the class's rows,
//   2. draw (row, neighbour column) pairs uniformly from the n x k table
//      of neighbours, so base rows are picked with replacement,
//   3. new = x_row + u (x_neighbour - x_row), u uniform in [0, 1),
//   4. SMOTE-NC: distances add, for each categorical feature that differs,
//      median_std^2 / 2 (imbalanced-learn one-hot encodes a category as
//      median_std / 2), and a new row takes, for each categorical feature,
//      the value most frequent among the base row's k neighbours, ties
//      broken at random.
//
// Neighbours are found only for rows that were drawn.

import type { Random } from '../random.js';
import { valueAt, type Column, type Value } from '../table.js';
import { KdTree } from './neighbors.js';

export interface SmoteFeatures {
  /** Number columns of the whole table. */
  numeric: readonly Float64Array[];
  /** Text and true/false columns of the whole table (SMOTE-NC). */
  categorical: readonly Column[];
}

export interface SmoteRows {
  /** Table rows each new row was made from, and the neighbour used. */
  base: Uint32Array;
  neighbour: Uint32Array;
  step: Float64Array;
  /** New values, one array per feature, in the order of the features. */
  numeric: Float64Array[];
  categorical: Value[][];
  /** Neighbours used per row: 5, or fewer for a class of under 6 rows. */
  k: number;
}

/** Standard deviation dividing by n (numpy's default), per feature. */
export function medianStd(
  numeric: readonly Float64Array[],
  rows: readonly number[],
): number {
  const stds = numeric.map((column) => {
    let sum = 0;
    for (const row of rows) sum += column[row]!;
    const centre = sum / rows.length;
    let squares = 0;
    for (const row of rows) squares += (column[row]! - centre) ** 2;
    return Math.sqrt(squares / rows.length);
  }).sort((a, b) => a - b);
  const middle = stds.length >> 1;
  return stds.length % 2 ? stds[middle]!
    : (stds[middle - 1]! + stds[middle]!) / 2;
}

/**
 * `count` new rows for the class made of `rows` (at least 2 of them).
 * `categoryPenalty` is the squared distance added per differing category.
 */
export function smoteRows(
  features: SmoteFeatures,
  rows: readonly number[],
  count: number,
  neighbours: number,
  categoryPenalty: number,
  random: Random,
): SmoteRows {
  const n = rows.length;
  const k = Math.min(neighbours, n - 1);
  const dimensions = features.numeric.length;

  // 1. The class's points, and its categories as small whole numbers.
  const points = new Float64Array(n * dimensions);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dimensions; d++) {
      points[i * dimensions + d] = features.numeric[d]![rows[i]!]!;
    }
  }
  const codes = features.categorical.map((column) => codeValues(column, rows));
  const mismatch = codes.length && categoryPenalty > 0
    ? (a: number, b: number) => {
      let differing = 0;
      for (const coded of codes) {
        if (coded.codes[a] !== coded.codes[b]) differing++;
      }
      return differing * categoryPenalty;
    }
    : undefined;
  const tree = new KdTree(points, n, dimensions, mismatch);

  // 2. Draw (row, neighbour column) pairs, then the steps.
  const draws = new Uint32Array(count);
  for (let i = 0; i < count; i++) draws[i] = random.int(0, n * k - 1);
  const step = new Float64Array(count);
  for (let i = 0; i < count; i++) step[i] = random.float();

  // 3. Neighbours of the drawn rows only.
  const wanted = new Uint8Array(n);
  for (let i = 0; i < count; i++) wanted[Math.floor(draws[i]! / k)] = 1;
  const lists = tree.nearestOf(wanted, k);

  // 4. Interpolate numbers; take categories from the neighbours.
  const base = new Uint32Array(count);
  const neighbour = new Uint32Array(count);
  const numeric = features.numeric.map(() => new Float64Array(count));
  const categorical = codes.map(() => new Array<Value>(count));
  for (let i = 0; i < count; i++) {
    const local = Math.floor(draws[i]! / k);
    const list = lists[local]!;
    const other = list[draws[i]! % k]!;
    base[i] = rows[local]!;
    neighbour[i] = rows[other]!;
    for (let d = 0; d < dimensions; d++) {
      const from = points[local * dimensions + d]!;
      const to = points[other * dimensions + d]!;
      numeric[d]![i] = from + step[i]! * (to - from);
    }
    codes.forEach((coded, c) => {
      categorical[c]![i] = coded.values[mostFrequent(coded.codes, list,
        random)]!;
    });
  }

  return { base, neighbour, step, numeric, categorical, k };
}

function codeValues(column: Column, rows: readonly number[]):
{ codes: Uint32Array; values: Value[] } {
  const codes = new Uint32Array(rows.length);
  const values: Value[] = [];
  const seen = new Map<Value, number>();
  rows.forEach((row, i) => {
    const value = valueAt(column, row);
    let code = seen.get(value);
    if (code === undefined) {
      code = values.length;
      seen.set(value, code);
      values.push(value);
    }
    codes[i] = code;
  });
  return { codes, values };
}

/** The code most frequent among the neighbours; ties drawn at random. */
function mostFrequent(
  codes: Uint32Array,
  list: Uint32Array,
  random: Random,
): number {
  const counts = new Map<number, number>();
  let top = 0;
  for (const other of list) {
    const code = codes[other]!;
    const n = (counts.get(code) ?? 0) + 1;
    counts.set(code, n);
    if (n > top) top = n;
  }
  const tied = [...counts.entries()]
    .filter(([, n]) => n === top)
    .map(([code]) => code)
    .sort((a, b) => a - b);
  return tied.length === 1 ? tied[0]! : tied[random.int(0, tied.length - 1)]!;
}
