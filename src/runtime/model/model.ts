// What a trained model is, for every statement that uses one (evaluate,
// predict, mitigate, save model), whatever kind of model it is.
//
// A model is plain data (class values, weights as arrays, thresholds) so
// that it can be saved as JSON and loaded again without TensorFlow.js.
// Each model type registers a predictor that turns a table into class
// probabilities; the logistic and mlp types register theirs in network.ts,
// and another family (a CNN) can register its own.

import type { Span } from '../../lang/span.js';
import type { ModelFacts } from '../../lang/statements/model.js';
import type { Session } from '../session.js';
import type { Table, Value } from '../table.js';

/** What a model predicts, and which class counts as positive. */
export interface TargetSpec {
  column: string;
  /**
   * Class values in the order of the model's outputs. Binary models have
   * two: [negative, positive].
   */
  classes: Value[];
  binary: boolean;
  /**
   * `target COL = VALUE`: rows equal to VALUE are positive and every other
   * value negative. The column may then hold more than two values.
   */
  value?: Value;
  /**
   * How `predict` writes a prediction: the class value itself, or true
   * and false when `= VALUE` split a column with more than two values.
   */
  prediction: 'class' | 'boolean';
}

/** Group-specific thresholds fitted by `mitigate`. */
export interface Mitigation {
  goal: string;
  columns: string[];
  /** One entry per group seen when fitting, by group label. */
  thresholds: { label: string; values: Value[]; threshold: number }[];
  /** Fitted on this table, with this accuracy before and after. */
  table: string;
  accuracyBefore: number;
  accuracyAfter: number;
  tolerance: number;
}

export interface Model {
  /** 'logistic', 'mlp', or a type another family registers. */
  type: string;
  target: TargetSpec;
  /** The table columns the model reads. */
  features: string[];
  /** Binary models: predict positive when the score reaches this. */
  threshold: number;
  mitigation?: Mitigation;
  training: {
    table: string;
    rows: number;
    backend: string;
    seed: number;
    epochs: number;
  };
}

/** Class probabilities, one row per table row, `classes` per row. */
export interface Scores {
  classes: number;
  probabilities: Float64Array;
  /** Remarks for the reader: unseen categories, say. */
  notes: string[];
}

/** Where the data lives, for messages: `table "train"`, and the words. */
export interface Place {
  table: string;
  span?: Span;
}

export type Predictor = (
  session: Session,
  model: Model,
  table: Table,
  place: Place,
) => Promise<Scores>;

const predictors = new Map<string, Predictor>();

export function definePredictor(type: string, predictor: Predictor): void {
  predictors.set(type, predictor);
}

export function predictorFor(type: string): Predictor {
  const predictor = predictors.get(type);
  if (!predictor) throw new Error(`no predictor for model type "${type}"`);
  return predictor;
}

/** The model a name refers to; the checker has made sure it exists. */
export function modelNamed(session: Session, name: string): Model {
  const object = session.objects.get(name);
  if (!object || object.shape !== 'model') {
    throw new Error(`"${name}" is not a model in the session`);
  }
  return object.value as Model;
}

export function factsOf(model: Model): ModelFacts {
  return {
    type: model.type,
    features: model.features,
    target: model.target.column,
    binary: model.target.binary,
    mitigated: model.mitigation !== undefined,
    ...(model.mitigation ? { groupColumns: model.mitigation.columns } : {}),
  };
}

/** The probability of the positive class of a binary model, per row. */
export function positiveScores(scores: Scores): Float64Array {
  const rows = scores.probabilities.length / scores.classes;
  const positive = new Float64Array(rows);
  for (let row = 0; row < rows; row++) {
    positive[row] = scores.probabilities[row * scores.classes + 1]!;
  }
  return positive;
}
