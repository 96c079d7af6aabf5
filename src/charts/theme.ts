// The look every chart shares: colours that survive grey-scale printing
// and colour blindness, one font that the PNG renderer can find, and the
// few encodings (percent axes, group labels) that every kind repeats.

import type { Config } from 'vega-lite';
import { valueLabel } from '../runtime/groups.js';
import type { Row } from '../runtime/result.js';
import type { Value } from '../runtime/table.js';

/**
 * Okabe and Ito's palette ("Color Universal Design", 2008): eight colours
 * told apart under the common forms of colour blindness. Blue and orange
 * come first because they also differ in lightness, so a printed page in
 * grey still separates the first two series.
 */
export const palette = [
  '#0072B2', '#E69F00', '#009E73', '#D55E00',
  '#CC79A7', '#56B4E9', '#F0E442', '#000000',
];

/** The colour of a line that marks a rule: the four-fifths line. */
export const ruleColour = '#D55E00';

/**
 * DejaVu Sans first: it is the font resvg finds on Debian, and vega
 * measures text with the same widths whatever the font, so the labels fit.
 */
export const font = 'DejaVu Sans, Helvetica, Arial, sans-serif';

export const config: Config = {
  font,
  background: 'white',
  padding: 8,
  view: { stroke: '#d0d0d0' },
  title: { fontSize: 14, anchor: 'start', subtitleColor: '#555555',
    subtitleFontSize: 11 },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e6e6e6',
    labelLimit: 180 },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: 'bottom',
    labelLimit: 260 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  range: { category: palette, ordinal: { scheme: 'viridis' },
    heatmap: { scheme: 'viridis' } },
  bar: { color: palette[0] },
  line: { color: palette[0] },
  point: { color: palette[0] },
};

export const schemaUrl = 'https://vega.github.io/schema/vega-lite/v6.json';

/** An axis that reads a fraction from 0 to 1 as a percentage. */
export const percentAxis = { format: '~%' } as const;

/** A tooltip format for a fraction, to one decimal of a percent. */
export const percentFormat = '.1%';

/** Columns that a result's rows hold as figures, not as group values. */
export function groupColumns(
  columns: readonly string[] | undefined,
  figures: ReadonlySet<string>,
): string[] {
  return (columns ?? []).filter((column) => !figures.has(column));
}

/**
 * One label per group, as the runtime labels groups: "yes" for one group
 * column, "female × Black" for an intersection, and a missing value as a
 * group of its own, so that a chart never drops it.
 */
export function groupLabel(row: Row, columns: readonly string[]): string {
  if (columns.length === 0) return 'all';
  return columns.map((column) => valueLabel((row[column] ?? null) as Value))
    .join(' × ');
}

/** A number or null: charts leave missing figures out instead of at 0. */
export function figure(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** "afam" or "sex × race": what the group axis shows. */
export function groupTitle(columns: readonly string[]): string {
  return columns.length ? columns.join(' × ') : 'group';
}
