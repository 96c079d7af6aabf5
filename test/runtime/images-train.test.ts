// Training image models on the wasm backend, and using them with the
// model family's statements (evaluate per class and per group, predict,
// save model, load model).
//
// One CNN is trained, as the issue asks: 10,000 Fashion-MNIST training
// images, 2 epochs, evaluated on the full 10,000-image test set; the
// threshold of 0.80 accuracy is the issue's. (For scale: logistic
// regression on all 60,000 images reaches about 0.84 in Zalando's
// benchmark table.)

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { run, scratch } from '../helpers/index.js';
import { pythonJson } from '../helpers/python.js';
import { rowObjects } from '../../src/runtime/table.js';

const fashion = '/usr/share/datasets/fashion-mnist';

const trained = (async () => {
  const folder = scratch();
  return run(`seed 5
set backend wasm
load images "${fashion}/train-images-idx3-ubyte.gz" as train
load images "${fashion}/t10k-images-idx3-ubyte.gz" as test
sample 10000 on train as small
train cnn on small target label epochs 2 batch 128 as net
derive half = if(id % 2 = 0, "even", "odd") on test
evaluate net on test by half bootstrap 0
evaluate net on test by label bootstrap 0 as per_label`, folder)
    .then((done) => ({ ...done, folder }));
})();

test('a CNN on 10,000 images for 2 epochs: test accuracy at least 0.80',
  async () => {
    const { results } = await trained;
    const train = results[5]!;
    assert.equal(train.kind, 'train');
    assert.equal(train.summary!['backend'], 'wasm');
    assert.equal(train.summary!['rows'], 10000);
    assert.equal(train.summary!['epochs'], 2);
    const evaluation = results[7]!;
    const accuracy = evaluation.summary!['accuracy'] as number;
    assert.ok(accuracy >= 0.8, `test accuracy ${accuracy}`);
    assert.equal(evaluation.summary!['n'], 10000);
  });

test('evaluate by a group column gives one row per group and one for all',
  async () => {
    const { results } = await trained;
    const rows = results[7]!.rows!;
    assert.deepEqual(rows.map((r) => [r['half'], r['n']]),
      [['even', 5000], ['odd', 5000], ['all', 10000]]);
    const [even, odd, all] = rows.map((r) => r['accuracy'] as number);
    assert.ok(Math.abs((even! + odd!) / 2 - all!) < 1e-12);
  });

test('per class: recall per class equals accuracy within each label',
  async () => {
    const { results, session } = await trained;
    const perClass = results[7]!['per_class'] as
      { rows: Record<string, unknown>[] };
    const overall = perClass.rows.filter((r) => r['half'] === 'all');
    assert.equal(overall.length, 10);
    // Grouped by the label itself, a group's accuracy is its recall.
    const byLabel = rowObjects(session.table('per_label'));
    for (const row of overall) {
      const group = byLabel.find((r) => r['label'] === row['class'])!;
      assert.equal(group['n'], 1000);
      assert.ok(Math.abs((group['accuracy'] as number) -
        (row['recall'] as number)) < 1e-12);
    }
  });

test('predict, save model and load model work on an image model',
  async () => {
    const { session } = await trained;
    const report = await session.run(`where id < 300 on test as few
predict net on few as scored
save model net to "net.json"
load model "net.json" as again
evaluate net on few bootstrap 0
evaluate again on few bootstrap 0`);
    assert.equal(report.failed, false, JSON.stringify(report.diagnostics));
    const results = report.outcomes.map((o) => o.result);
    const scored = rowObjects(session.table('scored'));
    assert.equal(scored.length, 300);
    assert.ok(scored.every((r) => typeof r['prediction'] === 'number' &&
      (r['score'] as number) > 0 && (r['score'] as number) <= 1));
    assert.equal(results[4]!.summary!['accuracy'],
      results[5]!.summary!['accuracy']);
  });

test('train resnet18 runs and its model is evaluated like any other',
  async () => {
    const { results } = await run(`seed 2
set backend wasm
load images "${fashion}/t10k-images-idx3-ubyte.gz" as test
where id < 16
train resnet18 target label epochs 1 batch 8 as deep
evaluate deep bootstrap 0`, scratch());
    const train = results[4]!;
    assert.equal(train.summary!['type'], 'resnet18');
    // The same network in PyTorch (the CIFAR ResNet-18 of
    // kuangliu/pytorch-cifar, one input channel, one output per class met
    // in these 16 images): its parameters plus the batch norms' running
    // means and variances.
    const classes = (train.summary!['classes'] as unknown[]).length;
    const torch = pythonJson<{ parameters: number; running: number }>(
      resnetCount, [String(classes)]);
    assert.equal(train.summary!['parameters'],
      torch.parameters + torch.running);
    assert.equal(results[5]!.summary!['n'], 16);
  });

const resnetCount = `
import json, sys, torch.nn as nn
def block(i, o, stride):
    layers = [nn.Conv2d(i, o, 3, stride, 1, bias=False), nn.BatchNorm2d(o),
              nn.Conv2d(o, o, 3, 1, 1, bias=False), nn.BatchNorm2d(o)]
    if stride != 1 or i != o:
        layers += [nn.Conv2d(i, o, 1, stride, bias=False), nn.BatchNorm2d(o)]
    return layers
layers = [nn.Conv2d(1, 64, 3, 1, 1, bias=False), nn.BatchNorm2d(64)]
i = 64
for o, stride in [(64, 1), (128, 2), (256, 2), (512, 2)]:
    layers += block(i, o, stride) + block(o, o, 1)
    i = o
model = nn.Sequential(*layers, nn.Linear(512, int(sys.argv[1])))
print(json.dumps({
    "parameters": sum(p.numel() for p in model.parameters()),
    "running": sum(b.numel() for n, b in model.named_buffers()
                   if "running" in n)}))
`;

test('the same seed trains the same network twice', async () => {
  const script = `seed 9
set backend wasm
load images "${fashion}/t10k-images-idx3-ubyte.gz" as test
where id < 256
train cnn 8, 16 target label epochs 1 batch 64 as small`;
  const weights = async () => {
    const { session } = await run(script, scratch());
    const model = session.objects.get('small')!.value as
      { parameters: { values: Float32Array }[] };
    return Buffer.concat(model.parameters.map((p) =>
      Buffer.from(p.values.buffer, p.values.byteOffset,
        p.values.byteLength)));
  };
  const first = await weights();
  const again = await weights();
  assert.equal(first.length, (3 * 3 * 1 * 8 + 8 + 3 * 3 * 8 * 16 + 16 +
    7 * 7 * 16 * 128 + 128 + 128 * 10 + 10) * 4);
  assert.ok(first.equals(again));
});
