// compare: two audits side by side, before and after a repair (or two
// tables such as train and test). For each group a pair of bars, before
// in grey and after in blue, for its share of the rows and, with a
// target, its positive rate; with several classes, one rate panel per
// class. A group present on one side only has one bar.

import type { TopLevelSpec } from 'vega-lite';
import type { Result, Row } from '../runtime/result.js';
import { defineChart } from './registry.js';
import {
  figure, groupColumns, groupLabel, groupTitle, palette, percentAxis,
  percentFormat,
} from './theme.js';

const compareFigures = new Set([
  'class', 'present', 'n_before', 'n_after', 'share_before', 'share_after',
  'share_change', 'rate_before', 'rate_after', 'rate_change',
]);

interface SidePoint {
  group: string;
  class: string;
  first: boolean;
  side: string;
  n: number | null;
  share: number | null;
  rate: number | null;
}

function sidePoints(
  rows: readonly Row[],
  groups: readonly string[],
  sides: readonly [string, string],
): SidePoint[] {
  const seen = new Set<string>();
  const points: SidePoint[] = [];
  for (const row of rows) {
    const group = groupLabel(row, groups);
    const first = !seen.has(group);
    seen.add(group);
    const name = row['class'] === undefined ? ''
      : String(row['class'] ?? '(missing)');
    for (const [i, key] of (['before', 'after'] as const).entries()) {
      const n = figure(row[`n_${key}`]);
      if (n === null) continue;
      points.push({
        group, class: name, first, side: sides[i]!, n,
        share: figure(row[`share_${key}`]),
        rate: figure(row[`rate_${key}`]),
      });
    }
  }
  return points;
}

export function compareChart(result: Result): TopLevelSpec | undefined {
  const rows = result.rows ?? [];
  if (rows.length === 0) return undefined;
  const by = result['by'];
  const groups = Array.isArray(by) ? by.map(String)
    : groupColumns(result.columns, compareFigures);
  const before = String(result['before'] ?? 'before');
  const after = String(result['after'] ?? 'after');
  const sides: [string, string] = [`${before} (before)`, `${after} (after)`];
  const data = sidePoints(rows, groups, sides);
  const title = groupTitle(groups);

  const y = { field: 'group', type: 'nominal', sort: null, title } as const;
  const yOffset = { field: 'side', type: 'nominal', sort: sides } as const;
  const color = {
    field: 'side', type: 'nominal', title: 'Table',
    scale: { domain: sides, range: ['#9a9a9a', palette[0]] },
  } as const;
  const tooltip = (field: 'share' | 'rate', what: string) => [
    { field: 'group', title },
    { field: 'side', title: 'table' },
    { field, title: what, format: percentFormat },
    { field: 'n', title: 'rows', format: ',' },
  ];
  const panel = (field: 'share' | 'rate', axisTitle: string) => ({
    name: field,
    mark: { type: 'bar' },
    encoding: {
      y, yOffset, color,
      x: { field, type: 'quantitative', title: axisTitle,
        axis: percentAxis },
      tooltip: tooltip(field, field === 'share' ? 'share' : 'positive rate'),
    },
  });
  const height = { step: 14 } as const;

  const sharePanel = {
    width: 240, height,
    transform: [{ filter: 'datum.first' }],
    ...panel('share', 'Share of rows (%)'),
  };
  const target = result['target'] as { text?: string; column?: string } |
    null | undefined;
  const hasRates = data.some((p) => p.rate !== null);
  const summary = result.summary ?? {};
  const impactBefore = figure(summary['disparate_impact_before']);
  const impactAfter = figure(summary['disparate_impact_after']);
  const subtitle = [
    ...(target?.text ? [`Target: ${target.text}`] : []),
    ...(impactBefore !== null && impactAfter !== null
      ? [`Disparate impact ${impactBefore.toFixed(2)} before, ` +
        `${impactAfter.toFixed(2)} after (four-fifths rule: 0.80 or more)`]
      : []),
  ];
  const heading = { text: `${before} and ${after} by ${title}`, subtitle };

  if (!hasRates) {
    return { title: heading, data: { values: data }, ...sharePanel } as
      TopLevelSpec;
  }
  const rateLayer = { width: 280, height,
    ...panel('rate', 'Positive rate (%)') };
  const byClass = data.some((p) => p.class !== '');
  const ratePanel = byClass
    ? {
      facet: { row: { field: 'class', type: 'nominal', sort: null,
        title: `Class of ${target?.column ?? 'the target'}` } },
      spec: rateLayer,
    }
    : rateLayer;
  return {
    title: heading,
    data: { values: data },
    hconcat: [sharePanel, ratePanel],
  } as TopLevelSpec;
}

defineChart('compare', compareChart);
