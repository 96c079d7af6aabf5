import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FairParser, parse } from '../../src/lang/parser.js';
import { Session } from '../../src/runtime/session.js';
import { marked, scratch } from '../helpers/index.js';

function statements(source: string) {
  const parsed = parse(source);
  assert.deepEqual(parsed.diagnostics.map((d) => d.message), []);
  return parsed.program.statements;
}

/** Check a marked script in a folder holding ratings.csv and gold.csv. */
function checkError(template: string, code: string) {
  const folder = scratch();
  writeFileSync(join(folder, 'ratings.csv'),
    'item,doctor,rating,note\n1,a,1,x\n1,b,2,y\n');
  writeFileSync(join(folder, 'gold.csv'), 'case,truth,extra\n1,1,0\n');
  const { source, line, column, text } = marked(template);
  const report = new Session({ cwd: folder }).check(source);
  const found = report.diagnostics.find((d) => d.code === code);
  assert.ok(found, `expected ${code}, got ` +
    report.diagnostics.map((d) => `${d.code}: ${d.message}`).join('; '));
  assert.equal(found.span?.line, line, 'line');
  assert.equal(found.span?.column, column, 'column');
  assert.equal(found.span!.end - found.span!.start, text.length, 'width');
  return found;
}

test('the grammar with the crowd statements builds without ambiguity', () => {
  // performSelfAnalysis throws on ambiguous alternatives, such as two
  // statements starting `load` that the next tokens cannot tell apart.
  assert.doesNotThrow(() => new FairParser());
});

test('each crowd statement parses into its kind', () => {
  const kinds = statements(`
load annotations "r.csv" item patient worker doctor label rating as r
load "plain.csv" as plain
agreement
agreement r ordinal
agreement interval on r as measures
aggregate using majority
aggregate r using dawid-skene gold truth iterations 50 tolerance 1e-6 as t
workers
workers r as quality
`).map((s) => s.kind);
  assert.deepEqual(kinds, ['load-annotations', 'load', 'agreement',
    'agreement', 'agreement', 'aggregate', 'aggregate', 'workers',
    'workers']);
});

test('load annotations keeps its roles, in any order', () => {
  const [load] = statements(
    'load annotations "r.csv" label rating worker doctor item patient');
  assert.equal(load!.kind, 'load-annotations');
  if (load!.kind !== 'load-annotations') return;
  assert.deepEqual([load.item?.name, load.worker?.name, load.label?.name],
    ['patient', 'doctor', 'rating']);
  assert.equal(load.path, 'r.csv');
});

test('a column may be called item, worker or label', () => {
  const [load] = statements(
    'load annotations "r.csv" item item worker worker label label');
  if (load!.kind !== 'load-annotations') throw new Error(load!.kind);
  assert.deepEqual([load.item?.name, load.worker?.name, load.label?.name],
    ['item', 'worker', 'label']);
});

test('agreement takes a table and a level; the level alone is no table',
  () => {
    const [a, b, c] = statements(
      'agreement ordinal\nagreement r interval\nagreement on r');
    if (a!.kind !== 'agreement' || b!.kind !== 'agreement' ||
        c!.kind !== 'agreement') throw new Error('kinds');
    assert.deepEqual([a.input, a.level], [undefined, 'ordinal']);
    assert.deepEqual([b.input?.name, b.level], ['r', 'interval']);
    assert.deepEqual([c.input?.name, c.level], ['r', undefined]);
  });

test('aggregate joins hyphenated method names and reads its options', () => {
  const [a, b] = statements('aggregate using one-coin\n' +
    'aggregate r using Dawid-Skene gold g iterations 20 tolerance 0.001');
  if (a!.kind !== 'aggregate' || b!.kind !== 'aggregate') throw new Error();
  assert.equal(a.method, 'one-coin');
  assert.equal(b.method, 'dawid-skene');
  assert.equal(b.gold?.name, 'g');
  assert.equal(b.iterations?.value, 20);
  assert.equal(b.tolerance?.value, 0.001);
  assert.equal(b.input?.name, 'r');
});

test('a misspelt "annotations" is pointed at, with a suggestion', () => {
  const { source, line, column } = marked('load «annotation» "r.csv"');
  const parsed = parse(source);
  const [error] = parsed.diagnostics;
  assert.equal(error?.code, 'unexpected-token');
  assert.deepEqual([error?.span?.line, error?.span?.column], [line, column]);
  assert.deepEqual(error?.hints, ['did you mean "annotations"?']);
});

test('a malformed load still points past the shared first word', () => {
  // Both load statements begin with `load`; the error belongs to the word
  // that fits neither, not to `load`.
  const { source, column } = marked('load «5»');
  const [error] = parse(source).diagnostics;
  assert.equal(error?.code, 'unexpected-token');
  assert.equal(error?.span?.column, column);
  assert.match(error!.message, /expected a quoted text .*"annotations"/);
});

test('a clause given twice is reported', () => {
  const { source, column } = marked(
    'load annotations "r.csv" item a worker b label c «item» d');
  const [error] = parse(source).diagnostics;
  assert.equal(error?.code, 'duplicate-clause');
  assert.equal(error?.span?.column, column);
});

test('load annotations needs all three roles', () => {
  const found = checkError(
    '«load annotations "ratings.csv" item item worker doctor»',
    'annotations-role-missing');
  assert.match(found.message, /"label COLUMN"/);
});

test('a role naming a column the file lacks is reported there', () => {
  const found = checkError(
    'load annotations "ratings.csv" item item worker «doktor» label rating',
    'unknown-column');
  assert.deepEqual(found.hints, ['did you mean "doctor"?']);
});

test('one column cannot play two roles', () => {
  checkError('load annotations "ratings.csv" item item worker doctor ' +
    'label «doctor»', 'annotations-role-clash');
});

test('an unknown method is reported with the closest one', () => {
  const found = checkError(
    'load annotations "ratings.csv" item item worker doctor label rating\n' +
    'aggregate using «dawid-skeen»', 'unknown-aggregate-method');
  assert.deepEqual(found.hints, ['did you mean "dawid-skene"?']);
});

test('iteration limits apply only to the EM methods', () => {
  checkError(
    'load annotations "ratings.csv" item item worker doctor label rating\n' +
    'aggregate using majority iterations «10»', 'aggregate-option');
  checkError(
    'load annotations "ratings.csv" item item worker doctor label rating\n' +
    'aggregate using dawid-skene iterations «2.5»', 'bad-number');
  checkError(
    'load annotations "ratings.csv" item item worker doctor label rating\n' +
    'aggregate using dawid-skene tolerance «0»', 'bad-number');
});

test('ordinal agreement on text labels is refused before running', () => {
  const found = checkError(
    'load annotations "ratings.csv" item item worker doctor label note\n' +
    'agreement «ordinal»', 'agreement-level-type');
  assert.match(found.message, /column "note" of "ratings" holds text/);
});

test('a table that is not ratings is refused by the crowd statements', () => {
  checkError('load "ratings.csv" as plain\n«agreement»', 'not-annotations');
  checkError('load "ratings.csv" as plain\nworkers «plain»',
    'not-annotations');
});

test('a gold table needs an item column and a label column', () => {
  const found = checkError(
    'load annotations "ratings.csv" item item worker doctor label rating ' +
    'as r\nload "gold.csv" as g\naggregate r using dawid-skene gold «g»',
    'gold-columns');
  assert.match(found.message, /needs a column "item"/);
});

test('aggregate keeps the ratings current and names its table', () => {
  const folder = scratch();
  writeFileSync(join(folder, 'ratings.csv'),
    'item,doctor,rating\n1,a,1\n1,b,2\n');
  const report = new Session({ cwd: folder }).check(
    'load annotations "ratings.csv" item item worker doctor label rating\n' +
    'aggregate using majority\nagreement');
  assert.deepEqual(report.diagnostics, []);
  assert.equal(report.steps[1]!.output, 'ratings_labels');
  assert.equal(report.steps[2]!.input, 'ratings');
});
