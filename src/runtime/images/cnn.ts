// `train cnn`: a small convolutional network, in the style of the Keras
// MNIST example.
//
//   image -> [conv 3x3 (width) + ReLU -> max-pool 2x2] per width
//         -> flatten -> dense (128) + ReLU -> dense (classes)
//
// Widths default to 32 and 64; `train cnn 16, 32` sets them. Padding is
// 'same', so a 28x28 image leaves the two blocks as 7x7.

import type * as Tf from '@tensorflow/tfjs';
import type { TfModule } from '../model/backend.js';
import {
  conv, convSpecs, dense, denseSpecs, maxPool, type ParameterSpec,
  type ParameterTensors, type Pass,
} from './layers.js';
import type { ImageShape } from './store.js';

export interface CnnShape {
  widths: readonly number[];
  dense: number;
}

export function cnnParameters(
  input: ImageShape,
  classes: number,
  shape: CnnShape,
): ParameterSpec[] {
  const specs: ParameterSpec[] = [];
  let channels = input.channels;
  let height = input.height;
  let width = input.width;
  shape.widths.forEach((outputs, i) => {
    specs.push(...convSpecs(`conv${i + 1}`, 3, channels, outputs, true));
    channels = outputs;
    height = Math.ceil(height / 2);
    width = Math.ceil(width / 2);
  });
  specs.push(...denseSpecs('hidden', height * width * channels, shape.dense,
    'he'));
  specs.push(...denseSpecs('output', shape.dense, classes, 'glorot'));
  return specs;
}

export function cnnLogits(
  tf: TfModule,
  parameters: ParameterTensors,
  x: Tf.Tensor4D,
  shape: CnnShape,
  pass: Pass,
): Tf.Tensor2D {
  let y = x;
  shape.widths.forEach((_, i) => {
    y = maxPool(tf, conv(tf, parameters, `conv${i + 1}`, y,
      { bias: true, relu: true, training: pass.training }));
  });
  const flat = tf.reshape(y, [y.shape[0], -1]) as Tf.Tensor2D;
  const hidden = dense(tf, parameters, 'hidden', flat, true);
  return dense(tf, parameters, 'output', hidden, false);
}
