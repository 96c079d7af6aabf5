// Results as text for a terminal: a sentence, the headline figures, and a
// table cut to fit the width, with a note of what was left out.

import type { Result, Row } from '../result.js';

export interface TextOptions {
  /** Columns available; 80 unless the terminal says otherwise. */
  width?: number;
  /** Most rows to print from a result's rows. */
  maxRows?: number;
}

type Renderer = (result: Result, options: Required<TextOptions>) => string;
const renderers = new Map<string, Renderer>();

/** Families may give a result kind its own text form. */
export function defineTextRenderer(kind: string, renderer: Renderer): void {
  renderers.set(kind, renderer);
}

export function renderText(result: Result, options: TextOptions = {}): string {
  const full = { width: options.width ?? 80, maxRows: options.maxRows ?? 20 };
  const custom = renderers.get(result.kind);
  return custom ? custom(result, full) : renderDefault(result, full);
}

export function renderDefault(
  result: Result,
  options: Required<TextOptions>,
): string {
  const parts: string[] = [];
  if (result.message) parts.push(wrap(result.message, options.width));
  if (result.rows && result.columns) {
    parts.push(formatTable(result.columns, result.rows, {
      ...options,
      totalRows: result.total_rows ?? result.rows.length,
    }));
  }
  // The message says in words what the summary holds for machines; print
  // the summary only when there is no message.
  if (result.summary && !result.message) {
    parts.push(formatSummary(result.summary, options.width));
  }
  for (const note of result.notes ?? []) {
    parts.push(wrap(`note: ${note}`, options.width, '  '));
  }
  return parts.join('\n');
}

/**
 * Break text into lines of at most `width` characters at spaces; later
 * lines start with `indent`. A word longer than the width is left whole.
 */
export function wrap(text: string, width: number, indent = ''): string {
  return text.split('\n').map((paragraph) => {
    const lines: string[] = [];
    let line = '';
    for (const word of paragraph.split(' ')) {
      const candidate = line ? `${line} ${word}` : word;
      if (visibleLength(candidate) > width && line) {
        lines.push(line);
        line = indent + word;
      } else {
        line = candidate;
      }
    }
    lines.push(line);
    return lines.join('\n');
  }).join('\n');
}

/** A number for reading: whole numbers as they are, others to 4 digits. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '';
  if (Number.isInteger(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return value.toFixed(1);
  if (magnitude >= 1) return trimZeros(value.toFixed(3));
  if (magnitude < 0.0001) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '·';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return value.map(formatCell).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value).replace(/\n/g, '⏎');
}

export function truncate(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : chars.slice(0, width - 1).join('') + '…';
}

function visibleLength(text: string): number {
  return [...text].length;
}

export interface TableLayout extends Required<TextOptions> {
  totalRows: number;
}

/**
 * Rows as an aligned table no wider than the terminal. Columns that do not
 * fit are left out and named below; rows beyond the limit are counted.
 * Missing values show as ·.
 */
export function formatTable(
  columns: readonly string[],
  rows: readonly Row[],
  layout: TableLayout,
): string {
  const shown = rows.slice(0, layout.maxRows);
  const cells = shown.map((row) => columns.map((c) => formatCell(row[c])));
  const numeric = columns.map((c) => shown.every((row) =>
    row[c] === null || row[c] === undefined || typeof row[c] === 'number'));

  const cap = 24;
  const widths = columns.map((name, i) => Math.min(cap, Math.max(
    visibleLength(name),
    ...cells.map((row) => visibleLength(row[i]!)),
  )));

  // Keep columns from the left while they fit.
  const kept: number[] = [];
  let used = 0;
  for (let i = 0; i < columns.length; i++) {
    const need = widths[i]! + (kept.length ? 2 : 0);
    if (used + need > layout.width && kept.length) break;
    kept.push(i);
    used += need;
  }

  const pad = (text: string, i: number) => {
    const cut = truncate(text, widths[i]!);
    const space = ' '.repeat(Math.max(0, widths[i]! - visibleLength(cut)));
    return numeric[i] ? space + cut : cut + space;
  };
  const line = (values: string[]) =>
    kept.map((i) => pad(values[i]!, i)).join('  ').trimEnd();

  const lines = [
    line([...columns]),
    kept.map((i) => '─'.repeat(widths[i]!)).join('  '),
    ...cells.map(line),
  ];

  const hiddenRows = layout.totalRows - shown.length;
  if (hiddenRows > 0) {
    lines.push(`… ${hiddenRows.toLocaleString('en-US')} more ` +
      `row${hiddenRows === 1 ? '' : 's'}`);
  }
  const hidden = columns.filter((_, i) => !kept.includes(i));
  if (hidden.length) {
    lines.push(truncate(`… ${hidden.length} more column` +
      `${hidden.length === 1 ? '' : 's'}: ${hidden.join(', ')}`,
    layout.width));
  }
  return lines.join('\n');
}

/** Named figures, as `name: value` pairs packed into lines. */
export function formatSummary(
  summary: NonNullable<Result['summary']>,
  width: number,
): string {
  const pairs = Object.entries(summary).map(([name, value]) =>
    `${name}: ${formatCell(value)}`);
  const lines: string[] = [];
  let current = '';
  for (const pair of pairs) {
    const next = current ? `${current}   ${pair}` : pair;
    if (visibleLength(next) > width && current) {
      lines.push(current);
      current = pair;
    } else {
      current = next;
    }
  }
  if (current) lines.push(current);
  return lines.join('\n');
}
