// The model statements' grammar and checks: every problem found before
// anything runs, pointing at the words at fault.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkStatements, emptyEnvironment, type FileOracle,
} from '../../src/lang/check.js';
import { parse } from '../../src/lang/parser.js';
import type { Schema, ValueType } from '../../src/lang/types.js';
import { marked } from '../helpers/index.js';

const loans: Schema = new Map<string, ValueType>([
  ['deny', 'string'], ['afam', 'string'], ['pirat', 'number'],
  ['hirat', 'number'], ['single', 'boolean'],
]);
const files: FileOracle = {
  resolve: (path) => `/data/${path}`,
  exists: (resolved) => ['/data/loans.csv', '/data/m.json'].includes(resolved),
  schema: () => loans,
};

function check(source: string) {
  const parsed = parse(source);
  if (parsed.diagnostics.length) return { diagnostics: parsed.diagnostics };
  return checkStatements(parsed.program.statements, emptyEnvironment(files));
}

function problemAt(template: string) {
  const { source, line, column } = marked(template);
  const { diagnostics } = check(source);
  assert.equal(diagnostics.length, 1,
    diagnostics.map((d) => d.message).join('; '));
  assert.equal(diagnostics[0]!.span?.line, line, diagnostics[0]!.message);
  assert.equal(diagnostics[0]!.span?.column, column, diagnostics[0]!.message);
  return diagnostics[0]!;
}

const trained = 'load "loans.csv"\n' +
  'train logistic target deny = "yes" as model\n';

test('the whole model workflow checks cleanly', () => {
  const { diagnostics } = check(trained +
    'evaluate model by afam reference "no" threshold 0.4 bootstrap 200\n' +
    'predict model as scored\n' +
    'mitigate model by afam for equalized_odds tolerance 0.05 as fair\n' +
    'evaluate fair on scored by afam\n' +
    'save model fair to "out/fair.json"\n' +
    'load model "out/fair.json"\n' +
    'evaluate predictions prediction against deny scores score on scored ' +
    'by afam\n' +
    'train mlp 16, 8 on loans target deny features pirat, hirat, afam ' +
    'epochs 5 batch 16 rate 0.001 optimizer sgd decay 0.01 ' +
    'class weights balanced validation 0.2 as net\n' +
    'set backend wasm');
  assert.deepEqual(diagnostics.map((d) => d.message), []);
});

test('a model type that does not exist is a syntax error with a guess', () => {
  const problem = problemAt('load "loans.csv"\ntrain «logstic» target deny');
  assert.equal(problem.code, 'unexpected-token');
  assert.deepEqual(problem.hints, ['did you mean "logistic"?']);
});

test('train needs a target', () => {
  const problem = problemAt('load "loans.csv"\n«train logistic epochs 3»');
  assert.equal(problem.code, 'missing-target');
});

test('a target value must have the target column\'s type', () => {
  const problem = problemAt('load "loans.csv"\n' +
    'train logistic target deny = «1»');
  assert.equal(problem.code, 'wrong-type');
});

test('an evaluation table missing a feature column is caught early', () => {
  const problem = problemAt(trained + 'select deny, afam, pirat as small\n' +
    'evaluate model on «small»');
  assert.equal(problem.code, 'missing-model-column');
  assert.match(problem.message,
    /no columns "hirat", "single", which model "model" reads as features/);
});

test('a threshold outside [0, 1] is refused', () => {
  const problem = problemAt(trained + 'evaluate model threshold «1.5»');
  assert.equal(problem.code, 'bad-number');
  assert.match(problem.message, /a threshold must be a number from 0 to 1/);
  const negative = problemAt(trained + 'predict model threshold «-0.2»');
  assert.equal(negative.code, 'bad-number');
});

test('an unknown model gets "did you mean"', () => {
  const problem = problemAt(trained + 'evaluate «modle» by afam');
  assert.equal(problem.code, 'unknown-model');
  assert.deepEqual(problem.hints, ['did you mean "model"?']);
});

test('a table is not a model', () => {
  const problem = problemAt(trained + 'evaluate «loans» by afam');
  assert.equal(problem.code, 'unknown-model');
  assert.match(problem.hints[1]!, /evaluate predictions/);
});

test('reference needs by, and one value per by column', () => {
  assert.equal(problemAt(trained + 'evaluate model «reference» "no"').code,
    'reference-without-by');
  assert.equal(problemAt(trained +
    'evaluate model by afam, single «reference» "no"').code,
  'reference-count');
});

test('choices are checked with "did you mean"', () => {
  const goal = problemAt(trained + 'mitigate model by afam for ' +
    '«demographic_partiy»');
  assert.equal(goal.code, 'unknown-goal');
  assert.deepEqual(goal.hints, ['did you mean "demographic_parity"?']);
  assert.equal(problemAt('load "loans.csv"\n' +
    'train logistic target deny optimizer «adma»').code, 'unknown-optimizer');
  assert.equal(problemAt('set backend «gpuu»').code, 'unknown-backend');
});

test('numbers out of range name the rule', () => {
  const epochs = problemAt('load "loans.csv"\n' +
    'train logistic target deny epochs «2.5»');
  assert.match(epochs.message, /epochs must be a whole number of at least 1/);
  assert.equal(problemAt('load "loans.csv"\n' +
    'train logistic target deny validation «1»').code, 'bad-number');
  assert.equal(problemAt('load "loans.csv"\n' +
    'train mlp «0» target deny').code, 'bad-number');
});

test('a clause given twice is reported once', () => {
  const problem = problemAt('load "loans.csv"\n' +
    'train logistic target deny epochs 3 «epochs» 4');
  assert.equal(problem.code, 'duplicate-clause');
});

test('clauses of one evaluate form are refused in the other', () => {
  assert.equal(problemAt(trained +
    'evaluate predictions deny against deny threshold «0.3»').code,
  'clause-not-allowed');
  assert.equal(problemAt(trained + 'evaluate model scores «pirat»').code,
    'clause-not-allowed');
});

test('a mitigated model keeps its own thresholds', () => {
  const problem = problemAt(trained +
    'mitigate model by afam for demographic_parity as fair\n' +
    'evaluate fair by afam threshold «0.3»');
  assert.equal(problem.code, 'mitigated-threshold');
});

test('the target cannot be a feature; the weight must be numbers', () => {
  assert.equal(problemAt('load "loans.csv"\n' +
    'train logistic target deny features pirat, «deny»').code,
  'target-is-feature');
  assert.equal(problemAt('load "loans.csv"\n' +
    'train logistic target deny weight «afam»').code, 'wrong-type');
});

test('a model named like a table is refused', () => {
  assert.equal(problemAt('load "loans.csv"\n' +
    'train logistic target deny as «loans»').code, 'model-name-taken');
});

test('save model and load model', () => {
  assert.equal(problemAt('save model «nothing» to "x.json"').code,
    'unknown-model');
  assert.equal(problemAt('load model «"missing.json"»').code,
    'file-not-found');
  const { diagnostics } = check('load model "m.json"\n' +
    'load "loans.csv"\nevaluate m by afam');
  assert.deepEqual(diagnostics, []);
});

test('a model called "predictions" is still a model', () => {
  const { diagnostics } = check('load "loans.csv"\n' +
    'train logistic target deny as predictions\n' +
    'evaluate predictions by afam');
  assert.deepEqual(diagnostics, []);
});
