// Balancing a table across groups, or across (group, label) cells.
//
//   cells        the groups of the `by` columns; with a target, each group
//                split by the target's values
//   oversample   copies random rows of a cell (with replacement) until it
//                reaches its size; every original row stays, unchanged
//   undersample  keeps a random subset of each cell's rows
//   smote        makes new rows of a cell between its rows and their
//                nearest neighbours in the same cell (./smote.ts)
//   reweigh      adds a `weight` column instead of changing rows:
//                Kamiran-Calders w = P(g) P(y) / P(g, y) with a target,
//                w = (N / k) / N_g without one; total weight is kept
//
// Sizes: `to equal` (every cell the size of the largest, or of the
// smallest when undersampling), `to ratio R` (every cell at least R times
// the largest, or at most the smallest over R), `to {cell: n, ...}`.

import { fail } from '../../lang/diagnostics.js';
import type { Span } from '../../lang/span.js';
import {
  repairProblems, type BalanceGoal, type BalanceMethod,
} from '../../lang/statements/repair.js';
import {
  compareValues, groupRows, valueLabel, type Group, type Grouping,
} from '../groups.js';
import type { Random } from '../random.js';
import type { Row } from '../result.js';
import type { ProgressSink } from '../session.js';
import {
  columnOf, columnNames, rowCount, takeRows, type Table, type Value,
} from '../table.js';
import {
  appendCopies, appendRows, gather, setColumn, weightColumn,
} from './append.js';
import { featureColumns, requireComplete } from './features.js';
import { describeGroup } from './impact.js';
import { medianStd, smoteRows } from './smote.js';

export interface BalanceRequest {
  groups: string[];
  target?: string;
  method: BalanceMethod;
  goal: BalanceGoal;
  /** Where to point errors: the statement, its method word. */
  span: Span;
}

export interface BalanceOutcome {
  table: Table;
  /** The cells' columns: the groups, then the target. */
  columns: string[];
  rows: Row[];
  notes: string[];
  /** Highest minus lowest label rate across groups, before and after. */
  parity?: { before: number; after: number };
}

/** SMOTE's neighbours per row, as in imbalanced-learn. */
export const smoteNeighbours = 5;

export function balanceTable(
  table: Table,
  request: BalanceRequest,
  random: Random,
  progress: ProgressSink,
): BalanceOutcome {
  const { groups, target, method, span } = request;
  const columns = target ? [...groups, target] : [...groups];

  // 1. Group once: cells; with a target, the groups and the labels are
  //    read off the cells instead of grouping a large table again.
  const cellGrouping = groupRows(table, columns);
  const groupGrouping = target
    ? coarsen(cellGrouping, groups.map((_, i) => i)) : cellGrouping;
  const labelGrouping = target
    ? coarsen(cellGrouping, [groups.length]) : undefined;
  const cells = cellGrouping.groups;

  // 2. At least two groups, and a target with two values and no gaps.
  if (groupGrouping.groups.length < 2) {
    fail(repairProblems.oneGroup(groups.join(', '),
      describeGroup(groups, groupGrouping.groups[0]?.values ?? [])), span);
  }
  if (target) checkTarget(labelGrouping!.groups, target, span);

  if (method === 'reweigh') {
    return reweigh(table, columns, cellGrouping, groupGrouping,
      labelGrouping);
  }

  // 3. With a target, every (group, label) cell must have rows to draw.
  if (target) {
    requireEveryCell(groupGrouping.groups, labelGrouping!.groups, cells,
      [...groups, target], span);
  }
  const sizes = goalSizes(cells, columns, request.goal, method);

  // 4. Draw; each cell ends with exactly its size.
  let next: Table;
  const notes: string[] = [];
  if (method === 'oversample') {
    next = oversample(table, cells, sizes, random);
  } else if (method === 'undersample') {
    next = undersample(table, cells, sizes, random);
  } else {
    next = smote(table, cells, sizes, columns, random, progress, span, notes);
  }

  const rows = cells.map((cell, i) => {
    const row: Row = {};
    columns.forEach((c, k) => { row[c] = cell.values[k]; });
    row['n_before'] = cell.rows.length;
    row['n_after'] = sizes[i]!;
    row['change'] = sizes[i]! - cell.rows.length;
    return row;
  });
  return { table: next, columns, rows, notes };
}

/** A coarser grouping read off a finer one: values, sizes, each row's. */
interface Coarse {
  groups: { values: Value[]; label: string; size: number }[];
  groupOf: Uint32Array;
}

/**
 * The grouping by some of a grouping's columns (their positions), in the
 * order `groupRows` would give, without reading the table again.
 */
function coarsen(fine: Grouping, keep: readonly number[]): Coarse {
  const labelOf = (values: readonly Value[]) =>
    keep.map((i) => valueLabel(values[i]!)).join(' × ');
  const byLabel = new Map<string, Coarse['groups'][number]>();
  for (const group of fine.groups) {
    const label = labelOf(group.values);
    const found = byLabel.get(label);
    if (found) found.size += group.rows.length;
    else {
      byLabel.set(label, { values: keep.map((i) => group.values[i]!), label,
        size: group.rows.length });
    }
  }
  const groups = [...byLabel.values()].sort((a, b) => {
    for (let i = 0; i < keep.length; i++) {
      const order = compareValues(a.values[i]!, b.values[i]!);
      if (order !== 0) return order;
    }
    return 0;
  });

  const index = new Map(groups.map((group, i) => [group.label, i]));
  const coarseOf = Uint32Array.from(fine.groups, (group) =>
    index.get(labelOf(group.values))!);
  const groupOf = new Uint32Array(fine.groupOf.length);
  for (let row = 0; row < groupOf.length; row++) {
    groupOf[row] = coarseOf[fine.groupOf[row]!]!;
  }
  return { groups, groupOf };
}

function checkTarget(
  labels: Coarse['groups'],
  target: string,
  span: Span,
): void {
  // Missing values form the last group.
  const last = labels[labels.length - 1];
  if (last && last.values[0] === null) {
    fail(repairProblems.missingTarget(target, last.size), span);
  }
  if (labels.length < 2) {
    fail(repairProblems.oneTargetValue(target,
      valueLabel(labels[0]?.values[0] ?? null)), span);
  }
}

function requireEveryCell(
  groups: readonly { values: Value[] }[],
  labels: readonly { values: Value[] }[],
  cells: readonly Group[],
  columns: readonly string[],
  span: Span,
): void {
  const present = new Set(cells.map((cell) => cell.label));
  for (const group of groups) {
    for (const label of labels) {
      const values = [...group.values, label.values[0]!];
      if (!present.has(values.map(valueLabel).join(' × '))) {
        fail(repairProblems.emptyCell(describeGroup(columns, values)), span);
      }
    }
  }
}

// Sizes -----------------------------------------------------------------------

function goalSizes(
  cells: readonly Group[],
  columns: readonly string[],
  goal: BalanceGoal,
  method: BalanceMethod,
): number[] {
  const sizes = cells.map((cell) => cell.rows.length);
  const grow = method !== 'undersample';
  const largest = Math.max(...sizes);
  const smallest = Math.min(...sizes);

  switch (goal.type) {
    case 'equal':
      return sizes.map(() => (grow ? largest : smallest));
    case 'ratio':
      return sizes.map((n) => grow
        ? Math.max(n, Math.ceil(goal.ratio * largest - 1e-9))
        : Math.min(n, Math.floor(smallest / goal.ratio + 1e-9)));
    case 'counts': {
      const next = [...sizes];
      for (const entry of goal.counts) {
        const index = findCell(cells, columns, entry.key);
        if (index < 0) {
          fail(repairProblems.unknownCell(entry.key,
            cells.map((c) => c.label)), entry.keySpan);
        }
        const asked = entry.value as number;
        const cell = describeGroup(columns, cells[index]!.values);
        if (grow ? asked < sizes[index]! : asked > sizes[index]!) {
          fail(repairProblems.countDirection(cell, sizes[index]!, asked,
            method), entry.valueSpan);
        }
        next[index] = asked;
      }
      return next;
    }
  }
}

/** A cell by its key: "pos", or "yes × no" / "yes, no" for two columns. */
function findCell(
  cells: readonly Group[],
  columns: readonly string[],
  key: string,
): number {
  const parts = key.split(/\s*[×,]\s*/).map((part) => part.trim());
  if (parts.length !== columns.length) return -1;
  return cells.findIndex((cell) =>
    cell.values.every((value, i) => valueLabel(value) === parts[i]));
}

// Sampling --------------------------------------------------------------------

function oversample(
  table: Table,
  cells: readonly Group[],
  sizes: readonly number[],
  random: Random,
): Table {
  // Copies come in table order within each cell: the same random
  // multiset of rows, read from memory in order.
  const total = cells.reduce((n, cell, i) =>
    n + Math.max(0, sizes[i]! - cell.rows.length), 0);
  const copies = new Uint32Array(total);
  let at = 0;
  cells.forEach((cell, i) => {
    const extra = sizes[i]! - cell.rows.length;
    if (extra <= 0) return;
    for (const position of random.draw(cell.rows.length, extra)) {
      copies[at++] = cell.rows[position]!;
    }
  });
  return appendCopies(table, copies);
}

function undersample(
  table: Table,
  cells: readonly Group[],
  sizes: readonly number[],
  random: Random,
): Table {
  const kept: number[] = [];
  cells.forEach((cell, i) => {
    const n = cell.rows.length;
    if (sizes[i]! >= n) {
      kept.push(...cell.rows);
      return;
    }
    for (const position of random.choose(n, sizes[i]!)) {
      kept.push(cell.rows[position]!);
    }
  });
  kept.sort((a, b) => a - b);
  return takeRows(table, kept);
}

function smote(
  table: Table,
  cells: readonly Group[],
  sizes: readonly number[],
  columns: readonly string[],
  random: Random,
  progress: ProgressSink,
  span: Span,
  notes: string[],
): Table {
  const features = featureColumns(table, columns);
  if (features.numeric.length === 0) {
    fail(repairProblems.noNumericFeature('SMOTE'), span);
  }
  requireComplete(table, features.numeric, undefined, 'SMOTE', span);

  const numeric = features.numeric.map((name) =>
    columnOf(table, name) as Float64Array);
  const categorical = features.categorical.map((name) => columnOf(table, name));

  // SMOTE-NC's category distance comes from the smallest cell's spread,
  // as imbalanced-learn takes it from the minority class.
  const smallest = cells.reduce((a, b) =>
    (b.rows.length < a.rows.length ? b : a));
  const spread = categorical.length ? medianStd(numeric, smallest.rows) : 0;
  const penalty = spread * spread / 2;
  if (categorical.length) {
    notes.push(`SMOTE-NC: categories of ${features.categorical.join(', ')} ` +
      'come from the most frequent value among each row\'s neighbours');
  }

  const added = new Map<string, unknown[]>(
    columnNames(table).map((name) => [name, []]));
  const push = (name: string, values: ArrayLike<unknown>) => {
    const list = added.get(name)!;
    for (let i = 0; i < values.length; i++) list.push(values[i]);
  };
  const total = cells.reduce((n, cell, i) =>
    n + Math.max(0, sizes[i]! - cell.rows.length), 0);
  const handle = total > 10_000 ? progress.start('SMOTE') : undefined;
  let made = 0;

  cells.forEach((cell, i) => {
    const count = sizes[i]! - cell.rows.length;
    if (count <= 0) return;
    const label = describeGroup(columns, cell.values);
    if (cell.rows.length < 2) {
      fail(repairProblems.tooFewRows('SMOTE', label, cell.rows.length, 2),
        span);
    }

    const made_ = smoteRows({ numeric, categorical }, cell.rows, count,
      smoteNeighbours, penalty, random);
    if (made_.k < smoteNeighbours) {
      notes.push(`SMOTE: ${label} has only ${cell.rows.length} rows, so ` +
        `each row's ${made_.k} nearest neighbours were used instead of ` +
        `${smoteNeighbours}`);
    }

    features.numeric.forEach((name, d) => push(name, made_.numeric[d]!));
    features.categorical.forEach((name, c) =>
      push(name, made_.categorical[c]!));
    columns.forEach((name, c) =>
      push(name, new Array<Value>(count).fill(cell.values[c]!)));
    if (added.has(weightColumn) && !columns.includes(weightColumn)) {
      push(weightColumn, gather(columnOf(table, weightColumn), made_.base) as
        ArrayLike<unknown>);
    }
    made += count;
    handle?.update(made / total);
  });
  handle?.done();

  added.delete('synthetic');
  return appendRows(table, total, added);
}

// Reweighing ------------------------------------------------------------------

function reweigh(
  table: Table,
  columns: string[],
  cellGrouping: Grouping,
  groupGrouping: Grouping | Coarse,
  labelGrouping: Coarse | undefined,
): BalanceOutcome {
  const rows = rowCount(table);
  const base = baseWeights(table);
  const groupOf = groupGrouping.groupOf;
  const cellOf = cellGrouping.groupOf;

  // Weighted counts: groups, labels, cells.
  const groupWeight = new Float64Array(groupGrouping.groups.length);
  const labelWeight = new Float64Array(labelGrouping?.groups.length ?? 1);
  const cellWeight = new Float64Array(cellGrouping.groups.length);
  let total = 0;
  for (let row = 0; row < rows; row++) {
    const w = base[row]!;
    groupWeight[groupOf[row]!]! += w;
    labelWeight[labelGrouping ? labelGrouping.groupOf[row]! : 0]! += w;
    cellWeight[cellOf[row]!]! += w;
    total += w;
  }

  const cells = cellGrouping.groups;
  const factors = cells.map((cell, i) => {
    const first = cell.rows[0]!;
    const g = groupWeight[groupOf[first]!]!;
    if (!labelGrouping) return total / (groupGrouping.groups.length * g);
    const y = labelWeight[labelGrouping.groupOf[first]!]!;
    return (g * y) / (total * cellWeight[i]!);
  });

  const weights = new Float64Array(rows);
  for (let row = 0; row < rows; row++) {
    weights[row] = base[row]! * factors[cellOf[row]!]!;
  }

  const tableRows = cells.map((cell, i) => {
    const row: Row = {};
    columns.forEach((c, k) => { row[c] = cell.values[k]; });
    row['n'] = cell.rows.length;
    row['weight'] = factors[i]!;
    row['weighted_before'] = cellWeight[i]!;
    row['weighted_after'] = cellWeight[i]! * factors[i]!;
    return row;
  });

  return {
    table: setColumn(table, weightColumn, weights),
    columns,
    rows: tableRows,
    notes: [],
    ...(labelGrouping ? {
      parity: {
        before: parityDifference(groupGrouping, labelGrouping, base),
        after: parityDifference(groupGrouping, labelGrouping, weights),
      },
    } : {}),
  };
}

/** The weights a table already has (a `weight` column), or all 1. */
function baseWeights(table: Table): Float64Array {
  if (!columnNames(table).includes(weightColumn)) {
    return new Float64Array(rowCount(table)).fill(1);
  }
  const column = columnOf(table, weightColumn);
  if (!(column instanceof Float64Array)) {
    return new Float64Array(rowCount(table)).fill(1);
  }
  return Float64Array.from(column, (w) => (Number.isNaN(w) ? 1 : w));
}

/**
 * The largest gap between groups in the weighted rate of any one label:
 * for a yes/no target, highest minus lowest rate of "yes" (Fairlearn's
 * demographic parity difference, on labels instead of predictions).
 */
export function parityDifference(
  groups: Grouping | Coarse,
  labels: Grouping | Coarse,
  weights: ArrayLike<number>,
): number {
  const labelCount = labels.groups.length;
  const totals = new Float64Array(groups.groups.length);
  const byLabel = new Float64Array(groups.groups.length * labelCount);
  for (let row = 0; row < weights.length; row++) {
    const g = groups.groupOf[row]!;
    totals[g]! += weights[row]!;
    byLabel[g * labelCount + labels.groupOf[row]!]! += weights[row]!;
  }

  let widest = 0;
  for (let y = 0; y < labelCount; y++) {
    let low = Infinity;
    let high = -Infinity;
    for (let g = 0; g < totals.length; g++) {
      if (!(totals[g]! > 0)) continue;
      const rate = byLabel[g * labelCount + y]! / totals[g]!;
      low = Math.min(low, rate);
      high = Math.max(high, rate);
    }
    if (high >= low) widest = Math.max(widest, high - low);
  }
  return widest;
}
