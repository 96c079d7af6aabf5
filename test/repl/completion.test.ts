// Tab completion from the grammar's content assist: keywords, table
// names, the current table's columns, file paths, REPL commands.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commonPrefix } from '../../src/repl/candidates.js';
import {
  complete, quoteName, type CompletionContext,
} from '../../src/repl/completion.js';
import { highlight } from '../../src/repl/highlight.js';
import { scratch } from '../helpers/index.js';

// The first columns of data/tabular/hmda.csv, and one that needs quoting.
const columns = ['deny', 'pirat', 'hirat', 'afam', 'hschool', 'Bare.nuclei'];

function context(cwd = '/'): CompletionContext {
  return {
    tables: ['loans', 'black'],
    objects: [],
    current: 'loans',
    columnsOf: (table) => table === 'loans' ? columns : ['only_black'],
    cwd,
  };
}

/** The candidates' texts for `source` with the cursor at its end. */
function texts(source: string, cwd?: string): string[] {
  return complete(source, source.length, context(cwd)).candidates
    .map((candidate) => candidate.text);
}

test('an empty prompt completes to the statement words', () => {
  const words = texts('');
  for (const word of ['load', 'describe', 'where', 'select', 'join']) {
    assert.ok(words.includes(word), `${word} in ${words.join(' ')}`);
  }
  assert.deepEqual(texts('desc'), ['describe']);
  assert.deepEqual(texts('DESC'), ['describe']);
});

test('a column name completes from the current table', () => {
  assert.deepEqual(texts('where af'), ['afam']);
  const found = complete('where af', 8, context());
  assert.equal(found.from, 6);
  assert.equal(found.typed, 'af');
  // Several columns: the common part is what Tab can type.
  const h = complete('select h', 8, context()).candidates;
  assert.deepEqual(h.map((c) => c.text), ['hirat', 'hschool']);
  assert.equal(commonPrefix(h), 'h');
});

test('a name that is not a plain word completes in backticks', () => {
  assert.deepEqual(texts('select Bare'), ['`Bare.nuclei`']);
  assert.deepEqual(texts('select `Bare'), ['`Bare.nuclei`']);
  assert.equal(quoteName('by'), '`by`');
  assert.equal(quoteName('afam'), 'afam');
});

test('columns come from the table named with on', () => {
  assert.deepEqual(texts('select deny on black where o'), []);
  assert.deepEqual(texts('where o'), []);
  assert.ok(texts('where x = 1 on ').includes('black'));
});

test('table names complete where a table is expected', () => {
  assert.deepEqual(texts('use b'), ['black']);
  assert.deepEqual(texts('show l'), ['loans']);
  assert.deepEqual(texts('describe loans on b'), ['black']);
  // After `as` comes a new name: nothing to complete.
  assert.deepEqual(texts('describe as '), []);
});

test('keywords complete after a statement has begun', () => {
  assert.deepEqual(texts('describe loans a'), ['as']);
  assert.deepEqual(texts('sample 10 w'), ['with']);
  // Right after a number a word would run into it.
  assert.deepEqual(texts('sample 10'), []);
});

test('file paths complete inside the quotes after load', () => {
  const cwd = scratch();
  mkdirSync(join(cwd, 'data'));
  writeFileSync(join(cwd, 'data', 'hmda.csv'), 'a\n1\n');
  writeFileSync(join(cwd, 'data', 'hmda_small.csv'), 'a\n1\n');
  writeFileSync(join(cwd, '.hidden'), '');

  assert.deepEqual(texts('load "', cwd), ['"data/']);
  assert.deepEqual(texts('load "da', cwd), ['"data/']);
  assert.deepEqual(texts('load "data/h', cwd),
    ['"data/hmda.csv', '"data/hmda_small.csv']);
  // Before the quote: the folder's entries and the words that may follow.
  assert.ok(texts('load ', cwd).includes('"data/'));
  // A quoted text in an expression is a value, not a path.
  assert.deepEqual(texts('where deny = "da', cwd), []);
});

test('only the statement under the cursor counts in a pasted script', () => {
  assert.deepEqual(texts('describe\nwhere af'), ['afam']);
  assert.deepEqual(texts('select deny,\n  af'), ['afam']);
});

test('REPL commands and their arguments complete', () => {
  assert.deepEqual(texts(':sc'), [':schema']);
  assert.deepEqual(texts(':schema bl'), ['black']);
  const cwd = scratch();
  writeFileSync(join(cwd, 'audit.fair'), 'describe\n');
  assert.deepEqual(texts(':load au', cwd), ['audit.fair']);
});

test('highlighting styles verbs, keywords, text, numbers and known names',
  () => {
    const segments = highlight('where afam = "yes" and x > 2 # note', {
      tables: new Set(['loans']), columns: new Set(['afam']),
    });
    const style = (text: string) =>
      segments.find((segment) => segment.text === text)?.style;
    assert.equal(style('where'), 'verb');
    assert.equal(style('afam'), 'column');
    assert.equal(style('"yes"'), 'string');
    assert.equal(style('and'), 'keyword');
    assert.equal(style('2'), 'number');
    assert.equal(style('# note'), 'comment');
    // Every character is in exactly one segment.
    assert.equal(segments.map((s) => s.text).join(''),
      'where afam = "yes" and x > 2 # note');
    // Broken text still highlights: an unknown character, an open string.
    const broken = highlight('where x = 1 $ "op');
    assert.equal(broken.find((s) => s.text === '$')?.style, 'error');
    assert.equal(broken.find((s) => s.text === '"op')?.style, 'string');
  });
