// The image statements' grammar and checks: load images, augment, and
// train cnn / resnet18 (which reuse tabular train's clause rules).

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FairParser, parse } from '../../src/lang/parser.js';
import type {
  AugmentStatement, LoadImagesStatement, TrainImagesStatement,
} from '../../src/lang/statements/images.js';
import { Session } from '../../src/runtime/session.js';
import { marked, scratch } from '../helpers/index.js';

function statements(source: string) {
  const parsed = parse(source);
  assert.deepEqual(parsed.diagnostics.map((d) => d.message), []);
  return parsed.program.statements;
}

/** Check a marked script in a folder with a small table and IDX name. */
function checkError(template: string, code: string) {
  const folder = scratch();
  writeFileSync(join(folder, 'people.csv'), 'id,age,city,label\n1,30,a,x\n');
  writeFileSync(join(folder, 'train-images-idx3-ubyte'), '');
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

test('the grammar with the image statements builds without ambiguity', () => {
  // performSelfAnalysis throws on ambiguous alternatives: `train cnn`
  // beside `train logistic`, `load images` beside `load "file"` and
  // `load model`.
  assert.doesNotThrow(() => new FairParser());
});

test('load images takes a path, a labels file and a name', () => {
  const [idx, folder] = statements(
    'load images "t10k-images-idx3-ubyte.gz" labels "t10k-labels.gz" as t\n' +
    'load images "photos"') as LoadImagesStatement[];
  assert.equal(idx!.kind, 'load_images');
  assert.equal(idx!.path, 't10k-images-idx3-ubyte.gz');
  assert.equal(idx!.labels?.path, 't10k-labels.gz');
  assert.equal(idx!.output?.name, 't');
  assert.equal(folder!.path, 'photos');
  assert.equal(folder!.labels, undefined);
});

test('augment parses operations, ranges, chances and clauses', () => {
  const [statement] = statements(
    'augment train flip horizontal, rotate -15..15 p 0.5, crop 24, ' +
    'noise 0.05, brightness 0.8..1.2 where label in (2, 6) ' +
    'until balanced by label as grown') as AugmentStatement[];
  assert.equal(statement!.input?.name, 'train');
  assert.equal(statement!.output?.name, 'grown');
  assert.deepEqual(statement!.operations.map((o) => o.op),
    ['flip', 'rotate', 'crop', 'noise', 'brightness']);
  const [flip, rotate, crop, , brightness] = statement!.operations;
  assert.equal(flip!.axis, 'horizontal');
  assert.deepEqual([rotate!.amount?.low, rotate!.amount?.high,
    rotate!.amount?.range, rotate!.probability?.value], [-15, 15, true, 0.5]);
  assert.deepEqual([crop!.amount?.low, crop!.amount?.range], [24, false]);
  assert.deepEqual([brightness!.amount?.low, brightness!.amount?.high],
    [0.8, 1.2]);
  assert.ok(statement!.condition);
  assert.deepEqual(statement!.balanced?.by.map((b) => b.name), ['label']);
});

test('augment on the current table; times; jitter with and without columns',
  () => {
    const [times, jitter, all] = statements(
      'augment cutout 8, translate 3, contrast 1.5, pad 4 times 3\n' +
      'augment jitter 0.1 income, debt until balanced by group\n' +
      'augment jitter 0.05 times 2') as AugmentStatement[];
    assert.equal(times!.input, undefined);
    assert.equal(times!.times?.value, 3);
    assert.deepEqual(jitter!.operations[0]!.columns?.map((c) => c.name),
      ['income', 'debt']);
    assert.deepEqual(jitter!.balanced?.by.map((b) => b.name), ['group']);
    // `times` after jitter is the clause, not a column named times.
    assert.equal(all!.operations[0]!.columns, undefined);
    assert.equal(all!.times?.value, 2);
  });

test('train cnn and resnet18 take the options of tabular train', () => {
  const [cnn, resnet] = statements(
    'train cnn 16, 32 on small target label epochs 2 batch 128 rate 0.01 ' +
    'optimizer sgd decay 0.0005 weight w class weights balanced ' +
    'validation 0.1 as net\n' +
    'train resnet18 on cifar target label = 3 as deep') as
    TrainImagesStatement[];
  assert.equal(cnn!.kind, 'train_images');
  assert.equal(cnn!.model, 'cnn');
  assert.deepEqual(cnn!.widths.map((w) => w.value), [16, 32]);
  assert.deepEqual([cnn!.epochs?.value, cnn!.batch?.value, cnn!.rate?.value,
    cnn!.optimizer?.name, cnn!.decay?.value, cnn!.weight?.name,
    cnn!.classWeights, cnn!.validation?.value],
  [2, 128, 0.01, 'sgd', 0.0005, 'w', true, 0.1]);
  assert.equal(resnet!.model, 'resnet18');
  assert.equal(resnet!.positive?.value, 3);
  assert.equal(resnet!.output?.name, 'deep');
});

test('tabular train still parses beside the image models', () => {
  const [train] = statements('train logistic on t target deny epochs 3');
  assert.equal(train!.kind, 'train');
});

test('a misspelt model names the four models', () => {
  const parsed = parse('train cnnn on t target label');
  const [problem] = parsed.diagnostics;
  assert.equal(problem?.code, 'unexpected-token');
  for (const word of ['logistic', 'mlp', 'cnn', 'resnet18']) {
    assert.match(problem!.message, new RegExp(word));
  }
  assert.deepEqual(problem!.hints, ['did you mean "cnn"?']);
});

test('times and until balanced together are refused', () => {
  checkError('load "people.csv"\naugment jitter 0.1 times 2 ' +
    '«until» balanced by city', 'times-and-balanced');
});

test('a probability must be above 0 and at most 1', () => {
  const found = checkError('load images "train-images-idx3-ubyte" as t\n' +
    'augment flip horizontal p «1.5»', 'bad-number');
  assert.match(found.message, /probability/);
});

test('crop takes a size, not a range', () => {
  checkError('load images "train-images-idx3-ubyte" as t\n' +
    'augment crop «20..24»', 'bad-number');
});

test('a range is written low..high', () => {
  checkError('load images "train-images-idx3-ubyte" as t\n' +
    'augment rotate «15..-15»', 'bad-number');
});

test('image operations on a table without images are refused', () => {
  checkError('load "people.csv"\naugment «flip horizontal»',
    'not-image-table');
});

test('jitter on images is refused, with noise as the hint', () => {
  const found = checkError('load images "train-images-idx3-ubyte" as t\n' +
    'augment «jitter 0.1»', 'jitter-on-images');
  assert.match(found.hints.join(' '), /noise/);
});

test('jitter and image operations do not mix', () => {
  checkError('load images "train-images-idx3-ubyte" as t\n' +
    'augment flip vertical, «jitter 0.1»', 'mixed-augment');
});

test('jitter columns must be numbers', () => {
  checkError('load "people.csv"\naugment jitter 0.1 «city»',
    'jitter-column-type');
});

test('until balanced without by needs a label column', () => {
  const folder = scratch();
  writeFileSync(join(folder, 'n.csv'), 'a,b\n1,2\n');
  const report = new Session({ cwd: folder }).check(
    'load "n.csv"\naugment jitter 0.1 until balanced');
  assert.deepEqual(report.diagnostics.map((d) => d.code),
    ['balanced-without-by']);
});

test('train cnn on a table without images is refused', () => {
  checkError('load "people.csv"\ntrain cnn on «people» target label',
    'not-image-table');
});

test('train cnn needs a target, and checks its numbers', () => {
  checkError('load images "train-images-idx3-ubyte" as t\n' +
    '«train cnn epochs 2»', 'missing-target');
  checkError('load images "train-images-idx3-ubyte" as t\n' +
    'train cnn target label batch «0»', 'bad-number');
  checkError('load images "train-images-idx3-ubyte" as t\n' +
    'train cnn target label optimizer «adan»', 'unknown-optimizer');
  // ResNet-18's widths are fixed: the grammar takes none after it.
  checkError('load images "train-images-idx3-ubyte" as t\n' +
    'train resnet18 «64» target label', 'unexpected-token');
});

test('an image model is a model: evaluate checks against its facts', () => {
  const folder = scratch();
  writeFileSync(join(folder, 'train-images-idx3-ubyte'), '');
  writeFileSync(join(folder, 'train-labels-idx1-ubyte'), '');
  writeFileSync(join(folder, 'people.csv'), 'id,age\n1,30\n');
  const report = new Session({ cwd: folder }).check(
    'load images "train-images-idx3-ubyte" as t\n' +
    'train cnn on t target label as net\n' +
    'load "people.csv"\n' +
    'evaluate net on people by age');
  assert.deepEqual(report.diagnostics.map((d) => d.code),
    ['missing-model-column', 'missing-model-column']);
  assert.match(report.diagnostics[0]!.message, /"image"/);
});

test('a missing images file is reported where it is written', () => {
  checkError('load images «"nowhere/x-idx3-ubyte.gz"»', 'file-not-found');
});
