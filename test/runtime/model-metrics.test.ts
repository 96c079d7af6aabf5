// Evaluation figures against published ones: the Fairlearn documentation
// example and AIF360's unit-test vectors, both quoted in
// ../shared/reference/DEFINITIONS.md.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  auc, betweenGroupEntropy, generalizedEntropy, sortByScore, theilIndex,
} from '../../src/runtime/model/metrics.js';
import { percentile } from '../../src/runtime/model/evaluation.js';
import { pythonJson } from '../helpers/python.js';
import { run, scratch } from '../helpers/index.js';

const close = (actual: unknown, expected: number, digits = 6) => {
  assert.equal(typeof actual, 'number', `expected a number, got ${actual}`);
  assert.ok(Math.abs((actual as number) - expected) < 10 ** -digits,
    `${actual} is not ${expected}`);
};

// Fairlearn, docs/user_guide/assessment/perform_fairness_assessment.rst.
const fairlearn = {
  truth: [0, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1],
  predicted: [0, 0, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0],
  group: 'bbabbcccaacabccbcc'.split(''),
};

function fairlearnCsv(folder: string): string {
  const path = join(folder, 'fairlearn.csv');
  const lines = ['y_true,y_pred,sf', ...fairlearn.truth.map((t, i) =>
    `${t},${fairlearn.predicted[i]},${fairlearn.group[i]}`)];
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

test('evaluate predictions reproduces the Fairlearn documentation example',
  async () => {
    const folder = scratch();
    const path = fairlearnCsv(folder);
    const { results } = await run(`load "${path}" as example
evaluate predictions y_pred against y_true by sf bootstrap 0`);
    const result = results[1]!;
    const rows = result.rows!;
    const byGroup = Object.fromEntries(rows.map((r) => [r.sf, r]));

    // by_group: a tpr .5 fpr 1.0 sel .75 n 4 | b .6 0.0 .50 6 | c .4 .666667 .5 8
    assert.deepEqual(rows.map((r) => r.sf), ['a', 'b', 'c', 'all']);
    close(byGroup.a!.recall, 0.5);
    close(byGroup.a!.fpr, 1.0);
    close(byGroup.a!.selection_rate, 0.75);
    assert.equal(byGroup.a!.n, 4);
    close(byGroup.b!.recall, 0.6);
    close(byGroup.b!.fpr, 0.0);
    close(byGroup.b!.selection_rate, 0.5);
    assert.equal(byGroup.b!.n, 6);
    close(byGroup.c!.recall, 0.4);
    close(byGroup.c!.fpr, 0.666667);
    close(byGroup.c!.selection_rate, 0.5);
    assert.equal(byGroup.c!.n, 8);

    // overall: tpr .5, fpr .666667, sel .555556, count 18
    close(byGroup.all!.recall, 0.5);
    close(byGroup.all!.fpr, 0.666667);
    close(byGroup.all!.selection_rate, 0.555556);
    assert.equal(byGroup.all!.n, 18);

    // demographic_parity_difference = 0.25, ratio = 0.66666...,
    // equalized_odds_difference = 1.0, equalized_odds_ratio = 0.0;
    // difference(): tpr .20 -> equal opportunity difference 0.2.
    const summary = result.summary!;
    close(summary.demographic_parity_difference, 0.25);
    close(summary.demographic_parity_ratio, 0.666667);
    close(summary.equalized_odds_difference, 1.0);
    close(summary.equalized_odds_ratio, 0.0);
    close(summary.equal_opportunity_difference, 0.2);
  });

test('AIF360 signed forms against a privileged group', async () => {
  // Expected values derived from Fairlearn's published by-group figures:
  // unprivileged = b and c together (14 rows): 7 selected (3 + 4), 10
  // positives with 5 found (3 + 2), 4 negatives with 2 selected (0 + 2).
  // Privileged a: selection .75, tpr .5, fpr 1.0.
  const folder = scratch();
  const path = fairlearnCsv(folder);
  const { results } = await run(`load "${path}" as example
evaluate predictions y_pred against y_true by sf reference "a" bootstrap 0`);
  const aif360 = results[1]!.aif360 as Record<string, unknown>;
  assert.equal(aif360.privileged, 'a');
  assert.deepEqual(aif360.unprivileged, ['b', 'c']);
  close(aif360.statistical_parity_difference, 0.5 - 0.75);
  close(aif360.disparate_impact, 0.5 / 0.75);
  close(aif360.equal_opportunity_difference, 0.5 - 0.5);
  close(aif360.average_odds_difference, ((0.5 - 1.0) + (0.5 - 0.5)) / 2);
});

// AIF360 tests/test_classification_metric.py: labels of the feat/label
// table, predictions with rows 3, 9 -> 0 and rows 4, 5 -> 1.
const aif = {
  feature: [0, 0, 1, 1, 1, 1, 2, 2, 2, 2],
  truth: [1, 0, 0, 1, 0, 0, 1, 0, 1, 1],
  predicted: [1, 0, 0, 0, 1, 1, 1, 0, 1, 0],
  second: [0, 1, 1, 0, 0, 0, 0, 1, 1, 1],
};
const benefitsOf = (predicted: number[]) =>
  predicted.map((p, i) => p - aif.truth[i]! + 1);

test('generalized entropy and Theil index match AIF360 unit tests', () => {
  close(generalizedEntropy(benefitsOf(aif.predicted), 2), 0.2, 12);
  close(theilIndex(benefitsOf(aif.predicted)), 4 * Math.log(2) / 10, 12);
  close(generalizedEntropy(benefitsOf(aif.second), 2), 0.3, 12);

  // between_all_groups_generalized_entropy_index == 1/20 sum(b^2 - 1),
  // b = [1,1,1.25,1.25,1.25,1.25,.75,.75,.75,.75]
  const b = [1, 1, 1.25, 1.25, 1.25, 1.25, 0.75, 0.75, 0.75, 0.75];
  const expected = b.reduce((sum, v) => sum + v * v - 1, 0) / 20;
  close(betweenGroupEntropy(benefitsOf(aif.predicted), aif.feature, 3, 2),
    expected, 12);
});

test('evaluate predictions reports the Theil index of AIF360', async () => {
  const folder = scratch();
  const path = join(folder, 'aif.csv');
  writeFileSync(path, ['feat,label,pred', ...aif.truth.map((t, i) =>
    `${aif.feature[i]},${t},${aif.predicted[i]}`)].join('\n') + '\n');
  const { results } = await run(`load "${path}" as data
evaluate predictions pred against label by feat bootstrap 0`);
  close(results[1]!.summary!.theil_index, 4 * Math.log(2) / 10, 12);
  // Between-group Theil (alpha 1) over feat groups, by hand:
  // group means 1, 1.25, .75; mean 1; 1/10 sum m ln m.
  const means = [1, 1, 1.25, 1.25, 1.25, 1.25, 0.75, 0.75, 0.75, 0.75];
  close(results[1]!.summary!.between_group_theil_index,
    means.reduce((s, m) => s + m * Math.log(m), 0) / 10, 12);
});

test('auc counts ties as one half and agrees with scikit-learn', () => {
  const truth = [0, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1];
  const scores = [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.9, 0.2, 0.55, 0.7, 0.3,
    0.6];
  const inputs = { truth: Uint8Array.from(truth),
    predicted: new Uint8Array(truth.length),
    scores: Float64Array.from(scores) };
  const rows = Uint32Array.from(truth.keys());
  const ours = auc(sortByScore(rows, inputs.scores), inputs);
  const peer = pythonJson<number>(
    'import json,sys; from sklearn.metrics import roc_auc_score; ' +
    'print(json.dumps(roc_auc_score(json.loads(sys.argv[1]), ' +
    'json.loads(sys.argv[2]))))',
    [JSON.stringify(truth), JSON.stringify(scores)]);
  close(ours, peer, 12);
});

test('bootstrap intervals are seeded and contain the estimate', async () => {
  const folder = scratch();
  const path = fairlearnCsv(folder);
  const script = `seed 3
load "${path}" as example
evaluate predictions y_pred against y_true by sf bootstrap 300`;
  const first = (await run(script)).results[2]!;
  const second = (await run(script)).results[2]!;
  assert.deepEqual(first.intervals, second.intervals);

  const intervals = first.intervals as {
    resamples: number; summary: Record<string, [number, number]>;
    groups: Record<string, Record<string, [number, number]>>;
  };
  assert.equal(intervals.resamples, 300);
  const [low, high] = intervals.summary.demographic_parity_difference!;
  assert.ok(low <= 0.25 && 0.25 <= high, `${low}..${high}`);
  const [aLow, aHigh] = intervals.groups.a!.selection_rate!;
  assert.ok(aLow <= 0.75 && 0.75 <= aHigh);
  assert.ok(aLow < aHigh, 'a group of 4 rows varies between resamples');
});

test('percentile interpolates as numpy does', () => {
  const sorted = Float64Array.from([1, 2, 3, 4]);
  close(percentile(sorted, 0.025), 1.075, 12);
  close(percentile(sorted, 0.975), 3.925, 12);
});
