// The written-out gradients of train.ts against TensorFlow.js's own
// automatic differentiation of the same loss.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadTf } from '../../src/runtime/model/backend.js';
import { initialLayers } from '../../src/runtime/model/network.js';
import {
  batchGradients, batchLoss,
} from '../../src/runtime/model/train.js';
import { Random } from '../../src/runtime/random.js';

async function compare(classes: number, hidden: number[], decay: number) {
  const { tf } = await loadTf();
  const random = new Random(classes * 7 + hidden.length);
  const rows = 9;
  const width = 5;
  const outputs = classes === 2 ? 1 : classes;
  const layers = initialLayers(random, width, hidden, outputs);
  // Logistic regression starts at zero; give it weights worth checking.
  for (const layer of layers) {
    layer.weights.forEach((_, i) => { layer.weights[i] = random.normal(); });
    layer.bias.forEach((_, i) => { layer.bias[i] = random.normal() / 2; });
  }
  const parameters = layers.map((layer) => ({
    weights: tf.variable(tf.tensor2d(layer.weights,
      [layer.inputs, layer.outputs])),
    bias: tf.variable(tf.tensor1d(layer.bias)),
  }));
  const variables = parameters.flatMap((p) => [p.weights, p.bias]);

  const x = Float32Array.from({ length: rows * width }, () => random.normal());
  const labels = Array.from({ length: rows }, () => random.int(0, classes - 1));
  const y = classes === 2
    ? Float32Array.from(labels)
    : Float32Array.from(labels.flatMap((label) =>
      Array.from({ length: classes }, (_, k) => (k === label ? 1 : 0))));
  const weights = Float32Array.from({ length: rows },
    () => (0.5 + random.float()) / rows);
  const batch = {
    x: tf.tensor2d(x, [rows, width]),
    y: tf.tensor2d(y, [rows, outputs]),
    w: tf.tensor2d(weights, [rows, 1]),
  };

  const ours = batchGradients(tf, parameters, batch, classes, decay);
  const { grads } = tf.variableGrads(() =>
    batchLoss(tf, parameters, batch, classes, decay), variables);
  variables.forEach((variable, i) => {
    const expected = grads[variable.name]!.dataSync();
    const actual = ours[i]!.dataSync();
    assert.equal(actual.length, expected.length);
    expected.forEach((value, j) => {
      assert.ok(Math.abs(actual[j]! - value) < 1e-5,
        `parameter ${i}, entry ${j}: ${actual[j]} vs ${value}`);
    });
  });
  tf.dispose([...ours, ...Object.values(grads), ...variables, batch.x,
    batch.y, batch.w]);
}

test('binary logistic regression gradients equal the tape\'s', async () => {
  await compare(2, [], 0);
  await compare(2, [], 0.3);
});

test('softmax regression gradients equal the tape\'s', async () => {
  await compare(4, [], 0.1);
});

test('mlp gradients through ReLU layers equal the tape\'s', async () => {
  await compare(2, [6, 4], 0.05);
  await compare(3, [7], 0);
});
