// train, evaluate, predict, save model and load model on real data,
// beside scikit-learn on the same rows and the same encoding.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { python } from '../helpers/python.js';
import { root, run, scratch, tabular } from '../helpers/index.js';

const fixture = resolve(root, 'test', 'fixtures', 'model');

interface PeerLogistic {
  accuracy: number;
  scores: number[];
}

function sklearnLogistic(
  train: string,
  testPath: string,
  target: string,
  positive: string,
  c = 1,
): PeerLogistic {
  const output = execFileSync(python, [join(fixture, 'sklearn_logistic.py'),
    train, testPath, target, positive, String(c)], { encoding: 'utf8' });
  return JSON.parse(output) as PeerLogistic;
}

test('HMDA: train logistic matches scikit-learn\'s test accuracy', async () => {
  const folder = scratch();
  // The split is Fair's own (stratified by afam and deny, seed 7), saved
  // so that scikit-learn trains and tests on exactly the same rows.
  // decay 1 / (C n) with n = 1904 training rows is scikit-learn's default
  // penalty (C = 1) per row.
  const { results } = await run(`seed 7
load "${tabular('hmda.csv')}" as loans
split 80/20 stratify by afam, deny into train, test
save train to "${folder}/train.csv"
save test to "${folder}/test.csv"
train logistic on train target deny epochs 30 decay 0.000525 as model
evaluate model on test bootstrap 0
predict model on test as scored
save scored to "${folder}/scored.csv"`);

  const trained = results[5]!;
  assert.equal(trained.summary!.rows, 1904);
  assert.equal(trained.summary!.positive, 'yes');
  const accuracy = results[6]!.summary!.accuracy as number;
  const peer = sklearnLogistic(`${folder}/train.csv`, `${folder}/test.csv`,
    'deny', 'yes');

  // Measured: Fair 0.9118, scikit-learn 0.9118 (476 test rows, wasm).
  assert.ok(Math.abs(accuracy - peer.accuracy) <= 0.02,
    `Fair ${accuracy} vs scikit-learn ${peer.accuracy}`);

  // The probabilities themselves agree closely, row by row.
  const scored = readFileSync(`${folder}/scored.csv`, 'utf8').trim()
    .split('\n');
  const header = scored[0]!.split(',').map((h) => h.replace(/"/g, ''));
  const at = header.indexOf('score');
  const ours = scored.slice(1).map((line) => Number(line.split(',')[at]));
  const gap = ours.reduce((sum, p, i) =>
    sum + Math.abs(p - peer.scores[i]!), 0) / ours.length;
  assert.ok(gap < 0.03, `mean |score difference| ${gap}`);
});

test('multi-class: digits with a softmax beside scikit-learn', async () => {
  const folder = scratch();
  const { results } = await run(`seed 1
load "${tabular('sklearn_digits.csv')}" as digits
split 75/25 stratify by target into train, test
save train to "${folder}/train.csv"
save test to "${folder}/test.csv"
train logistic on train target target epochs 15 batch 64 as model
evaluate model on test bootstrap 0`);
  const evaluated = results[6]!;
  assert.equal((evaluated.per_class as { rows: unknown[] }).rows.length, 10);
  const accuracy = evaluated.summary!.accuracy as number;

  const peer = JSON.parse(execFileSync(python, ['-c', `
import json, sys
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
train, test = pd.read_csv(sys.argv[1]), pd.read_csv(sys.argv[2])
x = [c for c in train.columns if c != 'target']
scale = StandardScaler().fit(train[x])
model = LogisticRegression(max_iter=5000).fit(scale.transform(train[x]),
                                              train.target)
print(json.dumps(float((model.predict(scale.transform(test[x]))
                        == test.target).mean())))
`, `${folder}/train.csv`, `${folder}/test.csv`], { encoding: 'utf8' })) as
    number;
  // Measured: Fair 0.9532, scikit-learn 0.9644 (449 test rows, wasm).
  assert.ok(Math.abs(accuracy - peer) <= 0.03,
    `Fair ${accuracy} vs scikit-learn ${peer}`);
});

const small = `seed 11
load "${tabular('hmda.csv')}" as loans
split 70/30 stratify by afam into train, test
train logistic on train target deny = "yes" epochs 4 as model`;

test('same script, same seed: byte-identical results', async () => {
  const script = `${small}
evaluate model on test by afam bootstrap 50
predict model on test as scored
show scored 5`;
  const first = (await run(script)).results;
  const second = (await run(script)).results;
  assert.equal(JSON.stringify(first), JSON.stringify(second));

  const reseeded = (await run(script.replace('seed 11', 'seed 12')))
    .results;
  assert.notEqual(JSON.stringify(first[4]), JSON.stringify(reseeded[4]));
});

test('save model and load model give the same predictions', async () => {
  const folder = scratch();
  const { results } = await run(`${small}
mitigate model on train by afam for equal_opportunity as fair
save model fair to "${folder}/fair.json"
load model "${folder}/fair.json" as again
evaluate fair on test by afam bootstrap 0
evaluate again on test by afam bootstrap 0`);
  assert.deepEqual(results[8]!.rows, results[7]!.rows);
  assert.deepEqual(results[8]!.summary!.accuracy_cost,
    results[7]!.summary!.accuracy_cost);
  const file = JSON.parse(readFileSync(`${folder}/fair.json`, 'utf8'));
  assert.equal(file.format, 'fair-model');
  assert.equal(file.model.mitigation.goal, 'equal_opportunity');
});

test('predict adds score and prediction in the target\'s own values',
  async () => {
    const { session } = await run(`${small}
predict model on test as scored`);
    const scored = session.table('scored');
    const prediction = scored.column('prediction') as unknown as string[];
    const score = scored.column('score') as unknown as Float64Array;
    assert.ok(score instanceof Float64Array);
    assert.deepEqual([...new Set(prediction)].sort(), ['no', 'yes']);
    for (let row = 0; row < score.length; row++) {
      assert.equal(prediction[row], score[row]! >= 0.5 ? 'yes' : 'no');
    }
  });

test('train reports its backend; set backend chooses another', async () => {
  const { results } = await run(`${small}
set backend cpu
train logistic on train target deny epochs 2 as slow
set backend auto`);
  const backend = results[3]!.summary!.backend;
  assert.ok(['gpu', 'node', 'wasm'].includes(String(backend)),
    `the fastest backend that loads, not ${backend}`);
  assert.match(String(results[3]!.message), new RegExp(`${backend} backend`));
  assert.equal(results[5]!.summary!.backend, 'cpu');
});

test('weights and balanced class weights change the model', async () => {
  const { results } = await run(`${small}
balance train by afam target deny method reweigh
train logistic on train target deny epochs 4 weight weight as weighted
train logistic on train target deny epochs 4 class weights balanced as even
evaluate model on test by afam bootstrap 0
evaluate weighted on test by afam bootstrap 0
evaluate even on test by afam bootstrap 0`);
  // The reweighing column is a weight, not a feature, unless asked.
  assert.match((results[6]!.notes ?? []).join(' '), /"weight" is left out/);
  assert.equal(results[5]!.summary!.features, 13);

  // Reweighing evens the label rates of the groups in training: the
  // model's selection rates move closer together.
  const gap = (r: typeof results[number]) =>
    r.summary!.demographic_parity_difference as number;
  assert.ok(gap(results[8]!) < gap(results[7]!),
    `${gap(results[8]!)} vs ${gap(results[7]!)}`);

  // Balanced class weights select far more of the rare class.
  const rate = (r: typeof results[number]) =>
    (r.rows!.at(-1)!.selection_rate as number);
  assert.ok(rate(results[9]!) > 2 * rate(results[7]!),
    `${rate(results[9]!)} vs ${rate(results[7]!)}`);
});

test('early stopping keeps the best validation epoch', async () => {
  const { results } = await run(`${small}
train mlp 8 on train target deny epochs 60 rate 0.05 validation 0.25 as net`);
  const trained = results[4]!;
  const history = trained.rows!;
  const best = trained.summary!.best_epoch as number;
  const losses = history.map((r) => r.validation_loss as number);
  assert.equal(losses[best - 1], Math.min(...losses));
  assert.ok(history.length < 60, 'a rate this high overfits and stops');
});
