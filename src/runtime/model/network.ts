// The networks `train logistic` and `train mlp` fit: dense layers, ReLU
// between them, one sigmoid output for two classes or a softmax over K.
// Logistic regression is the network with no hidden layer.
//
// Weights live here as plain Float32Arrays (inputs x outputs, row-major),
// so a model is data: saved as JSON, loaded, and run again on any backend.
// Initial weights come from the session's generator, never from
// TensorFlow.js's own seeding, so the same seed gives the same model.

import type * as Tf from '@tensorflow/tfjs';
import type { Random } from '../random.js';
import type { Session } from '../session.js';
import type { Table } from '../table.js';
import { loadTf, type TfModule } from './backend.js';
import { encode, unseenNotes, type Encoding } from './features.js';
import {
  definePredictor, type Model, type Place, type Scores,
} from './model.js';

export interface DenseLayer {
  inputs: number;
  outputs: number;
  weights: Float32Array;
  bias: Float32Array;
}

export interface NetworkModel extends Model {
  type: 'logistic' | 'mlp';
  /** Hidden layer widths; empty for logistic regression. */
  hidden: number[];
  encoding: Encoding;
  layers: DenseLayer[];
}

export function isNetworkModel(model: Model): model is NetworkModel {
  return model.type === 'logistic' || model.type === 'mlp';
}

/** Outputs of the last layer: 1 logit for two classes, else one per class. */
export function outputUnits(classes: number): number {
  return classes === 2 ? 1 : classes;
}

/**
 * Starting weights. Logistic regression starts at zero, as scikit-learn's
 * does (the loss is convex, so the start does not change the optimum).
 * Hidden layers draw He-uniform weights, suited to ReLU; the output layer
 * of an mlp draws Glorot-uniform ones (Keras's default). Biases start at 0.
 */
export function initialLayers(
  random: Random,
  inputs: number,
  hidden: readonly number[],
  outputs: number,
): DenseLayer[] {
  const widths = [inputs, ...hidden, outputs];
  const layers: DenseLayer[] = [];
  for (let i = 0; i + 1 < widths.length; i++) {
    const fanIn = widths[i]!;
    const fanOut = widths[i + 1]!;
    const weights = new Float32Array(fanIn * fanOut);
    const last = i + 2 === widths.length;
    if (hidden.length > 0) {
      const limit = last
        ? Math.sqrt(6 / (fanIn + fanOut))
        : Math.sqrt(6 / fanIn);
      for (let j = 0; j < weights.length; j++) {
        weights[j] = (2 * random.float() - 1) * limit;
      }
    }
    layers.push({ inputs: fanIn, outputs: fanOut, weights,
      bias: new Float32Array(fanOut) });
  }
  return layers;
}

/** The network's logits for a batch, from weight tensors. */
export function logits(
  tf: TfModule,
  parameters: readonly { weights: Tf.Tensor2D; bias: Tf.Tensor1D }[],
  x: Tf.Tensor2D,
): Tf.Tensor2D {
  let activation: Tf.Tensor2D = x;
  parameters.forEach((layer, i) => {
    const z = tf.add(tf.matMul(activation, layer.weights), layer.bias) as
      Tf.Tensor2D;
    activation = i + 1 < parameters.length ? tf.relu(z) : z;
  });
  return activation;
}

/** Rows pushed through the network at once when predicting. */
const predictionChunk = 16384;

/**
 * Class probabilities for encoded rows: row-major, `classes` per row
 * (for two classes: [1 - p, p]).
 */
export function probabilities(
  tf: TfModule,
  layers: readonly DenseLayer[],
  matrix: Float32Array,
  rows: number,
  classes: number,
): Float64Array {
  const width = layers[0]!.inputs;
  const result = new Float64Array(rows * classes);
  const parameters = layers.map((layer) => ({
    weights: tf.tensor2d(layer.weights, [layer.inputs, layer.outputs]),
    bias: tf.tensor1d(layer.bias),
  }));

  for (let start = 0; start < rows; start += predictionChunk) {
    const count = Math.min(predictionChunk, rows - start);
    const values = tf.tidy(() => {
      const x = tf.tensor2d(
        matrix.subarray(start * width, (start + count) * width),
        [count, width]);
      const z = logits(tf, parameters, x);
      return classes === 2 ? tf.sigmoid(z) : tf.softmax(z);
    });
    const data = values.dataSync();
    values.dispose();
    for (let row = 0; row < count; row++) {
      const at = (start + row) * classes;
      if (classes === 2) {
        const p = data[row]!;
        result[at] = 1 - p;
        result[at + 1] = p;
      } else {
        for (let k = 0; k < classes; k++) {
          result[at + k] = data[row * classes + k]!;
        }
      }
    }
  }
  for (const layer of parameters) {
    layer.weights.dispose();
    layer.bias.dispose();
  }
  return result;
}

async function predictNetwork(
  session: Session,
  model: Model,
  table: Table,
  place: Place,
): Promise<Scores> {
  const network = model as NetworkModel;
  const encoded = encode(table, network.encoding, place);
  const { tf } = await loadTf(session);
  const classes = network.target.classes.length;
  return {
    classes,
    probabilities: probabilities(tf, network.layers, encoded.matrix,
      encoded.rows, classes),
    notes: unseenNotes(encoded.unseen),
  };
}

definePredictor('logistic', predictNetwork);
definePredictor('mlp', predictNetwork);
