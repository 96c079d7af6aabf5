// balance: the size of each cell (a group, or a group and label) before
// and after balancing, as a pair of bars, before in grey and after in
// blue. Reweighing keeps the rows and changes their weights, so its bars
// are the cells' total weights.

import type { TopLevelSpec } from 'vega-lite';
import type { Result } from '../runtime/result.js';
import { defineChart } from './registry.js';
import { figure, groupLabel, palette } from './theme.js';

interface CellPoint {
  cell: string;
  side: 'before' | 'after';
  size: number;
  rows: number | null;
  weight: number | null;
}

export function balanceChart(result: Result): TopLevelSpec | undefined {
  const rows = result.rows ?? [];
  if (rows.length === 0) return undefined;
  const by = Array.isArray(result['by']) ? result['by'].map(String) : [];
  const target = typeof result['target'] === 'string' ? result['target']
    : undefined;
  const columns = [...by, ...(target ? [target] : [])];
  const weighted = rows.some((row) => 'weighted_after' in row);

  const points: CellPoint[] = [];
  for (const row of rows) {
    const cell = groupLabel(row, columns);
    const before = figure(row[weighted ? 'weighted_before' : 'n_before']);
    const after = figure(row[weighted ? 'weighted_after' : 'n_after']);
    const common = {
      cell,
      rows: figure(row[weighted ? 'n' : 'n_after']),
      weight: figure(row['weight']),
    };
    if (before !== null) {
      points.push({ ...common, side: 'before', size: before });
    }
    if (after !== null) {
      points.push({ ...common, side: 'after', size: after });
    }
  }
  if (points.length === 0) return undefined;

  const method = String(result.summary?.['method'] ?? 'balance');
  const cellTitle = columns.join(' × ') || 'cell';
  const sizeTitle = weighted ? 'Total weight (rows × weight)' : 'Rows';
  const parityBefore = figure(result.summary?.['parity_difference_before']);
  const parityAfter = figure(result.summary?.['parity_difference_after']);
  const subtitle = [
    weighted
      ? 'Reweighing keeps every row and changes its weight; bars are ' +
        'the total weight of each cell'
      : `Rows in each cell before and after ${method}`,
    ...(parityBefore !== null && parityAfter !== null
      ? [`Gap in label rate between groups: ` +
        `${(parityBefore * 100).toFixed(1)}% before, ` +
        `${(parityAfter * 100).toFixed(1)}% after`]
      : []),
  ];

  return {
    title: { text: `${typeof result.table === 'string' ? `${result.table}: `
      : ''}cell sizes by ${cellTitle}, before and after ${method}`,
    subtitle },
    data: { values: points },
    width: 360,
    height: { step: 14 },
    mark: { type: 'bar' },
    name: 'cell',
    encoding: {
      y: { field: 'cell', type: 'nominal', sort: null, title: cellTitle },
      yOffset: { field: 'side', type: 'nominal',
        sort: ['before', 'after'] },
      x: { field: 'size', type: 'quantitative', title: sizeTitle,
        axis: { format: ',.0f' } },
      color: { field: 'side', type: 'nominal', title: 'Table',
        scale: { domain: ['before', 'after'],
          range: ['#9a9a9a', palette[0]] } },
      tooltip: [
        { field: 'cell', title: cellTitle },
        { field: 'side', title: 'when' },
        { field: 'size', title: weighted ? 'total weight' : 'rows',
          format: ',.1f' },
        ...(weighted ? [{ field: 'weight', title: 'weight per row',
          format: '.3f' }] : []),
      ],
    },
  } as TopLevelSpec;
}

defineChart('balance', balanceChart);
