// Tables with new rows at the end, and the `synthetic` column that marks
// them: false for rows that were there, true for rows a repair made.

import {
  columnNames, columnOf, makeTable, rowCount, valueAt, type Column, type Table,
  type Value,
} from '../table.js';

export const syntheticColumn = 'synthetic';
export const weightColumn = 'weight';

/** A column's values at the given rows, in the column's own shape. */
export function gather(column: Column, rows: ArrayLike<number>): Column {
  if (column instanceof Float64Array) {
    const out = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = column[rows[i]!]!;
    return out;
  }
  const out = new Array<unknown>(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = column[rows[i]!];
  return out;
}

/** One column after another, keeping numbers in a Float64Array. */
export function concat(first: Column, second: ArrayLike<unknown>): Column {
  if (first instanceof Float64Array) {
    const out = new Float64Array(first.length + second.length);
    out.set(first);
    for (let i = 0; i < second.length; i++) {
      const value = second[i];
      out[first.length + i] = typeof value === 'number' ? value : NaN;
    }
    return out;
  }
  const out = new Array<unknown>(first.length + second.length);
  for (let i = 0; i < first.length; i++) out[i] = first[i];
  for (let i = 0; i < second.length; i++) {
    out[first.length + i] = second[i] ?? null;
  }
  return out;
}

/**
 * The table with `added` rows appended: `columns` gives each column's new
 * values (every column of the table must be there, except `synthetic`,
 * which is set to true for the new rows and false, or kept, for the old).
 */
export function appendRows(
  table: Table,
  added: number,
  columns: ReadonlyMap<string, ArrayLike<unknown>>,
): Table {
  const names = columnNames(table);
  const entries: [string, Column][] = names
    .filter((name) => name !== syntheticColumn)
    .map((name) => {
      const values = columns.get(name);
      if (!values || values.length !== added) {
        throw new Error(`no new values for column "${name}"`);
      }
      return [name, concat(columnOf(table, name), values)];
    });
  entries.push([syntheticColumn, markSynthetic(table, added)]);
  return makeTable(entries);
}

/** The synthetic column for a table that gains `added` rows. */
export function markSynthetic(table: Table, added: number): Column {
  const rows = rowCount(table);
  const old = columnNames(table).includes(syntheticColumn)
    ? columnOf(table, syntheticColumn) : undefined;
  const marks = new Array<boolean | null>(rows + added);
  for (let row = 0; row < rows; row++) {
    const value: Value = old ? valueAt(old, row) : false;
    marks[row] = typeof value === 'boolean' ? value : false;
  }
  for (let i = 0; i < added; i++) marks[rows + i] = true;
  return marks;
}

/** Copies of rows of a table, appended: oversampling by duplication. */
export function appendCopies(table: Table, rows: ArrayLike<number>): Table {
  const entries: [string, Column][] = columnNames(table)
    .filter((name) => name !== syntheticColumn)
    .map((name) => {
      const column = columnOf(table, name);
      return [name, column instanceof Float64Array
        ? copyNumbers(column, rows) : copyValues(column, rows)];
    });
  entries.push([syntheticColumn, markSynthetic(table, rows.length)]);
  return makeTable(entries);
}

// Two loops, one per column shape, so that each stays monomorphic: this
// is the whole cost of oversampling a large table.

function copyNumbers(column: Float64Array, rows: ArrayLike<number>):
Float64Array {
  const count = column.length;
  const out = new Float64Array(count + rows.length);
  out.set(column);
  for (let i = 0; i < rows.length; i++) out[count + i] = column[rows[i]!]!;
  return out;
}

function copyValues(column: readonly unknown[], rows: ArrayLike<number>):
unknown[] {
  const count = column.length;
  const out = new Array<unknown>(count + rows.length);
  for (let row = 0; row < count; row++) out[row] = column[row];
  for (let i = 0; i < rows.length; i++) out[count + i] = column[rows[i]!];
  return out;
}

/** The table with a column replaced where it is, or added at the end. */
export function setColumn(table: Table, name: string, column: Column): Table {
  const names = columnNames(table);
  const entries = names.map((existing) => [existing,
    existing === name ? column : columnOf(table, existing)] as const);
  return makeTable(names.includes(name) ? entries
    : [...entries, [name, column] as const]);
}
