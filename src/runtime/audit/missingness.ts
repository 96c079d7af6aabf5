// Missing values by group: for every column with a missing value, the
// share of each group's rows where it is missing. Data missing more often
// for one group is a quiet way for that group to be treated differently
// (dropped by a later `clean`, imputed with others' values).

import { columnNames, columnOf, type Column, type Table } from '../table.js';
import type { AuditFigures } from './audit.js';

export interface MissingColumn {
  column: string;
  /** Weighted rows where the column is missing. */
  missing: number;
  /** Missing share over all rows audited. */
  share: number;
  /** Weighted missing rows in each group. */
  missingByGroup: number[];
  /** Missing share in each group; null for a group that weighs 0. */
  shareByGroup: (number | null)[];
  /** The group whose share differs most from the overall share. */
  flagged: number;
  /** The highest group share minus the lowest. */
  gap: number;
}

/**
 * The columns of the table (other than the group columns) that have
 * missing values, the one whose groups differ most first.
 */
export function missingnessByGroup(
  table: Table,
  figures: AuditFigures,
): MissingColumn[] {
  const skip = new Set(figures.by);
  const found: MissingColumn[] = [];
  for (const name of columnNames(table)) {
    if (skip.has(name)) continue;
    const column = columnOf(table, name);
    if (!hasMissing(column)) continue;
    found.push(missingInColumn(name, column, figures));
  }
  // Stable: equal gaps keep the table's column order.
  return found.sort((a, b) => b.gap - a.gap);
}

function isMissingAt(column: Column, row: number): boolean {
  const value = column[row];
  return value === null || value === undefined ||
    (typeof value === 'number' && Number.isNaN(value));
}

function hasMissing(column: Column): boolean {
  if (column instanceof Float64Array) {
    for (let row = 0; row < column.length; row++) {
      if (Number.isNaN(column[row]!)) return true;
    }
    return false;
  }
  for (let row = 0; row < column.length; row++) {
    if (isMissingAt(column, row)) return true;
  }
  return false;
}

function missingInColumn(
  name: string,
  column: Column,
  figures: AuditFigures,
): MissingColumn {
  const { groups, grouping, weights } = figures;
  const missingByGroup = new Float64Array(groups.length);
  const groupOf = grouping.groupOf;
  const add = (row: number) => {
    missingByGroup[groupOf[row]!] += weights ? weights[row]! : 1;
  };
  // Number columns are the common case and the quick one.
  if (column instanceof Float64Array) {
    for (let row = 0; row < groupOf.length; row++) {
      if (Number.isNaN(column[row]!)) add(row);
    }
  } else {
    for (let row = 0; row < groupOf.length; row++) {
      const value = column[row];
      if (value === null || value === undefined ||
          (typeof value === 'number' && Number.isNaN(value))) add(row);
    }
  }

  const missing = missingByGroup.reduce((sum, m) => sum + m, 0);
  const share = missing / figures.n;
  const shareByGroup = groups.map((group, g) =>
    group.n > 0 ? missingByGroup[g]! / group.n : null);

  let flagged = 0;
  let low = Infinity;
  let high = -Infinity;
  let widest = -1;
  shareByGroup.forEach((groupShare, g) => {
    if (groupShare === null) return;
    low = Math.min(low, groupShare);
    high = Math.max(high, groupShare);
    const distance = Math.abs(groupShare - share);
    if (distance > widest) {
      widest = distance;
      flagged = g;
    }
  });

  return {
    column: name,
    missing,
    share,
    missingByGroup: Array.from(missingByGroup),
    shareByGroup,
    flagged,
    gap: high - low,
  };
}
