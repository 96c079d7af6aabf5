// Fitting an image network by mini-batch gradient descent.
//
//   loss = sum_i w_i * CE_i / batch  +  decay / 2 * sum of squared kernels
//
// the same loss as tabular training (src/runtime/model/train.ts): CE is
// the softmax cross-entropy, w_i the row's sample weight times its class
// weight (1 when none are given). Batch norms learn their scale and shift
// by gradient and keep running averages of the batch statistics
// (momentum 0.1, unbiased variance, as PyTorch does) for predicting.
//
// Each epoch visits the training rows in an order drawn from the session's
// generator. The loss and accuracy reported for an epoch are the means
// over its batches, as the weights moved (Keras reports the same); with a
// validation share, the held-out rows are scored after each epoch, and the
// weights of the best epoch are kept (early stopping after `patience`
// epochs without improvement).

import type * as Tf from '@tensorflow/tfjs';
import type { LoadedTf, TfModule } from '../model/backend.js';
import {
  validationRows, type EpochRecord, type OptimizerName,
} from '../model/train.js';
import type { Random } from '../random.js';
import type { ProgressHandle } from '../session.js';
import {
  normMomentum, type BatchStatistics, type Parameter,
  type ParameterSpec,
} from './layers.js';
import { fillBatch, logits, type ImageModel, type Normalisation }
  from './model.js';
import type { ImageRef, ImageShape } from './store.js';

export interface ImageTrainOptions {
  epochs: number;
  batch: number;
  rate: number;
  optimizer: OptimizerName;
  decay: number;
  validation: number;
  patience: number;
}

export interface ImageTrainData {
  refs: readonly ImageRef[];
  shape: ImageShape;
  labels: Int32Array;
  classes: number;
  weights?: Float64Array;
  normalisation: Normalisation;
}

export interface ImageFitted {
  parameters: Parameter[];
  history: EpochRecord[];
  bestEpoch: number;
  stoppedEarly: boolean;
  trainingRows: number;
  validationRows: number;
  /** Training images per second over the whole fit. */
  imagesPerSecond: number;
}

type Network = Pick<ImageModel, 'type' | 'cnn'>;

export async function fitImageNetwork(
  loaded: LoadedTf,
  random: Random,
  network: Network,
  specs: readonly ParameterSpec[],
  start: readonly Parameter[],
  data: ImageTrainData,
  options: ImageTrainOptions,
  progress?: ProgressHandle,
): Promise<ImageFitted> {
  const { tf } = loaded;
  const { shape } = data;

  // 1. Rows to learn from and rows to judge by.
  const rows = data.labels.length;
  const split = options.validation > 0
    ? validationRows(random, data.labels, data.classes, options.validation)
    : { train: allRows(rows), validation: new Uint32Array(0) };

  // 2. Parameters: variables for what is learnt, tensors for the running
  // statistics of the batch norms.
  const tensors = new Map<string, Tf.Tensor>();
  const variables: Tf.Variable[] = [];
  const decayed: Tf.Variable[] = [];
  specs.forEach((spec, i) => {
    const initial = tf.tensor(start[i]!.values, spec.shape);
    if (spec.trainable) {
      const variable = tf.variable(initial, true, undefined, 'float32');
      initial.dispose();
      tensors.set(spec.name, variable);
      variables.push(variable);
      if (spec.decay) decayed.push(variable);
    } else {
      tensors.set(spec.name, initial);
    }
  });
  const optimizer = options.optimizer === 'adam'
    ? tf.train.adam(options.rate)
    : tf.train.sgd(options.rate);

  // 3. Epochs of shuffled mini-batches.
  const history: EpochRecord[] = [];
  const order = Uint32Array.from(split.train);
  const size = shape.width * shape.height * shape.channels;
  const buffer = new Float32Array(options.batch * size);
  const targets = new Float32Array(options.batch * data.classes);
  const rowWeights = new Float32Array(options.batch);
  const batches = Math.ceil(order.length / options.batch);
  let best = { loss: Infinity, epoch: 0, parameters: [] as Parameter[] };
  let stoppedEarly = false;
  let seen = 0;
  const started = performance.now();

  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    random.shuffle(order);
    let lossSum = 0;
    let weightSum = 0;
    let correct = 0;

    for (let b = 0; b < batches; b++) {
      const batchRows = order.subarray(b * options.batch,
        (b + 1) * options.batch);
      const n = batchRows.length;
      const x = fillBatch(buffer, data.refs, batchRows, data.normalisation);
      targets.fill(0, 0, n * data.classes);
      let batchWeight = 0;
      batchRows.forEach((row, i) => {
        targets[i * data.classes + data.labels[row]!] = 1;
        rowWeights[i] = data.weights ? data.weights[row]! : 1;
        batchWeight += rowWeights[i]!;
      });

      const statistics: BatchStatistics = [];
      let guesses: Tf.Tensor | undefined;
      const cost = optimizer.minimize(() => {
        const input = tf.tensor4d(x, [n, shape.height, shape.width,
          shape.channels]);
        const z = logits(tf, network, tensors, input,
          { training: true, statistics });
        guesses = tf.keep(tf.argMax(z, 1));
        const y = tf.tensor2d(targets.subarray(0, n * data.classes),
          [n, data.classes]);
        const w = tf.tensor1d(rowWeights.subarray(0, n));
        const losses = tf.sub(tf.logSumExp(z, 1), tf.sum(tf.mul(y, z), 1));
        let loss = tf.div(tf.sum(tf.mul(losses, w)), n) as Tf.Scalar;
        if (options.decay > 0 && decayed.length) {
          loss = tf.add(loss, tf.mul(options.decay / 2,
            tf.addN(decayed.map((v) => tf.sum(tf.square(v))))));
        }
        return loss;
      }, true, variables);

      updateRunningStatistics(tf, tensors, statistics);
      const predicted = guesses!.dataSync();
      batchRows.forEach((row, i) => {
        if (predicted[i] === data.labels[row]) correct++;
      });
      lossSum += cost!.dataSync()[0]! * n;
      weightSum += batchWeight;
      tf.dispose([cost!, guesses!]);
      seen += n;

      progress?.update((epoch - 1 + (b + 1) / batches) / options.epochs,
        `epoch ${epoch}/${options.epochs}, batch ${b + 1}/${batches}`);
      // Let the event loop breathe so a REPL can redraw its progress bar.
      if (b % 8 === 7) await new Promise((resolve) => setImmediate(resolve));
    }

    // The batch loss is a weighted sum over n rows; per unit of weight:
    const record: EpochRecord = {
      epoch,
      loss: lossSum / Math.max(weightSum, 1e-12),
      accuracy: correct / Math.max(1, order.length),
    };
    if (split.validation.length) {
      const judged = score(tf, network, tensors, data, split.validation);
      record.validation_loss = judged.loss;
      record.validation_accuracy = judged.accuracy;
    }
    history.push(record);

    // 4. Early stopping keeps the weights of the best validation epoch.
    if (record.validation_loss !== undefined) {
      if (record.validation_loss < best.loss) {
        best = { loss: record.validation_loss, epoch,
          parameters: readParameters(specs, tensors) };
      } else if (epoch - best.epoch >= options.patience) {
        stoppedEarly = epoch < options.epochs;
        break;
      }
    }
  }

  const seconds = (performance.now() - started) / 1000;
  const parameters = best.parameters.length ? best.parameters
    : readParameters(specs, tensors);
  const bestEpoch = best.parameters.length ? best.epoch : history.length;
  optimizer.dispose();
  tf.dispose([...tensors.values()]);
  return {
    parameters,
    history,
    bestEpoch,
    stoppedEarly,
    trainingRows: split.train.length,
    validationRows: split.validation.length,
    imagesPerSecond: seen / Math.max(seconds, 1e-9),
  };
}

function allRows(rows: number): Uint32Array {
  const all = new Uint32Array(rows);
  for (let row = 0; row < rows; row++) all[row] = row;
  return all;
}

/**
 * running = (1 - momentum) running + momentum batch, with the batch's
 * variance made unbiased (n / (n - 1)) as PyTorch keeps it.
 */
function updateRunningStatistics(
  tf: TfModule,
  tensors: Map<string, Tf.Tensor>,
  statistics: BatchStatistics,
): void {
  for (const { name, mean, variance, count } of statistics) {
    const meanName = `${name}.mean`;
    const varianceName = `${name}.variance`;
    const oldMean = tensors.get(meanName)!;
    const oldVariance = tensors.get(varianceName)!;
    const unbiased = count > 1 ? count / (count - 1) : 1;
    const [nextMean, nextVariance] = tf.tidy(() => [
      tf.add(tf.mul(oldMean, 1 - normMomentum), tf.mul(mean, normMomentum)),
      tf.add(tf.mul(oldVariance, 1 - normMomentum),
        tf.mul(variance, normMomentum * unbiased)),
    ]);
    tensors.set(meanName, nextMean!);
    tensors.set(varianceName, nextVariance!);
    tf.dispose([oldMean, oldVariance, mean, variance]);
  }
}

/** Weighted mean loss and accuracy of rows, predicting as at the end. */
function score(
  tf: TfModule,
  network: Network,
  tensors: ReadonlyMap<string, Tf.Tensor>,
  data: ImageTrainData,
  rows: Uint32Array,
): { loss: number; accuracy: number } {
  const { shape } = data;
  const chunk = 256;
  const buffer = new Float32Array(chunk * shape.width * shape.height *
    shape.channels);
  let loss = 0;
  let weight = 0;
  let correct = 0;
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.subarray(start, start + chunk);
    const x = fillBatch(buffer, data.refs, part, data.normalisation);
    const labels = Int32Array.from(part, (row) => data.labels[row]!);
    const [rowLoss, guess] = tf.tidy(() => {
      const z = logits(tf, network, tensors, tf.tensor4d(x, [part.length,
        shape.height, shape.width, shape.channels]), { training: false });
      const y = tf.oneHot(tf.tensor1d(labels, 'int32'), data.classes);
      return [tf.sub(tf.logSumExp(z, 1), tf.sum(tf.mul(y, z), 1)),
        tf.argMax(z, 1)];
    });
    const losses = rowLoss!.dataSync();
    const guesses = guess!.dataSync();
    part.forEach((row, i) => {
      const w = data.weights ? data.weights[row]! : 1;
      loss += w * losses[i]!;
      weight += w;
      if (guesses[i] === data.labels[row]) correct++;
    });
    tf.dispose([rowLoss!, guess!]);
  }
  return { loss: loss / Math.max(weight, 1e-12),
    accuracy: correct / Math.max(1, rows.length) };
}

function readParameters(
  specs: readonly ParameterSpec[],
  tensors: ReadonlyMap<string, Tf.Tensor>,
): Parameter[] {
  return specs.map((spec) => ({
    name: spec.name,
    shape: spec.shape.slice(),
    values: Float32Array.from(tensors.get(spec.name)!.dataSync()),
  }));
}
