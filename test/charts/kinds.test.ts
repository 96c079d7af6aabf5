// The charts of describe, compare, balance, agreement, workers, train and
// evaluate, drawn from real statements and read back mark by mark. Where
// a figure is checked, its source is named: ../shared/reference/
// tabular.json (pandas) for the data, or the result the chart draws.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { chartSpec } from '../../src/charts/index.js';
import { palette } from '../../src/charts/theme.js';
import { renderSvgWithWarnings } from '../../src/runtime/render/svg.js';
import type { Result } from '../../src/runtime/result.js';
import { run, shared } from '../helpers/index.js';
import { fixtures } from './fixtures.js';
import { axisTitles, chartTitles, marks } from './marks.js';

const reference = JSON.parse(readFileSync(
  join(shared, 'reference', 'tabular.json'), 'utf8'));

async function drawn(kind: string, source = fixtures[kind]!) {
  const { results } = await run(source);
  const result = results[results.length - 1]!;
  assert.equal(result.kind, kind);
  const spec = chartSpec(result);
  assert.ok(spec);
  const { svg, warnings } = await renderSvgWithWarnings(spec);
  assert.deepEqual(warnings, []);
  return { result, svg };
}

const close = (a: number, b: number, tolerance = 1e-6) =>
  assert.ok(Math.abs(a - b) < tolerance, `${a} is not ${b}`);

test('describe draws one bar per column, as long as its missing share',
  async () => {
    const { svg } = await drawn('describe');
    const pima = reference.pima_indians_diabetes2;
    const bars = marks(svg, 'missing');
    assert.equal(bars.length, pima.n_cols);

    // pandas: insulin 374 of 768 missing, glucose 5.
    const missing = new Map<string, number>(pima.columns.map(
      (c: { name: string; n_missing: number }) => [c.name, c.n_missing]));
    const widest = bars.reduce((a, b) => (a.width! > b.width! ? a : b));
    assert.match(widest.label!, /column: insulin/);
    for (const bar of bars) {
      const column = /column: ([^;]+)/.exec(bar.label!)![1]!;
      close(bar.width! / widest.width!, missing.get(column)! / 374);
    }
    const counts = marks(svg, 'missing_count').map((m) => m.text)
      .filter((text) => text);
    assert.deepEqual(counts.sort(), ['11', '227', '35', '374', '5']);
    assert.ok(axisTitles(svg).includes('Missing values (% of rows)'));
  });

test('compare draws a before and an after bar per group', async () => {
  const { result, svg } = await drawn('compare');
  const shares = marks(svg, 'share');
  const rates = marks(svg, 'rate');
  assert.equal(shares.length, 4, '2 groups x 2 tables');
  assert.equal(rates.length, 4);
  assert.deepEqual(shares.map((m) => m.fill),
    ['#9a9a9a', palette[0], '#9a9a9a', palette[0]]);

  // The before side is all of HMDA: 2041 and 339 rows (pandas).
  const [no, yes] = reference.hmda.sensitive[0].groups;
  close(shares[0]!.width! / shares[2]!.width!, no.n / yes.n);
  const rows = result.rows!;
  close(rates[1]!.width! / rates[3]!.width!,
    (rows[0]!['rate_after'] as number) / (rows[1]!['rate_after'] as number));
  assert.ok(axisTitles(svg).includes('Positive rate (%)'));
});

test('balance draws each cell before and after', async () => {
  const { result, svg } = await drawn('balance');
  const bars = marks(svg, 'cell');
  assert.equal(bars.length, 8, '4 cells (afam x deny) x before, after');

  // Before: pandas counts of afam x deny: no/no 1852, no/yes 189,
  // yes/no 243, yes/yes 96 (n - n_favorable and n_favorable).
  const before = bars.filter((_, i) => i % 2 === 0).map((b) => b.width!);
  const counts = [1852, 189, 243, 96];
  before.forEach((width, i) => close(width / before[0]!, counts[i]! / 1852));

  // After: as many rows as the result says, cell by cell.
  const after = bars.filter((_, i) => i % 2 === 1).map((b) => b.width!);
  const sizes = result.rows!.map((r) => r['n_after'] as number);
  after.forEach((width, i) => close(width / after[0]!, sizes[i]! /
    sizes[0]!));
  assert.ok(axisTitles(svg).includes('Rows'));
});

test('agreement maps every pair of workers, both ways', async () => {
  const { result, svg } = await drawn('agreement');
  const pairs = result['pairs'] as { worker_a: unknown; worker_b: unknown;
    kappa: number }[];
  assert.equal(pairs.length, 10, '5 anaesthetists: 10 pairs');
  assert.equal(marks(svg, 'pair').length, 20);

  const texts = marks(svg, 'pair_kappa').map((m) => m.text).sort();
  const expected = pairs.flatMap((p) => [p.kappa.toFixed(2),
    p.kappa.toFixed(2)]).sort();
  assert.deepEqual(texts, expected);
  assert.equal(marks(svg, 'measure').length, result.rows!.filter((r) =>
    r['value'] !== null).length);
});

test('workers draws one bar per worker', async () => {
  const { result, svg } = await drawn('workers');
  assert.equal(marks(svg, 'worker').length, result.rows!.length);
  assert.ok(axisTitles(svg).includes("Cohen's kappa with the aggregate"));
});

test('train draws the loss and accuracy of every epoch', async () => {
  const { result, svg } = await drawn('train');
  const epochs = result.rows!.length;
  assert.equal(epochs, 8);
  // One line per set of rows (training, validation) in each panel.
  assert.equal(marks(svg, 'loss').length, 2);
  assert.equal(marks(svg, 'accuracy').length, 2);
  const titles = axisTitles(svg);
  assert.ok(titles.includes('Loss (cross-entropy, nats)'));
  assert.ok(titles.includes('Accuracy (%)'));
  assert.ok(titles.includes('Epoch'));
});

test('evaluate draws each measure per group and the confusion matrices',
  async () => {
    const { result, svg } = await drawn('evaluate');
    const rows = result.rows!;
    assert.equal(rows.length, 3, 'afam no, yes and all');

    const measures = ['accuracy', 'balanced_accuracy', 'precision',
      'recall', 'fpr', 'fnr', 'f1', 'selection_rate', 'auc'];
    const present = measures.filter((m) => rows.some((r) =>
      typeof r[m] === 'number'));
    assert.equal(marks(svg, 'measure').length, rows.reduce((sum, r) =>
      sum + present.filter((m) => typeof r[m] === 'number').length, 0));

    // Each matrix's four counts add up to its group's rows.
    const cells = marks(svg, 'confusion_value');
    assert.equal(cells.length, 12);
    const total = cells.reduce((sum, c) => sum + Number(c.text!
      .replace(/,/g, '')), 0);
    assert.equal(total, 2 * (rows[2]!['n'] as number));
    assert.match(chartTitles(svg).join(' '), /Evaluation of model/);
  });

test('a result a builder cannot draw has no chart', () => {
  const empty: Result = { kind: 'audit', rows: [] };
  assert.equal(chartSpec(empty), undefined);
  assert.equal(chartSpec({ kind: 'seed' }), undefined);
});
