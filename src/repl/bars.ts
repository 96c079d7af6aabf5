// Charts drawn with text, for the terminal: horizontal bars in Unicode
// block characters for per-group results (audit, evaluate), and a
// sparkline for a training loss history.
//
// The renderers read the result columns that PRODUCT.md fixes ("Result
// contracts"): group columns come before `n`; audit rows carry
// `positive_rate` (or only `share` when there is no target), evaluate
// rows carry `accuracy`, `recall`, `selection_rate`, ...

import { formatNumber } from '../runtime/render/text.js';
import type { Result, Row } from '../runtime/result.js';

/** Eighths of a cell, so a bar's length is drawn to 1/8 of a column. */
const eighths = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const full = '█';

/** A bar of `value / scale` of `width` cells, to the nearest eighth. */
export function bar(value: number, scale: number, width: number): string {
  if (!Number.isFinite(value) || value <= 0 || scale <= 0) return '';
  const cells = Math.min(1, value / scale) * width;
  const whole = Math.floor(cells);
  const part = Math.round((cells - whole) * 8);
  if (part === 8) return full.repeat(whole + 1);
  // A value above zero always shows, even when it rounds to nothing.
  const tail = eighths[part]!;
  const drawn = full.repeat(whole) + tail;
  return drawn || eighths[1]!;
}

const levels = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * Values as a line of eight-level blocks, lowest value lowest. Missing
 * values show as a space. Longer series are averaged into `width` cells.
 */
export function sparkline(values: readonly number[], width = 60): string {
  const series = shrink(values, width);
  const finite = series.filter(Number.isFinite);
  if (!finite.length) return '';
  const low = Math.min(...finite);
  const high = Math.max(...finite);
  const span = high - low;
  return series.map((value) => {
    if (!Number.isFinite(value)) return ' ';
    const level = span === 0 ? 3 : Math.round(((value - low) / span) * 7);
    return levels[level]!;
  }).join('');
}

/** Average neighbouring values so the series is at most `width` long. */
function shrink(values: readonly number[], width: number): number[] {
  if (values.length <= width) return [...values];
  const out: number[] = [];
  for (let cell = 0; cell < width; cell++) {
    const from = Math.floor((cell * values.length) / width);
    const to = Math.floor(((cell + 1) * values.length) / width);
    const part = values.slice(from, to).filter(Number.isFinite);
    out.push(part.length
      ? part.reduce((a, b) => a + b, 0) / part.length
      : NaN);
  }
  return out;
}

// Per-group bars ---------------------------------------------------------

/** The metrics worth a bar, per result kind, in the order shown. */
const chartedMetrics: Record<string, string[]> = {
  audit: ['positive_rate', 'share'],
  evaluate: ['accuracy', 'recall', 'selection_rate'],
};

/** The group columns of a per-group result: those before `n`. */
export function groupColumns(result: Result): string[] {
  const columns = result.columns ?? [];
  const at = columns.indexOf('n');
  return at > 0 ? columns.slice(0, at) : [];
}

function label(row: Row, groups: readonly string[]): string {
  return groups.map((column) => {
    const value = row[column];
    return value === null || value === undefined ? '(missing)' : String(value);
  }).join(' · ');
}

function width(text: string): number {
  return [...text].length;
}

/**
 * One block of bars: a title line, then a line per group with its label,
 * its bar and its value. Bars start at zero and the longest bar is the
 * largest value, so bar lengths keep the values' ratios.
 */
export function barChart(
  title: string,
  rows: readonly { label: string; value: number }[],
  columns: number,
): string {
  const labelWidth = Math.min(24,
    Math.max(...rows.map((row) => width(row.label)), 1));
  const values = rows.map((row) => Number.isFinite(row.value)
    ? formatNumber(row.value) : '·');
  const valueWidth = Math.max(...values.map(width), 1);
  const barWidth = Math.max(10,
    Math.min(40, columns - labelWidth - valueWidth - 4));
  const scale = Math.max(0, ...rows.map((row) => row.value)
    .filter(Number.isFinite));

  const lines = [title];
  rows.forEach((row, i) => {
    const name = width(row.label) > labelWidth
      ? [...row.label].slice(0, labelWidth - 1).join('') + '…'
      : row.label;
    const drawn = bar(row.value, scale, barWidth);
    lines.push(`${name.padEnd(labelWidth)}  ${drawn.padEnd(barWidth)}  ` +
      values[i]!.padStart(valueWidth));
  });
  return lines.join('\n');
}

/**
 * The bar charts for a per-group result, one per charted metric the rows
 * carry. Empty when the result is not per group. `share` is drawn only
 * when there is no rate to draw (an audit without a target).
 */
export function groupBars(result: Result, columns: number): string[] {
  const metrics = chartedMetrics[result.kind];
  const groups = groupColumns(result);
  const rows = result.rows ?? [];
  if (!metrics || !groups.length || !rows.length) return [];

  const present = metrics.filter((metric) =>
    (result.columns ?? []).includes(metric));
  const drawn = result.kind === 'audit' && present.includes('positive_rate')
    ? ['positive_rate']
    : present;

  const title = groups.join(' · ');
  return drawn.map((metric) => barChart(
    `${metric} by ${title}`,
    rows.map((row) => {
      const value = row[metric];
      return {
        label: label(row, groups),
        value: typeof value === 'number' ? value : NaN,
      };
    }),
    columns,
  ));
}

// Training loss ----------------------------------------------------------

/**
 * The loss per epoch a train result carries, if any. A train result has
 * one row per epoch (`epoch`, `loss`, `validation_loss`, ...: grammar.md,
 * "train"); also read are `history: [{epoch, loss}]` and
 * `history: {loss: [...]}` as Keras and tfjs return it.
 */
export function lossHistory(result: Result, key = 'loss'): number[] {
  const columns = result.columns ?? [];
  if (columns.includes('epoch') && columns.includes(key) && result.rows) {
    return result.rows.map((row) => numberOr(row[key]));
  }
  const history = result['history'];
  if (Array.isArray(history)) {
    return history.map((entry: unknown) =>
      numberOr((entry as Record<string, unknown> | null)?.[key]));
  }
  if (history && typeof history === 'object') {
    const series = (history as Record<string, unknown>)[key];
    if (Array.isArray(series)) return series.map(numberOr);
  }
  return [];
}

function numberOr(value: unknown): number {
  return typeof value === 'number' ? value : NaN;
}

/** `loss ▇▅▃▂▁ 0.693 → 0.412 over 30 epochs`; the same for validation. */
export function lossSparklines(result: Result, columns: number): string[] {
  const lines: string[] = [];
  const keys = ['loss', 'validation_loss', 'val_loss'].filter((key) =>
    lossHistory(result, key).filter(Number.isFinite).length >= 2);
  const width = Math.max(0, ...keys.map((key) => key.length));
  for (const key of keys) {
    const values = lossHistory(result, key);
    const finite = values.filter(Number.isFinite);
    const first = formatNumber(finite[0]!);
    const last = formatNumber(finite[finite.length - 1]!);
    const tail = ` ${first} → ${last} over ${values.length} epochs`;
    const room = Math.max(8, columns - width - tail.length - 1);
    lines.push(`${key.padEnd(width)} ${sparkline(values, room)}${tail}`);
  }
  return lines;
}

/** Every chart a result gets in the terminal. */
export function chartsFor(result: Result, columns: number): string[] {
  return [...groupBars(result, columns), ...lossSparklines(result, columns)];
}
