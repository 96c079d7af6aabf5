// The wasm backend's training kernels (src/runtime/images/wasm-conv-grad.ts)
// against the CPU backend's own gradients, on random data: the filter
// gradient the wasm backend lacks, the input gradient, max pooling and
// matrix products with transposed operands that it replaces.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { norm } from '../../src/runtime/images/layers.js';
import {
  filterGradient, inputGradient, installWasmTraining,
} from '../../src/runtime/images/wasm-conv-grad.js';

tf.env().set('PROD', true);

/** Reproducible values in [-0.5, 0.5), or small whole numbers (ties). */
function values(size: number, seed: number, ties = false): Float32Array {
  const out = new Float32Array(size);
  let state = seed;
  for (let i = 0; i < size; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const u = state / 2147483648;
    out[i] = ties ? Math.round(u * 3) : u - 0.5;
  }
  return out;
}

/** The same computation on the CPU and the wasm backend. */
async function onBoth(compute: () => tf.Tensor[]): Promise<{
  cpu: Float32Array[]; wasm: Float32Array[];
}> {
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    return tf.tidy(compute).map((t) => {
      const data = t.dataSync() as Float32Array;
      t.dispose();
      return Float32Array.from(data);
    });
  };
  return { cpu: await run('cpu'), wasm: await run('wasm') };
}

/** Largest difference relative to the value (floored at 1e-3). */
function assertClose(expected: Float32Array[], found: Float32Array[],
  tolerance = 1e-3) {
  assert.equal(found.length, expected.length);
  expected.forEach((values, i) => {
    assert.equal(found[i]!.length, values.length);
    let worst = 0;
    values.forEach((v, j) => {
      worst = Math.max(worst, Math.abs(v - found[i]![j]!) /
        Math.max(1e-3, Math.abs(v)));
    });
    assert.ok(worst < tolerance, `gradient ${i} differs by ${worst}`);
  });
}

test('the wasm backend lacks the filter gradient until it is installed',
  async () => {
    await tf.setBackend('wasm');
    assert.equal(tf.getKernel('Conv2DBackpropFilter', 'wasm'), undefined);
    const x = tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
    const w = tf.ones([3, 3, 1, 1]) as tf.Tensor4D;
    const filterGrad = () => tf.grad((f: tf.Tensor) =>
      tf.sum(tf.conv2d(x, f as tf.Tensor4D, 1, 'same')))(w);
    assert.throws(filterGrad, /Conv2DBackpropFilter/);

    installWasmTraining(tf);
    // 3x3 filter over a 4x4 image of ones with zero padding: the centre
    // tap sees all 16 pixels, an edge tap 12, a corner tap 9.
    assert.deepEqual(Array.from(filterGrad().dataSync()),
      [9, 12, 9, 12, 16, 12, 9, 12, 9]);
    // Other backends keep their own kernels.
    assert.ok(tf.getKernel('Conv2DBackpropFilter', 'cpu'));
  });

const convolutions: {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  stride: number;
  pad: 'same' | 'valid';
  fused?: 'linear' | 'relu';
}[] = [
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 4], stride: 1, pad: 'same' },
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 4], stride: 2, pad: 'same' },
  { x: [3, 10, 7, 2], filter: [5, 5, 2, 6], stride: 1, pad: 'valid' },
  { x: [2, 15, 15, 4], filter: [3, 3, 4, 8], stride: 2, pad: 'valid' },
  { x: [2, 16, 16, 8], filter: [1, 1, 8, 16], stride: 2, pad: 'valid' },
  // tf.layers' path: a fused convolution with a bias, kept fused while
  // training when its activation is linear.
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 4], stride: 1, pad: 'same',
    fused: 'linear' },
  { x: [2, 16, 16, 4], filter: [3, 3, 4, 8], stride: 2, pad: 'same',
    fused: 'linear' },
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 4], stride: 2, pad: 'same',
    fused: 'relu' },
  { x: [4, 28, 28, 1], filter: [3, 3, 1, 32], stride: 1, pad: 'same',
    fused: 'linear' },
];

for (const c of convolutions) {
  const name = `${c.fused ? `fused (${c.fused}) ` : ''}conv ` +
    `${c.x.join('x')} * ${c.filter.join('x')}, stride ${c.stride}, ${c.pad}`;
  test(`gradients of ${name} match the CPU backend`, async () => {
    installWasmTraining(tf);
    const { cpu, wasm } = await onBoth(() => {
      const x = tf.tensor4d(values(c.x.reduce((a, b) => a * b), 1), c.x);
      const filter = tf.tensor4d(values(c.filter.reduce((a, b) => a * b), 2),
        c.filter);
      const bias = tf.tensor1d(values(c.filter[3], 3));
      // A loss that is not linear in the output, so that dy varies.
      const loss = (a: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D) => {
        const y = c.fused
          ? tf.fused.conv2d({ x: a, filter: w, strides: c.stride,
            pad: c.pad, bias: b, activation: c.fused })
          : tf.add(tf.conv2d(a, w, c.stride, c.pad), b);
        return tf.sum(tf.mul(y, tf.sin(y))) as tf.Scalar;
      };
      return tf.grads(loss as (...t: tf.Tensor[]) => tf.Scalar)(
        [x, filter, bias]);
    });
    assertClose(cpu, wasm);
  });
}

test('the gradients as operations handle NCHW like NHWC', async () => {
  await tf.setBackend('cpu');
  const x = tf.tensor4d(values(2 * 9 * 9 * 3, 5), [2, 9, 9, 3]);
  const filter = tf.tensor4d(values(3 * 3 * 3 * 4, 6), [3, 3, 3, 4]);
  const dy = tf.tensor4d(values(2 * 5 * 5 * 4, 7), [2, 5, 5, 4]);
  const [dx, dw] = tf.grads((...[a, w]: tf.Tensor[]) =>
    tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'),
      dy)))([x, filter]);
  const nchw = (t: tf.Tensor4D) => tf.transpose(t, [0, 3, 1, 2]) as
    tf.Tensor4D;
  const settings = { strides: 2, pad: 'same' as const,
    dataFormat: 'NCHW' as const };
  const filterByOps = filterGradient(tf, nchw(x), nchw(dy),
    { ...settings, filterShape: [3, 3, 3, 4] });
  const inputByOps = inputGradient(tf, nchw(dy), filter,
    { ...settings, inputShape: [2, 3, 9, 9] });
  assertClose([dw!.dataSync() as Float32Array,
    nchw(dx as tf.Tensor4D).dataSync() as Float32Array],
  [filterByOps.dataSync() as Float32Array,
    inputByOps.dataSync() as Float32Array]);
});

test('max pooling gradients match, ties going to the first maximum',
  async () => {
    installWasmTraining(tf);
    const { cpu, wasm } = await onBoth(() => {
      const x = tf.tensor4d(values(2 * 9 * 9 * 3, 8), [2, 9, 9, 3]);
      const tied = tf.tensor4d(values(2 * 8 * 8 * 3, 9, true), [2, 8, 8, 3]);
      const weights = tf.tensor4d(values(2 * 8 * 8 * 3, 10), [2, 8, 8, 3]);
      return [
        tf.grad((v: tf.Tensor) => tf.sum(tf.square(
          tf.maxPool(v as tf.Tensor4D, 2, 2, 'same'))))(x),
        tf.grad((v: tf.Tensor) => tf.sum(tf.mul(
          tf.maxPool(v as tf.Tensor4D, 3, 1, 'same'), weights)))(tied),
        tf.grad((v: tf.Tensor) => tf.sum(tf.square(
          tf.maxPool(v as tf.Tensor4D, 3, 2, 'valid'))))(x),
      ];
    });
    assertClose(cpu, wasm, 1e-5);
  });

test('products with transposed operands and their gradients match',
  async () => {
    installWasmTraining(tf);
    const { cpu, wasm } = await onBoth(() => {
      const a = tf.tensor2d(values(7 * 5, 11), [7, 5]);
      const b = tf.tensor2d(values(5 * 3, 12), [5, 3]);
      const a3 = tf.tensor3d(values(2 * 5 * 7, 13), [2, 5, 7]);
      const b3 = tf.tensor3d(values(2 * 3 * 5, 14), [2, 3, 5]);
      return [
        ...tf.grads((...[p, q]: tf.Tensor[]) =>
          tf.sum(tf.square(tf.matMul(p as tf.Tensor2D, q as tf.Tensor2D))))(
          [a, b]),
        tf.matMul(a3, b3, true, true),
        tf.matMul(a, tf.transpose(b), false, true),
      ];
    });
    assertClose(cpu, wasm);
  });

test('sums over leading axes, and over others, match', async () => {
  installWasmTraining(tf);
  const { cpu, wasm } = await onBoth(() => {
    const x = tf.tensor4d(values(3 * 5 * 4 * 6, 17), [3, 5, 4, 6]);
    return [tf.sum(x, [0, 1, 2]), tf.sum(x, [1, 0], true), tf.sum(x, 0),
      tf.sum(x, [2, 3]), tf.sum(x), tf.sum(x, -1)];
  });
  assertClose(cpu, wasm, 1e-4);
});

test('training batch norm (scale and shift) equals tf.batchNorm, with its '
  + 'gradients', async () => {
  installWasmTraining(tf);
  const { cpu, wasm } = await onBoth(() => {
    const x = tf.tensor4d(values(4 * 5 * 5 * 3, 18), [4, 5, 5, 3]);
    const gamma = tf.tensor1d([0.5, 1.5, -2]);
    const beta = tf.tensor1d([0.1, -0.2, 0.3]);
    const weights = tf.tensor4d(values(4 * 5 * 5 * 3, 19), [4, 5, 5, 3]);
    const ours = (...[a, g, b]: tf.Tensor[]) => tf.sum(tf.mul(weights,
      norm(tf, new Map([['n.gamma', g!], ['n.beta', b!]]), 'n',
        a as tf.Tensor4D, { training: true })));
    const theirs = (...[a, g, b]: tf.Tensor[]) => {
      const { mean, variance } = tf.moments(a!, [0, 1, 2]);
      return tf.sum(tf.mul(weights, tf.batchNorm4d(a as tf.Tensor4D,
        mean as tf.Tensor1D, variance as tf.Tensor1D, b as tf.Tensor1D,
        g as tf.Tensor1D, 1e-5)));
    };
    return [...tf.grads(ours)([x, gamma, beta]),
      ...tf.grads(theirs)([x, gamma, beta])];
  });
  // Ours (first three) against tf.batchNorm's (last three), per backend.
  for (const found of [cpu, wasm]) {
    assertClose(found.slice(3), found.slice(0, 3), 1e-3);
  }
});

test('the kernels leave no tensors behind', async () => {
  await tf.setBackend('wasm');
  installWasmTraining(tf);
  const x = tf.tensor4d(values(2 * 8 * 8 * 3, 15), [2, 8, 8, 3]);
  const w = tf.tensor4d(values(3 * 3 * 3 * 4, 16), [3, 3, 3, 4]);
  const step = () => tf.tidy(() => tf.grads((...[a, f]: tf.Tensor[]) =>
    tf.sum(tf.square(tf.maxPool(tf.conv2d(a as tf.Tensor4D,
      f as tf.Tensor4D, 1, 'same'), 2, 2, 'same'))))([x, w]));
  tf.dispose(step());
  const before = tf.memory();
  for (let i = 0; i < 3; i++) tf.dispose(step());
  const after = tf.memory();
  assert.equal(after.numTensors, before.numTensors);
  assert.equal(after.numDataBuffers, before.numDataBuffers);
});
