// SMOTE: where the new rows lie, how many there are, how they compare with
// imbalanced-learn's, and that the same seed repeats them exactly.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { columnNames, columnOf, rowCount, type Table } from
  '../../src/runtime/table.js';
import { root, run, runFailing, scratch, tabular } from '../helpers/index.js';
import { python } from '../helpers/python.js';

const pima = tabular('pima_indians_diabetes2.csv');
const features = ['pregnant', 'glucose', 'pressure', 'triceps', 'insulin',
  'mass', 'pedigree', 'age'];

async function smoted(seed: number): Promise<Table> {
  const { session } = await run(`seed ${seed}
load "${pima}" as pima
clean drop missing
balance by diabetes method smote as balanced`);
  return session.table('balanced');
}

function matrix(table: Table, rows: number[]): number[][] {
  const columns = features.map((f) => columnOf(table, f) as Float64Array);
  return rows.map((row) => columns.map((c) => c[row]!));
}

function distance(a: number[], b: number[]): number {
  return Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0));
}

/**
 * Every row's neighbours within its 5th-nearest distance (more than 5 when
 * distances tie), by brute force: an independent check of the k-d tree.
 */
function fiveNearest(points: number[][]): number[][] {
  return points.map((p, i) => {
    const others = points.map((q, j) => ({ j, d: distance(p, q) }))
      .filter(({ j }) => j !== i)
      .sort((a, b) => a.d - b.d);
    const fifth = others[4]!.d;
    return others.filter(({ d }) => d <= fifth + 1e-9).map(({ j }) => j);
  });
}

test('SMOTE rows lie between a row and one of its 5 nearest same-class ' +
  'neighbours, and classes reach the asked size (pima, drop missing)',
async () => {
  const table = await smoted(7);
  const diabetes = columnOf(table, 'diabetes') as (string | null)[];
  const synthetic = columnOf(table, 'synthetic') as boolean[];
  const all = Array.from({ length: rowCount(table) }, (_, i) => i);

  // Class counts: 392 complete rows, 262 neg and 130 pos (pandas
  // dropna() on the same file, see reference/tabular.json); pos grows to 262.
  const count = (label: string, made: boolean) => all.filter((r) =>
    diabetes[r] === label && synthetic[r] === made).length;
  assert.equal(count('neg', false), 262);
  assert.equal(count('pos', false), 130);
  assert.equal(count('neg', true), 0);
  assert.equal(count('pos', true), 132);

  const sources = all.filter((r) => !synthetic[r] && diabetes[r] === 'pos');
  const points = matrix(table, sources);
  const neighbours = fiveNearest(points);
  const made = matrix(table, all.filter((r) => synthetic[r]));

  for (const row of made) {
    const onSegment = points.some((from, i) => neighbours[i]!.some((j) => {
      const to = points[j]!;
      // The step u from the largest coordinate gap, then every coordinate.
      let axis = 0;
      for (let d = 1; d < features.length; d++) {
        if (Math.abs(to[d]! - from[d]!) > Math.abs(to[axis]! - from[axis]!)) {
          axis = d;
        }
      }
      const gap = to[axis]! - from[axis]!;
      const u = gap === 0 ? 0 : (row[axis]! - from[axis]!) / gap;
      if (u < -1e-12 || u > 1) return false;
      return row.every((v, d) =>
        Math.abs(v - (from[d]! + u * (to[d]! - from[d]!))) < 1e-9 *
          Math.max(1, Math.abs(v)));
    }));
    assert.ok(onSegment, `synthetic row ${JSON.stringify(row)} is on no ` +
      'segment to a 5-nearest neighbour');
  }
});

test('SMOTE rows have the mean and spread of imbalanced-learn\'s ' +
  '(20 seeds each, pima)', async () => {
  // Peer: imblearn.over_sampling.SMOTE(k_neighbors=5) from Debian's
  // python3-imblearn, seeds 0-19, synthetic rows pooled.
  const fixture = resolve(root, 'test/fixtures/repair/smote_stats.py');
  const peer = JSON.parse(execFileSync(python,
    [fixture, pima, 'diabetes', '20'], { encoding: 'utf8' })) as {
    features: string[]; mean: number[]; std: number[];
    rows_per_seed: number; counts: Record<string, number>;
  };
  assert.deepEqual(peer.features, features);
  assert.deepEqual(peer.counts, { neg: 262, pos: 262 });

  const pooled: number[][] = [];
  for (let seed = 0; seed < 20; seed++) {
    const table = await smoted(seed);
    const synthetic = columnOf(table, 'synthetic') as boolean[];
    const rows = synthetic.flatMap((s, r) => (s ? [r] : []));
    assert.equal(rows.length, peer.rows_per_seed);
    pooled.push(...matrix(table, rows));
  }

  features.forEach((feature, d) => {
    const values = pooled.map((row) => row[d]!);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) /
      values.length);
    // 2,640 rows a side, drawn around 130 source rows: the difference of
    // the means varies by about 0.04 sd from run to run.
    assert.ok(Math.abs(mean - peer.mean[d]!) < 0.15 * peer.std[d]!,
      `${feature}: mean ${mean} against imblearn's ${peer.mean[d]}`);
    assert.ok(Math.abs(sd / peer.std[d]! - 1) < 0.15,
      `${feature}: sd ${sd} against imblearn's ${peer.std[d]}`);
  });
});

test('same seed, same bytes; another seed, other rows', async () => {
  const folder = scratch();
  const save = async (seed: number, name: string) => {
    await run(`seed ${seed}
load "${pima}" as pima
clean drop missing
balance by diabetes method smote
save to "${join(folder, name)}"`);
    return readFileSync(join(folder, name));
  };
  const first = await save(3, 'a.csv');
  const again = await save(3, 'b.csv');
  const other = await save(4, 'c.csv');
  assert.ok(first.equals(again), 'seed 3 twice gave different files');
  assert.ok(!first.equals(other), 'seeds 3 and 4 gave the same file');
});

test('SMOTE-NC: categories of new rows come from the neighbours', async () => {
  const { session, results } = await run(`seed 1
load "${tabular('hmda.csv')}" as loans
balance by afam target deny method smote`);
  const table = session.table('loans');
  const synthetic = columnOf(table, 'synthetic') as boolean[];
  const single = columnOf(table, 'single') as (string | null)[];
  const made = synthetic.flatMap((s, r) => (s ? [r] : []));
  // Categories are values of the column, never interpolated.
  assert.ok(made.every((r) => single[r] === 'yes' || single[r] === 'no'));
  assert.ok(columnNames(table).includes('synthetic'));
  const notes = results[2]!.notes ?? [];
  assert.ok(notes.some((n) => n.startsWith('SMOTE-NC')));
});

test('SMOTE on a class with fewer than 6 rows uses fewer neighbours and ' +
  'says so; one row is an error', async () => {
  const few = await run(`seed 1
load "${pima}" as pima
clean drop missing
where diabetes = "neg" or glucose >= 196
balance by diabetes method smote`);
  const table = few.session.table('pima');
  const diabetes = columnOf(table, 'diabetes') as string[];
  // pandas: 4 complete pos rows have glucose >= 196.
  assert.equal(diabetes.filter((d) => d === 'pos').length, 262);
  assert.ok((few.results[4]!.notes ?? []).some((n) =>
    n.includes('only 4 rows') && n.includes('3 nearest')));

  const one = await runFailing(`load "${pima}" as pima
clean drop missing
where diabetes = "neg" or glucose >= 198
balance by diabetes method smote`);
  assert.equal(one[0]!.code, 'too-few-rows');
});

test('SMOTE with missing feature values names the column and suggests ' +
  'clean', async () => {
  const [problem] = await runFailing(`load "${pima}" as pima
balance by diabetes method smote`);
  assert.equal(problem!.code, 'missing-feature');
  assert.match(problem!.message, /"glucose"/);
  assert.ok(problem!.hints.some((h) => h.includes('clean drop missing in ' +
    'glucose')));
  assert.equal(problem!.span?.line, 2);
});
