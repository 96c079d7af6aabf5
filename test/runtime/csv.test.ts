import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FairError } from '../../src/lang/diagnostics.js';
import { readDelimited, writeDelimited } from '../../src/runtime/io/csv.js';
import { run, runFailing, scratch } from '../helpers/index.js';

const read = (text: string, types?: Map<string, 'number' | 'string'>) =>
  readDelimited(text, { delimiter: ',', file: 'data.csv',
    ...(types ? { types } : {}) });

function dataError(text: string, types?: Map<string, 'number' | 'string'>) {
  try {
    read(text, types);
  } catch (cause) {
    assert.ok(cause instanceof FairError);
    return cause.diagnostic;
  }
  assert.fail('expected an error');
}

test('types are inferred as pandas would: numbers quoted or not', () => {
  const { names, columns } = read(
    'a,b,c,d\n1,"2",x,TRUE\n3.5,"4",,false\n');
  assert.deepEqual(names, ['a', 'b', 'c', 'd']);
  assert.deepEqual([...(columns[0] as Float64Array)], [1, 3.5]);
  assert.deepEqual([...(columns[1] as Float64Array)], [2, 4]);
  assert.deepEqual(columns[2], ['x', null]);
  assert.deepEqual(columns[3], [true, false]);
});

test('unquoted NA and empty are missing; quoted ones are text', () => {
  const { columns } = read('t,n\n"NA",NA\n"",\nNA,7\n');
  assert.deepEqual(columns[0], ['NA', '', null]);
  const numbers = columns[1] as Float64Array;
  assert.ok(Number.isNaN(numbers[0]!) && Number.isNaN(numbers[1]!));
  assert.equal(numbers[2], 7);
});

test('quotes, commas and line breaks inside quoted fields', () => {
  const { columns } = read('a,b\n"say ""hi""","x,\ny"\n"é ü 漢",2\n');
  assert.deepEqual(columns[0], ['say "hi"', 'é ü 漢']);
  assert.deepEqual(columns[1], ['x,\ny', '2']);
});

test('a row with the wrong number of fields names its line and row', () => {
  const problem = dataError('a,b,c\n1,2,3\n4,5\n');
  assert.equal(problem.code, 'field-count');
  assert.match(problem.message, /data\.csv line 3 \(row 2\): expected 3 fields/);
  assert.deepEqual(problem.data, { file: 'data.csv', row: 2 });
});

test('line numbers count line breaks inside quoted fields', () => {
  const problem = dataError('a,b\n"x\ny",1\n2\n');
  assert.match(problem.message, /line 4 \(row 2\)/);
});

test('an unparseable value in a declared column names row and column', () => {
  const problem = dataError('id,age\n1,30\n2,thirty\n',
    new Map([['age', 'number']]));
  assert.equal(problem.code, 'bad-value');
  assert.match(problem.message,
    /line 3 \(row 2\), column "age": expected a number, found "thirty"/);
  assert.deepEqual(problem.data, { file: 'data.csv', row: 2, column: 'age' });
});

test('an empty file is an error', () => {
  assert.equal(dataError('').code, 'empty-file');
});

test('a never-closed quote is an error', () => {
  assert.equal(dataError('a\n"abc\n').code, 'unclosed-quote');
});

test('a column of numbers with one odd value is text, with a warning', () => {
  const rows = Array.from({ length: 20 }, (_, i) => String(i));
  rows[13] = 'n/a?';
  const { columns, notes } = read('x\n' + rows.join('\n') + '\n');
  assert.equal(typeof columns[0]![0], 'string');
  assert.equal(notes[0]?.code, 'mostly-numbers');
  assert.match(notes[0]!.message, /line 15 \(row 14\) has "n\/a\?"/);
});

test('a repeated header name is renamed with a warning', () => {
  const { names, notes } = read('a,a\n1,2\n');
  assert.deepEqual(names, ['a', 'a_2']);
  assert.equal(notes[0]?.code, 'duplicate-header');
});

test('formula-like text is guarded when written and restored on read', () => {
  const values = ['=SUM(A1)', '+1', '-x', '@cmd', "'=kept", 'plain'];
  const text = writeDelimited(['v'], [values], values.length, ',');
  assert.match(text, /"'=SUM\(A1\)"/);
  assert.match(text, /"'\+1"/);
  assert.deepEqual(read(text).columns[0], values);
});

test('a saved CSV loads back as the same table', async () => {
  const folder = scratch();
  const input = join(folder, 'tricky.csv');
  writeFileSync(input, [
    'name,note,score,flag',
    '"Ana","said ""yes"", then left",1.5,true',
    '"Bo","line one\nline two",,false',
    '"Zoë ünïcode 漢字","",-0.000001,',
    '"NA","=1+1",1e21,true',
    ',"@x",3,false',
  ].join('\n') + '\n');

  const { session } = await run(
    'load "tricky.csv" as a\nsave a to "out/copy.csv"\n' +
    'load "out/copy.csv" as b', folder);
  const a = session.table('a');
  const b = session.table('b');
  assert.deepEqual(b.columnNames(), a.columnNames());
  for (const name of a.columnNames()) {
    assert.deepEqual([...(b.column(name) as unknown as unknown[])],
      [...(a.column(name) as unknown as unknown[])], name);
  }
});

test('data errors stop the run at the statement and name the file', async () => {
  const folder = scratch();
  writeFileSync(join(folder, 'bad.csv'), 'a,b\n1,2\n3\n');
  const [problem] = await runFailing('load "bad.csv"', folder);
  assert.equal(problem!.code, 'field-count');
  assert.equal(problem!.span?.line, 1);
  assert.match(problem!.message, /bad\.csv line 3 \(row 2\)/);
});
