// `clean labels TARGET`: remove rows whose label looks wrong, by confident
// learning (Northcutt et al., 2021; cleanlab's confident joint).
//
//   1. Out-of-fold probabilities: every row is scored by a logistic
//      regression that never saw it (src/runtime/model/crossval.ts).
//   2. Each class j gets a threshold t_j: the mean predicted probability
//      of j over the rows labelled j (cleanlab's get_confident_thresholds).
//   3. A row is confidently in class j when p_j >= t_j; among the classes
//      that pass, the most probable one wins. A row confidently in a class
//      other than its label is a suspected label error and is removed. A
//      row whose own-label probability is under its class's threshold is
//      not removed unless another class claims it: the model being unsure
//      is not evidence against the label.

import type { Span } from '../../lang/span.js';
import { valueLabel } from '../groups.js';
import { outOfFoldProbabilities, outOfFoldDefaults }
  from '../model/crossval.js';
import type { Session } from '../session.js';
import { columnNames, rowCount, takeRows, type Table } from '../table.js';
import type { CleanEffect } from './clean.js';
import { syntheticColumn, weightColumn } from './append.js';

export async function cleanLabels(
  table: Table,
  target: string,
  features: readonly string[],
  session: Session,
  tableName: string,
  span: Span,
): Promise<CleanEffect & { suspected: number[] }> {
  const used = features.length ? [...features]
    : columnNames(table).filter((name) =>
      name !== target && name !== syntheticColumn && name !== weightColumn);
  const oof = await outOfFoldProbabilities(session, table, {
    target, features: used, tableName, span,
  });
  const classes = oof.classes.length;
  const rows = rowCount(table);
  const p = oof.probabilities;

  // 2. Per-class thresholds: mean self-confidence.
  const sums = new Float64Array(classes);
  const counts = new Float64Array(classes);
  for (let row = 0; row < rows; row++) {
    const label = oof.labels[row]!;
    sums[label]! += p[row * classes + label]!;
    counts[label]!++;
  }
  const thresholds = Array.from(sums, (sum, j) =>
    counts[j] ? sum / counts[j]! : Infinity);

  // 3. The confident class of each row, when there is one.
  const removed = new Uint8Array(rows);
  const suspected: number[] = [];
  for (let row = 0; row < rows; row++) {
    let best = -1;
    for (let j = 0; j < classes; j++) {
      const value = p[row * classes + j]!;
      if (value < thresholds[j]!) continue;
      if (best < 0 || value > p[row * classes + best]!) best = j;
    }
    if (best >= 0 && best !== oof.labels[row]) {
      removed[row] = 1;
      suspected.push(row);
    }
  }

  const kept: number[] = [];
  for (let row = 0; row < rows; row++) if (!removed[row]) kept.push(row);
  const said = oof.classes.map((c, j) =>
    `${valueLabel(c)} ${thresholds[j]!.toFixed(3)}`).join(', ');
  return {
    table: kept.length === rows ? table : takeRows(table, kept),
    removed,
    suspected,
    details: [
      `probabilities from a logistic regression on ${used.join(', ')}, ` +
        `${outOfFoldDefaults.folds}-fold out-of-fold (TensorFlow.js, ` +
        `${oof.backend} backend)`,
      `class thresholds (mean probability of the own label): ${said}`,
      `${suspected.length} row${suspected.length === 1 ? '' : 's'} ` +
        'confidently predicted as another class' + (suspected.length
        ? ` (rows ${suspected.slice(0, 20).map((r) => r + 1).join(', ')}` +
          `${suspected.length > 20 ? ', ...' : ''})` : ''),
    ],
  };
}
