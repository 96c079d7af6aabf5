// describe: one row per column (type, counts, range, spread or the most
// frequent values) and a line about the table as a whole: rows, columns,
// missing values, rows with any missing value and exact duplicate rows.
//
// Conventions follow pandas: the standard deviation divides by n - 1, and
// a duplicate row is one equal in every column to an earlier row.

import { mean, standardDeviation } from '../expr.js';
import { plural, type Result, type Row } from '../result.js';
import { defineTextRenderer, formatTable, wrap } from '../render/text.js';
import {
  columnNames, columnOf, makeTable, rowCount, rowKey, typeOfColumn,
  type Column, type Table,
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

export function describeColumns(table: Table): Row[] {
  return columnNames(table).map((name) =>
    describeColumn(name, columnOf(table, name)));
}

function describeColumn(name: string, column: Column): Row {
  const type = typeOfColumn(column);
  const values: unknown[] = [];
  for (const value of column) {
    const missing = value === null || value === undefined ||
      (typeof value === 'number' && Number.isNaN(value));
    if (!missing) values.push(value);
  }

  const distinct = new Map<unknown, number>();
  for (const value of values) {
    distinct.set(value, (distinct.get(value) ?? 0) + 1);
  }

  const row: Row = {
    column: name,
    type: typeLabel(type),
    count: values.length,
    missing: column.length - values.length,
    distinct: distinct.size,
    min: null, max: null, mean: null, std: null, top: null,
  };

  if (type === 'number') {
    const numbers = values as number[];
    let min = Infinity;
    let max = -Infinity;
    for (const value of numbers) {
      if (value < min) min = value;
      if (value > max) max = value;
    }
    if (numbers.length) {
      row['min'] = min;
      row['max'] = max;
    }
    row['mean'] = mean(numbers);
    row['std'] = standardDeviation(numbers);
  } else {
    row['top'] = mostFrequent(distinct, 3);
  }
  return row;
}

/** "no (2095), yes (285)": the commonest values, ties in first-seen order. */
function mostFrequent(counts: Map<unknown, number>, limit: number): string {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([value, n]) => `${String(value)} (${n})`)
    .join(', ');
}

export function profileTable(table: Table): TableProfile {
  const names = columnNames(table);
  const columns = names.map((name) => columnOf(table, name));
  const rows = rowCount(table);
  let missingValues = 0;
  let rowsWithMissing = 0;
  let duplicates = 0;
  const seen = new Set<string>();

  for (let row = 0; row < rows; row++) {
    let missingHere = 0;
    for (const column of columns) {
      const value = column[row];
      if (value === null || value === undefined ||
          (typeof value === 'number' && Number.isNaN(value))) {
        missingHere++;
      }
    }
    missingValues += missingHere;
    if (missingHere) rowsWithMissing++;

    const key = rowKey(columns, row);
    if (seen.has(key)) duplicates++;
    else seen.add(key);
  }

  return {
    rows,
    columns: names.length,
    missing_values: missingValues,
    rows_with_missing: rowsWithMissing,
    duplicate_rows: duplicates,
  };
}

export const describeColumnOrder = [
  'column', 'type', 'count', 'missing', 'distinct', 'min', 'max', 'mean',
  'std', 'top',
];

defineExecutor('describe', ({ session, step, statement }) => {
  const name = step.input!;
  const table = session.table(name);
  const rows = describeColumns(table);
  const profile = profileTable(table);

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
