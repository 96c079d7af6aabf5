// The repair statements' grammar and checks: what each form parses to,
// and where each mistake is reported.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from '../../src/lang/parser.js';
import { Session } from '../../src/runtime/session.js';
import { marked, root, tabular } from '../helpers/index.js';

const hmda = tabular('hmda.csv');

function only(source: string) {
  const parsed = parse(source);
  assert.deepEqual(parsed.diagnostics.map((d) => d.message), []);
  assert.equal(parsed.program.statements.length, 1);
  return parsed.program.statements[0]!;
}

/** Strip spans, so that shapes compare. */
function shape(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) =>
    (key.endsWith('pan') ? undefined : v)));
}

test('clean: operations separated by commas, with column lists', () => {
  const statement = only('clean loans drop missing in a, b, dedupe on c, ' +
    'd within 0.5, impute x with median by g, outliers p, q iqr 1.5 as out');
  assert.deepEqual(shape(statement), {
    kind: 'clean',
    input: { name: 'loans' },
    output: { name: 'out' },
    operations: [
      { op: 'drop-missing', columns: [{ name: 'a' }, { name: 'b' }] },
      { op: 'dedupe', columns: [{ name: 'c' }, { name: 'd' }],
        tolerance: 0.5 },
      { op: 'impute', columns: [{ name: 'x' }], method: 'median',
        by: [{ name: 'g' }] },
      { op: 'outliers', columns: [{ name: 'p' }, { name: 'q' }],
        rule: 'iqr', limit: 1.5 },
    ],
  });
  assert.deepEqual(shape(only('clean labels deny using a, b')), {
    kind: 'clean',
    operations: [{ op: 'labels', target: { name: 'deny' },
      features: [{ name: 'a' }, { name: 'b' }] }],
  });
});

test('split, stratify, balance and generate forms', () => {
  assert.deepEqual(shape(only('split 70/15/15 stratify by afam, deny ' +
    'into a, b, c')), {
    kind: 'split', shares: [70, 15, 15],
    strata: [{ name: 'afam' }, { name: 'deny' }],
    into: [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
  });
  assert.deepEqual(shape(only('stratify loans by afam size 100 equal')), {
    kind: 'stratify', input: { name: 'loans' }, strata: [{ name: 'afam' }],
    amount: { type: 'size', value: 100 }, equal: true,
  });
  assert.deepEqual(shape(only('balance train by afam target deny method ' +
    'smote to {yes: 500} as b')), {
    kind: 'balance', input: { name: 'train' }, output: { name: 'b' },
    groups: [{ name: 'afam' }], target: { name: 'deny' }, method: 'smote',
    goal: { type: 'counts', counts: [{ key: 'yes', value: 500 }] },
  });
  assert.deepEqual(shape(only('balance by afam method oversample to ratio ' +
    '0.5')), {
    kind: 'balance', groups: [{ name: 'afam' }], method: 'oversample',
    goal: { type: 'ratio', ratio: 0.5 },
  });
  const generate = only('generate 10 where afam = "yes" by deny using ' +
    'sampler as fake') as { kind: string; count: number; method: string };
  assert.equal(generate.kind, 'generate');
  assert.equal(generate.count, 10);
  assert.equal(generate.method, 'sampler');
});

test('syntax errors name what was expected', () => {
  const method = parse('balance by afam method foo');
  assert.match(method.diagnostics[0]!.message,
    /expected "oversample", "undersample", "reweigh" or "smote"/);
  const impute = parse('clean impute age with average');
  assert.match(impute.diagnostics[0]!.message,
    /"mean", "median" or "mode"/);
});

/** Check a script against the HMDA table; return its first problem. */
function problem(template: string) {
  const { source, line, column, text } = marked(template);
  const session = new Session({ cwd: root });
  const diagnostics = session.check(`load "${hmda}" as loans\n` + source)
    .diagnostics.filter((d) => d.severity === 'error');
  assert.ok(diagnostics.length > 0, `no problem in ${source}`);
  const first = diagnostics[0]!;
  assert.equal(first.span?.line, line + 1, first.message);
  assert.equal(first.span?.column, column, first.message);
  assert.equal(first.span!.end - first.span!.start, text.length);
  return first;
}

test('checks point at the words at fault', () => {
  assert.equal(problem('split «80/30» into a, b').code, 'split-shares');
  assert.equal(problem('split 80/20 into «a», b, c').code, 'split-names');
  assert.equal(problem('split 80/20 into a, «a»').code, 'split-names');
  assert.equal(problem('split 80/20 stratify by «afma» into a, b').code,
    'unknown-column');
  assert.equal(problem('clean impute «afam» with mean').code, 'wrong-type');
  assert.equal(problem('clean outliers «deny» z 3').code, 'wrong-type');
  assert.equal(problem('clean outliers pirat iqr «0»').code, 'bad-number');
  assert.equal(problem('clean dedupe on «loans»').code, 'dedupe-on-table');
  assert.equal(problem('clean labels deny using pirat, «deny»').code,
    'target-as-feature');
  assert.equal(problem('balance by afam target «afam» method reweigh').code,
    'target-in-groups');
  assert.equal(problem('balance by afam method reweigh «to equal»').code,
    'balance-goal');
  assert.equal(problem('balance by afam method oversample to ratio «2»')
    .code, 'bad-number');
  assert.equal(problem('balance by afam method oversample to {yes: «0»}')
    .code, 'bad-number');
  assert.equal(problem('stratify by afam fraction «1.5»').code, 'bad-number');
  assert.equal(problem('generate «0» using smote').code, 'bad-number');
  assert.equal(problem('generate 5 where «pirat» using smote').code,
    'wrong-type');
  assert.equal(problem('sensitive «race»').code, 'unknown-column');
});

test('split makes its first part current and declares every part', () => {
  const session = new Session({ cwd: root });
  const checked = session.check(`load "${hmda}" as loans
split 80/20 into train, test
describe test
balance by afam method oversample`);
  assert.deepEqual(checked.diagnostics, []);
  assert.equal(checked.steps[3]!.input, 'train');
});
