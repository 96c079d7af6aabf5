// Tables are Arquero column tables. Fair keeps one convention for their
// columns so that every verb can read them quickly:
//
//   number   Float64Array, NaN where a value is missing
//   text     Array of string | null
//   boolean  Array of boolean | null
//
// Other shapes (an image column, say) are plain arrays of anything.

import { table as arqueroTable, type ColumnTable } from 'arquero';
import type { Schema, ValueType } from '../lang/types.js';

export type Table = ColumnTable;
export type Value = number | string | boolean | null;
export type Column =
  | Float64Array
  | (string | null)[]
  | (boolean | null)[]
  | unknown[];

export function makeTable(
  columns: Iterable<readonly [string, Column]>,
): Table {
  const data: Record<string, Column> = {};
  const names: string[] = [];
  for (const [name, values] of columns) {
    data[name] = values;
    names.push(name);
  }
  return arqueroTable(data, names);
}

export function columnNames(table: Table): string[] {
  return table.columnNames();
}

export function columnOf(table: Table, name: string): Column {
  const column = table.column(name) as unknown as Column | undefined;
  if (!column) throw new Error(`table has no column "${name}"`);
  return column;
}

export function rowCount(table: Table): number {
  return table.numRows();
}

export function isNumberColumn(column: Column): column is Float64Array {
  return column instanceof Float64Array;
}

/** A value read from a column, with NaN turned into null (missing). */
export function valueAt(column: Column, row: number): Value {
  const value = column[row];
  if (typeof value === 'number') return Number.isNaN(value) ? null : value;
  if (value === undefined) return null;
  return value as Value;
}

export function isMissing(value: unknown): boolean {
  return value === null || value === undefined ||
    (typeof value === 'number' && Number.isNaN(value));
}

/** The type of a column's values, from its shape or its first value. */
export function typeOfColumn(column: Column): ValueType {
  if (column instanceof Float64Array) return 'number';
  for (const value of column) {
    if (value === null || value === undefined) continue;
    if (typeof value === 'string') return 'string';
    if (typeof value === 'boolean') return 'boolean';
    if (typeof value === 'number') return 'number';
    return 'unknown';
  }
  return 'unknown';
}

/** The type of computed values: that of the first one present. */
export function typeOfValues(values: readonly Value[]): ValueType {
  for (const value of values) {
    if (value === null) continue;
    if (typeof value === 'number') return 'number';
    if (typeof value === 'boolean') return 'boolean';
    return 'string';
  }
  return 'unknown';
}

export function schemaOf(table: Table): Schema {
  return new Map(columnNames(table).map((name) =>
    [name, typeOfColumn(columnOf(table, name))] as const));
}

/** A table of the given rows, in the given order. */
export function takeRows(table: Table, rows: ArrayLike<number>): Table {
  const indices = Array.from(rows);
  return table.reify(indices) as Table;
}

/** An empty column of a type, ready to be filled. */
export function newColumn(type: ValueType, length: number): Column {
  return type === 'number'
    ? new Float64Array(length).fill(NaN)
    : new Array<Value>(length).fill(null);
}

/**
 * Store computed values in the column shape of their type: numbers in a
 * Float64Array with NaN for missing.
 */
export function toColumn(values: readonly Value[], type: ValueType): Column {
  if (type !== 'number') return values.slice();
  const column = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    column[i] = typeof value === 'number' ? value : NaN;
  }
  return column;
}

/** One row as a plain object, missing values as null. */
export function rowObject(table: Table, row: number): Record<string, Value> {
  const object: Record<string, Value> = {};
  for (const name of columnNames(table)) {
    object[name] = valueAt(columnOf(table, name), row);
  }
  return object;
}

/** Plain objects for the first `limit` rows. */
export function rowObjects(
  table: Table,
  limit = Infinity,
): Record<string, Value>[] {
  const count = Math.min(rowCount(table), limit);
  const rows: Record<string, Value>[] = [];
  for (let row = 0; row < count; row++) rows.push(rowObject(table, row));
  return rows;
}

/** A key identifying a row's values in the given columns, for grouping. */
export function rowKey(columns: readonly Column[], row: number): string {
  let key = '';
  for (const column of columns) {
    const value = valueAt(column, row);
    key += value === null ? '\u0000' : typeof value + ':' + String(value);
    key += '\u0001';
  }
  return key;
}
