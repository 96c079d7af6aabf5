// Charts in text: bars in eighths of a cell, sparklines, and which result
// columns they read. Results are constructed here with the columns that
// PRODUCT.md "Result contracts" fixes for audit and evaluate; the HMDA
// figures are those of data/README.md (96/339 and 189/2041 denied).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bar, barChart, chartsFor, groupBars, groupColumns, lossHistory,
  lossSparklines, sparkline,
} from '../../src/repl/bars.js';
import type { Result } from '../../src/runtime/result.js';

/** Cells a bar covers, counting each partial block by its eighths. */
function cells(drawn: string): number {
  const eighths = ' ▏▎▍▌▋▊▉█';
  return [...drawn].reduce((sum, char) => sum + eighths.indexOf(char) / 8, 0);
}

test('a bar covers value / scale of the width, to the nearest eighth', () => {
  assert.equal(bar(1, 1, 10), '██████████');
  assert.equal(bar(0.5, 1, 10), '█████');
  assert.equal(cells(bar(0.33, 1, 10)), 3.25);  // 3.3 cells -> 3 2/8
  assert.equal(bar(0, 1, 10), '');
  assert.equal(bar(Number.NaN, 1, 10), '');
  // A value above zero is never drawn as nothing.
  assert.equal(bar(0.001, 1, 10), '▏');
});

test('bars start at zero, so their lengths keep the ratio of the values',
  () => {
    const chart = barChart('positive_rate by afam', [
      { label: 'no', value: 189 / 2041 },
      { label: 'yes', value: 96 / 339 },
    ], 80);
    const [title, no, yes] = chart.split('\n');
    assert.equal(title, 'positive_rate by afam');
    const barOf = (line: string) => line.slice(5).trim().split(' ')[0]!;
    const ratio = cells(barOf(no!)) / cells(barOf(yes!));
    // The true ratio is 0.327 (reference/tabular.json's disparate impact);
    // eighths of a 40-cell bar can be off by 1/16 cell on each bar.
    assert.ok(Math.abs(ratio - 0.327) < 0.01, `ratio ${ratio}`);
    assert.match(no!, /0\.0926$/);
    assert.match(yes!, /0\.2832$/);
  });

const audit: Result = {
  kind: 'audit',
  columns: ['afam', 'n', 'share', 'positives', 'positive_rate',
    'rate_ratio', 'rate_difference'],
  rows: [
    { afam: 'no', n: 2041, share: 2041 / 2380, positives: 189,
      positive_rate: 189 / 2041, rate_ratio: 0.327, rate_difference: -0.19 },
    { afam: 'yes', n: 339, share: 339 / 2380, positives: 96,
      positive_rate: 96 / 339, rate_ratio: 1, rate_difference: 0 },
    { afam: null, n: 0, share: 0, positives: 0, positive_rate: null,
      rate_ratio: null, rate_difference: null },
  ],
};

test('group columns are those before n', () => {
  assert.deepEqual(groupColumns(audit), ['afam']);
  assert.deepEqual(groupColumns({ kind: 'audit',
    columns: ['colour', 'sex', 'n', 'share'] }), ['colour', 'sex']);
  assert.deepEqual(groupColumns({ kind: 'describe',
    columns: ['column', 'type'] }), []);
});

test('an audit is charted by its positive rate; a missing group says so',
  () => {
    const charts = groupBars(audit, 80);
    assert.equal(charts.length, 1);
    const lines = charts[0]!.split('\n');
    assert.equal(lines[0], 'positive_rate by afam');
    assert.equal(lines.length, 4);
    assert.match(lines[3]!, /^\(missing\)\s+·$/);
  });

test('an audit without a target is charted by share', () => {
  const noTarget: Result = {
    kind: 'audit',
    columns: ['colour', 'sex', 'n', 'share'],
    rows: [
      { colour: 'Black', sex: 'Male', n: 1200, share: 0.5 },
      { colour: 'White', sex: 'Female', n: 1200, share: 0.5 },
    ],
  };
  const [chart] = groupBars(noTarget, 80);
  assert.match(chart!, /^share by colour · sex\nBlack · Male /);
});

test('an evaluate result gets one chart per metric it carries', () => {
  const evaluate: Result = {
    kind: 'evaluate',
    columns: ['group', 'n', 'accuracy', 'precision', 'recall',
      'selection_rate'],
    rows: [
      { group: 'a', n: 7, accuracy: 0.571, precision: 0.5, recall: 0.6,
        selection_rate: 0.5714 },
      { group: 'b', n: 6, accuracy: 0.833, precision: 1, recall: 0.5,
        selection_rate: 0.1667 },
      { group: 'all', n: 13, accuracy: 0.69, precision: 0.6, recall: 0.55,
        selection_rate: 0.385 },
    ],
  };
  const charts = groupBars(evaluate, 80);
  assert.deepEqual(charts.map((chart) => chart.split('\n')[0]), [
    'accuracy by group', 'recall by group', 'selection_rate by group',
  ]);
  // Kinds without a chart get none.
  assert.deepEqual(groupBars({ ...evaluate, kind: 'describe' }, 80), []);
});

test('bars fit the width they are given', () => {
  for (const width of [30, 60, 120]) {
    for (const line of groupBars(audit, width)[0]!.split('\n')) {
      assert.ok([...line].length <= Math.max(width, 30),
        `${[...line].length} > ${width}: ${line}`);
    }
  }
});

test('a sparkline puts the lowest value lowest and the highest highest',
  () => {
    assert.equal(sparkline([1, 0.5, 0.25, 0.125]), '█▄▂▁');
    assert.equal(sparkline([0.7, 0.7, 0.7]), '▄▄▄');
    assert.equal(sparkline([1, Number.NaN, 0]), '█ ▁');
    assert.equal(sparkline([]), '');
    // A long series is averaged down to the width.
    const long = Array.from({ length: 300 }, (_, i) => 300 - i);
    const line = sparkline(long, 30);
    assert.equal([...line].length, 30);
    assert.equal(line[0], '█');
    assert.equal(line[line.length - 1], '▁');
  });

test('a train result\'s epochs give its loss history', () => {
  // The train result of grammar.md: one row per epoch.
  const train: Result = {
    kind: 'train',
    columns: ['epoch', 'loss', 'accuracy', 'validation_loss'],
    rows: [
      { epoch: 1, loss: 0.69, accuracy: 0.6, validation_loss: 0.7 },
      { epoch: 2, loss: 0.5, accuracy: 0.7, validation_loss: 0.6 },
      { epoch: 3, loss: 0.41, accuracy: 0.8, validation_loss: 0.58 },
    ],
  };
  assert.deepEqual(lossHistory(train), [0.69, 0.5, 0.41]);
  assert.deepEqual(lossHistory(train, 'validation_loss'), [0.7, 0.6, 0.58]);

  const lines = lossSparklines(train, 80);
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /^loss\s+█▃▁ 0\.69 → 0\.41 over 3 epochs$/);
  assert.match(lines[1]!,
    /^validation_loss █▂▁ 0\.7 → 0\.58 over 3 epochs$/);
  // A long training is averaged down to fit the terminal.
  const long: Result = { kind: 'train', columns: ['epoch', 'loss'],
    rows: Array.from({ length: 300 }, (_, i) => ({ epoch: i + 1,
      loss: 1 / (i + 1) })) };
  const [line] = lossSparklines(long, 60);
  assert.equal([...line!].length, 60);
  assert.match(line!, /^loss █.*▁ 1 → 0\.003333 over 300 epochs$/);
});

test('a loss history is also read as Keras and tfjs give it', () => {
  assert.deepEqual(lossHistory({ kind: 'train', history: [
    { epoch: 1, loss: 0.9 }, { epoch: 2, loss: 0.8 }] }), [0.9, 0.8]);
  assert.deepEqual(lossHistory({ kind: 'train',
    history: { loss: [0.9, 0.8], val_loss: [1, 0.9] } }, 'val_loss'),
  [1, 0.9]);
  assert.deepEqual(lossHistory({ kind: 'train' }), []);
  // Rows without epochs are not a history.
  assert.deepEqual(lossHistory({ kind: 'show', columns: ['loss'],
    rows: [{ loss: 1 }] }), []);
});

test('chartsFor draws nothing for results without charts', () => {
  assert.deepEqual(chartsFor({ kind: 'load', message: 'x' }, 80), []);
  assert.equal(chartsFor(audit, 80).length, 1);
});
