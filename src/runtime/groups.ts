// Rows grouped by the values of some columns: the basis of every per-group
// figure (audits, splits, balancing, evaluation).
//
// A missing value in a group column is a group of its own, labelled
// "(missing)", never dropped. Groups are ordered by their values (numbers
// numerically, text alphabetically, missing last), so output is the same
// whatever the row order.

import {
  columnOf, rowCount, type Column, type Table, type Value, valueAt,
} from './table.js';

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

/** Group order: numbers numerically, other values as text, missing last. */
export function compareValues(a: Value, b: Value): number {
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

  // 2. Number each combination of codes met (a slot), in order of
  //    appearance, and note each row's slot.
  const { slotOf, firstRows } = slotRows(coded, rows);
  const slots = firstRows.length;

  // 3. Collect the rows of each slot, in table order.
  const sizes = new Uint32Array(slots);
  for (let row = 0; row < rows; row++) sizes[slotOf[row]!]++;
  const members = Array.from(sizes, (size) => new Array<number>(size));
  const filled = new Uint32Array(slots);
  for (let row = 0; row < rows; row++) {
    const slot = slotOf[row]!;
    members[slot]![filled[slot]++] = row;
  }
  const found = members.map((rowsOf, slot): Group => {
    const first = firstRows[slot]!;
    const values = coded.map((c) => c.values[c.codes[first]!]!);
    return { values, label: values.map(valueLabel).join(' × '),
      rows: rowsOf };
  });

  // 4. Order groups by value and number each row's group.
  const order = found.map((_, slot) => slot).sort((a, b) => {
    for (let i = 0; i < columns.length; i++) {
      const order = compareValues(found[a]!.values[i]!, found[b]!.values[i]!);
      if (order !== 0) return order;
    }
    return 0;
  });
  const rank = new Uint32Array(slots);
  order.forEach((slot, i) => { rank[slot] = i; });
  const groupOf = new Uint32Array(rows);
  for (let row = 0; row < rows; row++) groupOf[row] = rank[slotOf[row]!]!;

  return {
    columns: [...columns],
    groups: order.map((slot) => found[slot]!),
    groupOf,
  };
}

interface Coded {
  codes: Uint32Array;
  values: Value[];
}

/** Combinations below this many are looked up in an array, not a map. */
const denseLimit = 1 << 22;

/**
 * Each row's slot (its combination of codes, numbered as met) and the
 * first row of each slot. The codes combine into one number per row
 * (mixed radix), looked up in an array when the combinations are few, in
 * a map when they are many, and as text beyond exact integers.
 */
function slotRows(coded: readonly Coded[], rows: number):
{ slotOf: Uint32Array; firstRows: number[] } {
  const slotOf = new Uint32Array(rows);
  const firstRows: number[] = [];

  // One column: its codes are already slots in order of appearance.
  if (coded.length === 1) {
    const codes = coded[0]!.codes;
    const seen = new Uint8Array(coded[0]!.values.length);
    for (let row = 0; row < rows; row++) {
      const code = codes[row]!;
      if (!seen[code]) {
        seen[code] = 1;
        firstRows.push(row);
      }
    }
    slotOf.set(codes);
    return { slotOf, firstRows };
  }

  const combinations = coded.reduce((n, c) => n * c.values.length, 1);
  const keyOf = (row: number): number => {
    let key = 0;
    for (let i = coded.length - 1; i >= 0; i--) {
      key = key * coded[i]!.values.length + coded[i]!.codes[row]!;
    }
    return key;
  };

  if (combinations <= denseLimit) {
    const slotByKey = new Int32Array(combinations).fill(-1);
    for (let row = 0; row < rows; row++) {
      const key = keyOf(row);
      let slot = slotByKey[key]!;
      if (slot < 0) {
        slot = firstRows.length;
        slotByKey[key] = slot;
        firstRows.push(row);
      }
      slotOf[row] = slot;
    }
    return { slotOf, firstRows };
  }

  const exact = combinations <= Number.MAX_SAFE_INTEGER;
  const slotByKey = new Map<number | string, number>();
  for (let row = 0; row < rows; row++) {
    const key = exact ? keyOf(row) : coded.map((c) => c.codes[row]).join(',');
    let slot = slotByKey.get(key);
    if (slot === undefined) {
      slot = firstRows.length;
      slotByKey.set(key, slot);
      firstRows.push(row);
    }
    slotOf[row] = slot;
  }
  return { slotOf, firstRows };
}

/** A column's values coded 0, 1, 2, ... in order of appearance. */
function codeColumn(column: Column, rows: number): Coded {
  const codes = new Uint32Array(rows);
  const values: Value[] = [];

  // Numbers: NaN is missing; the map never sees it (NaN is not a key
  // that finds itself quickly).
  if (column instanceof Float64Array) {
    const seen = new Map<number, number>();
    let missing = -1;
    for (let row = 0; row < rows; row++) {
      const value = column[row]!;
      if (value !== value) {
        if (missing < 0) {
          missing = values.length;
          values.push(null);
        }
        codes[row] = missing;
        continue;
      }
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

  // Text and the rest. Runs of one value (sorted data) skip the map.
  const seen = new Map<Value, number>();
  let previous: unknown = undefined;
  let previousCode = -1;
  for (let row = 0; row < rows; row++) {
    const raw = column[row];
    if (raw === previous && previousCode >= 0) {
      codes[row] = previousCode;
      continue;
    }
    const value = valueAt(column, row);
    let code = seen.get(value);
    if (code === undefined) {
      code = values.length;
      seen.set(value, code);
      values.push(value);
    }
    codes[row] = code;
    previous = raw;
    previousCode = code;
  }
  return { codes, values };
}
