// `generate N where ... [by ...] using smote | sampler`: N new rows like
// the rows that match, shared among the `by` groups in proportion to their
// sizes (each group gets the floor or ceiling of its share).

import { fail } from '../../lang/diagnostics.js';
import type { Span } from '../../lang/span.js';
import {
  repairProblems, type GenerateMethod,
} from '../../lang/statements/repair.js';
import { groupRows, type Group } from '../groups.js';
import type { Random } from '../random.js';
import type { Row } from '../result.js';
import type { ProgressSink } from '../session.js';
import {
  columnNames, columnOf, rowCount, type Table, type Value,
} from '../table.js';
import { largestRemainder } from './allocate.js';
import { appendRows, gather, weightColumn } from './append.js';
import { featureColumns, requireComplete } from './features.js';
import { describeGroup } from './impact.js';
import { sampleRows } from './sampler.js';
import { medianStd, smoteRows } from './smote.js';
import { smoteNeighbours } from './balance.js';

export interface GenerateRequest {
  count: number;
  /** Rows of the table the new rows should resemble. */
  source: readonly number[];
  groups: string[];
  method: GenerateMethod;
  span: Span;
}

export interface GenerateOutcome {
  /** The table with the new rows appended (marked synthetic). */
  table: Table;
  added: number;
  rows: Row[];
  notes: string[];
}

export function generateRows(
  table: Table,
  request: GenerateRequest,
  random: Random,
  progress: ProgressSink,
): GenerateOutcome {
  const { groups, method, span } = request;
  const use = method === 'smote' ? 'SMOTE' : 'the sampler';

  // 1. The source rows' groups, and each group's share of the new rows.
  const grouping = groupRows(table, groups);
  const sourceSet = new Uint8Array(rowCount(table));
  for (const row of request.source) sourceSet[row] = 1;
  const sources: Group[] = grouping.groups
    .map((group) => ({ ...group,
      rows: group.rows.filter((r) => sourceSet[r]) }))
    .filter((group) => group.rows.length > 0);
  const counts = largestRemainder(sources.map((g) => g.rows.length),
    request.count);

  // 2. The features: numbers must be complete in the source rows.
  const features = featureColumns(table, groups);
  if (method === 'smote' && features.numeric.length === 0) {
    fail(repairProblems.noNumericFeature('SMOTE'), span);
  }
  requireComplete(table, features.numeric, request.source, use, span);
  const numeric = features.numeric.map((name) =>
    columnOf(table, name) as Float64Array);
  const categorical = features.categorical.map((name) => columnOf(table, name));
  // The sampler copies a row's weight with its categories.
  const hasWeight = columnNames(table).includes(weightColumn) &&
    !groups.includes(weightColumn);

  const added = new Map<string, unknown[]>(
    columnNames(table).filter((name) => name !== 'synthetic')
      .map((name) => [name, []]));
  const push = (name: string, values: ArrayLike<unknown>) => {
    const list = added.get(name)!;
    for (let i = 0; i < values.length; i++) list.push(values[i]);
  };
  const notes: string[] = [];
  const handle = request.count > 10_000
    ? progress.start(`generating with ${use}`) : undefined;
  let made = 0;

  // 3. Each group's rows.
  sources.forEach((group, i) => {
    const count = counts[i]!;
    if (count === 0) return;
    const label = groups.length ? describeGroup(groups, group.values)
      : 'the matching rows';
    if (group.rows.length < 2) {
      fail(repairProblems.tooFewRows(use, label, group.rows.length, 2), span);
    }

    if (method === 'smote') {
      const spread = categorical.length ? medianStd(numeric, group.rows) : 0;
      const made_ = smoteRows({ numeric, categorical }, group.rows, count,
        smoteNeighbours, spread * spread / 2, random);
      if (made_.k < smoteNeighbours) {
        notes.push(`SMOTE: ${label} has only ${group.rows.length} rows, ` +
          `so each row's ${made_.k} nearest neighbours were used`);
      }
      features.numeric.forEach((name, d) => push(name, made_.numeric[d]!));
      features.categorical.forEach((name, c) =>
        push(name, made_.categorical[c]!));
      if (hasWeight) {
        push(weightColumn, gather(columnOf(table, weightColumn),
          made_.base) as ArrayLike<unknown>);
      }
    } else {
      const donors = hasWeight
        ? [...categorical, columnOf(table, weightColumn)] : categorical;
      const sampled = sampleRows(numeric, donors, group.rows, count, random);
      features.numeric.forEach((name, d) => push(name, sampled.numeric[d]!));
      features.categorical.forEach((name, c) =>
        push(name, sampled.categorical[c]!));
      if (hasWeight) {
        push(weightColumn, sampled.categorical[categorical.length]!);
      }
    }
    groups.forEach((name, c) =>
      push(name, new Array<Value>(count).fill(group.values[c]!)));
    made += count;
    handle?.update(made / request.count);
  });
  handle?.done();

  const rows = sources.map((group, i) => {
    const row: Row = {};
    groups.forEach((c, k) => { row[c] = group.values[k]; });
    row['source_rows'] = group.rows.length;
    row['generated'] = counts[i]!;
    return row;
  });
  return {
    table: appendRows(table, request.count, added),
    added: request.count,
    rows,
    notes,
  };
}
