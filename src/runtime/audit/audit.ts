// The figures of an audit, computed from a table:
//
//   table --groupRows--> groups --counts--> representation and diversity
//                              \--target--> positive rates per group,
//                                           reference, disparate impact
//
// Every count is weighted when a weight column is given: a row of weight
// 3 counts as three rows, so an aggregated table audits exactly like the
// table it summarises. Groups come from src/runtime/groups.ts (a missing
// value is a group of its own); all loops run over column arrays.

import { fail } from '../../lang/diagnostics.js';
import type { Span } from '../../lang/span.js';
import { auditProblems, listValues } from '../../lang/statements/audit.js';
import { groupRows, missingLabel, valueLabel, type Grouping }
  from '../groups.js';
import { columnOf, rowCount, type Table, type Value } from '../table.js';
import { entropy, normalise, simpson, wilson } from './measures.js';

/** Groups with fewer (weighted) rows than this are too small to rank. */
export const smallGroupRows = 30;
/** Groups whose 95 % interval is wider than this are too small to rank. */
export const widestInterval = 0.2;
/** The four-fifths rule: a rate below 0.8 of the reference's fails. */
export const fourFifths = 0.8;
/** More groups or classes than this earn a note suggesting bins. */
const manyGroups = 50;
const manyClasses = 20;

export interface AuditSpec {
  /** The table's name, for messages. */
  table: string;
  by: string[];
  target?: {
    column: string;
    /** The outcome written after `=`; null means "missing". */
    positive?: { value: Value; span?: Span };
    /** `target COUNT of TOTAL`: the column of each row's total cases. */
    total?: { column: string; span?: Span };
  };
  reference?: { values: Value[]; span?: Span };
  weight?: { column: string; span?: Span };
  /** Rows kept by the statement's own `where`, as rows of the input. */
  keptRows?: ArrayLike<number>;
  /** True when the statement's own `where` chose the rows. */
  filtered?: boolean;
}

export interface GroupCounts {
  values: Value[];
  label: string;
  /** Rows of the table in the group. */
  rows: number;
  /** Weighted count; equal to rows without a weight column. */
  n: number;
  share: number;
}

export interface GroupRate {
  /** Index into the audit's groups. */
  group: number;
  /** Weighted rows with a target value. */
  labelled: number;
  positives: number;
  rate: number | null;
  low: number | null;
  high: number | null;
  ratio: number | null;
  difference: number | null;
  /** Too small to judge: flagged, not ranked. */
  small: boolean;
}

export type ReferenceRule = 'named' | 'highest rate';

/** The rates of one positive outcome (one class) across the groups. */
export interface OutcomeRates {
  positive: Value;
  label: string;
  rates: GroupRate[];
  reference: number;
  referenceRule: ReferenceRule;
  /** Lowest and highest rate among the groups large enough to judge. */
  lowest?: number;
  highest?: number;
  disparateImpact: number | null;
  parityDifference: number | null;
  fourFifthsFailures: number[];
  positives: number;
  labelled: number;
  overallRate: number | null;
}

export type TargetMode = 'value' | 'binary' | 'classes' | 'counts';

export interface TargetAudit {
  column: string;
  /**
   * value: the positive outcome was written; binary: implied by a
   * true/false or 0/1 column; classes: one rate per class; counts: each
   * row counts its positives out of a total (`target COUNT of TOTAL`).
   */
  mode: TargetMode;
  outcomes: OutcomeRates[];
  /** The column of totals in `counts` mode. */
  total?: string;
  /** Weighted rows whose target is missing (left out of every rate). */
  missing: number;
}

export interface Diversity {
  groups: number;
  entropy: number;
  /** Entropy over its largest possible value, ln k; null for one group. */
  evenness: number | null;
  simpson: number;
  /** Largest group over smallest; null when the smallest weighs 0. */
  imbalanceRatio: number | null;
  largest: string;
  smallest: string;
}

export interface AuditFigures {
  table: string;
  by: string[];
  /** Rows audited. */
  rows: number;
  /** Weighted count of all rows audited. */
  n: number;
  weight?: string;
  grouping: Grouping;
  groups: GroupCounts[];
  /** Each row's weight, when a weight column is given. */
  weights?: Float64Array;
  target?: TargetAudit;
  diversity: Diversity;
  notes: string[];
}

export function auditTable(table: Table, spec: AuditSpec): AuditFigures {
  // 1. Rows and their weights
  const rows = rowCount(table);
  if (rows === 0) {
    fail(auditProblems.emptyTable(spec.table, spec.filtered ?? false));
  }
  // `of TOTAL` weighs each row by its total, as `weight TOTAL` would.
  const weightSpec = spec.weight ?? spec.target?.total;
  const weights = weightSpec
    ? readWeights(table, weightSpec, spec) : undefined;

  // 2. Groups and their (weighted) sizes
  const grouping = groupRows(table, spec.by);
  const sizes = groupSizes(grouping, weights);
  const n = sizes.reduce((sum, size) => sum + size, 0);
  if (!(n > 0)) fail(auditProblems.zeroWeight(weightSpec!.column, spec.table));
  const groups = grouping.groups.map((group, i): GroupCounts => ({
    values: group.values,
    label: group.label,
    rows: group.rows.length,
    n: sizes[i]!,
    share: sizes[i]! / n,
  }));

  // 3. Outcomes per group, when there is a target
  const notes: string[] = [];
  if (groups.length > manyGroups) {
    notes.push(`${groups.length} groups: a column with many values (a ` +
      'measurement rather than a category) gives groups too small to ' +
      'judge; bin it first, as in derive band = bin(age, 10)');
  }
  const target = spec.target
    ? auditTarget(table, spec, grouping, weights, notes)
    : undefined;

  return {
    table: spec.table,
    by: [...spec.by],
    rows,
    n,
    ...(weightSpec ? { weight: weightSpec.column } : {}),
    grouping,
    groups,
    ...(weights ? { weights } : {}),
    ...(target ? { target } : {}),
    diversity: diversityOf(groups),
    notes,
  };
}

// 1. Weights ---------------------------------------------------------------

function readWeights(
  table: Table,
  weight: { column: string; span?: Span },
  spec: AuditSpec,
): Float64Array {
  const { column: name, span } = weight;
  const column = columnOf(table, name);
  if (!(column instanceof Float64Array)) {
    fail(auditProblems.weightNotNumber(name, 'string'), span);
  }

  // Rows are numbered as in the table the statement read (1 = first).
  const rowNumber = (row: number) =>
    (spec.keptRows ? spec.keptRows[row]! : row) + 1;
  for (let row = 0; row < column.length; row++) {
    const weight = column[row]!;
    if (weight >= 0 && weight < Infinity) continue;
    const found = Number.isNaN(weight) ? 'a missing value'
      : weight < 0 ? `the negative value ${weight}` : 'an infinite value';
    fail(auditProblems.badWeight(name, spec.table, rowNumber(row), found),
      span);
  }
  return column;
}

function groupSizes(grouping: Grouping, weights?: Float64Array): number[] {
  if (!weights) return grouping.groups.map((group) => group.rows.length);
  const sizes = new Float64Array(grouping.groups.length);
  const groupOf = grouping.groupOf;
  for (let row = 0; row < groupOf.length; row++) {
    sizes[groupOf[row]!] += weights[row]!;
  }
  return Array.from(sizes);
}

// 2. Outcomes ----------------------------------------------------------------

/** Codes of each row's outcome: a class index, or one of these. */
const missingOutcome = -1;
const otherOutcome = -2;

interface Outcomes {
  mode: TargetMode;
  /** The outcomes reported, each a class whose rate is computed. */
  classes: Value[];
  codes: Int32Array;
}

function auditTarget(
  table: Table,
  spec: AuditSpec,
  grouping: Grouping,
  weights: Float64Array | undefined,
  notes: string[],
): TargetAudit {
  const target = spec.target!;
  const tally = target.total
    ? tallyCounts(table, spec, grouping, weights!)
    : tallyOutcomes(table, spec, grouping, weights);

  const reference = spec.reference
    ? findReference(grouping, spec.reference.values, spec.reference.span)
    : undefined;
  const classes = tally.classes.length;
  if (classes > manyClasses) {
    notes.push(`${target.column} has ${classes} classes, each with a rate ` +
      `per group; for one outcome write target ${target.column} = VALUE`);
  }
  const rates = tally.classes.map((positive, c) =>
    outcomeRates(positive, c, classes, tally.labelled, tally.positives,
      grouping, reference, spec, notes));

  if (tally.missing > 0) {
    notes.push(`${formatCount(tally.missing)} rows have no value in ` +
      `${target.column}; they count in n and share but not in any rate`);
  }
  return {
    column: target.column,
    mode: tally.mode,
    outcomes: rates,
    ...(target.total ? { total: target.total.column } : {}),
    missing: tally.missing,
  };
}

interface Tally {
  mode: TargetMode;
  classes: Value[];
  /** Weighted rows with an outcome, per group. */
  labelled: Float64Array;
  /** Weighted positives per group and class: group * classes + class. */
  positives: Float64Array;
  /** Weighted rows without an outcome. */
  missing: number;
}

/** One pass over the rows: labelled rows and positives per group. */
function tallyOutcomes(
  table: Table,
  spec: AuditSpec,
  grouping: Grouping,
  weights: Float64Array | undefined,
): Tally {
  const outcomes = codeOutcomes(table, spec);
  const classes = outcomes.classes.length;
  const labelled = new Float64Array(grouping.groups.length);
  const positives = new Float64Array(grouping.groups.length * classes);
  const groupOf = grouping.groupOf;
  const codes = outcomes.codes;
  let missing = 0;
  for (let row = 0; row < codes.length; row++) {
    const weight = weights ? weights[row]! : 1;
    const code = codes[row]!;
    if (code === missingOutcome) {
      missing += weight;
      continue;
    }
    const group = groupOf[row]!;
    labelled[group] += weight;
    if (code >= 0) positives[group * classes + code] += weight;
  }
  return { mode: outcomes.mode, classes: outcomes.classes, labelled,
    positives, missing };
}

/**
 * `target COUNT of TOTAL`: each row stands for TOTAL cases, COUNT of them
 * positive, exactly as the expanded table of single cases would.
 */
function tallyCounts(
  table: Table,
  spec: AuditSpec,
  grouping: Grouping,
  totals: Float64Array,
): Tally {
  const target = spec.target!;
  const total = target.total!;
  const counts = columnOf(table, target.column);
  if (!(counts instanceof Float64Array)) {
    fail(auditProblems.countsNotNumbers(target.column, 'string'));
  }

  const labelled = new Float64Array(grouping.groups.length);
  const positives = new Float64Array(grouping.groups.length);
  const groupOf = grouping.groupOf;
  let missing = 0;
  for (let row = 0; row < counts.length; row++) {
    const count = counts[row]!;
    const cases = totals[row]!;
    if (Number.isNaN(count)) {
      missing += cases;
      continue;
    }
    if (!(count >= 0 && count <= cases)) {
      const found = `${target.column} ${count} and ${total.column} ${cases}`;
      const rowNumber = (spec.keptRows ? spec.keptRows[row]! : row) + 1;
      fail(auditProblems.badCount(target.column, total.column, spec.table,
        rowNumber, found), total.span);
    }
    labelled[groupOf[row]!] += cases;
    positives[groupOf[row]!] += count;
  }
  return { mode: 'counts', classes: [target.column], labelled, positives,
    missing };
}

function isMissingValue(value: unknown): boolean {
  return value === null || value === undefined ||
    (typeof value === 'number' && Number.isNaN(value));
}

/** Each row's outcome as a code, and the classes whose rates we report. */
function codeOutcomes(table: Table, spec: AuditSpec): Outcomes {
  const target = spec.target!;
  const column = columnOf(table, target.column);
  const rows = rowCount(table);
  const codes = new Int32Array(rows);

  // A written value: that value is positive, every other one is not. A
  // written `missing` makes "no value" the outcome counted.
  const written = target.positive;
  const implied = written ? undefined : impliedPositive(column);
  if (written || implied !== undefined) {
    const positive = written ? written.value : implied!;
    let found = 0;
    for (let row = 0; row < rows; row++) {
      const value = column[row];
      const missing = isMissingValue(value);
      if (positive === null) {
        codes[row] = missing ? 0 : otherOutcome;
      } else if (missing) {
        codes[row] = missingOutcome;
      } else {
        codes[row] = value === positive ? 0 : otherOutcome;
      }
      if (codes[row] === 0) found++;
    }
    if (written && found === 0) {
      failAbsentValue(table, target.column, positive, written.span);
    }
    if (!written && codes.every((code) => code === missingOutcome)) {
      fail(auditProblems.targetAllMissing(target.column));
    }
    return { mode: written ? 'value' : 'binary', classes: [positive], codes };
  }

  // No value written: one rate per class, classes in sorted order.
  const classes = groupRows(table, [target.column]);
  const values: Value[] = [];
  const classOf = new Int32Array(classes.groups.length);
  classes.groups.forEach((group, i) => {
    const value = group.values[0]!;
    classOf[i] = value === null ? missingOutcome : values.length;
    if (value !== null) values.push(value);
  });
  if (values.length === 0) {
    fail(auditProblems.targetAllMissing(target.column));
  }
  for (let row = 0; row < rows; row++) {
    codes[row] = classOf[classes.groupOf[row]!]!;
  }
  return { mode: 'classes', classes: values, codes };
}

/**
 * The positive outcome of a column that can only mean one thing: true in
 * a true/false column, 1 in a column of 0s and 1s.
 */
function impliedPositive(column: ArrayLike<unknown>): Value | undefined {
  let booleans = 0;
  let binary = 0;
  let present = 0;
  for (let row = 0; row < column.length; row++) {
    const value = column[row];
    if (isMissingValue(value)) continue;
    present++;
    if (typeof value === 'boolean') booleans++;
    else if (value === 0 || value === 1) binary++;
    else return undefined;
  }
  if (present === 0) return undefined;
  if (booleans === present) return true;
  if (binary === present) return 1;
  return undefined;
}

function failAbsentValue(
  table: Table,
  column: string,
  value: Value,
  span: Span | undefined,
): never {
  const occurring = groupRows(table, [column]).groups
    .map((group) => ({ label: group.label, count: group.rows.length }))
    .sort((a, b) => b.count - a.count);
  const written = value === null ? 'missing' : JSON.stringify(value);
  return fail(auditProblems.targetValueAbsent(column, written,
    listValues(occurring)), span);
}

function findReference(
  grouping: Grouping,
  values: readonly Value[],
  span: Span | undefined,
): number {
  const wanted = values.map(valueLabel);
  const index = grouping.groups.findIndex((group) =>
    group.values.every((value, i) => valueLabel(value) === wanted[i]));
  if (index < 0) {
    const groups = grouping.groups.map((group) => ({
      label: group.label, count: group.rows.length,
    }));
    fail(auditProblems.referenceNotFound(wanted.join(' × '),
      listValues(groups)), span);
  }
  return index;
}

function outcomeRates(
  positive: Value,
  c: number,
  classes: number,
  labelled: Float64Array,
  positives: Float64Array,
  grouping: Grouping,
  named: number | undefined,
  spec: AuditSpec,
  notes: string[],
): OutcomeRates {
  const label = positive === null ? missingLabel : String(positive);
  const about = classes > 1 ? ` (class ${label})` : '';

  // 1. Each group's rate and interval; small groups are only flagged.
  const rates: GroupRate[] = grouping.groups.map((_, g) => {
    const n = labelled[g]!;
    const x = positives[g * classes + c]!;
    const interval = wilson(x, n);
    const rate = n > 0 ? x / n : null;
    return {
      group: g,
      labelled: n,
      positives: x,
      rate,
      low: interval?.low ?? null,
      high: interval?.high ?? null,
      ratio: null,
      difference: null,
      small: !(n >= smallGroupRows) || !interval ||
        interval.high - interval.low > widestInterval,
    };
  });
  const judged = rates.filter((r) => !r.small && r.rate !== null);

  // 2. The reference: the group named, else the highest judged rate.
  let reference: number;
  let referenceRule: ReferenceRule;
  if (named !== undefined) {
    if (rates[named]!.rate === null) {
      fail(auditProblems.referenceNoRate(grouping.groups[named]!.label),
        spec.reference?.span);
    }
    reference = named;
    referenceRule = 'named';
    if (rates[named]!.small && c === 0) {
      notes.push(`the reference group ${grouping.groups[named]!.label} is ` +
        'too small to judge, so every ratio to it is uncertain');
    }
  } else {
    const candidates = judged.length
      ? judged
      : rates.filter((r) => r.rate !== null);
    reference = highestOf(candidates)!.group;
    referenceRule = 'highest rate';
  }

  // 3. Ratios and differences to the reference.
  const referenceRate = rates[reference]!.rate!;
  for (const r of rates) {
    if (r.rate === null) continue;
    r.ratio = referenceRate > 0 ? r.rate / referenceRate : null;
    r.difference = r.rate - referenceRate;
  }
  if (referenceRate === 0) {
    notes.push(`the reference group's rate${about} is 0, so rate ratios ` +
      'are undefined');
  }

  // 4. The headline figures, over the groups large enough to judge.
  let lowest: GroupRate | undefined;
  let highest: GroupRate | undefined;
  if (judged.length >= 2) {
    lowest = lowestOf(judged);
    highest = highestOf(judged);
  } else {
    notes.push(`fewer than two groups${about} are large enough to judge ` +
      `(at least ${smallGroupRows} rows and a 95 % interval no wider than ` +
      `${widestInterval}), so disparate impact and parity difference ` +
      'are not given');
  }
  const disparateImpact = lowest && highest && highest.rate! > 0
    ? lowest.rate! / highest.rate! : null;
  const parityDifference = lowest && highest
    ? highest.rate! - lowest.rate! : null;
  const fourFifthsFailures = judged
    .filter((r) => r.group !== reference && r.ratio !== null &&
      r.ratio < fourFifths)
    .map((r) => r.group);

  let x = 0;
  let n = 0;
  for (const r of rates) {
    x += r.positives;
    n += r.labelled;
  }
  return {
    positive,
    label,
    rates,
    reference,
    referenceRule,
    ...(lowest ? { lowest: lowest.group } : {}),
    ...(highest ? { highest: highest.group } : {}),
    disparateImpact,
    parityDifference,
    fourFifthsFailures,
    positives: x,
    labelled: n,
    overallRate: n > 0 ? x / n : null,
  };
}

/** The first group with the highest rate (group order breaks ties). */
function highestOf(rates: readonly GroupRate[]): GroupRate | undefined {
  let best: GroupRate | undefined;
  for (const r of rates) if (!best || r.rate! > best.rate!) best = r;
  return best;
}

function lowestOf(rates: readonly GroupRate[]): GroupRate | undefined {
  let best: GroupRate | undefined;
  for (const r of rates) if (!best || r.rate! < best.rate!) best = r;
  return best;
}

// 3. Diversity ---------------------------------------------------------------

function diversityOf(groups: readonly GroupCounts[]): Diversity {
  const shares = normalise(groups.map((g) => g.n));
  const h = entropy(shares);
  let largest = groups[0]!;
  let smallest = groups[0]!;
  for (const group of groups) {
    if (group.n > largest.n) largest = group;
    if (group.n < smallest.n) smallest = group;
  }
  return {
    groups: groups.length,
    entropy: h,
    evenness: groups.length > 1 ? h / Math.log(groups.length) : null,
    simpson: simpson(shares),
    imbalanceRatio: smallest.n > 0 ? largest.n / smallest.n : null,
    largest: largest.label,
    smallest: smallest.label,
  };
}

/** A count for notes: whole numbers grouped, weighted ones to 2 places. */
export function formatCount(n: number): string {
  return Number.isInteger(n)
    ? n.toLocaleString('en-US')
    : n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}
