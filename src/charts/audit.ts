// audit: who is in the data and how often each group gets the positive
// outcome. Two panels side by side, one bar per group in each:
//
//   share          the group's share of the rows (with the reference
//                  share as a tick when the audit was `against` one)
//   positive rate  with its 95% Wilson interval, and a dashed line at
//                  four fifths of the reference group's rate; a bar left
//                  of the line fails the four-fifths rule (29 CFR
//                  1607.4 D). With a target of several classes, one rate
//                  panel per class.
//
// Groups run down the page so that long or intersectional labels read
// across, and keep the result's order (groupRows sorts them).

import type { TopLevelSpec } from 'vega-lite';
import type { Result, Row } from '../runtime/result.js';
import { defineChart } from './registry.js';
import {
  figure, groupColumns, groupLabel, groupTitle, palette, percentAxis,
  percentFormat, ruleColour,
} from './theme.js';

/** Columns of an audit's rows that hold figures rather than groups. */
const auditFigures = new Set([
  'class', 'rows', 'n', 'share', 'labelled', 'positives', 'positive_rate',
  'rate_low', 'rate_high', 'rate_ratio', 'rate_difference', 'small',
]);

/** The four-fifths rule: a rate below 0.8 of the reference's fails. */
const fourFifths = 0.8;

const passes = '≥ 4/5 of the reference rate';
const fails = '< 4/5 of the reference rate';
const small = 'too few rows to judge';

export function auditGroups(result: Result): string[] {
  const by = result['by'];
  if (Array.isArray(by) && by.every((c) => typeof c === 'string')) {
    return by as string[];
  }
  return groupColumns(result.columns, auditFigures);
}

interface AuditPoint {
  group: string;
  /** The class whose rate this is; '' for a single positive outcome. */
  class: string;
  /** True on the first row of each group: the one the share panel uses. */
  first: boolean;
  n: number | null;
  share: number | null;
  rate: number | null;
  low: number | null;
  high: number | null;
  /** Four fifths of the reference group's rate, for this row's class. */
  line: number | null;
  verdict: string;
}

/** The reference group's rate: any rate over its ratio to that rate. */
function referenceRate(rows: readonly Row[]): number | null {
  for (const row of rows) {
    const rate = figure(row['positive_rate']);
    const ratio = figure(row['rate_ratio']);
    if (rate !== null && ratio !== null && ratio > 0) return rate / ratio;
  }
  return null;
}

function points(rows: readonly Row[], groups: readonly string[]):
AuditPoint[] {
  const classOf = (row: Row) =>
    row['class'] === undefined ? '' : String(row['class'] ?? '(missing)');
  const lines = new Map<string, number | null>();
  for (const name of new Set(rows.map(classOf))) {
    const reference = referenceRate(rows.filter((r) => classOf(r) === name));
    lines.set(name, reference === null ? null : fourFifths * reference);
  }

  const seen = new Set<string>();
  return rows.map((row) => {
    const group = groupLabel(row, groups);
    const rate = figure(row['positive_rate']);
    const ratio = figure(row['rate_ratio']);
    const verdict = rate === null ? ''
      : row['small'] === true ? small
        : ratio !== null && ratio < fourFifths ? fails : passes;
    const first = !seen.has(group);
    seen.add(group);
    return {
      group,
      class: classOf(row),
      first,
      n: figure(row['n']),
      share: figure(row['share']),
      rate,
      low: figure(row['rate_low']),
      high: figure(row['rate_high']),
      line: lines.get(classOf(row)) ?? null,
      verdict,
    };
  });
}

interface AuditTarget {
  column?: string;
  mode?: string;
  positive?: unknown;
}

function subtitleOf(result: Result, hasRates: boolean, hasIntervals:
boolean): string[] {
  const lines: string[] = [];
  const target = result['target'] as AuditTarget | null | undefined;
  if (target?.column) {
    lines.push(target.mode === 'classes'
      ? `Rate of each class of ${target.column}`
      : `Positive outcome: ${target.column} = ${String(target.positive)}`);
  }
  const impact = figure(result.summary?.['disparate_impact']);
  if (impact !== null) {
    lines.push(`Disparate impact ${impact.toFixed(2)} (lowest rate over ` +
      'highest; the four-fifths rule asks for 0.80 or more)');
  }
  if (hasRates) {
    const reference = typeof result['reference_group'] === 'string'
      ? ` (${result['reference_group']})` : '';
    lines.push((hasIntervals ? 'Black lines: 95% Wilson intervals; ' : '') +
      `dashed line: four fifths of the reference group's rate${reference}`);
  }
  return lines;
}

/** Reference shares from an `against` section, by group label. */
function referenceShares(result: Result): { group: string; share: number }[] {
  const against = result['against'] as { rows?: unknown } | undefined;
  if (!against || !Array.isArray(against.rows)) return [];
  return against.rows.flatMap((row: unknown) => {
    const r = row as Record<string, unknown>;
    const share = figure(r['reference_share']);
    return typeof r['group'] === 'string' && share !== null
      ? [{ group: r['group'], share }] : [];
  });
}

export function auditChart(result: Result): TopLevelSpec | undefined {
  const rows = result.rows ?? [];
  if (rows.length === 0) return undefined;
  const groups = auditGroups(result);
  const data = points(rows, groups);
  const title = groupTitle(groups);
  const y = { field: 'group', type: 'nominal', sort: null, title } as const;
  const height = { step: 22 } as const;

  // 1. Shares, one bar per group, with the reference's ticks.
  const shares = referenceShares(result);
  const sharePanel = {
    width: 240,
    height,
    transform: [{ filter: 'datum.first' }],
    layer: [
      {
        name: 'share',
        mark: { type: 'bar', color: palette[0] },
        encoding: {
          y,
          x: { field: 'share', type: 'quantitative',
            title: 'Share of rows (%)', axis: percentAxis },
          tooltip: [
            { field: 'group', title },
            { field: 'n', title: 'rows', format: ',' },
            { field: 'share', title: 'share', format: percentFormat },
          ],
        },
      },
      ...(shares.length ? [{
        name: 'reference_share',
        data: { values: shares },
        mark: { type: 'tick', color: '#000000', thickness: 2 },
        encoding: {
          y,
          x: { field: 'share', type: 'quantitative' },
          tooltip: [{ field: 'group', title },
            { field: 'share', title: 'reference share',
              format: percentFormat }],
        },
      }] : []),
    ],
  };

  const hasRates = data.some((point) => point.rate !== null);
  const hasIntervals = data.some((p) => p.low !== null && p.high !== null);
  const heading = {
    text: `Audit${typeof result.table === 'string' ? ` of ${result.table}`
      : ''} by ${title}`,
    subtitle: [...subtitleOf(result, hasRates, hasIntervals),
      ...(shares.length ? ['Black ticks: reference shares'] : [])],
  };
  if (!hasRates) {
    return { title: heading, data: { values: data }, ...sharePanel } as
      TopLevelSpec;
  }

  // 2. Rates, with intervals and the four-fifths line.
  const rateX = {
    type: 'quantitative', title: 'Positive rate (%)', axis: percentAxis,
  } as const;
  const verdicts = [passes, fails, small]
    .filter((v) => data.some((p) => p.verdict === v));
  const rateLayer = {
    width: 280,
    height,
    layer: [
      {
        name: 'rate',
        mark: { type: 'bar' },
        encoding: {
          y,
          x: { field: 'rate', ...rateX },
          color: {
            field: 'verdict', type: 'nominal', title: 'Four-fifths rule',
            scale: { domain: verdicts, range: verdicts.map((v) =>
              v === passes ? palette[0] : v === fails ? palette[1]
                : '#999999') },
          },
          tooltip: [
            { field: 'group', title },
            ...(data[0]!.class ? [{ field: 'class', title: 'class' }] : []),
            { field: 'rate', title: 'positive rate', format: percentFormat },
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
        name: 'interval',
        mark: { type: 'rule', color: '#222222', strokeWidth: 1.5 },
        encoding: { y, x: { field: 'low', ...rateX }, x2: { field: 'high' } },
      }] : []),
      {
        name: 'four_fifths',
        mark: { type: 'rule', color: ruleColour, strokeDash: [4, 3],
          strokeWidth: 1.5 },
        encoding: { x: { field: 'line', aggregate: 'max', ...rateX } },
      },
    ],
  };

  const byClass = data.some((p) => p.class !== '');
  const ratePanel = byClass
    ? {
      facet: { row: { field: 'class', type: 'nominal', sort: null,
        title: `Class of ${(result['target'] as AuditTarget).column}` } },
      spec: rateLayer,
    }
    : rateLayer;

  return {
    title: heading,
    data: { values: data },
    hconcat: [sharePanel, ratePanel],
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec;
}

defineChart('audit', auditChart);
