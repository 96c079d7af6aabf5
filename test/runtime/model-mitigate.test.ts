// Group thresholds (mitigate) and out-of-fold probabilities (crossval).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outOfFoldProbabilities } from '../../src/runtime/model/crossval.js';
import {
  fitThresholds, mitigationGoals, type MitigationGoal,
} from '../../src/runtime/model/mitigate.js';
import { Random } from '../../src/runtime/random.js';
import { columnNames } from '../../src/runtime/table.js';
import { pythonJson } from '../helpers/python.js';
import { run, scratch, tabular } from '../helpers/index.js';

/** Scores and labels of a few groups, drawn from a seeded generator. */
function synthetic(seed: number, sizes: number[]) {
  const random = new Random(seed);
  const total = sizes.reduce((a, b) => a + b, 0);
  const scores = new Float64Array(total);
  const truth = new Uint8Array(total);
  const groups: Uint32Array[] = [];
  let row = 0;
  sizes.forEach((size, g) => {
    const rows = new Uint32Array(size);
    for (let i = 0; i < size; i++, row++) {
      truth[row] = random.float() < 0.3 + 0.2 * g ? 1 : 0;
      // Scores informative but shifted by group, rounded to make ties.
      const logit = (truth[row] ? 1.2 : -1.2) + 0.8 * g + random.normal();
      scores[row] = Math.round(100 / (1 + Math.exp(-logit))) / 100;
      rows[i] = row;
    }
    groups.push(rows);
  });
  return { scores, truth, groups };
}

/** Every threshold of a group, with its rates and correct count. */
function operatingPoints(rows: Uint32Array, scores: Float64Array,
  truth: Uint8Array) {
  const thresholds = [...new Set([...rows].map((r) => scores[r]!)), 2];
  const positives = [...rows].filter((r) => truth[r]).length;
  const negatives = rows.length - positives;
  return thresholds.map((t) => {
    let tp = 0;
    let fp = 0;
    for (const r of rows) {
      if (scores[r]! >= t) truth[r] ? tp++ : fp++;
    }
    return { selection: (tp + fp) / rows.length,
      tpr: positives ? tp / positives : 0, fpr: negatives ? fp / negatives : 0,
      correct: tp + negatives - fp };
  });
}

test('thresholds are at least as accurate as any pair within half the ' +
  'tolerance (brute force)', () => {
  for (const goal of mitigationGoals) {
    for (const seed of [1, 2, 3]) {
      const { scores, truth, groups } = synthetic(seed, [150, 90]);
      const tolerance = 0.04;
      const fit = fitThresholds(groups, scores, truth,
        goal as MitigationGoal, tolerance);
      assert.ok(fit.gap <= tolerance + 1e-12, `${goal}: gap ${fit.gap}`);

      const [a, b] = groups.map((rows) =>
        operatingPoints(rows, scores, truth));
      let best = 0;
      for (const p of a!) {
        for (const q of b!) {
          const gaps = goal === 'demographic_parity'
            ? [Math.abs(p.selection - q.selection)]
            : goal === 'equal_opportunity' ? [Math.abs(p.tpr - q.tpr)]
              : [Math.abs(p.tpr - q.tpr), Math.abs(p.fpr - q.fpr)];
          if (Math.max(...gaps) <= tolerance / 2) {
            best = Math.max(best, p.correct + q.correct);
          }
        }
      }
      assert.ok(fit.correct >= best,
        `${goal}, seed ${seed}: ${fit.correct} < ${best}`);
    }
  }
});

test('mitigate meets its goal on the fitting table and evaluate applies ' +
  'the thresholds', async () => {
  const { results } = await run(`seed 5
load "${tabular('hmda.csv')}" as loans
split 80/20 stratify by afam, deny into train, test
train logistic on train target deny epochs 10 as model
mitigate model on train by afam for demographic_parity as fair
evaluate fair on train by afam bootstrap 0
evaluate fair on test by afam bootstrap 0`);
  const mitigated = results[4]!;
  const summary = mitigated.summary!;
  assert.ok((summary.demographic_parity_difference_after as number) <= 0.01);
  assert.ok((summary.demographic_parity_difference_before as number) > 0.05);
  assert.equal(summary.accuracy_cost,
    (summary.accuracy_before as number) - (summary.accuracy_after as number));

  // evaluate on the same table reproduces mitigate's "after" figures.
  const onTrain = results[5]!;
  assert.equal(onTrain.summary!.demographic_parity_difference,
    summary.demographic_parity_difference_after);
  assert.equal(onTrain.summary!.accuracy, summary.accuracy_after);
  assert.equal(onTrain.summary!.accuracy_unmitigated,
    summary.accuracy_before);
  mitigated.rows!.forEach((row, i) => {
    assert.equal(onTrain.rows![i]!.selection_rate, row.selection_rate_after);
  });

  // On held-out rows the cost and gap are reported against the same
  // model without thresholds.
  const onTest = results[6]!.summary!;
  assert.equal(typeof onTest.accuracy_cost, 'number');
  assert.ok((onTest.demographic_parity_difference as number) <
    (onTest.demographic_parity_difference_unmitigated as number));
});

test('out-of-fold probabilities: seeded, complete, as accurate as ' +
  'scikit-learn\'s cross_val_predict', async () => {
  const folder = scratch();
  const script = `seed 9
load "${tabular('hmda.csv')}" as loans
save loans to "${folder}/loans.csv"`;
  const first = await run(script);
  const table = first.session.table('loans');
  const features = columnNames(table).filter((c) => c !== 'deny');
  const settings = { target: 'deny', features, folds: 5, epochs: 10 };
  const oof = await outOfFoldProbabilities(first.session, table, settings);

  assert.deepEqual(oof.classes, ['no', 'yes']);
  assert.equal(oof.probabilities.length, 2380 * 2);
  for (let row = 0; row < 2380; row++) {
    const sum = oof.probabilities[2 * row]! + oof.probabilities[2 * row + 1]!;
    assert.ok(Math.abs(sum - 1) < 1e-6);
  }
  const sizes = [0, 1, 2, 3, 4].map((k) =>
    oof.fold.filter((f) => f === k).length);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, String(sizes));

  const again = await run(script);
  const repeat = await outOfFoldProbabilities(again.session,
    again.session.table('loans'), settings);
  assert.deepEqual(repeat.probabilities, oof.probabilities);

  let correct = 0;
  for (let row = 0; row < 2380; row++) {
    const guess = oof.probabilities[2 * row + 1]! >= 0.5 ? 1 : 0;
    if (guess === oof.labels[row]) correct++;
  }
  const peer = pythonJson<number>(`
import json, sys
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
d = pd.read_csv(sys.argv[1])
x = d.drop(columns=['deny'])
numbers = [c for c in x.columns if pd.api.types.is_numeric_dtype(x[c])]
texts = [c for c in x.columns if c not in numbers]
model = make_pipeline(ColumnTransformer([('n', StandardScaler(), numbers),
    ('t', OneHotEncoder(handle_unknown='ignore'), texts)]),
    LogisticRegression(max_iter=5000))
y = (d.deny == 'yes').astype(int)
guess = cross_val_predict(model, x, y, cv=StratifiedKFold(5, shuffle=True,
                                                          random_state=9))
print(json.dumps(float((guess == y).mean())))
`, [`${folder}/loans.csv`]);
  assert.ok(Math.abs(correct / 2380 - peer) <= 0.02,
    `Fair ${correct / 2380} vs scikit-learn ${peer}`);
});
