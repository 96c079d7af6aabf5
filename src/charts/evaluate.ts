// evaluate: how well a model does for each group. One small panel per
// measure (accuracy, recall, false positive rate, ...), one bar per group
// and a grey one for all rows, each with its 95% bootstrap interval, so
// that a gap between groups reads at a glance. Below them, for a yes/no
// target, each group's confusion matrix as a heat map; for several
// classes, the recall of each class in each group.

import type { TopLevelSpec } from 'vega-lite';
import type { Result, Row } from '../runtime/result.js';
import { defineChart } from './registry.js';
import {
  figure, groupColumns, groupLabel, groupTitle, palette, percentFormat,
} from './theme.js';

/** Measures in the order a reader looks for them, with their titles. */
export const evaluateMeasures: readonly [string, string][] = [
  ['accuracy', 'Accuracy'],
  ['balanced_accuracy', 'Balanced accuracy'],
  ['precision', 'Precision'],
  ['recall', 'Recall (true positive rate)'],
  ['fpr', 'False positive rate'],
  ['fnr', 'False negative rate'],
  ['f1', 'F1 score'],
  ['selection_rate', 'Selection rate'],
  ['auc', 'ROC AUC'],
];

/** Columns of evaluate's rows that are not group columns. */
const evaluateFigures = new Set([
  'n', 'tp', 'fp', 'tn', 'fn', ...evaluateMeasures.map(([name]) => name),
]);

/** The label evaluate gives the row of all rows in each group column. */
const overallLabel = 'all';

interface MeasurePoint {
  group: string;
  overall: boolean;
  measure: string;
  value: number;
  low: number | null;
  high: number | null;
  n: number | null;
}

type IntervalTable = Record<string, Record<string, unknown>>;

function rowLabel(row: Row, groups: readonly string[]): string {
  const overall = groups.length > 0 &&
    groups.every((column) => row[column] === overallLabel);
  return overall ? overallLabel : groupLabel(row, groups);
}

function measurePoints(result: Result, groups: readonly string[]):
MeasurePoint[] {
  const intervals = (result['intervals'] as { groups?: IntervalTable } |
    undefined)?.groups ?? {};
  const points: MeasurePoint[] = [];
  for (const row of result.rows ?? []) {
    const group = rowLabel(row, groups);
    const bounds = intervals[group] ?? {};
    for (const [name, title] of evaluateMeasures) {
      const value = figure(row[name]);
      if (value === null) continue;
      const interval = bounds[name];
      const [low, high] = Array.isArray(interval)
        ? [figure(interval[0]), figure(interval[1])] : [null, null];
      points.push({
        group, overall: group === overallLabel, measure: title, value,
        low, high, n: figure(row['n']),
      });
    }
  }
  return points;
}

interface HeatCell {
  group: string;
  row: string;
  column: string;
  value: number;
}

/** A yes/no target: the four counts of each group as a 2 x 2 matrix. */
function confusionCells(result: Result, groups: readonly string[]):
HeatCell[] {
  const cells: HeatCell[] = [];
  for (const row of result.rows ?? []) {
    const [tp, fp, tn, fn] = ['tp', 'fp', 'tn', 'fn'].map((k) =>
      figure(row[k]));
    if (tp == null || fp == null || tn == null || fn == null) continue;
    const group = rowLabel(row, groups);
    cells.push(
      { group, row: 'positive', column: 'positive', value: tp },
      { group, row: 'positive', column: 'negative', value: fn },
      { group, row: 'negative', column: 'positive', value: fp },
      { group, row: 'negative', column: 'negative', value: tn },
    );
  }
  return cells;
}

/** Several classes: the recall of each class in each group. */
function recallCells(result: Result, groups: readonly string[]):
HeatCell[] {
  const perClass = result['per_class'] as { rows?: Row[] } | undefined;
  return (perClass?.rows ?? []).flatMap((row) => {
    const recall = figure(row['recall']);
    return recall === null ? [] : [{ group: rowLabel(row, groups),
      row: String(row['class']), column: 'recall', value: recall }];
  });
}

function heatPanel(
  cells: readonly HeatCell[],
  kind: 'confusion' | 'recall',
  groups: readonly string[],
) {
  const confusion = kind === 'confusion';
  const x = confusion
    ? { field: 'column', type: 'nominal', title: 'Predicted',
      sort: ['positive', 'negative'] }
    : { field: 'group', type: 'nominal', title: groupTitle(groups),
      sort: null };
  const y = confusion
    ? { field: 'row', type: 'nominal', title: 'Actual',
      sort: ['positive', 'negative'] }
    : { field: 'row', type: 'nominal', title: 'Class', sort: null };
  const format = confusion ? ',' : '.0%';
  const layer = [
    {
      name: kind,
      mark: { type: 'rect' },
      encoding: {
        x, y,
        color: { field: 'value', type: 'quantitative',
          title: confusion ? 'Rows' : 'Recall',
          scale: { scheme: 'viridis', ...(confusion ? {}
            : { domain: [0, 1] }) },
          ...(confusion ? {} : { legend: { format: '.0%' } }) },
        tooltip: [
          { field: 'group', title: groupTitle(groups) },
          { field: 'row', title: confusion ? 'actual' : 'class' },
          ...(confusion ? [{ field: 'column', title: 'predicted' }] : []),
          { field: 'value', title: confusion ? 'rows' : 'recall', format },
        ],
      },
    },
    {
      name: `${kind}_value`,
      mark: { type: 'text', fontSize: 11 },
      encoding: {
        x, y,
        text: { field: 'value', type: 'quantitative', format },
        // Dark cells of viridis get light text, light cells dark.
        color: { condition: { test: 'datum.value < 0.6 * datum.top',
          value: 'white' }, value: 'black' },
      },
    },
  ];
  const spec = {
    width: confusion ? 130 : Math.min(480, 60 * new Set(cells.map((c) =>
      c.group)).size),
    height: confusion ? 130 : { step: 22 },
    transform: [{ joinaggregate: [{ op: 'max', field: 'value', as: 'top' }],
      ...(confusion ? { groupby: ['group'] } : {}) }],
    layer,
  };
  if (!confusion) {
    return { data: { values: cells },
      title: { text: 'Recall of each class in each group', fontSize: 12 },
      ...spec };
  }
  return {
    data: { values: cells },
    title: { text: 'Confusion matrix of each group (rows)', fontSize: 12 },
    facet: { field: 'group', type: 'nominal', title: null,
      sort: [...new Set(cells.map((c) => c.group))] },
    columns: 4,
    spec,
  };
}

export function evaluateChart(result: Result): TopLevelSpec | undefined {
  const by = result['by'];
  const groups = Array.isArray(by) ? by.map(String)
    : groupColumns(result.columns, evaluateFigures);
  const points = measurePoints(result, groups);
  const confusion = confusionCells(result, groups);
  const recall = confusion.length ? [] : recallCells(result, groups);
  if (points.length === 0) return undefined;

  const hasIntervals = points.some((p) => p.low !== null && p.high !== null);
  const x = { type: 'quantitative', title: null,
    axis: { format: '~%' }, scale: { domain: [0, 1] } } as const;
  const y = { field: 'group', type: 'nominal', sort: null,
    title: groupTitle(groups) } as const;
  const order = evaluateMeasures.map(([, title]) => title)
    .filter((title) => points.some((p) => p.measure === title));

  const measures = {
    data: { values: points },
    facet: { field: 'measure', type: 'nominal', title: null, sort: order },
    columns: 3,
    spec: {
      width: 200,
      height: { step: 18 },
      layer: [
        {
          name: 'measure',
          mark: { type: 'bar' },
          encoding: {
            y, x: { field: 'value', ...x },
            color: { field: 'overall', type: 'nominal', legend: null,
              scale: { domain: [false, true],
                range: [palette[0], '#9a9a9a'] } },
            tooltip: [
              { field: 'group', title: groupTitle(groups) },
              { field: 'measure' },
              { field: 'value', format: percentFormat },
              ...(hasIntervals ? [
                { field: 'low', title: '95% interval from',
                  format: percentFormat },
                { field: 'high', title: '95% interval to',
                  format: percentFormat },
              ] : []),
              { field: 'n', title: 'rows', format: ',' },
            ],
          },
        },
        ...(hasIntervals ? [{
          name: 'measure_interval',
          mark: { type: 'rule', color: '#222222', strokeWidth: 1.5 },
          encoding: { y, x: { field: 'low', ...x }, x2: { field: 'high' } },
        }] : []),
      ],
    },
    resolve: { axis: { x: 'independent' } },
  };

  const summary = result.summary ?? {};
  const model = typeof summary['model'] === 'string'
    ? ` of ${summary['model']}` : '';
  const on = typeof result.table === 'string' ? ` on ${result.table}` : '';
  const parity = figure(summary['demographic_parity_difference']);
  const odds = figure(summary['equalized_odds_difference']);
  const subtitle = [
    'Each panel: one measure as a percentage; grey bars: all rows' +
      (hasIntervals ? '; black lines: 95% bootstrap intervals' : ''),
    ...(parity !== null ? [`Demographic parity difference ` +
      `${parity.toFixed(3)}` + (odds !== null
      ? `; equalized odds difference ${odds.toFixed(3)}` : '')] : []),
  ];
  const panels = [
    measures,
    ...(confusion.length ? [heatPanel(confusion, 'confusion', groups)] : []),
    ...(recall.length ? [heatPanel(recall, 'recall', groups)] : []),
  ];
  return {
    title: { text: `Evaluation${model}${on}` +
      (groups.length ? ` by ${groupTitle(groups)}` : ''), subtitle },
    vconcat: panels,
    spacing: 24,
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec;
}

defineChart('evaluate', evaluateChart);
