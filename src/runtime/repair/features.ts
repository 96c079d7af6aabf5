// Which columns SMOTE and the sampler learn from: every column but the
// group and target columns and the repair's own `synthetic` and `weight`.
// Numbers are interpolated or modelled; text and true/false columns are
// categories.

import { fail } from '../../lang/diagnostics.js';
import type { Span } from '../../lang/span.js';
import { repairProblems } from '../../lang/statements/repair.js';
import { columnNames, columnOf, type Table } from '../table.js';
import { syntheticColumn, weightColumn } from './append.js';

export interface FeatureColumns {
  numeric: string[];
  categorical: string[];
}

export function featureColumns(
  table: Table,
  exclude: readonly string[],
): FeatureColumns {
  const skip = new Set([...exclude, syntheticColumn, weightColumn]);
  const numeric: string[] = [];
  const categorical: string[] = [];
  for (const name of columnNames(table)) {
    if (skip.has(name)) continue;
    if (columnOf(table, name) instanceof Float64Array) numeric.push(name);
    else categorical.push(name);
  }
  return { numeric, categorical };
}

/**
 * Number features must have a value in every row used: interpolating
 * with a missing value would make one up. The error names the column.
 */
export function requireComplete(
  table: Table,
  columns: readonly string[],
  rows: readonly number[] | undefined,
  use: string,
  span: Span,
): void {
  for (const name of columns) {
    const column = columnOf(table, name) as Float64Array;
    let missing = 0;
    if (rows) {
      for (const row of rows) if (Number.isNaN(column[row]!)) missing++;
    } else {
      for (const value of column) if (Number.isNaN(value)) missing++;
    }
    if (missing) fail(repairProblems.missingFeature(name, missing, use), span);
  }
}
