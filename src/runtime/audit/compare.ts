// `compare`: two audits of the same groups side by side, the before and
// after of a cleaning or balancing step (or two tables such as train and
// test). Rows are matched on the groups' values (and class); a group that
// has rows in one table only is shown with the other side empty.

import { compareValues } from '../groups.js';
import { plural, type Result, type Row, type Scalar } from '../result.js';
import type { Value } from '../table.js';
import type { AuditFigures, OutcomeRates } from './audit.js';
import { fixed, targetText } from './result.js';

interface Side {
  figures: AuditFigures;
  /** For each matched key: the group index, and the class index. */
  index: Map<string, { group: number; outcome: number }>;
}

type Present = 'both' | 'before only' | 'after only';

interface Matched {
  values: Value[];
  /** The class of a rate per class; undefined otherwise. */
  className?: Value;
  label: string;
  before?: { group: number; outcome: number };
  after?: { group: number; outcome: number };
}

function keyOf(values: readonly Value[], className?: Value): string {
  return JSON.stringify(className === undefined ? values
    : [...values, className]);
}

function indexSide(figures: AuditFigures): Side {
  const index = new Map<string, { group: number; outcome: number }>();
  const perClass = figures.target?.mode === 'classes';
  const outcomes = figures.target?.outcomes.length ?? 1;
  figures.groups.forEach((group, g) => {
    for (let o = 0; o < outcomes; o++) {
      const className = perClass
        ? figures.target!.outcomes[o]!.positive : undefined;
      index.set(keyOf(group.values, className), { group: g, outcome: o });
    }
  });
  return { figures, index };
}

/** Every group (and class) of either side, in group order. */
function matchGroups(before: Side, after: Side): Matched[] {
  const matched = new Map<string, Matched>();
  for (const [side, name] of [[before, 'before'], [after, 'after']] as const) {
    const perClass = side.figures.target?.mode === 'classes';
    for (const [key, place] of side.index) {
      const group = side.figures.groups[place.group]!;
      const className = perClass
        ? side.figures.target!.outcomes[place.outcome]!.positive : undefined;
      const entry = matched.get(key) ?? {
        values: group.values,
        ...(className !== undefined ? { className } : {}),
        label: group.label,
      };
      entry[name] = place;
      matched.set(key, entry);
    }
  }

  return [...matched.values()].sort((a, b) => {
    for (let i = 0; i < a.values.length; i++) {
      const order = compareValues(a.values[i]!, b.values[i]!);
      if (order !== 0) return order;
    }
    if (a.className === undefined || b.className === undefined) return 0;
    return compareValues(a.className, b.className);
  });
}

function change(a: number | null | undefined, b: number | null | undefined):
number | null {
  return a === null || a === undefined || b === null || b === undefined
    ? null : b - a;
}

function rateAt(side: Side, place?: { group: number; outcome: number }):
number | null {
  if (!place) return null;
  return side.figures.target?.outcomes[place.outcome]!
    .rates[place.group]!.rate ?? null;
}

export interface CompareNames {
  before: string;
  after: string;
}

export function compareResult(
  beforeFigures: AuditFigures,
  afterFigures: AuditFigures,
  names: CompareNames,
  notes: string[],
): Result {
  const before = indexSide(beforeFigures);
  const after = indexSide(afterFigures);
  const matched = matchGroups(before, after);
  const target = beforeFigures.target;
  const by = beforeFigures.by;

  // 1. One row per group (and class), both sides and the change.
  const rows: Row[] = matched.map((m) => {
    const b = m.before;
    const a = m.after;
    const present: Present = b && a ? 'both' : b ? 'before only'
      : 'after only';
    const row: Row = {};
    by.forEach((column, i) => { row[column] = m.values[i] ?? null; });
    if (m.className !== undefined) row['class'] = m.className;
    const shareBefore = b ? before.figures.groups[b.group]!.share : null;
    const shareAfter = a ? after.figures.groups[a.group]!.share : null;
    Object.assign(row, {
      present,
      n_before: b ? before.figures.groups[b.group]!.n : null,
      n_after: a ? after.figures.groups[a.group]!.n : null,
      share_before: shareBefore,
      share_after: shareAfter,
      share_change: change(shareBefore, shareAfter),
    });
    if (target) {
      const rateBefore = rateAt(before, b);
      const rateAfter = rateAt(after, a);
      Object.assign(row, {
        rate_before: rateBefore,
        rate_after: rateAfter,
        rate_change: change(rateBefore, rateAfter),
      });
    }
    return row;
  });

  // 2. Headline figures of each side, and their change.
  const labelsWhere = (present: Present) => [...new Set(matched
    .filter((m, i) => rows[i]!['present'] === present)
    .map((m) => m.label))];
  const summary: Record<string, Scalar | Scalar[]> = {
    rows_before: beforeFigures.rows,
    rows_after: afterFigures.rows,
    groups_before: beforeFigures.groups.length,
    groups_after: afterFigures.groups.length,
    only_before: labelsWhere('before only'),
    only_after: labelsWhere('after only'),
  };
  const headline = (figures: AuditFigures) => headlineOf(figures);
  if (target) {
    const b = headline(beforeFigures);
    const a = headline(afterFigures);
    Object.assign(summary, {
      disparate_impact_before: b.disparateImpact,
      disparate_impact_after: a.disparateImpact,
      disparate_impact_change: change(b.disparateImpact, a.disparateImpact),
      parity_difference_before: b.parityDifference,
      parity_difference_after: a.parityDifference,
      parity_difference_change: change(b.parityDifference,
        a.parityDifference),
      reference_group_before: b.reference,
      reference_group_after: a.reference,
      four_fifths_failures_before: b.failures,
      four_fifths_failures_after: a.failures,
    });
  }
  Object.assign(summary, {
    entropy_before: beforeFigures.diversity.entropy,
    entropy_after: afterFigures.diversity.entropy,
    imbalance_ratio_before: beforeFigures.diversity.imbalanceRatio,
    imbalance_ratio_after: afterFigures.diversity.imbalanceRatio,
  });

  const columns = [...by, ...(target?.mode === 'classes' ? ['class'] : []),
    'present', 'n_before', 'n_after', 'share_before', 'share_after',
    'share_change',
    ...(target ? ['rate_before', 'rate_after', 'rate_change'] : [])];
  return {
    kind: 'compare',
    table: names.after,
    before: names.before,
    after: names.after,
    by,
    target: target ? { column: target.column, mode: target.mode,
      text: targetText(target) } : null,
    message: compareMessage(beforeFigures, afterFigures, names, summary),
    summary,
    columns,
    rows,
    total_rows: rows.length,
    notes: [
      ...notes,
      ...labelNotes(summary, names),
    ],
  };
}

/** The figures that lead: for a rate per class, the worst class. */
function headlineOf(figures: AuditFigures) {
  const outcomes = figures.target?.outcomes ?? [];
  let lead: OutcomeRates | undefined = outcomes[0];
  for (const outcome of outcomes) {
    if (outcome.disparateImpact !== null && (lead?.disparateImpact == null ||
        outcome.disparateImpact < lead.disparateImpact)) {
      lead = outcome;
    }
  }
  const label = (g: number) => figures.groups[g]!.label;
  return {
    disparateImpact: lead?.disparateImpact ?? null,
    parityDifference: lead?.parityDifference ?? null,
    reference: lead ? label(lead.reference) : null,
    failures: lead ? lead.fourFifthsFailures.map(label) : [],
  };
}

function labelNotes(
  summary: Record<string, Scalar | Scalar[]>,
  names: CompareNames,
): string[] {
  const notes: string[] = [];
  const onlyBefore = summary['only_before'] as string[];
  const onlyAfter = summary['only_after'] as string[];
  if (onlyBefore.length) {
    notes.push(`only in ${names.before}: ${onlyBefore.join(', ')}`);
  }
  if (onlyAfter.length) {
    notes.push(`only in ${names.after}: ${onlyAfter.join(', ')}`);
  }
  return notes;
}

function compareMessage(
  before: AuditFigures,
  after: AuditFigures,
  names: CompareNames,
  summary: Record<string, Scalar | Scalar[]>,
): string {
  const head = `${names.before} → ${names.after} by ` +
    `${before.by.join(', ')}: ` +
    `${plural(before.rows, 'row')} → ${plural(after.rows, 'row')}`;
  if (!before.target) return head;
  const b = summary['disparate_impact_before'] as number | null;
  const a = summary['disparate_impact_after'] as number | null;
  return `${head}; disparate impact ${fixed(b)} → ${fixed(a)}, parity ` +
    `difference ${fixed(summary['parity_difference_before'] as number)} → ` +
    `${fixed(summary['parity_difference_after'] as number)}`;
}
