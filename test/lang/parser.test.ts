import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from '../../src/lang/parser.js';
import { marked } from '../helpers/index.js';

function statements(source: string) {
  const parsed = parse(source);
  assert.deepEqual(parsed.diagnostics.map((d) => d.message), []);
  return parsed.program.statements;
}

function onlyError(template: string) {
  const { source, line, column, text } = marked(template);
  const parsed = parse(source);
  assert.equal(parsed.diagnostics.length, 1,
    parsed.diagnostics.map((d) => d.message).join('; '));
  const [diagnostic] = parsed.diagnostics;
  assert.equal(diagnostic!.span?.line, line, 'line');
  assert.equal(diagnostic!.span?.column, column, 'column');
  assert.equal(diagnostic!.span!.end - diagnostic!.span!.start,
    Math.max(1, text.length), 'width');
  return diagnostic!;
}

test('each statement of the data family parses into its kind', () => {
  const kinds = statements(`
seed 7
load "a.csv" format csv types {id: text} as a
save a to "b.json"
use a
show a 5
describe a as profile
where x > 1 and not y is missing on a as b
select all except x, y
derive r = x / y, s = -x ^ 2
sample 10% with replacement as c
join left b using id
`).map((s) => s.kind);
  assert.deepEqual(kinds, ['seed', 'load', 'save', 'use', 'show', 'describe',
    'where', 'select', 'derive', 'sample', 'join']);
});

test('clauses after a statement may come in any order', () => {
  const [a, b] = statements('where x = 1 as y on t\nwhere x = 1 on t as y');
  assert.deepEqual([a!.input?.name, a!.output?.name], ['t', 'y']);
  assert.deepEqual([b!.input?.name, b!.output?.name], ['t', 'y']);
});

test('a statement continues after a comma or inside brackets', () => {
  const [derive, select] = statements(
    'derive a = if(x > 1,\n  1,\n  2)\nselect a,\n b');
  assert.equal(derive!.kind, 'derive');
  assert.equal(select!.kind === 'select' && select!.columns.length, 2);
});

test('expressions keep precedence and associativity', () => {
  const [where] = statements('where a - b + c * d ^ 2 ^ 3 > 1 or x and y');
  assert.equal(where!.kind, 'where');
  if (where!.kind !== 'where') return;
  const condition = where.condition;
  assert.equal(condition.type, 'logical');
  if (condition.type !== 'logical') return;
  assert.equal(condition.op, 'or');
  const compare = condition.left;
  assert.equal(compare.type, 'compare');
  if (compare.type !== 'compare') return;
  // (a - b) + (c * (d ^ (2 ^ 3)))
  const sum = compare.left;
  assert.ok(sum.type === 'arithmetic' && sum.op === '+');
  if (sum.type !== 'arithmetic') return;
  assert.ok(sum.left.type === 'arithmetic' && sum.left.op === '-');
  const product = sum.right;
  assert.ok(product.type === 'arithmetic' && product.op === '*');
  if (product.type !== 'arithmetic') return;
  const power = product.right;
  assert.ok(power.type === 'arithmetic' && power.op === '^');
  if (power.type !== 'arithmetic') return;
  assert.ok(power.right.type === 'arithmetic' && power.right.op === '^');
});

test('backticks quote names with dots and spaces; keywords are names', () => {
  const [derive] = statements(
    'derive y = `Bare.nuclei` + `first name` + label + target');
  if (derive!.kind !== 'derive') assert.fail();
  const names: string[] = [];
  const walk = (e: unknown): void => {
    const node = e as { type: string; name?: string; left?: unknown;
      right?: unknown };
    if (node.type === 'column') names.push(node.name!);
    if (node.left) walk(node.left);
    if (node.right) walk(node.right);
  };
  walk(derive.assignments[0]!.value);
  assert.deepEqual(names, ['Bare.nuclei', 'first name', 'label', 'target']);
});

test('a misspelt statement word gets "did you mean"', () => {
  const diagnostic = onlyError('«laod» "x.csv"');
  assert.equal(diagnostic.code, 'unknown-statement');
  assert.deepEqual(diagnostic.hints, ['did you mean "load"?']);
});

test('a misspelt clause word gets "did you mean"', () => {
  const diagnostic = onlyError('load "x.csv" «frmat» csv');
  assert.equal(diagnostic.code, 'unexpected-token');
  assert.match(diagnostic.message, /expected "format", "types", "as" or the end/);
  assert.deepEqual(diagnostic.hints, ['did you mean "format"?']);
});

test('an unfinished expression points past its end', () => {
  const diagnostic = onlyError('where x >« »');
  assert.match(diagnostic.message,
    /expected a value or a column name, found the end of the line/);
});

test('unterminated strings and names are reported where they start', () => {
  assert.equal(onlyError('load «"x.csv»').code, 'unterminated-string');
  assert.equal(onlyError('derive y = «`a b»').code, 'unterminated-name');
});

test('a stray character is reported', () => {
  assert.equal(onlyError('where x «$» 3').code, 'unexpected-character');
});

test('a clause given twice is an error', () => {
  const diagnostic = onlyError('describe as d «as» e');
  assert.equal(diagnostic.code, 'duplicate-clause');
});

test('every broken statement is reported, not only the first', () => {
  const parsed = parse('laod "a"\nseed 1\nwhere\nselect a b\nshow');
  assert.deepEqual(parsed.diagnostics.map((d) => d.span?.line), [1, 3, 4]);
  assert.deepEqual(parsed.program.statements.map((s) => s.kind),
    ['seed', 'show']);
});

test('names a broken statement meant to define are remembered', () => {
  const parsed = parse('laod "a.csv" as loans');
  assert.deepEqual(parsed.unparsedNames, ['loans']);
});
