// Small pieces both report layouts share: durations, sizes and the part
// of a result's table that a report prints.

import type { Result, Row } from '../result.js';
import { formatCell } from '../render/text.js';

/** Rows of a result's table a report prints; the rest are counted. */
export const reportRows = 25;

export function duration(milliseconds: number): string {
  if (milliseconds < 1) return '< 1 ms';
  if (milliseconds < 1000) return `${Math.round(milliseconds)} ms`;
  if (milliseconds < 60_000) return `${(milliseconds / 1000).toFixed(1)} s`;
  const minutes = Math.floor(milliseconds / 60_000);
  const seconds = Math.round((milliseconds % 60_000) / 1000);
  return `${minutes} min ${seconds} s`;
}

export interface ResultTable {
  columns: string[];
  cells: string[][];
  /** Rows left out of `cells`. */
  more: number;
}

export function resultTable(result: Result): ResultTable | undefined {
  const rows: readonly Row[] = result.rows ?? [];
  const columns = result.columns ?? [];
  if (rows.length === 0 || columns.length === 0) return undefined;
  const shown = rows.slice(0, reportRows);
  const total = Math.max(result.total_rows ?? rows.length, rows.length);
  return {
    columns,
    cells: shown.map((row) => columns.map((c) => formatCell(row[c]))),
    more: total - shown.length,
  };
}

/**
 * Summary figures as name and text, for a definition list. As in the
 * terminal, a result's message already says what its summary holds, so
 * the figures are listed only for a result without one.
 */
export function summaryPairs(result: Result): [string, string][] {
  if (result.message) return [];
  return Object.entries(result.summary ?? {}).map(([name, value]) =>
    [name, formatCell(value)]);
}
