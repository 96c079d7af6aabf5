// Splitting a table into parts, and stratified samples.
//
// Each stratum's rows are shuffled with the session's generator and dealt
// out in the numbers ./allocate.ts gives: every stratum keeps its share in
// every part within one row, and every part its share of the whole within
// one row. Rows keep their table order within each part.

import { groupRows, type Group } from '../groups.js';
import type { Random } from '../random.js';
import { rowCount, type Table } from '../table.js';
import { allocateStrata, largestRemainder } from './allocate.js';

export interface Strata {
  /** The strata, or one stratum of every row when there are no columns. */
  groups: Group[];
  columns: string[];
}

export function strataOf(table: Table, columns: readonly string[]): Strata {
  if (columns.length) {
    return { groups: groupRows(table, columns).groups, columns: [...columns] };
  }
  const rows = Array.from({ length: rowCount(table) }, (_, i) => i);
  return { groups: [{ values: [], label: 'all', rows }], columns: [] };
}

export interface SplitOutcome {
  /** Rows of the table in each part, in table order. */
  parts: number[][];
  /** counts[s][j]: rows of stratum s in part j. */
  counts: number[][];
}

export function splitRows(
  strata: Strata,
  fractions: readonly number[],
  random: Random,
): SplitOutcome {
  const counts = allocateStrata(strata.groups.map((g) => g.rows.length),
    fractions);
  const parts = fractions.map(() => [] as number[]);

  strata.groups.forEach((group, s) => {
    const rows = group.rows.slice();
    random.shuffle(rows);
    let at = 0;
    counts[s]!.forEach((count, j) => {
      parts[j]!.push(...rows.slice(at, at + count));
      at += count;
    });
  });
  for (const part of parts) part.sort((a, b) => a - b);
  return { parts, counts };
}

export interface StratifiedSample {
  rows: number[];
  /** Rows taken from each stratum, and how many were wanted. */
  taken: number[];
  wanted: number[];
}

/**
 * A stratified sample of `size` rows: proportional to the strata's sizes,
 * or the same number from each stratum (`equal`); a stratum smaller than
 * its quota gives all its rows, and the shortfall is reported.
 */
export function stratifiedSample(
  strata: Strata,
  size: number,
  equal: boolean,
  random: Random,
): StratifiedSample {
  const sizes = strata.groups.map((g) => g.rows.length);
  const total = sizes.reduce((a, b) => a + b, 0);
  const wanted = equal
    ? largestRemainder(sizes.map(() => 1), size)
    : allocateStrata(sizes, [size / total, 1 - size / total])
      .map((row) => row[0]!);

  const rows: number[] = [];
  const taken = wanted.map((want, s) => Math.min(want, sizes[s]!));
  strata.groups.forEach((group, s) => {
    for (const position of random.choose(group.rows.length, taken[s]!)) {
      rows.push(group.rows[position]!);
    }
  });
  rows.sort((a, b) => a - b);
  return { rows, taken, wanted };
}
