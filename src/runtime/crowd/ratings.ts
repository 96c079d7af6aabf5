// Ratings in long form (one row per rating) coded as whole numbers, the
// shape every crowd computation works on:
//
//   item[r], worker[r], label[r]   codes of rating r
//   items, workers, labels         the values behind the codes, sorted
//                                  (numbers numerically, text by code
//                                  point), so results do not depend on
//                                  the order of the rows
//
// A worker who rated an item several times keeps every rating.

import { fail, type DataLocation } from '../../lang/diagnostics.js';
import {
  crowdProblems, type AnnotationRoles,
} from '../../lang/statements/crowd.js';
import type { ValueType } from '../../lang/types.js';
import {
  columnOf, rowCount, type Column, type Table, type Value, valueAt,
} from '../table.js';

export type LabelValue = number | string | boolean;

export interface Ratings {
  /** The table's name, for messages. */
  table: string;
  roles: AnnotationRoles;
  item: Int32Array;
  worker: Int32Array;
  label: Int32Array;
  /** The source row of each rating (rows with no label are skipped). */
  row: Int32Array;
  items: Value[];
  workers: Value[];
  labels: LabelValue[];
  itemType: ValueType;
  workerType: ValueType;
  labelType: ValueType;
  /** Rows with a missing label: no rating, left out. */
  skipped: number;
}

/** Where a row of a table is, for data errors. */
export interface RowPlace {
  /** The file the table came from, or the table's name. */
  source: string;
}

export function place(where: RowPlace, row: number): string {
  return `${where.source} row ${row + 1}`;
}

export function dataLocation(
  where: RowPlace,
  row: number,
  column: string,
): DataLocation {
  return { file: where.source, row: row + 1, column };
}

/** Sort values: numbers numerically, then text, then true/false. */
export function compareValues(a: Value, b: Value): number {
  if (a === b) return 0;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const rank = (v: Value) => typeof v === 'number' ? 0
    : typeof v === 'string' ? 1 : 2;
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  return String(a) < String(b) ? -1 : 1;
}

/**
 * Code the values of some rows of a column 0..n-1 in sorted order. Values
 * are Map keys as they are: 1 and "1" stay apart, and no text key is
 * built per row (a million ratings code in a fraction of a second).
 */
function codeValues(
  column: Column,
  rows: Int32Array,
): { codes: Int32Array; distinct: Value[] } {
  // 1. Provisional codes in order of first appearance.
  const first = new Map<unknown, number>();
  const distinct: Value[] = [];
  const provisional = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const value = column[rows[i]!];
    let code = first.get(value);
    if (code === undefined) {
      code = distinct.length;
      first.set(value, code);
      distinct.push(value as Value);
    }
    provisional[i] = code;
  }

  // 2. Renumber in sorted order.
  const order = distinct.map((_, i) => i)
    .sort((a, b) => compareValues(distinct[a]!, distinct[b]!));
  const rank = new Int32Array(order.length);
  order.forEach((code, position) => {
    rank[code] = position;
  });
  const codes = provisional.map((code) => rank[code]!);
  return { codes, distinct: order.map((code) => distinct[code]!) };
}

const numberLike = /^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

/** A label's kind: "1" read as text is still a number. */
function kindOf(value: Value): 'number' | 'text' | 'boolean' {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return numberLike.test(String(value)) ? 'number' : 'text';
}

/**
 * The type of a label column, failing at the first label whose kind
 * differs from the first one's: numbers and words in one text column
 * ("1", "2", "yes"), or values of several types read from JSON.
 */
function labelType(
  column: Column,
  rows: number,
  name: string,
  where: RowPlace,
): ValueType {
  if (column instanceof Float64Array) return 'number';

  let first: Value = null;
  for (let row = 0; row < rows; row++) {
    const value = valueAt(column, row);
    if (value === null) continue;
    if (first === null) {
      first = value;
      continue;
    }
    if (kindOf(value) !== kindOf(first) || typeof value !== typeof first) {
      return fail(crowdProblems.mixedLabels(place(where, row), name,
        `${JSON.stringify(first)} is ${kindWords[kindOf(first)]}`,
        `${JSON.stringify(value)} is ${kindWords[kindOf(value)]}`),
      undefined, dataLocation(where, row, name));
    }
  }
  if (typeof first === 'boolean') return 'boolean';
  if (typeof first === 'number') return 'number';
  return 'string';
}

const kindWords = {
  number: 'a number', text: 'text', boolean: 'true/false',
} as const;

function keyType(column: Column): ValueType {
  if (column instanceof Float64Array) return 'number';
  for (const value of column) {
    if (value === null || value === undefined) continue;
    return typeof value === 'number' ? 'number'
      : typeof value === 'boolean' ? 'boolean' : 'string';
  }
  return 'string';
}

/**
 * Code a table of ratings. Fails, naming the row, when an item or worker
 * is missing or when labels mix types; rows with no label are skipped.
 */
export function encodeRatings(
  table: Table,
  name: string,
  roles: AnnotationRoles,
  where: RowPlace = { source: name },
): Ratings {
  const rows = rowCount(table);
  const itemColumn = columnOf(table, roles.item);
  const workerColumn = columnOf(table, roles.worker);
  const labelColumn = columnOf(table, roles.label);
  const type = labelType(labelColumn, rows, roles.label, where);

  // 1. Keep the rows that carry a rating.
  const kept: number[] = [];
  for (let row = 0; row < rows; row++) {
    const missing = valueAt(itemColumn, row) === null ? roles.item
      : valueAt(workerColumn, row) === null ? roles.worker
        : undefined;
    if (missing) {
      const role = missing === roles.item ? 'item' : 'worker';
      fail(crowdProblems.missingKey(place(where, row), missing, role),
        undefined, dataLocation(where, row, missing));
    }
    if (valueAt(labelColumn, row) !== null) kept.push(row);
  }
  if (kept.length === 0) fail(crowdProblems.noRatings(name));

  // 2. Code items, workers and labels in sorted order.
  const rated = Int32Array.from(kept);
  const items = codeValues(itemColumn, rated);
  const workers = codeValues(workerColumn, rated);
  const labels = codeValues(labelColumn, rated);

  return {
    table: name,
    roles,
    item: items.codes,
    worker: workers.codes,
    label: labels.codes,
    row: rated,
    items: items.distinct,
    workers: workers.distinct,
    labels: labels.distinct as LabelValue[],
    itemType: keyType(itemColumn),
    workerType: keyType(workerColumn),
    labelType: type,
    skipped: rows - kept.length,
  };
}

/** How many ratings each item has. */
export function ratingsPerItem(ratings: Ratings): Int32Array {
  const counts = new Int32Array(ratings.items.length);
  for (const item of ratings.item) counts[item]!++;
  return counts;
}

/** Vote counts, item by label: counts[item * K + label]. */
export function voteCounts(ratings: Ratings): Float64Array {
  const classes = ratings.labels.length;
  const counts = new Float64Array(ratings.items.length * classes);
  for (let r = 0; r < ratings.item.length; r++) {
    counts[ratings.item[r]! * classes + ratings.label[r]!]!++;
  }
  return counts;
}

/**
 * The checks every crowd statement shares: at least two workers, and
 * (for agreement) some item rated more than once.
 */
export function requireWorkers(ratings: Ratings, verb: string): void {
  if (ratings.workers.length < 2) {
    fail(crowdProblems.oneWorker(verb, String(ratings.workers[0])));
  }
}
