// The audit and compare statements: every form parses into the syntax
// tree it means, and every mistake the checker can see before a run is
// reported at the words at fault. No file is read: a file oracle answers.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkStatements, emptyEnvironment, type FileOracle,
} from '../../src/lang/check.js';
import { parse } from '../../src/lang/parser.js';
import type {
  AuditStatement, CompareStatement,
} from '../../src/lang/statements/audit.js';
import type { Schema, ValueType } from '../../src/lang/types.js';
import { marked } from '../helpers/index.js';

const loans: Schema = new Map<string, ValueType>([
  ['deny', 'string'], ['afam', 'string'], ['single', 'string'],
  ['pirat', 'number'], ['w', 'number'], ['approved', 'boolean'],
]);
const census: Schema = new Map<string, ValueType>([
  ['afam', 'string'], ['share', 'number'],
]);
const files: FileOracle = {
  resolve: (path) => `/data/${path}`,
  exists: (resolved) => ['/data/loans.csv', '/data/census.csv']
    .includes(resolved),
  schema: (resolved) => (resolved.endsWith('census.csv') ? census : loans),
};

function parsed(source: string) {
  const result = parse(source);
  assert.deepEqual(result.diagnostics.map((d) => d.message), [],
    'the script should parse');
  return result.program.statements;
}

function statement<S>(source: string): S {
  return parsed(`load "loans.csv"\n${source}`)[1] as S;
}

function check(source: string) {
  return checkStatements(parsed(source), emptyEnvironment(files));
}

function problemAt(template: string) {
  const { source, line, column } = marked(`load "loans.csv"\n${template}`);
  const { diagnostics } = check(source);
  assert.equal(diagnostics.length, 1,
    diagnostics.map((d) => `${d.code}: ${d.message}`).join('; '));
  assert.equal(diagnostics[0]!.span?.line, line, 'line');
  assert.equal(diagnostics[0]!.span?.column, column, 'column');
  return diagnostics[0]!;
}

test('the full audit form: table, groups, target, reference, weight, ' +
  'against, where, as', () => {
  const audit = statement<AuditStatement>('audit loans by afam, single ' +
    'target deny = "yes" reference no, "yes" weight w ' +
    'against {"no, no": 0.5, "yes, yes": 0.5} where pirat > 0.3 as fair');
  assert.equal(audit.kind, 'audit');
  assert.equal(audit.input?.name, 'loans');
  assert.deepEqual(audit.by.map((c) => c.name), ['afam', 'single']);
  assert.equal(audit.target?.column.name, 'deny');
  assert.equal(audit.target?.positive?.value, 'yes');
  assert.deepEqual(audit.reference?.map((v) => v.value), ['no', 'yes']);
  assert.equal(audit.weight?.name, 'w');
  assert.equal(audit.against?.type, 'inline');
  assert.equal(audit.condition?.type, 'compare');
  assert.equal(audit.output?.name, 'fair');
});

test('clauses come in any order; values may be bare words, numbers, ' +
  'true/false or missing', () => {
  const audit = statement<AuditStatement>(
    'audit by afam as fair reference missing target deny == yes on loans');
  assert.equal(audit.input?.name, 'loans');
  assert.equal(audit.target?.positive?.value, 'yes');
  assert.deepEqual(audit.reference?.map((v) => v.value), [null]);
  const numbers = statement<AuditStatement>(
    'audit by afam target pirat = -1');
  assert.equal(numbers.target?.positive?.value, -1);
  const booleans = statement<AuditStatement>(
    'audit by afam target approved = true');
  assert.equal(booleans.target?.positive?.value, true);
});

test('a target without a value, and target COUNT of TOTAL', () => {
  const perClass = statement<AuditStatement>('audit by afam target deny');
  assert.equal(perClass.target?.positive, undefined);
  assert.equal(perClass.target?.total, undefined);
  const counts = statement<AuditStatement>(
    'audit by afam target pirat of w');
  assert.equal(counts.target?.total?.name, 'w');
});

test('against a file', () => {
  const audit = statement<AuditStatement>(
    'audit by afam against "census.csv"');
  assert.deepEqual(audit.against?.type === 'file' && audit.against.path,
    'census.csv');
});

test('compare A, B by COLS with a target', () => {
  const compare = statement<CompareStatement>(
    'compare loans, balanced by afam target deny = "no" weight w as diff');
  assert.equal(compare.kind, 'compare');
  assert.equal(compare.first.name, 'loans');
  assert.equal(compare.second.name, 'balanced');
  assert.deepEqual(compare.by.map((c) => c.name), ['afam']);
  assert.equal(compare.output?.name, 'diff');
});

test('soft keywords stay usable as column names', () => {
  const audit = statement<AuditStatement>(
    'audit by target, weight target reference = "x"');
  assert.deepEqual(audit.by.map((c) => c.name), ['target', 'weight']);
  assert.equal(audit.target?.column.name, 'reference');
});

test('a well-formed audit checks cleanly; as NAME makes a table that ' +
  'is not current', () => {
  const { diagnostics, steps } = check('load "loans.csv"\n' +
    'audit by afam target deny = "yes" as fair\nwhere pirat > 1');
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(steps.map((s) => [s.input, s.output]), [
    [undefined, 'loans'], ['loans', 'fair'], ['loans', 'loans'],
  ]);
});

test('"by" is required', () => {
  const result = parse('load "loans.csv"\naudit target deny = "yes"');
  assert.equal(result.diagnostics[0]?.code, 'unexpected-token');
});

test('a clause given twice is reported', () => {
  const result = parse('load "loans.csv"\n' +
    'audit by afam target deny = "yes" target deny = "no"');
  assert.equal(result.diagnostics[0]?.code, 'duplicate-clause');
});

test('unknown group, target and weight columns', () => {
  assert.equal(problemAt('audit by «afma»').code, 'unknown-column');
  assert.equal(problemAt('audit by afam target «denny» = "yes"').code,
    'unknown-column');
  assert.equal(problemAt('audit by afam weight «weights»').code,
    'unknown-column');
});

test('a target value of another type than its column', () => {
  const problem = problemAt('audit by afam target deny = «1»');
  assert.equal(problem.code, 'wrong-type');
  assert.match(problem.hints[0]!, /quotes/);
  assert.equal(problemAt('audit by afam target pirat = «"1"»').code,
    'wrong-type');
});

test('the target may not be a group column', () => {
  assert.equal(problemAt('audit by afam target «afam» = "yes"').code,
    'audit-target-is-group');
});

test('a reference needs a target and one value per group column', () => {
  assert.equal(problemAt('audit by afam reference «no»').code,
    'audit-reference-without-target');
  const problem = problemAt(
    'audit by afam, single target deny = "yes" reference «no»');
  assert.equal(problem.code, 'audit-reference-arity');
  assert.match(problem.message, /"afam", "single"/);
});

test('a weight must be a number column, and not come with "of"', () => {
  assert.equal(problemAt('audit by afam weight «deny»').code,
    'audit-weight-type');
  assert.equal(problemAt('audit by afam target pirat of w weight «w»').code,
    'audit-weight-and-total');
  assert.equal(problemAt('audit by afam target «deny» of w').code,
    'audit-count-type');
});

test('inline reference shares: numbers of 0 or more, one value per group ' +
  'column, each group once', () => {
  assert.equal(problemAt('audit by afam against {no: «-1», yes: 2}').code,
    'audit-against-value');
  assert.equal(problemAt('audit by afam against {no: «"a"»}').code,
    'audit-against-value');
  assert.equal(problemAt('audit by afam, single against {«no»: 1}').code,
    'audit-against-arity');
  assert.equal(problemAt('audit by afam against {no: 1, «no»: 2}').code,
    'audit-against-duplicate');
  assert.equal(problemAt('audit by afam against «{»no: 0}').code,
    'audit-against-value');
});

test('a reference file must exist and have the group columns', () => {
  assert.equal(problemAt('audit by afam against «"nope.csv"»').code,
    'file-not-found');
  assert.equal(problemAt('audit by single against «"census.csv"»').code,
    'audit-against-file');
});

test('compare checks both tables', () => {
  assert.equal(problemAt('compare loans, «other» by afam').code,
    'unknown-table');
  const { diagnostics } = check('load "loans.csv"\n' +
    'select afam, deny as slim\ncompare loans, slim by afam, pirat');
  assert.equal(diagnostics.length, 1);
  assert.equal(diagnostics[0]!.code, 'unknown-column');
  assert.match(diagnostics[0]!.message, /"slim"/);
});
