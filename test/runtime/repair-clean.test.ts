// clean: each operation against pandas on the same file (fixture
// test/fixtures/repair/clean_reference.py), and the per-group report.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { columnOf, rowCount } from '../../src/runtime/table.js';
import { root, run, runFailing, scratch, tabular } from '../helpers/index.js';
import { python } from '../helpers/python.js';

const pima = tabular('pima_indians_diabetes2.csv');
const cancer = tabular('breast_cancer_wisconsin.csv');

interface Pandas {
  dropna_rows: number;
  dropna_subset_rows: number;
  dropna_by_older: Record<'False' | 'True', [number, number]>;
  insulin_median_by_diabetes: number[];
  triceps_mean: number[];
  pressure_mode: number;
  iqr_rows: number;
  z_rows: number;
  cancer_duplicates: number;
  cancer_duplicates_without_id: number;
}

const pandas = JSON.parse(execFileSync(python,
  [resolve(root, 'test/fixtures/repair/clean_reference.py'), pima, cancer],
  { encoding: 'utf8', maxBuffer: 16 << 20 })) as Pandas;

async function rowsAfter(script: string, table = 'pima'): Promise<number> {
  const { session } = await run(`load "${pima}" as pima\n${script}`);
  return rowCount(session.table(table));
}

test('drop missing, overall and in some columns, as pandas dropna',
  async () => {
    assert.equal(pandas.dropna_rows, 392);
    assert.equal(await rowsAfter('clean drop missing'), pandas.dropna_rows);
    assert.equal(await rowsAfter('clean drop missing in glucose, mass'),
      pandas.dropna_subset_rows);
  });

test('impute with the median by group, the mean, the mode', async () => {
  const { session } = await run(`load "${pima}" as pima
clean impute insulin with median by diabetes, impute triceps with mean
clean impute pressure with mode as moded`);
  const table = session.table('pima');
  const insulin = columnOf(table, 'insulin') as Float64Array;
  const triceps = columnOf(table, 'triceps') as Float64Array;
  assert.deepEqual([...insulin], pandas.insulin_median_by_diabetes);
  triceps.forEach((value, row) => {
    assert.ok(Math.abs(value - pandas.triceps_mean[row]!) < 1e-9, `row ${row}`);
  });

  const original = columnOf(session.table('pima'), 'pressure') as Float64Array;
  const moded = columnOf(session.table('moded'), 'pressure') as Float64Array;
  original.forEach((value, row) => {
    assert.equal(moded[row], Number.isNaN(value) ? pandas.pressure_mode
      : value);
  });
});

test('outliers by IQR and by z score, as pandas', async () => {
  assert.equal(await rowsAfter('clean outliers insulin, mass iqr 1.5'),
    pandas.iqr_rows);
  assert.equal(await rowsAfter('clean outliers pedigree z 3'),
    pandas.z_rows);
});

test('dedupe: exact rows and rows equal but for Id, as pandas duplicated',
  async () => {
    const { session } = await run(`load "${cancer}" as cancer
clean dedupe as exact
clean cancer dedupe on \`Cl.thickness\`, \`Cell.size\`, \`Cell.shape\`, \
\`Marg.adhesion\`, \`Epith.c.size\`, \`Bare.nuclei\`, \`Bl.cromatin\`, \
\`Normal.nucleoli\`, Mitoses, Class as without_id`);
    assert.equal(pandas.cancer_duplicates, 8);
    assert.equal(rowCount(session.table('exact')), 699 - 8);
    assert.equal(rowCount(session.table('without_id')),
      699 - pandas.cancer_duplicates_without_id);
  });

test('dedupe within a tolerance removes near duplicates of kept rows',
  async () => {
    const folder = scratch();
    const file = join(folder, 'near.csv');
    // Rows 2 and 3 are within 0.01 of row 1 in both numbers; row 4 is
    // not (b differs by 0.02); row 5 differs in its text.
    writeFileSync(file, 'a,b,c\n1.000,2.000,x\n1.004,2.009,x\n' +
      '0.995,1.999,x\n1.000,2.020,x\n1.000,2.000,y\n');
    const { session, results } = await run(`load "${file}" as t
clean dedupe within 0.01`, folder);
    const a = columnOf(session.table('t'), 'a') as Float64Array;
    assert.deepEqual([...a], [1, 1, 1]);
    assert.equal(results[1]!.summary!['removed'], 2);
  });

test('every step reports rows removed per sensitive group and warns ' +
  'when one group loses a larger share', async () => {
  const { results } = await run(`load "${pima}" as pima
derive older = age >= 40
sensitive older
clean drop missing`);
  const result = results[3]!;
  const rows = result.rows!;
  for (const row of rows) {
    const [n, removed] = pandas.dropna_by_older[row['older'] ? 'True' :
      'False'];
    assert.equal(row['n_before'], n);
    assert.equal(row['removed'], removed);
  }

  // pandas: 131 of 207 older rows go (63%), 245 of 561 younger (44%):
  // the rule (1.25 times the others' share and a point more) holds.
  const [olderN, olderLost] = pandas.dropna_by_older.True;
  const [youngerN, youngerLost] = pandas.dropna_by_older.False;
  assert.ok(olderLost / olderN >= 1.25 * youngerLost / youngerN);
  const warnings = (result.notes ?? []).filter((n) =>
    n.includes('shifts who the data represents'));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /older = true/);
});

test('without declared sensitive columns, the latest audit\'s groups are ' +
  'used; with neither, a note says how to get them', async () => {
  const { results } = await run(`load "${pima}" as pima
derive older = age >= 40
audit by older
clean drop missing`);
  const result = results[3]!;
  assert.equal(result['sensitive_source'], 'audit');
  assert.deepEqual(result['sensitive'], ['older']);
  assert.deepEqual(result.rows!.map((r) => r['older']), [false, true]);

  const plain = await run(`load "${pima}" as pima
clean dedupe`);
  assert.ok((plain.results[1]!.notes ?? []).some((n) =>
    n.includes('no sensitive columns are known')));
});

test('impute finds nothing to fill from in an all-missing column', async () => {
  const folder = scratch();
  const file = join(folder, 'gap.csv');
  writeFileSync(file, 'a,b\n1,\n2,\n');
  const [problem] = await runFailing(`load "${file}" types {b: number}
clean impute b with mean`, folder);
  assert.equal(problem!.code, 'nothing-to-impute-from');
});
