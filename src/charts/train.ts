// train: how the loss and the accuracy moved, epoch by epoch, on the
// training rows and on the rows held out for validation. A validation
// curve that rises while the training curve falls is overfitting; the
// dashed line marks the epoch whose weights were kept.

import type { TopLevelSpec } from 'vega-lite';
import type { Result } from '../runtime/result.js';
import { defineChart } from './registry.js';
import { figure, palette, percentFormat } from './theme.js';

interface CurvePoint {
  epoch: number;
  measure: 'loss' | 'accuracy';
  rows: 'training' | 'validation';
  value: number;
}

/** The per-epoch records, as a result keeps them. */
function historyOf(result: Result): Record<string, unknown>[] {
  const history = result['history'];
  if (Array.isArray(history)) {
    return history.filter((h): h is Record<string, unknown> =>
      typeof h === 'object' && h !== null);
  }
  const rows = result.rows ?? [];
  return rows.every((row) => 'epoch' in row) ? rows : [];
}

function curves(history: readonly Record<string, unknown>[]): CurvePoint[] {
  const fields = [
    ['loss', 'loss', 'training'],
    ['accuracy', 'accuracy', 'training'],
    ['validation_loss', 'loss', 'validation'],
    ['validation_accuracy', 'accuracy', 'validation'],
  ] as const;
  const points: CurvePoint[] = [];
  for (const record of history) {
    const epoch = figure(record['epoch']);
    if (epoch === null) continue;
    for (const [field, measure, rows] of fields) {
      const value = figure(record[field]);
      if (value !== null) points.push({ epoch, measure, rows, value });
    }
  }
  return points;
}

export function trainChart(result: Result): TopLevelSpec | undefined {
  const points = curves(historyOf(result));
  if (points.length === 0) return undefined;

  const summary = result.summary ?? {};
  const epochs = Math.max(...points.map((p) => p.epoch));
  // The kept epoch matters only when it is not simply the last one.
  const kept = figure(summary['best_epoch']);
  const best = kept !== null && kept < epochs ? kept : null;
  const model = typeof result['model'] === 'string' ? result['model']
    : typeof summary['model'] === 'string' ? summary['model'] : undefined;
  const type = typeof summary['type'] === 'string' ? ` (${summary['type']})`
    : '';
  const on = typeof result.table === 'string' ? ` on ${result.table}` : '';
  const title = `Training ${model ? `"${model}"` : 'a model'}${type}${on}`;

  const sides = (['training', 'validation'] as const)
    .filter((side) => points.some((p) => p.rows === side));
  const color = {
    field: 'rows', type: 'nominal', title: 'Rows',
    scale: { domain: sides, range: sides.map((side) =>
      side === 'training' ? palette[0] : palette[1]) },
  } as const;
  const strokeDash = {
    field: 'rows', type: 'nominal', title: 'Rows',
    scale: { domain: sides, range: sides.map((side) =>
      side === 'training' ? [1, 0] : [6, 3]) },
  } as const;
  const x = { field: 'epoch', type: 'quantitative', title: 'Epoch',
    axis: { tickMinStep: 1, format: 'd' },
    scale: { domain: [Math.min(1, epochs), Math.max(1, epochs)] } } as const;

  const panel = (measure: 'loss' | 'accuracy') => {
    const y = measure === 'loss'
      ? { field: 'value', type: 'quantitative',
        title: 'Loss (cross-entropy, nats)', scale: { zero: false } }
      : { field: 'value', type: 'quantitative', title: 'Accuracy (%)',
        axis: { format: '~%' }, scale: { zero: false } };
    return {
      width: 300,
      height: 200,
      transform: [{ filter: { field: 'measure', equal: measure } }],
      layer: [
        {
          name: measure,
          mark: { type: 'line', point: epochs <= 30, strokeWidth: 2 },
          encoding: {
            x, y, color, strokeDash,
            tooltip: [
              { field: 'epoch', title: 'epoch' },
              { field: 'rows', title: 'rows' },
              { field: 'value', title: measure,
                ...(measure === 'accuracy' ? { format: percentFormat }
                  : { format: '.4f' }) },
            ],
          },
        },
        ...(best !== null ? [{
          name: `${measure}_best`,
          data: { values: [{ best }] },
          mark: { type: 'rule', color: '#555555', strokeDash: [2, 2] },
          encoding: { x: { field: 'best', type: 'quantitative' } },
        }] : []),
      ],
    };
  };

  const measures = new Set(points.map((p) => p.measure));
  const panels = (['loss', 'accuracy'] as const)
    .filter((m) => measures.has(m)).map(panel);
  const subtitle = best !== null
    ? [`Dotted grey line: epoch ${best}, the best on the validation rows, ` +
      'whose weights were kept'] : [];
  return {
    title: { text: `${title}: loss and accuracy per epoch`, subtitle },
    data: { values: points },
    hconcat: panels,
  } as TopLevelSpec;
}

defineChart('train', trainChart);
