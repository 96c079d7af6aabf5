// What an evaluation compares: each row's true class and predicted class
// (and score), from a model or from two columns of a table.

import type { LiteralValue } from '../../lang/build.js';
import { fail } from '../../lang/diagnostics.js';
import type { EvaluateStatement } from '../../lang/statements/model.js';
import { groupRows, valueLabel, type Grouping } from '../groups.js';
import type { Session } from '../session.js';
import {
  columnOf, rowCount, type Column, type Table, type Value, valueAt,
} from '../table.js';
import type { Outcomes } from './evaluation.js';
import { classLabel, compareValues, targetLabels } from './features.js';
import {
  modelNamed, positiveScores, predictorFor, type Mitigation, type Model,
  type Place, type Scores,
} from './model.js';
import { runProblems } from './problems.js';

const quote = (text: string) => JSON.stringify(text);

export interface ModelPredictions {
  scores: Scores;
  /** Binary: the positive class's probability per row. */
  positive?: Float64Array;
  /** Class index per row. */
  predicted: Int32Array;
  /** The threshold used for each row (binary). */
  thresholds?: Float64Array;
  notes: string[];
}

/** Scores and predicted classes, with the model's thresholds. */
export async function predictRows(
  session: Session,
  model: Model,
  table: Table,
  place: Place,
  threshold: number | undefined,
): Promise<ModelPredictions> {
  const scores = await predictorFor(model.type)(session, model, table, place);
  const rows = rowCount(table);
  const predicted = new Int32Array(rows);
  const notes = [...scores.notes];

  if (!model.target.binary) {
    for (let row = 0; row < rows; row++) {
      let best = 0;
      for (let k = 1; k < scores.classes; k++) {
        if (scores.probabilities[row * scores.classes + k]! >
            scores.probabilities[row * scores.classes + best]!) best = k;
      }
      predicted[row] = best;
    }
    return { scores, predicted, notes };
  }

  const positive = positiveScores(scores);
  const thresholds = new Float64Array(rows).fill(threshold ??
    model.threshold);
  if (model.mitigation) {
    notes.push(...applyMitigation(model.mitigation, table, thresholds,
      model.threshold));
  }
  for (let row = 0; row < rows; row++) {
    predicted[row] = positive[row]! >= thresholds[row]! ? 1 : 0;
  }
  return { scores, positive, predicted, thresholds, notes };
}

/** Put each row's group threshold in `thresholds`; notes on strangers. */
function applyMitigation(
  mitigation: Mitigation,
  table: Table,
  thresholds: Float64Array,
  fallback: number,
): string[] {
  const grouping = groupRows(table, mitigation.columns);
  const byLabel = new Map(mitigation.thresholds.map((t) =>
    [t.label, t.threshold]));
  const strangers: string[] = [];
  grouping.groups.forEach((group) => {
    const threshold = byLabel.get(group.label);
    if (threshold === undefined) strangers.push(group.label);
    for (const row of group.rows) thresholds[row] = threshold ?? fallback;
  });
  return strangers.length
    ? [`groups not seen by mitigate (${strangers.map(quote).join(', ')}) ` +
      `keep the model's threshold ${fallback}`]
    : [];
}

// Evaluation inputs ----------------------------------------------------------

/** Literal values equal to table values: 1 = 1, "yes" = "yes". */
function sameValue(a: Value, b: LiteralValue): boolean {
  return a === b;
}

export function referenceGroup(
  grouping: Grouping,
  statement: EvaluateStatement,
): number | undefined {
  const reference = statement.reference;
  if (!reference) return undefined;
  const index = grouping.groups.findIndex((group) =>
    reference.every((value, i) => sameValue(group.values[i]!, value.value)));
  if (index < 0) {
    fail(runProblems.unknownReference(
      reference.map((r) => String(r.value)).join(' × '),
      grouping.groups.map((g) => g.label)), statement.referenceSpan);
  }
  return index;
}

export interface Evaluated {
  outcomes: Outcomes;
  classNames: string[];
  positive: string | null;
  threshold: number | null;
  notes: string[];
  /** For a mitigated model: the predictions without its thresholds. */
  unmitigated?: Uint8Array;
}

export async function modelOutcomes(
  session: Session,
  statement: EvaluateStatement,
  table: Table,
  place: Place,
): Promise<Evaluated> {
  const model = modelNamed(session, statement.model!.name);
  const truth = targetLabels(table, model.target, place);
  const made = await predictRows(session, model, table, place,
    statement.threshold?.value);
  const classNames = model.target.classes.map((_, i) =>
    classLabel(model.target, i));

  if (!model.target.binary) {
    return {
      outcomes: { kind: 'multiclass', truth, predicted: made.predicted,
        classes: classNames.length },
      classNames, positive: null, threshold: null, notes: made.notes,
    };
  }
  const unmitigated = model.mitigation
    ? Uint8Array.from(made.positive!, (p) => p >= model.threshold ? 1 : 0)
    : undefined;
  return {
    outcomes: {
      kind: 'binary',
      inputs: {
        truth: Uint8Array.from(truth),
        predicted: Uint8Array.from(made.predicted),
        scores: made.positive!,
      },
    },
    classNames,
    positive: classLabel(model.target, 1),
    threshold: model.mitigation ? null
      : statement.threshold?.value ?? model.threshold,
    notes: made.notes,
    ...(unmitigated ? { unmitigated } : {}),
  };
}

export function predictionOutcomes(
  statement: EvaluateStatement,
  table: Table,
): Evaluated {
  const { predicted: predictedName, truth: truthName } =
    statement.predictions!;
  const rows = rowCount(table);
  const predictedColumn = columnOf(table, predictedName.name);
  const truthColumn = columnOf(table, truthName.name);
  const read = (column: Column, name: string) => {
    const values: Value[] = new Array(rows);
    for (let row = 0; row < rows; row++) {
      const value = valueAt(column, row);
      if (value === null) {
        fail(runProblems.missingPrediction(name, row + 1), statement.span);
      }
      values[row] = value;
    }
    return values;
  };
  const predicted = read(predictedColumn, predictedName.name);
  const truth = read(truthColumn, truthName.name);

  // 1. The classes, and which one is positive.
  let classes = [...new Set([...truth, ...predicted])].sort(compareValues);
  let positive: Value | undefined = statement.positive?.value;
  if (positive === undefined && classes.length === 2) positive = classes[1]!;
  if (positive === undefined && classes.length < 2) {
    fail(runProblems.positiveUnknown(classes.map((c) =>
      quote(valueLabel(c))).join(', ') || 'nothing'), statement.span);
  }

  // 2. Scores, when given, are the positive class's probability.
  let scores: Float64Array | undefined;
  if (statement.scores) {
    if (positive === undefined) {
      fail(runProblems.scoresMulticlass(), statement.scores.span);
    }
    const column = columnOf(table, statement.scores.name);
    scores = new Float64Array(rows);
    for (let row = 0; row < rows; row++) {
      const value = valueAt(column, row);
      if (typeof value !== 'number') {
        fail(runProblems.badScore(statement.scores.name, row + 1,
          value === null ? 'a missing value' : quote(String(value))),
        statement.scores.span);
      }
      scores[row] = value;
    }
  }

  if (positive !== undefined) {
    const isPositive = (v: Value) => v === positive ? 1 : 0;
    const negatives = classes.filter((c) => c !== positive);
    return {
      outcomes: {
        kind: 'binary',
        inputs: {
          truth: Uint8Array.from(truth, isPositive),
          predicted: Uint8Array.from(predicted, isPositive),
          ...(scores ? { scores } : {}),
        },
      },
      classNames: [negatives.length === 1 ? valueLabel(negatives[0]!)
        : `not ${valueLabel(positive)}`, valueLabel(positive)],
      positive: valueLabel(positive),
      threshold: null,
      notes: [],
    };
  }

  classes = classes.filter((c) => c !== null);
  const index = new Map(classes.map((c, i) => [c, i]));
  return {
    outcomes: {
      kind: 'multiclass',
      truth: Int32Array.from(truth, (v) => index.get(v)!),
      predicted: Int32Array.from(predicted, (v) => index.get(v)!),
      classes: classes.length,
    },
    classNames: classes.map(valueLabel),
    positive: null,
    threshold: null,
    notes: [],
  };
}
