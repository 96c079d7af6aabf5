// How the REPL shows what a statement did: the result's text at the
// terminal's width, a wide table continued in panels below instead of
// cut, and the result's charts drawn in text.

import { formatDiagnostic, type Diagnostic } from '../lang/diagnostics.js';
import {
  formatTable, renderDefault, renderText,
} from '../runtime/render/text.js';
import type { Result, Row } from '../runtime/result.js';
import { chartsFor, groupColumns } from './bars.js';

/** How a block of output is coloured. */
export type Tone = 'plain' | 'error' | 'warning' | 'note' | 'chart';

export interface Block {
  text: string;
  tone: Tone;
}

const maxRows = 20;

export function presentResult(result: Result, width: number): Block[] {
  const options = { width, maxRows };
  const text = renderText(result, options);
  const columns = result.columns ?? [];
  const rows = result.rows ?? [];
  // Kinds with a renderer of their own lay out their tables themselves.
  const plain = text === renderDefault(result, options);
  const panels = plain && rows.length
    ? tablePanels(columns, rows, keyColumns(result), width)
    : [];

  const blocks: Block[] = [];
  if (panels.length > 1) {
    // The default layout would leave columns out: all of them are shown,
    // in panels that repeat the key columns.
    const first = { ...result, columns: panels[0]!, notes: [] };
    blocks.push({ text: renderDefault(first, options), tone: 'plain' });
    blocks.push(...panelBlocks(panels.slice(1), result, width));
    const notes = (result.notes ?? []).map((note) => `note: ${note}`);
    if (notes.length) blocks.push({ text: notes.join('\n'), tone: 'note' });
  } else {
    blocks.push({ text, tone: 'plain' });
    // A kind's own layout may still leave columns out, and say so; they
    // follow in panels of their own.
    const hidden = plain ? [] : hiddenColumns(text, columns);
    if (hidden.length && rows.length) {
      const keys = keyColumns(result).filter((key) => !hidden.includes(key));
      const more = tablePanels([...keys, ...hidden], rows, keys, width);
      blocks.push(...panelBlocks(more, result, width));
    }
  }

  for (const chart of chartsFor(result, width)) {
    blocks.push({ text: chart, tone: 'chart' });
  }
  return blocks.filter((block) => block.text.length > 0);
}

function panelBlocks(
  panels: readonly string[][],
  result: Result,
  width: number,
): Block[] {
  const rows = result.rows ?? [];
  const totalRows = result.total_rows ?? rows.length;
  const layout = { width, maxRows, totalRows };
  return panels.map((panel) => ({
    text: formatTable(panel, rows, layout),
    tone: 'plain',
  }));
}

export function presentDiagnostic(
  diagnostic: Diagnostic,
  source: string,
  file: string,
): Block {
  return {
    text: formatDiagnostic(diagnostic, source, file),
    tone: diagnostic.severity === 'error' ? 'error' : 'warning',
  };
}

/**
 * The columns that name a row, repeated in every panel: the group columns
 * of a per-group result, else a first column of distinct text values
 * (describe's `column`), else none.
 */
function keyColumns(result: Result): string[] {
  const groups = groupColumns(result);
  if (groups.length) return groups;
  const first = result.columns?.[0];
  const values = (result.rows ?? []).slice(0, maxRows)
    .map((row) => first === undefined ? undefined : row[first]);
  const names = values.length > 0 &&
    values.every((value) => typeof value === 'string') &&
    new Set(values).size === values.length;
  return names ? [first!] : [];
}

/**
 * The columns a rendering names as left out, in the words formatTable
 * uses: "… 2 more columns: mean, std".
 */
export function hiddenColumns(
  text: string,
  columns: readonly string[],
): string[] {
  const named = new Set<string>();
  for (const match of text.matchAll(/^… \d+ more columns?: (.*)$/gm)) {
    for (const name of match[1]!.split(', ')) named.add(name);
  }
  return columns.filter((column) => named.has(column));
}

/**
 * Split the columns into panels that each fit the width, every panel
 * starting with the key columns. One panel when everything fits.
 */
export function tablePanels(
  columns: readonly string[],
  rows: readonly Row[],
  keys: readonly string[],
  width: number,
): string[][] {
  const fits = (panel: string[]) => lineWidth(panel, rows) <= width;
  if (fits([...columns])) return [[...columns]];

  const rest = columns.filter((column) => !keys.includes(column));
  const panels: string[][] = [];
  let panel = [...keys];
  for (const column of rest) {
    const wider = [...panel, column];
    if (panel.length > keys.length && !fits(wider)) {
      panels.push(panel);
      panel = [...keys, column];
    } else {
      panel = wider;
    }
  }
  if (panel.length > keys.length) panels.push(panel);
  return panels;
}

/** How wide the table of these columns is, header and rows alike. */
function lineWidth(columns: readonly string[], rows: readonly Row[]): number {
  const text = formatTable(columns, rows, { width: Infinity, maxRows,
    totalRows: rows.length });
  return Math.max(...text.split('\n').slice(0, 2).map((line) =>
    [...line].length));
}
