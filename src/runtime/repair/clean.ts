// The clean operations on a table's columns: drop rows with missing
// values, impute them, remove exact and near duplicates, remove outliers.
// Each returns the rows it removed or changed, so that the caller can
// report them per group.

import type {
  ImputeMethod, OutlierRule,
} from '../../lang/statements/repair.js';
import { mean, quantile, standardDeviation } from '../expr.js';
import { groupRows } from '../groups.js';
import {
  columnNames, columnOf, isMissing, makeTable, rowCount, rowKey, takeRows,
  valueAt, type Column, type Table, type Value,
} from '../table.js';

export interface CleanEffect {
  table: Table;
  /** Rows of the input removed (1) or changed (1), by input row. */
  removed?: Uint8Array;
  changed?: Uint8Array;
  /** One line per detail worth telling: a fill value, a bound. */
  details: string[];
}

function keepRows(table: Table, removed: Uint8Array): Table {
  const kept: number[] = [];
  for (let row = 0; row < removed.length; row++) {
    if (!removed[row]) kept.push(row);
  }
  return kept.length === removed.length ? table : takeRows(table, kept);
}

// 1. Missing values

export function dropMissing(table: Table, columns: readonly string[]):
CleanEffect {
  const names = columns.length ? columns : columnNames(table);
  const rows = rowCount(table);
  const removed = new Uint8Array(rows);
  const counts: string[] = [];

  for (const name of names) {
    const column = columnOf(table, name);
    let missing = 0;
    for (let row = 0; row < rows; row++) {
      if (isMissing(column[row])) {
        removed[row] = 1;
        missing++;
      }
    }
    if (missing) counts.push(`${name} ${missing}`);
  }

  return {
    table: keepRows(table, removed),
    removed,
    details: counts.length ? [`missing values: ${counts.join(', ')}`] : [],
  };
}

/** Ties between modes go to the smallest value, so the choice is stable. */
function compareValues(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** The fill value of a list of present values. */
export function fillValue(values: readonly Value[], method: ImputeMethod):
Value {
  if (values.length === 0) return null;
  if (method === 'mean') return mean(values as number[]);
  if (method === 'median') {
    const sorted = (values as number[]).slice().sort((a, b) => a - b);
    return quantile(sorted, 0.5);
  }

  const counts = new Map<Value, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: Value = null;
  let bestCount = 0;
  for (const [value, n] of counts) {
    if (n > bestCount || (n === bestCount && compareValues(value, best) < 0)) {
      best = value;
      bestCount = n;
    }
  }
  return best;
}

export interface ImputeProblem {
  column: string;
  group?: string;
}

/**
 * Fill missing values with the mean, median or mode of the column,
 * computed over the whole table or within each group of `by`. A group
 * without any value falls back to the whole column's value (noted).
 */
export function impute(
  table: Table,
  columns: readonly string[],
  method: ImputeMethod,
  by: readonly string[],
  onEmpty: (problem: ImputeProblem) => never,
): CleanEffect {
  const rows = rowCount(table);
  const changed = new Uint8Array(rows);
  const details: string[] = [];
  const grouping = by.length ? groupRows(table, by) : undefined;
  const replaced = new Map<string, Column>();

  for (const name of columns) {
    const column = columnOf(table, name);
    const present = (list: Iterable<number>) => {
      const values: Value[] = [];
      for (const row of list) {
        const value = valueAt(column, row);
        if (value !== null) values.push(value);
      }
      return values;
    };

    const overall = fillValue(present(range(rows)), method);
    if (overall === null) onEmpty({ column: name });

    const filled = column instanceof Float64Array
      ? Float64Array.from(column)
      : (column as Value[]).slice();
    let count = 0;
    const fill = (list: readonly number[], value: Value) => {
      for (const row of list) {
        if (!isMissing(filled[row])) continue;
        (filled as Value[])[row] = value;
        changed[row] = 1;
        count++;
      }
    };

    if (grouping) {
      let fellBack = 0;
      for (const group of grouping.groups) {
        const value = fillValue(present(group.rows), method);
        if (value === null) fellBack++;
        fill(group.rows, value ?? overall);
      }
      if (fellBack) {
        details.push(`${name}: ${fellBack} group${fellBack === 1 ? '' : 's'} ` +
          `had no ${name} value and took the whole column's ${method}`);
      }
    } else {
      fill(range(rows), overall);
      details.push(`${name}: ${count} filled with ${method} ` +
        `${formatValue(overall)}`);
    }
    replaced.set(name, filled);
  }

  const next = makeTable(columnNames(table).map((name) =>
    [name, replaced.get(name) ?? columnOf(table, name)] as const));
  return { table: next, changed, details };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function formatValue(value: Value): string {
  if (typeof value === 'number') {
    return Number.isInteger(value) ? String(value)
      : String(Number(value.toPrecision(6)));
  }
  return JSON.stringify(value);
}

// 2. Duplicates

/**
 * Remove rows equal to an earlier row in the given columns (all columns
 * when none are given), keeping the first. With a tolerance, number
 * columns match when they differ by at most the tolerance and the other
 * columns are equal: a near duplicate of any earlier kept row goes.
 */
export function dedupe(
  table: Table,
  columns: readonly string[],
  tolerance: number | undefined,
): CleanEffect {
  const names = columns.length ? columns : columnNames(table);
  const rows = rowCount(table);
  const removed = new Uint8Array(rows);

  if (tolerance === undefined || tolerance === 0) {
    const all = names.map((name) => columnOf(table, name));
    const seen = new Set<string>();
    for (let row = 0; row < rows; row++) {
      const key = rowKey(all, row);
      if (seen.has(key)) removed[row] = 1;
      else seen.add(key);
    }
    return { table: keepRows(table, removed), removed, details: [] };
  }

  const numbers = names.map((name) => columnOf(table, name))
    .filter((c): c is Float64Array => c instanceof Float64Array);
  const others = names.map((name) => columnOf(table, name))
    .filter((c) => !(c instanceof Float64Array));
  markNearDuplicates(rows, numbers, others, tolerance, removed);
  return {
    table: keepRows(table, removed),
    removed,
    details: [`numbers within ${tolerance} of an earlier row count as equal`],
  };
}

/**
 * Rows are bucketed by their other columns and by the cell of the first
 * number column on a grid of the tolerance's width, so that a row is
 * compared only with kept rows in its own and the two adjacent cells.
 */
function markNearDuplicates(
  rows: number,
  numbers: readonly Float64Array[],
  others: readonly Column[],
  tolerance: number,
  removed: Uint8Array,
): void {
  const kept = new Map<string, number[]>();
  const first = numbers[0]!;
  const cellOf = (row: number) => {
    const value = first[row]!;
    return Number.isNaN(value) ? 'NaN' : String(Math.floor(value / tolerance));
  };
  const close = (a: number, b: number) => numbers.every((column) => {
    const x = column[a]!;
    const y = column[b]!;
    if (Number.isNaN(x) || Number.isNaN(y)) {
      return Number.isNaN(x) && Number.isNaN(y);
    }
    return Math.abs(x - y) <= tolerance;
  });

  for (let row = 0; row < rows; row++) {
    const key = rowKey(others, row);
    const cell = cellOf(row);
    const near = cell === 'NaN' ? [cell]
      : [-1, 0, 1].map((d) => String(Number(cell) + d));
    const duplicate = near.some((c) =>
      (kept.get(key + '|' + c) ?? []).some((other) => close(row, other)));
    if (duplicate) {
      removed[row] = 1;
      continue;
    }
    const bucket = key + '|' + cell;
    const list = kept.get(bucket);
    if (list) list.push(row);
    else kept.set(bucket, [row]);
  }
}

// 3. Outliers

export interface OutlierBounds {
  column: string;
  low: number;
  high: number;
}

/**
 * Remove rows with a value outside the bounds in any listed column:
 * iqr K keeps [Q1 - K IQR, Q3 + K IQR] (quartiles by linear interpolation,
 * as pandas); z K keeps values within K standard deviations (n - 1) of
 * the mean. Bounds come from the whole table before any row goes; a
 * missing value is never an outlier.
 */
export function outliers(
  table: Table,
  columns: readonly string[],
  rule: OutlierRule,
  limit: number,
): CleanEffect & { bounds: OutlierBounds[] } {
  const rows = rowCount(table);
  const removed = new Uint8Array(rows);
  const bounds: OutlierBounds[] = [];
  const details: string[] = [];

  for (const name of columns) {
    const column = columnOf(table, name) as Float64Array;
    const values: number[] = [];
    for (let row = 0; row < rows; row++) {
      if (!Number.isNaN(column[row]!)) values.push(column[row]!);
    }
    const range = boundsOf(values, rule, limit);
    if (!range) continue;

    let count = 0;
    for (let row = 0; row < rows; row++) {
      const value = column[row]!;
      if (value < range.low || value > range.high) {
        removed[row] = 1;
        count++;
      }
    }
    bounds.push({ column: name, ...range });
    details.push(`${name}: kept ${formatValue(range.low)} to ` +
      `${formatValue(range.high)}, ${count} outside`);
  }

  return { table: keepRows(table, removed), removed, details, bounds };
}

function boundsOf(
  values: number[],
  rule: OutlierRule,
  limit: number,
): { low: number; high: number } | undefined {
  if (values.length === 0) return undefined;
  if (rule === 'iqr') {
    const sorted = values.slice().sort((a, b) => a - b);
    const q1 = quantile(sorted, 0.25)!;
    const q3 = quantile(sorted, 0.75)!;
    const spread = q3 - q1;
    return { low: q1 - limit * spread, high: q3 + limit * spread };
  }
  const centre = mean(values)!;
  const sd = standardDeviation(values);
  if (!sd) return undefined;
  return { low: centre - limit * sd, high: centre + limit * sd };
}
