// describe: one row per column (type, counts, range, spread or the most
// frequent values) and a line about the table as a whole: rows, columns,
// missing values, rows with any missing value and exact duplicate rows.
//
// Conventions follow pandas: the standard deviation divides by n - 1, and
// a duplicate row is one equal in every column to an earlier row.

import { plural, type Result, type Row } from '../result.js';
import { defineTextRenderer, formatTable, wrap } from '../render/text.js';
import {
  columnNames, columnOf, makeTable, rowCount, typeOfColumn, type Column,
  type Table,
} from '../table.js';
import { defineExecutor } from './registry.js';
import { typeLabel } from './data.js';

export interface TableProfile {
  rows: number;
  columns: number;
  missing_values: number;
  rows_with_missing: number;
  duplicate_rows: number;
}

/** One pass over the table: per-column rows and the whole-table profile. */
export function describeTable(table: Table): {
  rows: Row[];
  profile: TableProfile;
} {
  const names = columnNames(table);
  const facts = names.map((name) => columnFacts(columnOf(table, name)));
  return {
    rows: names.map((name, i) => describeColumn(name, facts[i]!)),
    profile: profile(table, facts),
  };
}

/**
 * What describe needs of one column, from one pass: for text and
 * booleans the count of each value (a hash map keyed by the value); for
 * numbers a sorted copy, which gives the distinct count without hashing a
 * million doubles.
 */
interface ColumnFacts {
  column: Column;
  missing: number;
  distinct: number;
  /** Values and counts in order of first appearance (not for numbers). */
  counts?: Map<unknown, number>;
}

function columnFacts(column: Column): ColumnFacts {
  if (column instanceof Float64Array) {
    const sorted = column.slice().sort();
    let distinct = 0;
    let missing = 0;
    for (let i = 0; i < sorted.length; i++) {
      const value = sorted[i]!;
      if (value !== value) missing++;
      else if (i === 0 || value !== sorted[i - 1]) distinct++;
    }
    return { column, missing, distinct };
  }

  const counts = new Map<unknown, number>();
  let missing = 0;
  for (let row = 0; row < column.length; row++) {
    const value = column[row];
    if (value === null || value === undefined) {
      missing++;
      continue;
    }
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return { column, missing, distinct: counts.size, counts };
}

function describeColumn(name: string, facts: ColumnFacts): Row {
  const { column, missing, distinct } = facts;
  const present = column.length - missing;
  const row: Row = {
    column: name,
    type: typeLabel(typeOfColumn(column)),
    count: present,
    missing,
    distinct,
    min: null, max: null, mean: null, std: null, top: null,
  };

  if (column instanceof Float64Array) {
    Object.assign(row, numberStatistics(column, present));
  } else {
    row['top'] = mostFrequent(facts.counts!, 3);
  }
  return row;
}

/** min, max, mean and the n - 1 standard deviation, in two passes. */
function numberStatistics(column: Float64Array, present: number) {
  if (present === 0) return {};
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < column.length; i++) {
    const value = column[i]!;
    if (value !== value) continue;
    if (value < min) min = value;
    if (value > max) max = value;
    sum += value;
  }
  const mean = sum / present;
  let squares = 0;
  for (let i = 0; i < column.length; i++) {
    const value = column[i]!;
    if (value === value) squares += (value - mean) * (value - mean);
  }
  const std = present > 1 ? Math.sqrt(squares / (present - 1)) : null;
  return { min, max, mean, std };
}

/** "no (2095), yes (285)": the commonest values, ties in first-seen order. */
function mostFrequent(counts: Map<unknown, number>, limit: number): string {
  return [...counts.entries()]
    .map(([value, count], order) => ({ value, count, order }))
    .sort((a, b) => b.count - a.count || a.order - b.order)
    .slice(0, limit)
    .map((entry) => `${String(entry.value)} (${entry.count})`)
    .join(', ');
}

function profile(table: Table, facts: ColumnFacts[]): TableProfile {
  const rows = rowCount(table);
  const columns = facts.map((f) => f.column);

  let rowsWithMissing = 0;
  for (let row = 0; row < rows; row++) {
    for (const column of columns) {
      const value = column[row];
      if (value === null || value === undefined || value !== value) {
        rowsWithMissing++;
        break;
      }
    }
  }

  return {
    rows,
    columns: columns.length,
    missing_values: facts.reduce((sum, f) => sum + f.missing, 0),
    rows_with_missing: rowsWithMissing,
    duplicate_rows: duplicateRows(columns, rows),
  };
}

/**
 * Rows equal in every column to an earlier row (pandas' duplicated()).
 * Each row gets a 30-bit hash, small enough to be a fast map key; rows
 * with the same hash are compared value by value, so a collision never
 * counts as a duplicate.
 */
export function duplicateRows(columns: readonly Column[], rows: number): number {
  const hashes = new Int32Array(rows);
  for (const column of columns) mixColumn(hashes, column);

  const first = new Map<number, number | number[]>();
  let duplicates = 0;
  for (let row = 0; row < rows; row++) {
    const hash = hashes[row]! & 0x3fffffff;
    const seen = first.get(hash);
    if (seen === undefined) {
      first.set(hash, row);
      continue;
    }
    const candidates = typeof seen === 'number' ? [seen] : seen;
    if (candidates.some((other) => rowsEqual(columns, row, other))) {
      duplicates++;
    } else if (typeof seen === 'number') {
      first.set(hash, [seen, row]);
    } else {
      seen.push(row);
    }
  }
  return duplicates;
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

function mix(hash: number, value: number): number {
  return Math.imul(hash ^ value, 0x9e3779b1) ^ (hash >>> 15);
}

function mixColumn(hashes: Int32Array, column: Column): void {
  if (column instanceof Float64Array) {
    for (let row = 0; row < hashes.length; row++) {
      const value = column[row]!;
      // One bit pattern for every NaN, and for 0 and -0.
      bits[0] = value !== value ? NaN : value === 0 ? 0 : value;
      hashes[row] = mix(mix(hashes[row]!, words[0]!), words[1]!);
    }
    return;
  }
  const codes = new Map<unknown, number>();
  for (let row = 0; row < hashes.length; row++) {
    const value = column[row] ?? null;
    let code = codes.get(value);
    if (code === undefined) {
      code = codes.size + 1;
      codes.set(value, code);
    }
    hashes[row] = mix(hashes[row]!, code);
  }
}

function rowsEqual(columns: readonly Column[], a: number, b: number): boolean {
  for (const column of columns) {
    const x = column[a] ?? null;
    const y = column[b] ?? null;
    if (x !== y && !(x !== x && y !== y)) return false;
  }
  return true;
}

export const describeColumnOrder = [
  'column', 'type', 'count', 'missing', 'distinct', 'min', 'max', 'mean',
  'std', 'top',
];

defineExecutor('describe', ({ session, step, statement }) => {
  const name = step.input!;
  const table = session.table(name);
  const { rows, profile } = describeTable(table);

  if (statement.output) {
    session.setTable(statement.output.name, makeTable(
      describeColumnOrder.map((column) => [column,
        column === 'column' || column === 'type' || column === 'top'
          ? rows.map((r) => (r[column] as string | null) ?? null)
          : Float64Array.from(rows, (r) => (r[column] as number | null) ?? NaN),
      ] as const)));
  }

  return {
    kind: 'describe',
    table: name,
    message: `${name}: ${plural(profile.rows, 'row')} × ` +
      `${plural(profile.columns, 'column')}, ` +
      `${plural(profile.missing_values, 'missing value')} in ` +
      `${plural(profile.rows_with_missing, 'row')}, ` +
      `${plural(profile.duplicate_rows, 'exact duplicate row')}`,
    summary: { ...profile },
    columns: describeColumnOrder,
    rows,
    total_rows: rows.length,
  };
});

// Numbers and text have different statistics; two tables read better than
// one wide table with empty cells.
defineTextRenderer('describe', (result, options) => {
  const rows = result.rows ?? [];
  const numeric = rows.filter((row) => row['type'] === 'number');
  const other = rows.filter((row) => row['type'] !== 'number');
  const parts = [wrap(result.message ?? '', options.width)];
  const table = (columns: string[], subset: Result['rows'] & object) =>
    formatTable(columns, subset, { ...options, maxRows: Infinity,
      totalRows: subset.length });

  if (numeric.length) {
    parts.push(table(['column', 'count', 'missing', 'distinct', 'min', 'max',
      'mean', 'std'], numeric));
  }
  if (other.length) {
    parts.push(table(['column', 'type', 'count', 'missing', 'distinct',
      'top'], other));
  }
  return parts.join('\n\n');
});
