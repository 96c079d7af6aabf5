// Rows grouped by the values of some columns: the basis of every per-group
// figure (audits, splits, balancing, evaluation).
//
// A missing value in a group column is a group of its own, labelled
// "(missing)", never dropped. Groups are ordered by their values (numbers
// numerically, text alphabetically, missing last), so output is the same
// whatever the row order.

import { columnOf, rowCount, type Table, type Value, valueAt } from './table.js';

export const missingLabel = '(missing)';

export interface Group {
  /** The group's value in each group column, null where missing. */
  values: Value[];
  /** The values as people read them: "yes", "Black × Male". */
  label: string;
  /** The rows of the table in this group, in table order. */
  rows: number[];
}

export interface Grouping {
  columns: string[];
  groups: Group[];
  /** For each row of the table, the index of its group. */
  groupOf: Uint32Array;
}

export function valueLabel(value: Value): string {
  return value === null ? missingLabel : String(value);
}

function compareValues(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

export function groupRows(table: Table, columns: readonly string[]): Grouping {
  const rows = rowCount(table);

  // 1. Code each column's values 0, 1, 2, ... in order of appearance.
  const coded = columns.map((name) => codeColumn(columnOf(table, name), rows));

  // 2. Combine the codes into one number per row (mixed radix); when the
  //    combinations could exceed exact integers, fall back to text keys.
  const combinations = coded.reduce((n, c) => n * c.values.length, 1);
  const exact = combinations <= Number.MAX_SAFE_INTEGER;
  const keyOf = (row: number): number | string => {
    if (!exact) return coded.map((c) => c.codes[row]).join(',');
    let key = 0;
    for (let i = coded.length - 1; i >= 0; i--) {
      key = key * coded[i]!.values.length + coded[i]!.codes[row]!;
    }
    return key;
  };

  // 3. Collect the rows of each combination.
  const byKey = new Map<number | string, Group>();
  const rowKeys = new Array<number | string>(rows);
  for (let row = 0; row < rows; row++) {
    const key = keyOf(row);
    rowKeys[row] = key;
    let group = byKey.get(key);
    if (!group) {
      const values = coded.map((c) => c.values[c.codes[row]!]!);
      group = { values, label: values.map(valueLabel).join(' × '), rows: [] };
      byKey.set(key, group);
    }
    group.rows.push(row);
  }

  // 4. Order groups by value and number each row's group.
  const keyed = [...byKey.entries()].sort(([, a], [, b]) => {
    for (let i = 0; i < columns.length; i++) {
      const order = compareValues(a.values[i]!, b.values[i]!);
      if (order !== 0) return order;
    }
    return 0;
  });
  const indexOf = new Map(keyed.map(([key], i) => [key, i]));
  const groupOf = new Uint32Array(rows);
  for (let row = 0; row < rows; row++) groupOf[row] = indexOf.get(rowKeys[row]!)!;

  return { columns: [...columns], groups: keyed.map(([, g]) => g), groupOf };
}

function codeColumn(
  column: ReturnType<typeof columnOf>,
  rows: number,
): { codes: Uint32Array; values: Value[] } {
  const codes = new Uint32Array(rows);
  const values: Value[] = [];
  const seen = new Map<Value, number>();
  for (let row = 0; row < rows; row++) {
    const value = valueAt(column, row);
    let code = seen.get(value);
    if (code === undefined) {
      code = values.length;
      seen.set(value, code);
      values.push(value);
    }
    codes[row] = code;
  }
  return { codes, values };
}
