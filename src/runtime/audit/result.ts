// An audit's figures as a Result: one row per group (per group and class
// for a target with several classes) with the columns of the product's
// result contract, the headline figures in `summary`, and the sections
// (outcomes, diversity, missingness, against) as fields of their own.

import { missingLabel } from '../groups.js';
import { count, plural, type Result, type Row, type Scalar }
  from '../result.js';
import type { Value } from '../table.js';
import type { AgainstFigures } from './against.js';
import type { AuditFigures, OutcomeRates, TargetAudit } from './audit.js';
import type { MissingColumn } from './missingness.js';

/** Numbers for JSON: NaN and infinities become null. */
function finite(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value)
    ? null : value;
}

/** The value written in a message: text quoted, numbers as they are. */
export function valueText(value: Value): string {
  if (value === null) return 'missing';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** "deny = "yes"", or "label" for a rate per class. */
export function targetText(target: TargetAudit): string {
  if (target.mode === 'classes') return `each class of ${target.column}`;
  if (target.mode === 'counts') return `${target.column} of ${target.total}`;
  const positive = target.outcomes[0]!.positive;
  return positive === null
    ? `${target.column} is missing`
    : `${target.column} = ${valueText(positive)}`;
}

export function percent(value: number | null | undefined, digits = 1):
string {
  return value === null || value === undefined ? '–'
    : `${(value * 100).toFixed(digits)}%`;
}

export function fixed(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined ? '–' : value.toFixed(digits);
}

/** The columns of the per-group table, in order. */
export function auditColumns(figures: AuditFigures): string[] {
  const target = figures.target;
  const columns = [...figures.by];
  if (target?.mode === 'classes') columns.push('class');
  if (figures.weight) columns.push('rows');
  columns.push('n', 'share');
  if (target) {
    if (target.missing > 0) columns.push('labelled');
    columns.push('positives', 'positive_rate', 'rate_low', 'rate_high',
      'rate_ratio', 'rate_difference', 'small');
  }
  return columns;
}

export function auditRows(figures: AuditFigures): Row[] {
  const { groups, by, target } = figures;
  const base = (g: number): Row => {
    const group = groups[g]!;
    const row: Row = {};
    by.forEach((column, i) => { row[column] = group.values[i] ?? null; });
    return row;
  };
  const counts = (g: number): Row => {
    const group = groups[g]!;
    return {
      ...(figures.weight ? { rows: group.rows } : {}),
      n: group.n,
      share: group.share,
    };
  };

  if (!target) return groups.map((_, g) => ({ ...base(g), ...counts(g) }));

  const rows: Row[] = [];
  for (let g = 0; g < groups.length; g++) {
    for (const outcome of target.outcomes) {
      const rate = outcome.rates[g]!;
      rows.push({
        ...base(g),
        ...(target.mode === 'classes' ? { class: outcome.positive } : {}),
        ...counts(g),
        ...(target.missing > 0 ? { labelled: rate.labelled } : {}),
        positives: rate.positives,
        positive_rate: finite(rate.rate),
        rate_low: finite(rate.low),
        rate_high: finite(rate.high),
        rate_ratio: finite(rate.ratio),
        rate_difference: finite(rate.difference),
        small: rate.small,
      });
    }
  }
  return rows;
}

function groupLabel(figures: AuditFigures, g: number | undefined):
string | null {
  return g === undefined ? null : figures.groups[g]!.label;
}

/** One outcome's headline figures, named as in the summary. */
function outcomeSummary(figures: AuditFigures, outcome: OutcomeRates) {
  const labels = (indices: readonly number[]) =>
    indices.map((g) => figures.groups[g]!.label);
  return {
    class: outcome.positive,
    positives: outcome.positives,
    positive_rate: finite(outcome.overallRate),
    reference_group: groupLabel(figures, outcome.reference),
    reference_rule: outcome.referenceRule,
    lowest_group: groupLabel(figures, outcome.lowest),
    highest_group: groupLabel(figures, outcome.highest),
    disparate_impact: finite(outcome.disparateImpact),
    parity_difference: finite(outcome.parityDifference),
    four_fifths_failures: labels(outcome.fourFifthsFailures),
    small_groups: labels(outcome.rates.filter((r) => r.small)
      .map((r) => r.group)),
  };
}

function missingnessJson(figures: AuditFigures, columns: MissingColumn[]) {
  return columns.map((column) => ({
    column: column.column,
    missing: column.missing,
    missing_share: column.share,
    flagged_group: figures.groups[column.flagged]!.label,
    flagged_share: finite(column.shareByGroup[column.flagged]),
    gap: column.gap,
    by_group: figures.groups.map((group, g) => ({
      group: group.label,
      missing: column.missingByGroup[g]!,
      missing_share: finite(column.shareByGroup[g]),
    })),
  }));
}

export interface AuditResultParts {
  figures: AuditFigures;
  missingness: MissingColumn[];
  against?: AgainstFigures;
}

export function auditResult(parts: AuditResultParts): Result {
  const { figures, missingness, against } = parts;
  const { target, diversity } = figures;
  const outcomes = target?.outcomes.map((o) => outcomeSummary(figures, o));

  // 1. Headline figures. With several classes, the worst class leads.
  const summary: Record<string, Scalar | Scalar[]> = {
    rows: figures.rows,
    groups: figures.groups.length,
  };
  if (figures.weight) summary['n'] = figures.n;
  if (target && outcomes) {
    const worst = worstOutcome(outcomes);
    summary['target'] = target.column;
    if (target.mode !== 'classes') {
      const only = outcomes[0]!;
      Object.assign(summary, {
        ...(target.mode === 'counts' ? { total: target.total ?? null }
          : { positive: only.class }),
        positive_rate: only.positive_rate,
        reference_group: only.reference_group,
        reference_rule: only.reference_rule,
        lowest_group: only.lowest_group,
        highest_group: only.highest_group,
        disparate_impact: only.disparate_impact,
        parity_difference: only.parity_difference,
        four_fifths_failures: only.four_fifths_failures,
        small_groups: only.small_groups,
      });
    } else {
      Object.assign(summary, {
        classes: outcomes.map((o) => o.class),
        worst_class: worst?.class ?? null,
        disparate_impact: worst?.disparate_impact ?? null,
        parity_difference: Math.max(...outcomes.map((o) =>
          o.parity_difference ?? -Infinity)),
        four_fifths_failures: [...new Set(outcomes.flatMap((o) =>
          o.four_fifths_failures))],
        small_groups: [...new Set(outcomes.flatMap((o) => o.small_groups))],
      });
      if (summary['parity_difference'] === -Infinity) {
        summary['parity_difference'] = null;
      }
    }
  }
  Object.assign(summary, {
    entropy: diversity.entropy,
    evenness: finite(diversity.evenness),
    simpson: diversity.simpson,
    imbalance_ratio: finite(diversity.imbalanceRatio),
    missing_columns: missingness.map((m) => m.column),
  });
  if (against) {
    Object.assign(summary, {
      kl_divergence: against.kl,
      js_divergence: against.js,
      under_represented: against.underRepresented,
    });
  }

  // 2. The result, with each section in a field of its own.
  const reference = outcomes && target?.mode !== 'classes'
    ? outcomes[0]! : undefined;
  const columns = auditColumns(figures);
  const rows = auditRows(figures);
  return {
    kind: 'audit',
    table: figures.table,
    by: figures.by,
    message: auditMessage(figures, outcomes),
    target: target
      ? {
        column: target.column,
        mode: target.mode,
        ...(target.mode === 'classes'
          ? { classes: target.outcomes.map((o) => o.positive) }
          : target.mode === 'counts'
            ? { total: target.total }
            : { positive: target.outcomes[0]!.positive }),
        missing: target.missing,
      }
      : null,
    weight: figures.weight ?? null,
    reference_group: reference?.reference_group ?? null,
    reference_rule: reference?.reference_rule ?? null,
    summary,
    columns,
    rows,
    total_rows: rows.length,
    ...(outcomes ? { outcomes } : {}),
    diversity: {
      groups: diversity.groups,
      entropy: diversity.entropy,
      evenness: finite(diversity.evenness),
      simpson: diversity.simpson,
      imbalance_ratio: finite(diversity.imbalanceRatio),
      largest_group: diversity.largest,
      smallest_group: diversity.smallest,
    },
    missingness: missingnessJson(figures, missingness),
    ...(against
      ? {
        against: {
          source: against.source,
          columns: ['group', 'share', 'reference_share',
            'representation_ratio', 'under_represented'],
          rows: against.rows,
          kl_divergence: against.kl,
          js_divergence: against.js,
          under_represented: against.underRepresented,
        },
      }
      : {}),
    notes: [...figures.notes, ...(against?.notes ?? [])],
  };
}

type OutcomeSummary = ReturnType<typeof outcomeSummary>;

/** The outcome with the lowest disparate impact. */
function worstOutcome(outcomes: readonly OutcomeSummary[]):
OutcomeSummary | undefined {
  let worst: OutcomeSummary | undefined;
  for (const outcome of outcomes) {
    if (outcome.disparate_impact === null) continue;
    if (!worst || outcome.disparate_impact < worst.disparate_impact!) {
      worst = outcome;
    }
  }
  return worst;
}

function auditMessage(
  figures: AuditFigures,
  outcomes: OutcomeSummary[] | undefined,
): string {
  const head = `${figures.table} by ${figures.by.join(', ')}: ` +
    `${plural(figures.groups.length, 'group')} in ` +
    `${plural(figures.rows, 'row')}` +
    (figures.weight ? ` (weighted n ${count(Math.round(figures.n))})` : '');
  const target = figures.target;
  if (!target || !outcomes) {
    const { largest, smallest } = figures.diversity;
    const share = (label: string) => percent(figures.groups.find((g) =>
      g.label === label)!.share);
    return figures.groups.length === 1
      ? `${head}`
      : `${head}; largest ${largest} (${share(largest)}), smallest ` +
        `${smallest} (${share(smallest)})`;
  }

  if (target.mode === 'classes') {
    const worst = worstOutcome(outcomes);
    return `${head}; rates of ${outcomes.length} classes of ` +
      `${target.column}` + (worst
      ? `; lowest disparate impact ${fixed(worst.disparate_impact)} ` +
        `(class ${String(worst.class ?? missingLabel)})`
      : '');
  }

  const only = outcomes[0]!;
  const outcome = target.outcomes[0]!;
  if (only.disparate_impact === null && only.parity_difference === null) {
    return `${head}; rate of ${targetText(target)} ` +
      `${percent(only.positive_rate)} overall`;
  }
  const rateOf = (g: number | undefined) =>
    g === undefined ? '–' : percent(outcome.rates[g]!.rate);
  return `${head}; rate of ${targetText(target)} from ` +
    `${rateOf(outcome.lowest)} (${only.lowest_group}) to ` +
    `${rateOf(outcome.highest)} (${only.highest_group}); disparate impact ` +
    `${fixed(only.disparate_impact)}, parity difference ` +
    `${fixed(only.parity_difference)}`;
}
