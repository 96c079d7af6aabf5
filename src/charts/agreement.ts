// agreement and workers: how far the people who rated the items agree.
//
//   agreement  worker by worker: a heat map of Cohen's kappa for every
//              pair of workers who rated the same items (blue agrees,
//              orange disagrees, white is chance), beside the overall
//              measures as bars
//   workers    each worker against the aggregate label: kappa per
//              worker, those below chance in orange
//
// With many workers (crowdsourcing has hundreds), the map keeps those
// who shared the most items with others, and says so.

import type { TopLevelSpec } from 'vega-lite';
import type { Result } from '../runtime/result.js';
import { defineChart } from './registry.js';
import { figure, palette } from './theme.js';

/** Workers a pair map can show and still be read. */
export const mapWorkers = 30;

interface Pair {
  a: string;
  b: string;
  items: number;
  agreement: number | null;
  kappa: number | null;
}

function pairsOf(result: Result): Pair[] {
  const pairs = result['pairs'];
  if (!Array.isArray(pairs)) return [];
  return pairs.flatMap((pair: unknown) => {
    const p = pair as Record<string, unknown>;
    const items = figure(p['items']);
    if (items === null) return [];
    return [{
      a: String(p['worker_a']),
      b: String(p['worker_b']),
      items,
      agreement: figure(p['agreement']),
      kappa: figure(p['kappa']),
    }];
  });
}

/** The workers with the most items shared with others, best first. */
function busiest(pairs: readonly Pair[], limit: number): Set<string> {
  const shared = new Map<string, number>();
  for (const pair of pairs) {
    shared.set(pair.a, (shared.get(pair.a) ?? 0) + pair.items);
    shared.set(pair.b, (shared.get(pair.b) ?? 0) + pair.items);
  }
  return new Set([...shared.entries()]
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .slice(0, limit).map(([worker]) => worker));
}

const kappaScale = {
  domain: [-1, 1], domainMid: 0, scheme: 'blueorange', reverse: true,
} as const;

export function agreementChart(result: Result): TopLevelSpec | undefined {
  const pairs = pairsOf(result);
  const measures = (result.rows ?? []).flatMap((row) => {
    const value = figure(row['value']);
    return value === null ? [] : [{ measure: String(row['measure']), value,
      band: row['band'] === null || row['band'] === undefined ? ''
        : String(row['band']) }];
  });
  if (pairs.length === 0 && measures.length === 0) return undefined;

  const kept = busiest(pairs, mapWorkers);
  const workers = new Set(pairs.flatMap((p) => [p.a, p.b])).size;
  const cells = pairs.filter((p) => kept.has(p.a) && kept.has(p.b))
    .flatMap((p) => [p, { ...p, a: p.b, b: p.a }]);
  const order = [...kept].sort((x, y) =>
    x.localeCompare(y, 'en', { numeric: true }));
  const labelled = kept.size <= 12;

  const map = {
    data: { values: cells },
    width: Math.min(420, 28 * kept.size),
    height: Math.min(420, 28 * kept.size),
    title: { text: "Cohen's kappa for each pair of workers", fontSize: 12 },
    layer: [
      {
        name: 'pair',
        mark: { type: 'rect' },
        encoding: {
          x: { field: 'b', type: 'nominal', title: 'Worker', sort: order },
          y: { field: 'a', type: 'nominal', title: 'Worker', sort: order },
          color: { field: 'kappa', type: 'quantitative',
            title: "Cohen's kappa", scale: kappaScale },
          tooltip: [
            { field: 'a', title: 'worker' }, { field: 'b', title: 'with' },
            { field: 'items', title: 'items both rated', format: ',' },
            { field: 'agreement', title: 'agreement', format: '.1%' },
            { field: 'kappa', title: "Cohen's kappa", format: '.3f' },
          ],
        },
      },
      ...(labelled ? [{
        name: 'pair_kappa',
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          x: { field: 'b', type: 'nominal', sort: order },
          y: { field: 'a', type: 'nominal', sort: order },
          text: { field: 'kappa', type: 'quantitative', format: '.2f' },
        },
      }] : []),
    ],
  };

  const bars = {
    data: { values: measures },
    width: 220,
    height: { step: 22 },
    title: { text: 'Overall agreement', fontSize: 12 },
    layer: [
      {
        name: 'measure',
        mark: { type: 'bar', color: palette[0] },
        encoding: {
          y: { field: 'measure', type: 'nominal', sort: null, title: null },
          x: { field: 'value', type: 'quantitative',
            title: 'Value (1 = perfect, 0 = chance)',
            scale: { domain: [Math.min(0, ...measures.map((m) => m.value)),
              1] } },
          tooltip: [{ field: 'measure' },
            { field: 'value', format: '.3f' }, { field: 'band' }],
        },
      },
    ],
  };

  const subtitle = [
    `${workers} workers` + (kept.size < workers
      ? `; the map shows the ${kept.size} who shared the most items`
      : '') + '; blank cells: pairs with no item in common',
  ];
  return {
    title: { text: `Agreement between workers${typeof result.table ===
      'string' ? ` on ${result.table}` : ''}`, subtitle },
    hconcat: [
      ...(cells.length ? [map] : []),
      ...(measures.length ? [bars] : []),
    ],
  } as TopLevelSpec;
}

export function workersChart(result: Result): TopLevelSpec | undefined {
  const rows = (result.rows ?? []).flatMap((row) => {
    const kappa = figure(row['kappa']);
    return kappa === null ? [] : [{
      worker: String(row['worker']),
      kappa,
      agreement: figure(row['agreement']),
      accuracy: figure(row['accuracy']),
      items: figure(row['items']),
      verdict: row['below_chance'] === true ? 'below chance'
        : 'at or above chance',
    }];
  });
  if (rows.length === 0) return undefined;
  const method = String(result.summary?.['method'] ?? 'the aggregate');
  return {
    title: {
      text: `Each worker against the aggregate label${typeof result.table ===
        'string' ? ` of ${result.table}` : ''}`,
      subtitle: [`Cohen's kappa between the worker's labels and ` +
        `${method}'s; 0 is chance agreement`],
    },
    data: { values: rows },
    width: 320,
    height: { step: rows.length > 40 ? 8 : 18 },
    name: 'worker',
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'worker', type: 'nominal', sort: '-x', title: 'Worker',
        axis: rows.length > 40 ? { labels: false, ticks: false } : {} },
      x: { field: 'kappa', type: 'quantitative',
        title: "Cohen's kappa with the aggregate",
        scale: { domain: [Math.min(0, ...rows.map((r) => r.kappa)), 1] } },
      color: { field: 'verdict', type: 'nominal', title: 'Worker',
        scale: { domain: ['at or above chance', 'below chance'],
          range: [palette[0], palette[1]] } },
      tooltip: [
        { field: 'worker' }, { field: 'items', format: ',' },
        { field: 'kappa', format: '.3f' },
        { field: 'agreement', format: '.1%' },
        { field: 'accuracy', title: 'estimated accuracy', format: '.1%' },
      ],
    },
  } as TopLevelSpec;
}

defineChart('agreement', agreementChart);
defineChart('workers', workersChart);
