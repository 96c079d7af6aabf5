// Which rows `augment` copies, and the table with the copies added.
//
//   times N                  every source row N times, in table order
//   until balanced [by COLS] for each group (of COLS, else of label) that
//                            is smaller than the largest, just enough
//                            copies to reach it, made from the group's
//                            source rows in turn (a shuffled round, so
//                            each is used as evenly as can be)
//
// Source rows are those matching `where`, or every row. A new row keeps
// every column of its source row (label, groups, metadata) except:
//
//   id         a new id: the next numbers after the largest, or for text
//              ids the source's id with #1, #2, ... after it
//   augmented  true (false for the rows that were there)
//   source     the id of the row it was made from, or its row number
//              (from 1) when the table has no id column; missing for the
//              rows that were there

import { fail } from '../../lang/diagnostics.js';
import {
  imageProblems, type AugmentOperation,
} from '../../lang/statements/images.js';
import { groupRows } from '../groups.js';
import type { Random } from '../random.js';
import { concat, gather } from '../repair/append.js';
import {
  columnNames, columnOf, makeTable, rowCount, type Column, type Table,
  type Value, valueAt,
} from '../table.js';

export const augmentedColumn = 'augmented';
export const sourceColumn = 'source';

export interface GroupGrowth {
  label: string;
  /** The group's value in each group column. */
  values: Value[];
  before: number;
  added: number;
  after: number;
}

export interface SourcePlan {
  /** The source row of each new row, in the order they are added. */
  sources: number[];
  /** With until balanced: each group's size before and after. */
  groups?: GroupGrowth[];
  /** Groups that stay short because no row of theirs matches `where`. */
  unreachable: string[];
}

export function repeatRows(candidates: readonly number[], times: number):
SourcePlan {
  const sources: number[] = [];
  for (const row of candidates) {
    for (let k = 0; k < times; k++) sources.push(row);
  }
  return { sources, unreachable: [] };
}

export function balanceRows(
  table: Table,
  candidates: readonly number[],
  by: readonly string[],
  random: Random,
): SourcePlan {
  const grouping = groupRows(table, by);
  const largest = Math.max(0, ...grouping.groups.map((g) => g.rows.length));
  const eligible = grouping.groups.map(() => [] as number[]);
  for (const row of candidates) eligible[grouping.groupOf[row]!]!.push(row);

  const sources: number[] = [];
  const groups: GroupGrowth[] = [];
  const unreachable: string[] = [];
  grouping.groups.forEach((group, g) => {
    const before = group.rows.length;
    const deficit = largest - before;
    const pool = eligible[g]!;
    let added = 0;
    if (deficit > 0 && pool.length === 0) {
      unreachable.push(group.label);
    } else if (deficit > 0) {
      const order = pool.slice();
      random.shuffle(order);
      for (let k = 0; k < deficit; k++) sources.push(order[k % order.length]!);
      added = deficit;
    }
    groups.push({ label: group.label, values: group.values, before, added,
      after: before + added });
  });
  return { sources, groups, unreachable };
}

/** New ids for copies of the given source rows. */
function newIds(table: Table, sources: readonly number[]): unknown[] {
  const ids = columnOf(table, 'id');
  const rows = rowCount(table);
  if (ids instanceof Float64Array) {
    let next = 0;
    for (let row = 0; row < rows; row++) {
      if (ids[row]! >= next) next = Math.floor(ids[row]!) + 1;
    }
    return sources.map((_, i) => next + i);
  }
  const copies = new Map<number, number>();
  return sources.map((row) => {
    const k = (copies.get(row) ?? 0) + 1;
    copies.set(row, k);
    const id = valueAt(ids, row);
    return `${id === null ? `row ${row + 1}` : String(id)}#${k}`;
  });
}

/**
 * The table with copies of the source rows appended; `replace` gives the
 * new rows' values of the columns a copy changes (image, or jittered
 * numbers).
 */
export function appendCopies(
  table: Table,
  sources: readonly number[],
  replace: ReadonlyMap<string, Column>,
): Table {
  const names = columnNames(table);
  const rows = rowCount(table);
  const hasIds = names.includes('id');
  const entries: [string, Column][] = [];

  for (const name of names) {
    if (name === augmentedColumn || name === sourceColumn) continue;
    const column = columnOf(table, name);
    const added = replace.get(name) ??
      (name === 'id' ? newIds(table, sources) : gather(column, sources));
    entries.push([name, concat(column, added as ArrayLike<unknown>)]);
  }

  // The marks: kept for rows an earlier augment made, set for the new.
  const marked = names.includes(augmentedColumn)
    ? columnOf(table, augmentedColumn) as (boolean | null)[]
    : new Array<boolean>(rows).fill(false);
  entries.push([augmentedColumn,
    [...marked, ...new Array<boolean>(sources.length).fill(true)]]);

  // Without ids, a copy names its source by row number (from 1).
  const ids: Column = hasIds ? columnOf(table, 'id')
    : Float64Array.from({ length: rows }, (_, row) => row + 1);
  const previous = names.includes(sourceColumn)
    ? columnOf(table, sourceColumn)
    : ids instanceof Float64Array ? new Float64Array(rows).fill(NaN)
      : new Array<null>(rows).fill(null);
  entries.push([sourceColumn, concat(previous, gather(ids, sources) as
    ArrayLike<unknown>)]);
  return makeTable(entries);
}

/**
 * Jittered copies of number columns: each value plus SIGMA times the
 * column's standard deviation times a standard normal draw. Missing
 * values stay missing.
 */
export function jitterColumns(
  table: Table,
  tableName: string,
  plan: SourcePlan,
  operations: readonly AugmentOperation[],
  by: readonly string[],
  random: Random,
): Map<string, Float64Array> {
  const names = columnNames(table);
  const listed = operations.flatMap((o) => o.columns ?? []);
  const chosen = listed.length
    ? [...new Set(listed.map((c) => c.name))]
    : names.filter((name) => columnOf(table, name) instanceof Float64Array &&
      !by.includes(name) && !['id', 'source', 'weight'].includes(name));
  for (const column of listed) {
    if (!(columnOf(table, column.name) instanceof Float64Array)) {
      fail(imageProblems.notNumberColumn(column.name, 'not numbers'),
        column.span);
    }
  }
  if (!chosen.length) fail(imageProblems.noJitterColumns(tableName));

  const deviations = chosen.map((name) =>
    standardDeviation(columnOf(table, name) as Float64Array));
  const out = new Map(chosen.map((name) =>
    [name, new Float64Array(plan.sources.length)] as const));
  plan.sources.forEach((row, k) => {
    chosen.forEach((name) => {
      out.get(name)![k] = (columnOf(table, name) as Float64Array)[row]!;
    });
    for (const operation of operations) {
      const p = operation.probability?.value ?? 1;
      if (p < 1 && random.float() >= p) continue;
      const sigma = operation.amount!.low;
      chosen.forEach((name, c) => {
        const values = out.get(name)!;
        if (Number.isNaN(values[k]!)) return;
        values[k] = values[k]! + sigma * deviations[c]! *
          random.normal();
      });
    }
  });
  return out;
}

/** Population standard deviation, missing values left out. */
function standardDeviation(values: Float64Array): number {
  let n = 0;
  let mean = 0;
  let squares = 0;
  for (const value of values) {
    if (Number.isNaN(value)) continue;
    n++;
    const delta = value - mean;
    mean += delta / n;
    squares += delta * (value - mean);
  }
  return n > 0 ? Math.sqrt(squares / n) : 0;
}
