// How `train` and `evaluate` word their results: the JSON shape and the
// terminal's text.

import type { EvaluateStatement } from '../../lang/statements/model.js';
import type { Grouping } from '../groups.js';
import { valueLabel } from '../groups.js';
import { defineTextRenderer, formatNumber, formatTable, wrap }
  from '../render/text.js';
import { plural, type Result, type Row } from '../result.js';
import type { Session } from '../session.js';
import { makeTable, rowCount, toColumn, type Table, type Value }
  from '../table.js';
import {
  figures, type Figure, type Figures, type Intervals, type Plan,
} from './evaluation.js';
import type { Evaluated } from './outcomes.js';

const quote = (text: string) => JSON.stringify(text);

defineTextRenderer('train', (result, options) => {
  // The per-epoch table is for JSON and charts; the terminal gets words.
  const lines = [wrap(String(result.message), options.width)];
  for (const note of result.notes ?? []) {
    lines.push(wrap(`note: ${note}`, options.width, '  '));
  }
  return lines.join('\n');
});

/** The overall row's label in each group column. */
const overallLabel = 'all';

const rowMetrics = {
  binary: ['n', 'accuracy', 'balanced_accuracy', 'precision', 'recall', 'fpr',
    'fnr', 'f1', 'selection_rate', 'auc', 'tp', 'fp', 'tn', 'fn'],
  multiclass: ['n', 'accuracy', 'balanced_accuracy'],
};

export interface EvaluationParts {
  evaluated: Evaluated;
  grouping: Grouping | undefined;
  plan: Plan;
  estimate: Figures;
  intervals?: Intervals;
}

export function evaluateResult(
  session: Session,
  statement: EvaluateStatement,
  tableName: string,
  table: Table,
  parts: EvaluationParts,
): Result {
  const { evaluated, grouping, plan, estimate, intervals } = parts;
  const by = statement.by.map((b) => b.name);
  const metrics = rowMetrics[evaluated.outcomes.kind];

  // 1. One row per group, then one for all rows.
  const groupValues = (g: number) => Object.fromEntries(by.map((column, i) =>
    [column, valueLabel(grouping!.groups[g]!.values[i]!)]));
  const pick = (record: Record<string, Figure>) =>
    Object.fromEntries(metrics.map((m) => [m, record[m] ?? null]));
  const rows: Row[] = [
    ...estimate.groups.map((record, g) => ({ ...groupValues(g),
      ...pick(record) })),
    { ...Object.fromEntries(by.map((c) => [c, overallLabel])),
      ...pick(estimate.overall) },
  ];
  const columns = [...by, ...metrics];

  // 2. The summary: Fairlearn's comparisons (and the overall figures).
  const what = statement.model
    ? `model ${quote(statement.model.name)}`
    : `predictions ${quote(statement.predictions!.predicted.name)}`;
  const summary: Record<string, Figure | string> = {
    ...(statement.model ? { model: statement.model.name } : {}),
    table: tableName,
    n: estimate.overall.n ?? null,
    accuracy: estimate.overall.accuracy ?? null,
    ...(evaluated.positive !== null ? { positive: evaluated.positive } : {}),
    ...(evaluated.threshold !== null
      ? { threshold: evaluated.threshold } : {}),
    ...estimate.summary,
    bootstrap: intervals?.resamples ?? 0,
  };
  const notes = [...evaluated.notes];

  // 3. A mitigated model's cost, measured on this table.
  if (evaluated.unmitigated && plan.outcomes.kind === 'binary') {
    const before = figures({ ...plan, outcomes: { kind: 'binary',
      inputs: { ...plan.outcomes.inputs,
        predicted: evaluated.unmitigated } } });
    summary.accuracy_unmitigated = before.overall.accuracy ?? null;
    summary.accuracy_cost = before.overall.accuracy !== null &&
      before.overall.accuracy !== undefined &&
      estimate.overall.accuracy !== null &&
      estimate.overall.accuracy !== undefined
      ? before.overall.accuracy - estimate.overall.accuracy : null;
    if (by.length) {
      summary.demographic_parity_difference_unmitigated =
        before.summary.demographic_parity_difference ?? null;
      summary.equalized_odds_difference_unmitigated =
        before.summary.equalized_odds_difference ?? null;
    }
  }

  // 4. AIF360's signed forms against the privileged group.
  const aif360 = estimate.aif360 && plan.privileged !== undefined
    ? {
      privileged: plan.groups[plan.privileged]!.label,
      unprivileged: plan.groups.filter((_, g) => g !== plan.privileged)
        .map((g) => g.label),
      ...estimate.aif360,
    }
    : undefined;

  // 5. Multi-class: precision and recall of each class in each group.
  let perClass: { columns: string[]; rows: Row[] } | undefined;
  if (estimate.perClass) {
    const labels = [...plan.groups.map((_, g) => groupValues(g)),
      Object.fromEntries(by.map((c) => [c, overallLabel]))];
    // Grouped by the target itself, each group holds one class and its
    // rows above already are the per-class recall: show only "all".
    const entries = estimate.perClass;
    const oneClassEach = entries.length > 1 && entries.slice(0, -1)
      .every((entry) => entry.support.filter((n) => n > 0).length <= 1);
    const shown = oneClassEach ? [entries.length - 1] : entries.map((_, g) => g);
    perClass = {
      columns: [...by, 'class', 'support', 'precision', 'recall'],
      rows: shown.flatMap((g) =>
        evaluated.classNames.map((name, k) => ({
          ...labels[g], class: name, support: entries[g]!.support[k]!,
          precision: entries[g]!.precision[k]!, recall: entries[g]!.recall[k]!,
        }))),
    };
    notes.push('demographic parity and equalized odds need two classes; ' +
      'with more, compare accuracy and the per-class recall by group');
  }

  // 6. Keep the per-group table under `as NAME`.
  if (statement.output) {
    session.setTable(statement.output.name, makeTable(columns.map((c) =>
      [c, toColumn(rows.map((r) => r[c] as Value),
        by.includes(c) ? 'string' : 'number')] as const)));
  }

  return {
    kind: 'evaluate',
    table: tableName,
    message: evaluateMessage(what, tableName, rowCount(table), by, estimate,
      intervals, evaluated),
    summary,
    columns,
    rows,
    ...(aif360 ? { aif360 } : {}),
    ...(perClass ? { per_class: perClass } : {}),
    ...(intervals ? { intervals: intervalsJson(intervals, plan, by) } : {}),
    ...(notes.length ? { notes } : {}),
  };
}

/** Intervals keyed as people read them: by group label, "all", summary. */
function intervalsJson(intervals: Intervals, plan: Plan, by: string[]) {
  return {
    level: intervals.level,
    resamples: intervals.resamples,
    method: by.length
      ? 'percentile bootstrap, rows resampled within each group'
      : 'percentile bootstrap over rows',
    groups: Object.fromEntries([
      ...intervals.groups.map((g, i) => [plan.groups[i]!.label, g]),
      [overallLabel, intervals.overall],
    ]),
    summary: intervals.summary,
    ...(intervals.aif360 ? { aif360: intervals.aif360 } : {}),
  };
}

function evaluateMessage(
  what: string,
  table: string,
  rows: number,
  by: string[],
  estimate: Figures,
  intervals: Intervals | undefined,
  evaluated: Evaluated,
): string {
  const figure = (value: Figure | undefined) =>
    value === null || value === undefined ? 'undefined' : formatNumber(value);
  const parts = [`accuracy ${figure(estimate.overall.accuracy)}`];
  const headline = evaluated.outcomes.kind === 'binary'
    ? 'demographic_parity_difference' : 'accuracy_difference';
  if (by.length) {
    const interval = intervals?.summary[headline];
    parts.push(`${headline.replace(/_/g, ' ')} ` +
      `${figure(estimate.summary[headline])}` +
      (interval && interval[0] !== null
        ? ` (95 % interval ${figure(interval[0])} to ${figure(interval[1])})`
        : ''));
  }
  return `evaluated ${what} on ${table} (${plural(rows, 'row')}` +
    `${by.length ? `, by ${by.join(', ')}` : ''}): ${parts.join('; ')}`;
}

defineTextRenderer('evaluate', (result, options) => {
  const lines = [wrap(String(result.message), options.width)];
  const columns = result.columns ?? [];
  const shown = columns.filter((c) =>
    !['balanced_accuracy', 'fnr', 'tp', 'fp', 'tn', 'fn'].includes(c));
  lines.push(formatTable(shown, result.rows ?? [], {
    ...options, totalRows: result.rows?.length ?? 0 }));

  // Fairness figures, one a line, with their intervals.
  const intervals = (result.intervals as { summary?: Record<string,
    [Figure, Figure]>; aif360?: Record<string, [Figure, Figure]> } |
    undefined);
  const line = (name: string, value: unknown, interval?: [Figure, Figure]) => {
    const shownValue = typeof value === 'number' ? formatNumber(value)
      : value === null ? 'undefined' : String(value);
    const range = interval && interval[0] !== null && interval[1] !== null
      ? `  [${formatNumber(interval[0])}, ${formatNumber(interval[1])}]` : '';
    return `  ${name.padEnd(44)} ${shownValue}${range}`;
  };
  const summary = result.summary ?? {};
  const fairness = Object.keys(summary).filter((k) =>
    !['model', 'table', 'n', 'accuracy', 'positive', 'threshold',
      'bootstrap'].includes(k));
  if (fairness.length) {
    lines.push(`summary (Fairlearn: max - min and min / max over groups)` +
      `${intervals ? ', 95 % intervals' : ''}:`);
    for (const key of fairness) {
      lines.push(line(key, summary[key], intervals?.summary?.[key]));
    }
  }
  const aif360 = result.aif360 as Record<string, unknown> | undefined;
  if (aif360) {
    lines.push(`AIF360 (unprivileged - privileged, privileged = ` +
      `${quote(String(aif360.privileged))}):`);
    for (const [key, value] of Object.entries(aif360)) {
      if (key === 'privileged' || key === 'unprivileged') continue;
      lines.push(line(key, value, intervals?.aif360?.[key]));
    }
  }
  const perClass = result.per_class as { columns: string[]; rows: Row[] } |
    undefined;
  if (perClass) {
    lines.push('per class:');
    lines.push(formatTable(perClass.columns, perClass.rows,
      { ...options, totalRows: perClass.rows.length }));
  }
  for (const note of result.notes ?? []) {
    lines.push(wrap(`note: ${note}`, options.width, '  '));
  }
  return lines.join('\n');
});

