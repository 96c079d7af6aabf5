// generate: the sampler keeps a group's means and correlations; SMOTE rows
// stay inside the group; rows are appended or kept apart; shares by group.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupRows } from '../../src/runtime/groups.js';
import { columnOf, rowCount, type Table } from '../../src/runtime/table.js';
import { run, runFailing, tabular } from '../helpers/index.js';

const pima = tabular('pima_indians_diabetes2.csv');
const features = ['pregnant', 'glucose', 'pressure', 'triceps', 'insulin',
  'mass', 'pedigree', 'age'];

function values(table: Table, name: string, rows?: number[]): number[] {
  const column = columnOf(table, name) as Float64Array;
  return rows ? rows.map((r) => column[r]!) : [...column];
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: number[]) => {
  const m = mean(v);
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
};
function pearson(a: number[], b: number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let s = 0;
  let sa = 0;
  let sb = 0;
  a.forEach((x, i) => {
    s += (x - ma) * (b[i]! - mb);
    sa += (x - ma) ** 2;
    sb += (b[i]! - mb) ** 2;
  });
  return s / Math.sqrt(sa * sb);
}
function ranks(v: number[]): number[] {
  const order = v.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
  const out = new Array<number>(v.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let t = i; t <= j; t++) out[order[t]![1]] = (i + j) / 2;
    i = j + 1;
  }
  return out;
}
const spearman = (a: number[], b: number[]) => pearson(ranks(a), ranks(b));

test('the sampler keeps the group\'s means, spreads and correlations',
  async () => {
    const { session, results } = await run(`seed 21
load "${pima}" as pima
clean drop missing
generate 4000 where diabetes = "pos" using sampler as fake`);
    const source = session.table('pima');
    const fake = session.table('fake');
    assert.equal(rowCount(fake), 4000);
    assert.equal(rowCount(source), 392);
    assert.equal(results[3]!.summary!['source_rows'], 130);

    const diabetes = columnOf(source, 'diabetes') as string[];
    const rows = diabetes.flatMap((d, r) => (d === 'pos' ? [r] : []));
    assert.ok((columnOf(fake, 'diabetes') as string[]).every((d) =>
      d === 'pos'));

    let strongest = 0;
    for (const a of features) {
      const x = values(source, a, rows);
      const y = values(fake, a);
      assert.ok(Math.abs(mean(y) - mean(x)) < 0.1 * sd(x),
        `${a}: mean ${mean(y)} against the group's ${mean(x)}`);
      assert.ok(Math.abs(sd(y) / sd(x) - 1) < 0.15, `${a}: sd`);
      for (const b of features) {
        if (a >= b) continue;
        const xb = values(source, b, rows);
        const yb = values(fake, b);
        strongest = Math.max(strongest, Math.abs(pearson(x, xb)));
        // The copula keeps rank correlation; Pearson's drifts a little on
        // skewed columns such as insulin.
        assert.ok(Math.abs(spearman(y, yb) - spearman(x, xb)) < 0.1,
          `${a}-${b}: rank correlation`);
        assert.ok(Math.abs(pearson(y, yb) - pearson(x, xb)) < 0.2,
          `${a}-${b}: correlation`);
      }
    }
    // The check has teeth: some pairs are strongly correlated.
    assert.ok(strongest > 0.5);
  });

test('generate appends marked rows, or keeps them apart with as', async () => {
  const { session, results } = await run(`seed 4
load "${pima}" as pima
clean drop missing
generate 100 where age > 50 using smote
generate 50 using sampler as extra`);
  const table = session.table('pima');
  assert.equal(rowCount(table), 492);
  const synthetic = columnOf(table, 'synthetic') as boolean[];
  assert.equal(synthetic.filter(Boolean).length, 100);
  // SMOTE rows lie between rows with age > 50, so their age is above 50.
  const age = values(table, 'age');
  assert.ok(age.every((a, r) => !synthetic[r] || a > 50));
  assert.equal(results[3]!.summary!['generated'], 100);

  assert.equal(rowCount(session.table('extra')), 50);
  assert.ok((columnOf(session.table('extra'), 'synthetic') as boolean[])
    .every(Boolean));
});

test('generate by groups shares the rows in proportion to group sizes',
  async () => {
    const { session } = await run(`seed 4
load "${pima}" as pima
clean drop missing
generate 392 by diabetes using sampler as fake`);
    // 262 neg and 130 pos rows: 392 new rows split the same way.
    assert.deepEqual(groupRows(session.table('fake'), ['diabetes']).groups
      .map((g) => g.rows.length), [262, 130]);
  });

test('generate needs matching rows and complete numbers', async () => {
  const none = await runFailing(`load "${pima}" as pima
generate 10 where age > 200 using sampler`);
  assert.equal(none[0]!.code, 'no-rows-match');

  const gaps = await runFailing(`load "${pima}" as pima
generate 10 using sampler`);
  assert.equal(gaps[0]!.code, 'missing-feature');
});
