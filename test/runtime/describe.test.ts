// describe, checked against the figures pandas computed for
// ../shared/reference/tabular.json and against pandas run here.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pythonJson } from '../helpers/python.js';
import { run, shared, tabular } from '../helpers/index.js';

interface Reference {
  rows: number;
  n_cols: number;
  n_missing_total: number;
  n_rows_with_missing: number;
  n_duplicate_rows: number;
  columns: { name: string; pandas_dtype: string; n_missing: number }[];
}

const reference = JSON.parse(readFileSync(
  join(shared, 'reference', 'tabular.json'), 'utf8')) as
  Record<string, Reference>;

const typeOfDtype: Record<string, string> = {
  float64: 'number', int64: 'number', object: 'text', bool: 'boolean',
};

const datasets = ['hmda', 'arrests', 'admissions', 'pima_indians_diabetes2',
  'breast_cancer_wisconsin', 'sklearn_digits'];

for (const name of datasets) {
  test(`describe ${name} matches the pandas reference`, async () => {
    const expected = reference[name]!;
    const { results } = await run(
      `load "${tabular(`${name}.csv`)}" as t\ndescribe t`);
    const describe = results[1]!;
    assert.deepEqual(describe.summary, {
      rows: expected.rows,
      columns: expected.n_cols,
      missing_values: expected.n_missing_total,
      rows_with_missing: expected.n_rows_with_missing,
      duplicate_rows: expected.n_duplicate_rows,
    });

    const rows = describe.rows!;
    for (const column of expected.columns ?? []) {
      const row = rows.find((r) => r['column'] === column.name);
      assert.ok(row, `column ${column.name}`);
      assert.equal(row!['missing'], column.n_missing, column.name);
      assert.equal(row!['type'], typeOfDtype[column.pandas_dtype],
        `${column.name} is ${column.pandas_dtype} in pandas`);
    }
  });
}

test('the issue figures: HMDA 2380 rows, 0 missing, 3 duplicates; ' +
  'Pima 652 missing values in 376 rows', async () => {
  const { results } = await run(
    `load "${tabular('hmda.csv')}"\ndescribe\n` +
    `load "${tabular('pima_indians_diabetes2.csv')}"\ndescribe`);
  assert.equal(results[1]!.summary!['rows'], 2380);
  assert.equal(results[1]!.summary!['missing_values'], 0);
  assert.equal(results[1]!.summary!['duplicate_rows'], 3);
  assert.equal(results[3]!.summary!['missing_values'], 652);
  assert.equal(results[3]!.summary!['rows_with_missing'], 376);
});

test('statistics of every column equal pandas describe()', async () => {
  for (const name of ['pima_indians_diabetes2', 'hmda', 'breast_cancer_wisconsin']) {
    const file = tabular(`${name}.csv`);
    const pandas = pythonJson<Record<string, Record<string, number | null>>>(`
import json, sys, pandas as pd
frame = pd.read_csv(sys.argv[1])
out = {}
for column in frame.columns:
    s = frame[column]
    entry = {"count": int(s.count()), "distinct": int(s.nunique())}
    if pd.api.types.is_numeric_dtype(s):
        entry.update(min=float(s.min()), max=float(s.max()),
                     mean=float(s.mean()), std=float(s.std()))
    else:
        top = s.value_counts()
        entry.update(top_value=str(top.index[0]), top_count=int(top.iloc[0]))
    out[column] = entry
print(json.dumps(out))
`, [file]);

    const { results } = await run(`load "${file}"\ndescribe`);
    for (const row of results[1]!.rows!) {
      const column = row['column'] as string;
      const expected = pandas[column]!;
      assert.equal(row['count'], expected['count'], `${name}.${column} count`);
      assert.equal(row['distinct'], expected['distinct'],
        `${name}.${column} distinct`);
      for (const stat of ['min', 'max', 'mean', 'std']) {
        if (!(stat in expected)) continue;
        const ours = row[stat] as number;
        const theirs = expected[stat] as number;
        assert.ok(Math.abs(ours - theirs) <= 1e-9 * Math.max(1, Math.abs(theirs)),
          `${name}.${column} ${stat}: ${ours} vs pandas ${theirs}`);
      }
      if ('top_value' in expected) {
        assert.ok(String(row['top']).startsWith(
          `${expected['top_value']} (${expected['top_count']})`),
        `${name}.${column} top: ${row['top']}`);
      }
    }
  }
});
