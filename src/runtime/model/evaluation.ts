// One evaluation: per-group and overall metrics with the fairness
// summaries, computed from predictions already made, and their bootstrap
// intervals. `evaluate MODEL` and `evaluate predictions` both end here.
//
//   plan    the labels, predictions, scores and groups, prepared once
//   figures every number of the evaluation for one weighting of the rows:
//           each row once (the estimates) or as often as a bootstrap
//           resample drew it
//   bootstrap  many resamples -> a 95 % percentile interval per figure

import type { Random } from '../random.js';
import {
  aif360Summary, auc, benefits, betweenGroupEntropy, confusion,
  fairlearnSummary, metricsFrom, multiclassMetrics, sortByScore, spread,
  theilIndex, type BinaryInputs, type BinaryMetrics,
} from './metrics.js';

export type Figure = number | null;
export type FigureRecord = Record<string, Figure>;

export interface EvaluationGroup {
  label: string;
  rows: Uint32Array;
}

export type Outcomes =
  | { kind: 'binary'; inputs: BinaryInputs }
  | {
    kind: 'multiclass';
    truth: Int32Array;
    predicted: Int32Array;
    classes: number;
  };

export interface Plan {
  outcomes: Outcomes;
  rows: number;
  /** The groups of `by`, in order; empty without `by`. */
  groups: EvaluationGroup[];
  /** For each row, its group's index (all 0 without `by`). */
  groupOf: Uint32Array;
  /** The index of the privileged group named by `reference`. */
  privileged?: number;
  /** Rows in increasing score order, per group and overall, for auc. */
  sorted?: { groups: Uint32Array[]; all: Uint32Array };
  /** Every row, 0 .. rows - 1. */
  all: Uint32Array;
}

export function makePlan(
  outcomes: Outcomes,
  groups: EvaluationGroup[],
  groupOf: Uint32Array,
  privileged?: number,
): Plan {
  const rows = groupOf.length;
  const all = new Uint32Array(rows);
  for (let row = 0; row < rows; row++) all[row] = row;
  const scores = outcomes.kind === 'binary' ? outcomes.inputs.scores
    : undefined;
  return {
    outcomes,
    rows,
    groups,
    groupOf,
    all,
    ...(privileged !== undefined ? { privileged } : {}),
    ...(scores ? {
      sorted: {
        groups: groups.map((g) => sortByScore(g.rows, scores)),
        all: sortByScore(all, scores),
      },
    } : {}),
  };
}

export interface Figures {
  groups: FigureRecord[];
  overall: FigureRecord;
  summary: FigureRecord;
  aif360?: FigureRecord;
  /** Multi-class: per group (then overall), per class. */
  perClass?: { precision: Figure[]; recall: Figure[]; support: number[] }[];
}

/** Every figure of the evaluation, with rows weighted by `weight`. */
export function figures(plan: Plan, weight?: ArrayLike<number>): Figures {
  return plan.outcomes.kind === 'binary'
    ? binaryFigures(plan, plan.outcomes.inputs, weight)
    : multiclassFigures(plan, plan.outcomes, weight);
}

function binaryRecord(metrics: BinaryMetrics): FigureRecord {
  return { ...metrics };
}

function binaryFigures(
  plan: Plan,
  inputs: BinaryInputs,
  weight?: ArrayLike<number>,
): Figures {
  const metricsOf = (rows: Uint32Array, sorted: Uint32Array | undefined) =>
    metricsFrom(confusion(rows, inputs, weight),
      sorted ? auc(sorted, inputs, weight) : null);

  const groups = plan.groups.map((g, i) =>
    metricsOf(g.rows, plan.sorted?.groups[i]));
  const overall = metricsOf(plan.all, plan.sorted?.all);

  const b = benefits(plan.all, inputs);
  const summary: FigureRecord = {};
  if (plan.groups.length) {
    Object.assign(summary, fairlearnSummary(groups));
  }
  summary.theil_index = theilIndex(b, weight);
  if (plan.groups.length) {
    summary.between_group_theil_index = betweenGroupEntropy(b, plan.groupOf,
      plan.groups.length, 1, weight);
  }

  const result: Figures = {
    groups: groups.map(binaryRecord),
    overall: binaryRecord(overall),
    summary,
  };
  if (plan.privileged !== undefined) {
    const privileged = plan.groups[plan.privileged]!.rows;
    const others = plan.all.filter((row) =>
      plan.groupOf[row] !== plan.privileged);
    result.aif360 = { ...aif360Summary(
      metricsOf(others, undefined), metricsOf(privileged, undefined)) };
  }
  return result;
}

function multiclassFigures(
  plan: Plan,
  outcomes: Extract<Outcomes, { kind: 'multiclass' }>,
  weight?: ArrayLike<number>,
): Figures {
  const metricsOf = (rows: Uint32Array) => multiclassMetrics(rows,
    outcomes.truth, outcomes.predicted, outcomes.classes, weight);
  const groups = plan.groups.map((g) => metricsOf(g.rows));
  const overall = metricsOf(plan.all);
  const record = (m: ReturnType<typeof metricsOf>): FigureRecord => ({
    n: m.n, accuracy: m.accuracy, balanced_accuracy: m.balanced_accuracy,
  });

  const summary: FigureRecord = {};
  if (plan.groups.length) {
    const accuracy = spread(groups.map((g) => g.accuracy));
    const balanced = spread(groups.map((g) => g.balanced_accuracy));
    summary.accuracy_difference = accuracy.difference;
    summary.accuracy_ratio = accuracy.ratio;
    summary.balanced_accuracy_difference = balanced.difference;
  }
  return {
    groups: groups.map(record),
    overall: record(overall),
    summary,
    perClass: [...groups, overall].map((m) => ({
      precision: m.precision, recall: m.recall, support: m.support,
    })),
  };
}

// Bootstrap ------------------------------------------------------------------

export type Interval = [Figure, Figure];

export interface Intervals {
  level: number;
  resamples: number;
  groups: Record<string, Interval>[];
  overall: Record<string, Interval>;
  summary: Record<string, Interval>;
  aif360?: Record<string, Interval>;
}

/** Figures that get intervals: rates and summaries, not counts. */
const withoutInterval = new Set(['n', 'tp', 'fp', 'tn', 'fn']);

/**
 * Percentile intervals from `resamples` bootstrap resamples. Each group's
 * rows are resampled with replacement within the group, so every resample
 * keeps the group sizes of the data (a stratified bootstrap); without
 * groups, all rows are resampled. A figure undefined in a resample (no
 * positives drawn, say) is left out of that figure's interval.
 */
export function bootstrap(
  plan: Plan,
  random: Random,
  resamples: number,
  level = 0.95,
  onProgress?: (fraction: number) => void,
): Intervals {
  const strata = plan.groups.length
    ? plan.groups.map((g) => g.rows)
    : [plan.all];
  const weight = new Float64Array(plan.rows);
  const draws = new Map<string, Float64Array>();
  const counts = new Map<string, number>();
  const keep = (key: string, value: Figure) => {
    if (value === null || Number.isNaN(value)) return;
    let values = draws.get(key);
    if (!values) {
      values = new Float64Array(resamples);
      draws.set(key, values);
    }
    const at = counts.get(key) ?? 0;
    values[at] = value;
    counts.set(key, at + 1);
  };

  for (let r = 0; r < resamples; r++) {
    weight.fill(0);
    for (const rows of strata) {
      for (let i = 0; i < rows.length; i++) {
        weight[rows[random.int(0, rows.length - 1)]!]! += 1;
      }
    }
    const f = figures(plan, weight);
    f.groups.forEach((record, g) => {
      for (const [name, value] of Object.entries(record)) {
        if (!withoutInterval.has(name)) keep(`g${g}.${name}`, value);
      }
    });
    for (const [name, value] of Object.entries(f.overall)) {
      if (!withoutInterval.has(name)) keep(`all.${name}`, value);
    }
    for (const [name, value] of Object.entries(f.summary)) {
      keep(`summary.${name}`, value);
    }
    for (const [name, value] of Object.entries(f.aif360 ?? {})) {
      keep(`aif360.${name}`, value);
    }
    if (onProgress && (r + 1) % 50 === 0) onProgress((r + 1) / resamples);
  }

  const interval = (key: string): Interval => {
    const values = draws.get(key)?.subarray(0, counts.get(key) ?? 0);
    if (!values || values.length === 0) return [null, null];
    const sorted = Float64Array.from(values).sort();
    const tail = (1 - level) / 2;
    return [percentile(sorted, tail), percentile(sorted, 1 - tail)];
  };
  const collect = (prefix: string, names: Iterable<string>) => {
    const out: Record<string, Interval> = {};
    for (const name of names) {
      if (!withoutInterval.has(name) || prefix === 'summary' ||
          prefix === 'aif360') {
        out[name] = interval(`${prefix}.${name}`);
      }
    }
    return out;
  };

  const estimate = figures(plan);
  return {
    level,
    resamples,
    groups: estimate.groups.map((record, g) =>
      collect(`g${g}`, Object.keys(record))),
    overall: collect('all', Object.keys(estimate.overall)),
    summary: collect('summary', Object.keys(estimate.summary)),
    ...(estimate.aif360
      ? { aif360: collect('aif360', Object.keys(estimate.aif360)) }
      : {}),
  };
}

/** Linear interpolation between order statistics (numpy's default). */
export function percentile(sorted: Float64Array, p: number): number {
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  const fraction = position - below;
  return sorted[below]! + (sorted[above]! - sorted[below]!) * fraction;
}
