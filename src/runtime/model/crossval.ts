// Out-of-fold class probabilities: every row scored by a model that never
// saw it. Label-error detection (confident learning) needs exactly this.
//
//   const oof = await outOfFoldProbabilities(session, table, {
//     target: 'deny',                       // the label column
//     features: ['pirat', 'hirat', 'afam'], // the columns to learn from
//     folds: 5,                             // optional, default 5
//   });
//   oof.classes        the class values, sorted (numbers, text, false<true)
//   oof.labels         Int32Array: each row's given class, as an index
//   oof.probabilities  Float64Array, row-major: rows x classes.length
//   oof.fold           Uint8Array: the fold in which each row was held out
//   oof.backend        the TensorFlow.js backend that ran
//
// The model is a multinomial logistic regression (a sigmoid for two
// classes) trained with the same code as `train logistic`: numbers
// standardised and text one-hot, learnt on each fold's training rows.
// Folds are stratified by class and drawn from `session.random`, so the
// same seed gives the same probabilities. Missing target or feature values
// and a one-class target are errors (FairError) naming the column.

import type { Span } from '../../lang/span.js';
import type { Session } from '../session.js';
import { rowCount, takeRows, type Table, type Value } from '../table.js';
import { loadTf } from './backend.js';
import {
  encode, learnEncoding, learnTarget, targetLabels,
} from './features.js';
import { initialLayers, outputUnits, probabilities } from './network.js';
import { fitNetwork, type TrainOptions } from './train.js';

export interface OutOfFoldOptions {
  target: string;
  features: readonly string[];
  /** Number of folds, at least 2; default 5. */
  folds?: number;
  /** Training settings for each fold's model; defaults below. */
  epochs?: number;
  batch?: number;
  rate?: number;
  decay?: number;
  /** The table's name and the statement's words, for error messages. */
  tableName?: string;
  span?: Span;
}

export interface OutOfFold {
  classes: Value[];
  labels: Int32Array;
  probabilities: Float64Array;
  fold: Uint8Array;
  backend: string;
}

export const outOfFoldDefaults = {
  folds: 5,
  epochs: 30,
  batch: 64,
  rate: 0.01,
  decay: 0.0001,
};

export async function outOfFoldProbabilities(
  session: Session,
  table: Table,
  options: OutOfFoldOptions,
): Promise<OutOfFold> {
  const place = { table: options.tableName ?? 'the table',
    ...(options.span ? { span: options.span } : {}) };
  const folds = options.folds ?? outOfFoldDefaults.folds;
  if (!Number.isInteger(folds) || folds < 2) {
    throw new Error(`outOfFoldProbabilities: folds must be a whole ` +
      `number of at least 2, not ${folds}`);
  }

  // 1. Classes and labels from the whole table; every fold uses them.
  const target = learnTarget(table, options.target, undefined, place);
  const labels = targetLabels(table, target, place);
  const classes = target.classes.length;
  const rows = rowCount(table);

  // 2. Stratified folds: each class's rows shuffled, then dealt in turn.
  const fold = assignFolds(session, labels, classes, folds);

  // 3. One model per fold, scoring the rows it did not see.
  const loaded = await loadTf(session);
  const result = new Float64Array(rows * classes);
  const settings: TrainOptions = {
    epochs: options.epochs ?? outOfFoldDefaults.epochs,
    batch: options.batch ?? outOfFoldDefaults.batch,
    rate: options.rate ?? outOfFoldDefaults.rate,
    optimizer: 'adam',
    decay: options.decay ?? outOfFoldDefaults.decay,
    validation: 0,
    patience: 0,
  };
  const progress = session.progress.start('out-of-fold probabilities');
  try {
    for (let k = 0; k < folds; k++) {
      const inside: number[] = [];
      const outside: number[] = [];
      fold.forEach((f, row) => (f === k ? outside : inside).push(row));
      if (outside.length === 0) continue;

      const trainTable = takeRows(table, inside);
      const encoding = learnEncoding(trainTable, options.features, place);
      const train = encode(trainTable, encoding, place);
      const start = initialLayers(session.random, train.width, [],
        outputUnits(classes));
      const fitted = await fitNetwork(loaded, session.random, start, {
        x: train.matrix,
        rows: train.rows,
        width: train.width,
        labels: Int32Array.from(inside, (row) => labels[row]!),
        classes,
      }, settings);

      const held = encode(takeRows(table, outside), encoding, place);
      const scores = probabilities(loaded.tf, fitted.layers, held.matrix,
        held.rows, classes);
      outside.forEach((row, i) => {
        for (let c = 0; c < classes; c++) {
          result[row * classes + c] = scores[i * classes + c]!;
        }
      });
      progress.update((k + 1) / folds, `fold ${k + 1}/${folds}`);
    }
  } finally {
    progress.done();
  }

  return { classes: target.classes, labels, probabilities: result, fold,
    backend: loaded.backend };
}

/** Each class's rows in a random order, dealt to folds 0, 1, 2, ... */
export function assignFolds(
  session: Session,
  labels: Int32Array,
  classes: number,
  folds: number,
): Uint8Array {
  const fold = new Uint8Array(labels.length);
  let next = 0;
  for (let k = 0; k < classes; k++) {
    const rows: number[] = [];
    labels.forEach((label, row) => { if (label === k) rows.push(row); });
    session.random.shuffle(rows);
    // Continue dealing where the last class stopped, so fold sizes differ
    // by at most one row overall.
    for (const row of rows) {
      fold[row] = next;
      next = (next + 1) % folds;
    }
  }
  return fold;
}
