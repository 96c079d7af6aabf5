import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkStatements, emptyEnvironment, type FileOracle,
} from '../../src/lang/check.js';
import { parse } from '../../src/lang/parser.js';
import type { Schema, ValueType } from '../../src/lang/types.js';
import { marked } from '../helpers/index.js';

// A file system of one known file, so that these tests never touch disk.
const loans: Schema = new Map<string, ValueType>([
  ['deny', 'string'], ['afam', 'string'], ['pirat', 'number'],
  ['Bare.nuclei', 'number'], ['single', 'boolean'],
]);
const files: FileOracle = {
  resolve: (path) => `/data/${path}`,
  exists: (resolved) => ['/data/loans.csv', '/data/data.txt'].includes(resolved),
  schema: () => loans,
};

function check(source: string) {
  const parsed = parse(source);
  assert.deepEqual(parsed.diagnostics, [], 'the script should parse');
  return checkStatements(parsed.program.statements, emptyEnvironment(files));
}

function problemAt(template: string) {
  const { source, line, column } = marked(template);
  const { diagnostics } = check(source);
  assert.equal(diagnostics.length, 1,
    diagnostics.map((d) => d.message).join('; '));
  assert.equal(diagnostics[0]!.span?.line, line);
  assert.equal(diagnostics[0]!.span?.column, column);
  return diagnostics[0]!;
}

const load = 'load "loans.csv"\n';

test('a well-formed script has no problems and a plan step per line', () => {
  const { diagnostics, steps } = check(load +
    'where afam = "yes" as black\nderive r = pirat * 2\n' +
    'select deny, r\nsave to "out.csv"');
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(steps.map((s) => [s.input, s.output]), [
    [undefined, 'loans'], ['loans', 'black'], ['black', 'black'],
    ['black', 'black'], ['black', undefined],
  ]);
});

test('an unknown column gets "did you mean"', () => {
  const problem = problemAt(load + 'where «afma» = "yes"');
  assert.equal(problem.code, 'unknown-column');
  assert.deepEqual(problem.hints, ['did you mean "afam"?']);
});

test('an unknown column with no close name lists the columns', () => {
  const problem = problemAt(load + 'select «zzzzzz»');
  assert.match(problem.hints[0]!, /its columns are "deny", "afam"/);
});

test('an unknown table gets "did you mean"', () => {
  const problem = problemAt(load + 'use «laons»');
  assert.equal(problem.code, 'unknown-table');
  assert.deepEqual(problem.hints, ['did you mean "loans"?']);
});

test('there must be a table before working on one', () => {
  assert.equal(problemAt('«describe»').code, 'no-current-table');
});

test('comparing a number with text is a type mismatch', () => {
  const problem = problemAt(load + 'where «pirat > "x"»');
  assert.equal(problem.code, 'type-mismatch');
  assert.match(problem.message, /column pirat \(a number\) and the text "x"/);
});

test('a condition must be true or false', () => {
  const problem = problemAt(load + 'where «pirat + 1»');
  assert.equal(problem.code, 'wrong-type');
});

test('arithmetic on text is refused', () => {
  assert.equal(problemAt(load + 'derive y = «deny» * 2').code, 'wrong-type');
});

test('functions are checked for name, arity and argument types', () => {
  const unknown = problemAt(load + 'derive y = «meen»(pirat)');
  assert.deepEqual(unknown.hints, ['did you mean "mean"?']);
  assert.equal(problemAt(load + 'derive y = «bin(pirat)»').code,
    'wrong-arity');
  assert.equal(problemAt(load + 'derive y = lower(«pirat»)').code,
    'wrong-type');
  assert.equal(problemAt(load + 'derive y = mean(«median(pirat)»)').code,
    'nested-aggregate');
});

test('if() needs branches of one type', () => {
  assert.equal(problemAt(load + 'derive y = if(single, 1, «"no"»)').code,
    'type-mismatch');
});

test('saving over an input file is refused before anything runs', () => {
  const problem = problemAt(load + 'save to «"loans.csv"»');
  assert.equal(problem.code, 'save-over-input');
});

test('a missing file is reported at its path', () => {
  assert.equal(problemAt('load «"nope.csv"»').code, 'file-not-found');
});

test('a file written earlier in the script may be loaded later', () => {
  const { diagnostics } = check(load + 'save to "copy.csv"\n' +
    'load "copy.csv"\ndescribe copy');
  assert.deepEqual(diagnostics, []);
});

test('derived columns are visible to later assignments', () => {
  const { diagnostics } = check(load + 'derive a = pirat * 2, b = a + 1');
  assert.deepEqual(diagnostics, []);
});

test('backtick names reach columns with dots', () => {
  const { diagnostics } = check(load + 'where `Bare.nuclei` is missing');
  assert.deepEqual(diagnostics, []);
});

test('every problem in a script is listed', () => {
  const { diagnostics } = check(load +
    'where afma = 1 as a\nderive x = lower(pirat) on loans\nuse ghost');
  assert.deepEqual(diagnostics.map((d) => d.code), [
    'unknown-column', 'wrong-type', 'unknown-table']);
});

test('a format that cannot be inferred must be given', () => {
  assert.equal(problemAt('load «"data.txt"»').code, 'unknown-format');
});

test('join keys must exist on both sides and share a type', () => {
  const { diagnostics } = check(load + 'load "loans.csv" as other\n' +
    'derive deny = pirat\nuse loans\njoin other using deny');
  assert.deepEqual(diagnostics.map((d) => d.code), ['join-key-type']);
});
