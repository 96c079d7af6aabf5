// describe: how much of each column is missing. One bar per column, in
// the table's column order, as a percentage of the rows, with the count
// written beside it; a column with nothing missing shows as an empty
// row so that the reader sees it was checked.

import type { TopLevelSpec } from 'vega-lite';
import type { Result } from '../runtime/result.js';
import { defineChart } from './registry.js';
import { figure, palette, percentAxis, percentFormat } from './theme.js';

export function describeChart(result: Result): TopLevelSpec | undefined {
  const rows = result.rows ?? [];
  if (rows.length === 0) return undefined;

  const data = rows.map((row) => {
    const missing = figure(row['missing']) ?? 0;
    const present = figure(row['count']) ?? 0;
    const total = missing + present;
    return {
      column: String(row['column']),
      type: String(row['type'] ?? ''),
      missing,
      fraction: total > 0 ? missing / total : 0,
      label: missing > 0 ? missing.toLocaleString('en-US') : '',
    };
  });

  const table = typeof result.table === 'string' ? ` in ${result.table}` : '';
  const summary = result.summary ?? {};
  const totalMissing = figure(summary['missing_values']);
  const rowsMissing = figure(summary['rows_with_missing']);
  const rowsAll = figure(summary['rows']);
  const subtitle = totalMissing !== null && rowsMissing !== null &&
    rowsAll !== null
    ? [`${totalMissing.toLocaleString('en-US')} values missing in ` +
      `${rowsMissing.toLocaleString('en-US')} of ` +
      `${rowsAll.toLocaleString('en-US')} rows; the number beside a bar ` +
      'counts its missing values']
    : [];

  const y = { field: 'column', type: 'nominal', sort: null,
    title: 'Column' } as const;
  const x = { field: 'fraction', type: 'quantitative',
    title: 'Missing values (% of rows)', axis: percentAxis,
    scale: { domainMin: 0, domainMax: Math.max(0.05,
      ...data.map((d) => d.fraction)) * 1.15 } } as const;

  return {
    title: { text: `Missing values per column${table}`, subtitle },
    data: { values: data },
    width: 360,
    height: { step: 20 },
    encoding: { y, x },
    layer: [
      {
        name: 'missing',
        mark: { type: 'bar', color: palette[0] },
        encoding: {
          tooltip: [
            { field: 'column', title: 'column' },
            { field: 'type', title: 'type' },
            { field: 'missing', title: 'missing values', format: ',' },
            { field: 'fraction', title: 'share of rows',
              format: percentFormat },
          ],
        },
      },
      {
        name: 'missing_count',
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 10 },
        encoding: { text: { field: 'label' } },
      },
    ],
  } as TopLevelSpec;
}

defineChart('describe', describeChart);
