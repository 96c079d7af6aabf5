// The pieces image networks are made of, as TensorFlow.js operations on
// named parameters: convolution, dense, batch normalisation, pooling.
//
// A network is data (a list of named Float32Arrays) plus a function from
// parameters and a batch of images to class scores, so that a trained
// model is saved as JSON and runs again on any backend. Starting weights
// come from the session's generator, never from TensorFlow.js's seeding,
// so the same seed gives the same network.

import type * as Tf from '@tensorflow/tfjs';
import type { Random } from '../random.js';
import type { TfModule } from '../model/backend.js';

export type Initialiser = 'he' | 'glorot' | 'zeros' | 'ones';

export interface ParameterSpec {
  name: string;
  shape: number[];
  init: Initialiser;
  /** Learnt by gradient descent (batch-norm statistics are not). */
  trainable: boolean;
  /** Counted in the weight decay (kernels, not biases or norms). */
  decay: boolean;
}

export interface Parameter {
  name: string;
  shape: number[];
  values: Float32Array;
}

export type ParameterTensors = ReadonlyMap<string, Tf.Tensor>;

/** Batch statistics met in one training step, by batch-norm layer. */
export type BatchStatistics = { name: string; mean: Tf.Tensor;
  variance: Tf.Tensor; count: number }[];

export interface Pass {
  training: boolean;
  /** Training passes record each batch norm's statistics here. */
  statistics?: BatchStatistics;
}

/**
 * Starting values. Kernels followed by ReLU draw He-normal values
 * (standard deviation sqrt(2 / fan-in)); the last layer draws
 * Glorot-uniform ones; biases start at 0, norms at scale 1 and shift 0.
 */
export function initialParameters(
  specs: readonly ParameterSpec[],
  random: Random,
): Parameter[] {
  return specs.map((spec) => {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    const fanOut = spec.shape[spec.shape.length - 1]!;
    const fanIn = size / fanOut;
    switch (spec.init) {
      case 'he': {
        const sd = Math.sqrt(2 / fanIn);
        for (let i = 0; i < size; i++) values[i] = sd * random.normal();
        break;
      }
      case 'glorot': {
        const limit = Math.sqrt(6 / (fanIn + fanOut));
        for (let i = 0; i < size; i++) {
          values[i] = (2 * random.float() - 1) * limit;
        }
        break;
      }
      case 'ones':
        values.fill(1);
        break;
      case 'zeros':
        break;
    }
    return { name: spec.name, shape: spec.shape.slice(), values };
  });
}

// Specs for the usual layers ------------------------------------------------

export function convSpecs(
  name: string,
  size: number,
  inputs: number,
  outputs: number,
  bias: boolean,
): ParameterSpec[] {
  return [
    { name: `${name}.kernel`, shape: [size, size, inputs, outputs],
      init: 'he', trainable: true, decay: true },
    ...(bias ? [{ name: `${name}.bias`, shape: [outputs],
      init: 'zeros' as const, trainable: true, decay: false }] : []),
  ];
}

export function denseSpecs(
  name: string,
  inputs: number,
  outputs: number,
  init: Initialiser,
): ParameterSpec[] {
  return [
    { name: `${name}.kernel`, shape: [inputs, outputs], init,
      trainable: true, decay: true },
    { name: `${name}.bias`, shape: [outputs], init: 'zeros',
      trainable: true, decay: false },
  ];
}

export function normSpecs(name: string, channels: number): ParameterSpec[] {
  return [
    { name: `${name}.gamma`, shape: [channels], init: 'ones',
      trainable: true, decay: false },
    { name: `${name}.beta`, shape: [channels], init: 'zeros',
      trainable: true, decay: false },
    { name: `${name}.mean`, shape: [channels], init: 'zeros',
      trainable: false, decay: false },
    { name: `${name}.variance`, shape: [channels], init: 'ones',
      trainable: false, decay: false },
  ];
}

// Operations on parameters ----------------------------------------------------

function get(parameters: ParameterTensors, name: string): Tf.Tensor {
  const tensor = parameters.get(name);
  if (!tensor) throw new Error(`the network has no parameter "${name}"`);
  return tensor;
}

/** A 'same'-padded convolution, with its bias and ReLU when asked. */
export function conv(
  tf: TfModule,
  parameters: ParameterTensors,
  name: string,
  x: Tf.Tensor4D,
  options: { stride?: number; bias?: boolean; relu?: boolean;
    training: boolean },
): Tf.Tensor4D {
  const kernel = get(parameters, `${name}.kernel`) as Tf.Tensor4D;
  const bias = options.bias
    ? get(parameters, `${name}.bias`) as Tf.Tensor1D : undefined;
  const stride = options.stride ?? 1;

  // Predicting uses the fused kernel (convolution, bias and ReLU in one
  // pass); training keeps them apart, as TensorFlow.js would anyway.
  if (!options.training) {
    return tf.fused.conv2d({ x, filter: kernel, strides: stride,
      pad: 'same', ...(bias ? { bias } : {}),
      activation: options.relu ? 'relu' : 'linear' });
  }
  let y: Tf.Tensor4D = tf.conv2d(x, kernel, stride, 'same');
  if (bias) y = tf.add(y, bias);
  return options.relu ? tf.relu(y) : y;
}

export function dense(
  tf: TfModule,
  parameters: ParameterTensors,
  name: string,
  x: Tf.Tensor2D,
  relu: boolean,
): Tf.Tensor2D {
  const kernel = get(parameters, `${name}.kernel`) as Tf.Tensor2D;
  const bias = get(parameters, `${name}.bias`) as Tf.Tensor1D;
  return tf.fused.matMul({ a: x, b: kernel, bias,
    activation: relu ? 'relu' : 'linear' }) as Tf.Tensor2D;
}

/** Batch statistics kept by a norm: PyTorch's momentum and epsilon. */
export const normMomentum = 0.1;
export const normEpsilon = 1e-5;

/**
 * Batch normalisation over the batch and both image axes. Training
 * normalises with the batch's own mean and variance and records them;
 * predicting uses the running averages.
 */
export function norm(
  tf: TfModule,
  parameters: ParameterTensors,
  name: string,
  x: Tf.Tensor4D,
  pass: Pass,
): Tf.Tensor4D {
  const gamma = get(parameters, `${name}.gamma`) as Tf.Tensor1D;
  const beta = get(parameters, `${name}.beta`) as Tf.Tensor1D;
  if (!pass.training) {
    return tf.batchNorm4d(x, get(parameters, `${name}.mean`) as Tf.Tensor1D,
      get(parameters, `${name}.variance`) as Tf.Tensor1D, beta, gamma,
      normEpsilon);
  }
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  pass.statistics?.push({ name, mean: tf.keep(mean),
    variance: tf.keep(variance), count: x.size / x.shape[3] });

  // Written as a scale and a shift per channel rather than with
  // tf.batchNorm: the same values, but a gradient made of broadcast
  // products and sums, where batchNorm's gradient tiles every statistic
  // to the size of the input (slow on the wasm backend).
  const scale = tf.mul(gamma, tf.rsqrt(tf.add(variance, normEpsilon)));
  const shift = tf.sub(beta, tf.mul(mean, scale));
  return tf.add(tf.mul(x, scale), shift);
}

export function maxPool(tf: TfModule, x: Tf.Tensor4D): Tf.Tensor4D {
  return tf.maxPool(x, 2, 2, 'same');
}
