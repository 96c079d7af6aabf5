// Bad inputs to the model statements, found in the data as they run.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pythonJson } from '../helpers/python.js';
import { run, runFailing, scratch, tabular } from '../helpers/index.js';

const loans = `load "${tabular('hmda.csv')}" as loans`;

test('a target with one class is refused', async () => {
  const [problem] = await runFailing(`${loans}
where deny = "no" as approved
train logistic on approved target deny`);
  assert.equal(problem!.code, 'one-class-target');
  assert.match(problem!.message,
    /target "deny" has only one class \("no"\) in table "approved"/);
  assert.equal(problem!.span?.line, 3);

  const [absent] = await runFailing(`${loans}
train logistic target deny = "maybe"`);
  assert.equal(absent!.code, 'one-class-target');
  assert.match(absent!.message, /no row is "maybe"/);
});

test('features with missing values are refused, naming the first row',
  async () => {
    const path = tabular('pima_indians_diabetes2.csv');
    const [problem] = await runFailing(`load "${path}" as pima
train logistic target diabetes = "pos"`);
    assert.equal(problem!.code, 'missing-feature-values');

    // The first column in file order with a missing value, its count and
    // first row, as pandas reads the same file.
    const peer = pythonJson<{ column: string; missing: number; row: number }>(`
import json, sys
import pandas as pd
d = pd.read_csv(sys.argv[1]).drop(columns=['diabetes'])
column = next(c for c in d.columns if d[c].isna().any())
print(json.dumps({'column': column, 'missing': int(d[column].isna().sum()),
                  'row': int(d[column].isna().values.argmax()) + 1}))
`, [path]);
    assert.match(problem!.message, new RegExp(
      `feature "${peer.column}" has ${peer.missing} missing values in ` +
      `table "pima" \\(the first in row ${peer.row}\\)`));
    assert.match(problem!.hints.join(' '),
      new RegExp(`where ${peer.column} is not missing`));
  });

test('a loaded model on a table without its features fails before running',
  async () => {
    const folder = scratch();
    await run(`${loans}
train logistic target deny epochs 1 as model
save model model to "${folder}/model.json"`);
    // The model's columns are known only once the file is read, so the
    // check just before evaluate runs finds the gap.
    const [problem] = await runFailing(`${loans}
load model "${folder}/model.json" as model
select deny, afam as thin
evaluate model on thin by afam`);
    assert.equal(problem!.code, 'missing-model-column');
    assert.equal(problem!.span?.line, 4);
    assert.match(problem!.message, /table "thin" has no columns "pirat", /);
  });

test('a threshold outside [0, 1] stops the script before it runs',
  async () => {
    const [problem] = await runFailing(`${loans}
train logistic target deny epochs 1 as model
evaluate model on loans threshold 2`);
    assert.equal(problem!.code, 'bad-number');
    assert.equal(problem!.span?.line, 3);
  });

test('categories never seen in training are reported, not fatal',
  async () => {
    const { results } = await run(`${loans}
where afam = "no" as others
train logistic on others target deny features afam, pirat epochs 1 as model
predict model on loans as scored`);
    assert.match((results[3]!.notes ?? []).join(' '),
      /feature "afam": 339 rows with values not seen in training \("yes"\)/);
  });

test('missing target values at evaluation are refused', async () => {
  const [problem] = await runFailing(`${loans}
train logistic target deny epochs 1 as model
derive deny = if(afam = "yes", missing, deny)
evaluate model on loans`);
  assert.equal(problem!.code, 'missing-target-values');
});

test('a backend that is not installed is a clear error', async (t) => {
  let installed = true;
  try {
    await import('@tensorflow/tfjs-node-gpu' as string);
  } catch {
    installed = false;
  }
  if (installed) {
    t.skip('@tensorflow/tfjs-node-gpu is installed here');
    return;
  }
  const [problem] = await runFailing('set backend gpu');
  assert.equal(problem!.code, 'backend-unavailable');
  assert.match(problem!.message,
    /backend gpu cannot be used: @tensorflow\/tfjs-node-gpu is not installed/);
});

test('weights must be numbers of 0 or more', async () => {
  const [problem] = await runFailing(`${loans}
derive w = if(afam = "yes", -1, 1)
train logistic target deny weight w`);
  assert.equal(problem!.code, 'bad-weights');
  assert.match(problem!.message, /has -1 in row \d+/);
});
