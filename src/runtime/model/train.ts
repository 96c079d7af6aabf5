// Fitting a network by mini-batch gradient descent on TensorFlow.js.
//
//   loss = sum_i w_i * CE_i / batch  +  decay / 2 * sum of squared weights
//
// CE is the cross-entropy of the sigmoid output (two classes) or of the
// softmax (more); w_i is the row's sample weight times its class weight
// (1 when none are given), divided by the batch size as Keras does, so
// weights that average 1 (those of `reweigh`) keep the learning rate's
// meaning. Biases are not decayed.
//
// The gradients are written out rather than taken from TensorFlow.js's
// tape: for dense layers they are a few matrix products, and skipping the
// tape's bookkeeping makes each step about twice as fast on the small
// batches of tabular data (test/runtime/model-gradients.test.ts checks
// them against the tape). The optimiser is TensorFlow.js's own.
//
// Every random choice (the validation rows, the order of rows in each
// epoch) comes from the session's generator; the backends compute in a
// fixed order, so the same seed on the same backend gives the same model.

import type * as Tf from '@tensorflow/tfjs';
import type { Random } from '../random.js';
import type { ProgressHandle } from '../session.js';
import type { LoadedTf, TfModule } from './backend.js';
import { logits, type DenseLayer } from './network.js';

export type OptimizerName = 'adam' | 'sgd';

export interface TrainOptions {
  epochs: number;
  batch: number;
  rate: number;
  optimizer: OptimizerName;
  /** L2 weight decay (0: none). */
  decay: number;
  /** Share of rows held out for early stopping (0: none). */
  validation: number;
  /** Epochs without a better validation loss before stopping. */
  patience: number;
}

export interface TrainData {
  /** Encoded rows, row-major, `rows` x `width`. */
  x: Float32Array;
  rows: number;
  width: number;
  /** Class index per row. */
  labels: Int32Array;
  classes: number;
  /** Weight per row (sample weight x class weight); undefined: all 1. */
  weights?: Float64Array;
}

export interface EpochRecord {
  epoch: number;
  loss: number;
  accuracy: number;
  validation_loss?: number;
  validation_accuracy?: number;
}

export interface Fitted {
  layers: DenseLayer[];
  history: EpochRecord[];
  /** The epoch whose weights were kept (the last, or the best). */
  bestEpoch: number;
  stoppedEarly: boolean;
  trainingRows: number;
  validationRows: number;
}

/**
 * Rows held out for validation: the same share of every class, chosen at
 * random, so that a rare class is represented on both sides.
 */
export function validationRows(
  random: Random,
  labels: Int32Array,
  classes: number,
  share: number,
): { train: Uint32Array; validation: Uint32Array } {
  const held = new Uint8Array(labels.length);
  for (let k = 0; k < classes; k++) {
    const rows: number[] = [];
    labels.forEach((label, row) => { if (label === k) rows.push(row); });
    const count = Math.round(rows.length * share);
    const picks = random.choose(rows.length, count);
    for (const pick of picks) held[rows[pick]!] = 1;
  }
  const train: number[] = [];
  const validation: number[] = [];
  held.forEach((isHeld, row) => (isHeld ? validation : train).push(row));
  return { train: Uint32Array.from(train),
    validation: Uint32Array.from(validation) };
}

export async function fitNetwork(
  loaded: LoadedTf,
  random: Random,
  start: readonly DenseLayer[],
  data: TrainData,
  options: TrainOptions,
  progress?: ProgressHandle,
): Promise<Fitted> {
  const { tf } = loaded;

  // 1. Rows to learn from and rows to judge by.
  const split = options.validation > 0
    ? validationRows(random, data.labels, data.classes, options.validation)
    : { train: allRows(data.rows), validation: new Uint32Array(0) };

  // 2. Weights as variables, and the optimiser.
  const parameters = start.map((layer) => ({
    weights: tf.variable(tf.tensor2d(layer.weights,
      [layer.inputs, layer.outputs])),
    bias: tf.variable(tf.tensor1d(layer.bias)),
  }));
  const variables = parameters.flatMap((p) => [p.weights, p.bias]);
  const optimizer = options.optimizer === 'adam'
    ? tf.train.adam(options.rate)
    : tf.train.sgd(options.rate);

  // 3. Epochs of shuffled mini-batches, measuring after each epoch.
  const history: EpochRecord[] = [];
  const order = Uint32Array.from(split.train);
  let best = { loss: Infinity, epoch: 0, layers: [] as DenseLayer[] };
  let stoppedEarly = false;
  const batch = new BatchBuffers(data, options.batch);

  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    random.shuffle(order);
    for (let begin = 0; begin < order.length; begin += options.batch) {
      const rows = order.subarray(begin, begin + options.batch);
      const tensors = batch.fill(tf, rows);
      const gradients = batchGradients(tf, parameters, tensors,
        data.classes, options.decay);
      optimizer.applyGradients(gradients.map((tensor, i) =>
        ({ name: variables[i]!.name, tensor })));
      tf.dispose([tensors.x, tensors.y, tensors.w, ...gradients]);
    }

    const record = measure(tf, parameters, data, split, epoch);
    history.push(record);
    progress?.update(epoch / options.epochs, describeEpoch(record,
      options.epochs));

    // 4. Early stopping keeps the weights of the best validation epoch.
    if (record.validation_loss !== undefined) {
      if (record.validation_loss < best.loss) {
        best = { loss: record.validation_loss, epoch,
          layers: readLayers(parameters) };
      } else if (epoch - best.epoch >= options.patience) {
        stoppedEarly = epoch < options.epochs;
        break;
      }
    }
    // Let the event loop breathe so a REPL can redraw its progress bar.
    await new Promise((resolve) => setImmediate(resolve));
  }

  const layers = best.layers.length ? best.layers : readLayers(parameters);
  const bestEpoch = best.layers.length ? best.epoch : history.length;
  optimizer.dispose();
  tf.dispose(variables);
  return {
    layers,
    history,
    bestEpoch,
    stoppedEarly,
    trainingRows: split.train.length,
    validationRows: split.validation.length,
  };
}

function allRows(rows: number): Uint32Array {
  const all = new Uint32Array(rows);
  for (let row = 0; row < rows; row++) all[row] = row;
  return all;
}

interface Parameters {
  weights: Tf.Variable;
  bias: Tf.Variable;
}

export interface BatchTensors {
  x: Tf.Tensor2D;
  /** Two classes: 0/1 per row, as a column; more: one-hot rows. */
  y: Tf.Tensor2D;
  /** Each row's weight divided by the batch size, as a column. */
  w: Tf.Tensor2D;
}

/** Copies the rows of one batch into reused buffers. */
class BatchBuffers {
  private readonly x: Float32Array;
  private readonly y: Float32Array;
  private readonly w: Float32Array;

  constructor(private readonly data: TrainData, size: number) {
    this.x = new Float32Array(size * data.width);
    this.y = new Float32Array(size * outputs(data.classes));
    this.w = new Float32Array(size);
  }

  fill(tf: TfModule, rows: Uint32Array): BatchTensors {
    const { data } = this;
    const n = rows.length;
    const width = data.width;
    const binary = data.classes === 2;
    this.y.fill(0);
    rows.forEach((row, i) => {
      this.x.set(data.x.subarray(row * width, (row + 1) * width), i * width);
      const label = data.labels[row]!;
      if (binary) this.y[i] = label;
      else this.y[i * data.classes + label] = 1;
      this.w[i] = (data.weights ? data.weights[row]! : 1) / n;
    });
    const k = outputs(data.classes);
    return {
      x: tf.tensor2d(this.x.subarray(0, n * width), [n, width]),
      y: tf.tensor2d(this.y.subarray(0, n * k), [n, k]),
      w: tf.tensor2d(this.w.subarray(0, n), [n, 1]),
    };
  }
}

/** Cross-entropy per row, from logits. */
function rowLosses(
  tf: TfModule,
  z: Tf.Tensor2D,
  y: Tf.Tensor,
  classes: number,
): Tf.Tensor1D {
  if (classes === 2) {
    // softplus(z) - y z: the sigmoid cross-entropy, stable for large |z|.
    const flat = tf.reshape(z, [-1]) as Tf.Tensor1D;
    return tf.sub(tf.softplus(flat), tf.mul(y, flat));
  }
  return tf.sub(tf.logSumExp(z, 1), tf.sum(tf.mul(y, z), 1));
}

const outputs = (classes: number) => classes === 2 ? 1 : classes;

/**
 * The batch loss as the tape would see it: the weighted cross-entropy
 * plus the decay term. Training uses batchGradients; this is its check.
 */
export function batchLoss(
  tf: TfModule,
  parameters: readonly Parameters[],
  batch: BatchTensors,
  classes: number,
  decay: number,
): Tf.Scalar {
  const z = logits(tf, parameters as unknown as
    { weights: Tf.Tensor2D; bias: Tf.Tensor1D }[], batch.x);
  const y = classes === 2 ? tf.reshape(batch.y, [-1]) : batch.y;
  const losses = rowLosses(tf, z, y, classes);
  let loss = tf.sum(tf.mul(losses, tf.reshape(batch.w, [-1]))) as Tf.Scalar;
  if (decay > 0) {
    const squares = parameters.map((p) => tf.sum(tf.square(p.weights)));
    loss = tf.add(loss, tf.mul(decay / 2, tf.addN(squares)));
  }
  return loss;
}

/**
 * The gradient of batchLoss for each weight and bias, in the order
 * [weights 1, bias 1, weights 2, ...], by backpropagation written out:
 *
 *   dz (output)  = (sigmoid or softmax of z - y) * w / batch
 *   dW           = a_previous^T dz  (+ decay * W)     db = column sums of dz
 *   dz (hidden)  = dz_next W_next^T * (z > 0)          (ReLU)
 */
export function batchGradients(
  tf: TfModule,
  parameters: readonly Parameters[],
  batch: BatchTensors,
  classes: number,
  decay: number,
): Tf.Tensor[] {
  return tf.tidy(() => {
    // Forward, keeping each layer's input and pre-activation.
    const inputs: Tf.Tensor2D[] = [batch.x];
    const sums: Tf.Tensor2D[] = [];
    parameters.forEach((layer, i) => {
      const z = tf.add(tf.matMul(inputs[i]!, layer.weights), layer.bias) as
        Tf.Tensor2D;
      sums.push(z);
      if (i + 1 < parameters.length) inputs.push(tf.relu(z));
    });

    // Backward.
    const last = sums[sums.length - 1]!;
    const p = classes === 2 ? tf.sigmoid(last) : tf.softmax(last);
    let dz = tf.mul(tf.sub(p, batch.y), batch.w) as Tf.Tensor2D;
    const gradients: Tf.Tensor[] = [];
    for (let i = parameters.length - 1; i >= 0; i--) {
      const layer = parameters[i]!;
      let dw: Tf.Tensor = tf.matMul(inputs[i]!, dz, true, false);
      if (decay > 0) dw = tf.add(dw, tf.mul(layer.weights, decay));
      gradients.unshift(dw, tf.sum(dz, 0));
      if (i > 0) {
        dz = tf.mul(tf.matMul(dz, layer.weights, false, true),
          tf.step(sums[i - 1]!)) as Tf.Tensor2D;
      }
    }
    return gradients;
  });
}

/** Weighted mean loss and accuracy on the training and validation rows. */
function measure(
  tf: TfModule,
  parameters: readonly Parameters[],
  data: TrainData,
  split: { train: Uint32Array; validation: Uint32Array },
  epoch: number,
): EpochRecord {
  const all = scoreRows(tf, parameters, data);
  const on = (rows: Uint32Array) => {
    let loss = 0;
    let weight = 0;
    let correct = 0;
    for (const row of rows) {
      const w = data.weights ? data.weights[row]! : 1;
      loss += w * all.loss[row]!;
      weight += w;
      if (all.predicted[row] === data.labels[row]) correct++;
    }
    return { loss: loss / weight, accuracy: correct / rows.length };
  };
  const train = on(split.train);
  const record: EpochRecord = { epoch, loss: train.loss,
    accuracy: train.accuracy };
  if (split.validation.length) {
    const validation = on(split.validation);
    record.validation_loss = validation.loss;
    record.validation_accuracy = validation.accuracy;
  }
  return record;
}

/** Per-row loss and predicted class over every row, in chunks. */
function scoreRows(
  tf: TfModule,
  parameters: readonly Parameters[],
  data: TrainData,
): { loss: Float32Array; predicted: Int32Array } {
  const loss = new Float32Array(data.rows);
  const predicted = new Int32Array(data.rows);
  const chunk = 16384;
  const binary = data.classes === 2;
  for (let start = 0; start < data.rows; start += chunk) {
    const count = Math.min(chunk, data.rows - start);
    const labels = data.labels.subarray(start, start + count);
    const [rowLoss, guess] = tf.tidy(() => {
      const x = tf.tensor2d(data.x.subarray(start * data.width,
        (start + count) * data.width), [count, data.width]);
      const z = logits(tf, parameters as unknown as
        { weights: Tf.Tensor2D; bias: Tf.Tensor1D }[], x);
      const y = binary
        ? tf.tensor1d(Float32Array.from(labels))
        : tf.oneHot(tf.tensor1d(labels, 'int32'), data.classes);
      const guess = binary
        ? tf.cast(tf.greaterEqual(tf.reshape(z, [-1]), 0), 'int32')
        : tf.argMax(z, 1);
      return [rowLosses(tf, z, y, data.classes), guess];
    });
    loss.set(rowLoss.dataSync() as Float32Array, start);
    predicted.set(guess.dataSync() as Int32Array, start);
    tf.dispose([rowLoss, guess]);
  }
  return { loss, predicted };
}

function readLayers(parameters: readonly Parameters[]): DenseLayer[] {
  return parameters.map((p) => {
    const [inputs, outputs] = p.weights.shape as [number, number];
    return {
      inputs,
      outputs,
      weights: Float32Array.from(p.weights.dataSync()),
      bias: Float32Array.from(p.bias.dataSync()),
    };
  });
}

function describeEpoch(record: EpochRecord, epochs: number): string {
  const parts = [`epoch ${record.epoch}/${epochs}`,
    `loss ${record.loss.toFixed(4)}`];
  if (record.validation_loss !== undefined) {
    parts.push(`validation loss ${record.validation_loss.toFixed(4)}`,
      `validation accuracy ${record.validation_accuracy!.toFixed(3)}`);
  }
  return parts.join(', ');
}
