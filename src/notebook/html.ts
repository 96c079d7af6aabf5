// Results as HTML for a notebook cell: the sentence, the table (every
// column; the rows up to a limit, then a note of how many were left out),
// the notes, and the headline figures folded away under the table.
//
// Figures are written as the terminal writes them (formatCell: four
// significant digits, missing as ·), so a notebook and `fair run` print
// the same numbers. Everything that comes from data is escaped.

import { formatCell } from '../runtime/render/text.js';
import type { Result, Row } from '../runtime/result.js';

export interface HtmlOptions {
  /** Most rows of a result's table to show. */
  maxRows?: number;
}

/** As many rows as the terminal shows, so both faces cut alike. */
const defaultMaxRows = 20;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Text with its line breaks kept. */
function paragraph(text: string, className: string): string {
  return `<p class="${className}">` +
    `${escapeHtml(text).replace(/\n/g, '<br>')}</p>`;
}

function isNumeric(column: string, rows: readonly Row[]): boolean {
  return rows.some((row) => typeof row[column] === 'number') &&
    rows.every((row) => row[column] === null ||
      row[column] === undefined || typeof row[column] === 'number');
}

const right = ' style="text-align: right"';
const left = ' style="text-align: left"';

export function tableHtml(
  columns: readonly string[],
  rows: readonly Row[],
  totalRows: number,
  maxRows = defaultMaxRows,
): string {
  const shown = rows.slice(0, maxRows);
  const align = columns.map((c) => (isNumeric(c, shown) ? right : left));

  const head = columns.map((c, i) => `<th${align[i]}>${escapeHtml(c)}</th>`);
  const body = shown.map((row) => '<tr>' + columns.map((c, i) =>
    `<td${align[i]}>${escapeHtml(formatCell(row[c]))}</td>`).join('') +
    '</tr>');
  // A wide table scrolls sideways instead of widening the page.
  const parts = [
    '<div style="overflow-x: auto">',
    '<table class="fair-table">',
    `<thead><tr>${head.join('')}</tr></thead>`,
    `<tbody>${body.join('')}</tbody>`,
    '</table>',
    '</div>',
  ];

  // The same words as the terminal's note, so that both read alike.
  const hidden = totalRows - shown.length;
  if (hidden > 0) {
    parts.push(paragraph(`… ${hidden.toLocaleString('en-US')} more ` +
      `row${hidden === 1 ? '' : 's'}`, 'fair-more'));
  }
  return parts.join('\n');
}

function summaryHtml(summary: NonNullable<Result['summary']>): string {
  const rows = Object.entries(summary).map(([name, value]) =>
    `<tr><th style="text-align: left">${escapeHtml(name)}</th>` +
    `<td style="text-align: left">${escapeHtml(formatCell(value))}</td>` +
    '</tr>');
  return `<table class="fair-summary"><tbody>${rows.join('')}</tbody>` +
    '</table>';
}

export function resultHtml(result: Result, options: HtmlOptions = {}):
string {
  const parts: string[] = [];
  if (result.message) parts.push(paragraph(result.message, 'fair-message'));
  if (result.columns && result.rows) {
    parts.push(tableHtml(result.columns, result.rows,
      result.total_rows ?? result.rows.length,
      options.maxRows ?? defaultMaxRows));
  }
  for (const note of result.notes ?? []) {
    parts.push(paragraph(`note: ${note}`, 'fair-note'));
  }

  // The message says the headline figures in words; the exact figures
  // stay one click away. Without a message they are the result.
  const summary = result.summary;
  if (summary && Object.keys(summary).length) {
    parts.push(result.message
      ? `<details><summary>figures</summary>\n${summaryHtml(summary)}\n` +
        '</details>'
      : summaryHtml(summary));
  }
  return `<div class="fair-result">\n${parts.join('\n')}\n</div>`;
}
