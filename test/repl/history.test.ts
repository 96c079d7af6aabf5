// The prompt's history file and the arrow keys' walk through it, and the
// editing functions behind the keys.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  atEnd, backspace, deleteWordBefore, emptyEditor, home, insert, left,
  verticalMove,
} from '../../src/repl/editor.js';
import {
  decodeEntries, defaultHistoryFile, encodeEntry, History,
} from '../../src/repl/history.js';
import { scratch } from '../helpers/index.js';

test('the history file is in the home folder', () => {
  const home = scratch();
  const saved = process.env['HOME'];
  process.env['HOME'] = home;
  try {
    assert.equal(defaultHistoryFile(), join(home, '.fair_history'));
  } finally {
    process.env['HOME'] = saved;
  }
});

test('a statement over several lines is one entry in the file', () => {
  const entry = 'select deny,\n       afam';
  assert.equal(encodeEntry(entry), 'select deny,\n\t       afam');
  assert.deepEqual(decodeEntries(`describe\n${encodeEntry(entry)}\n\n`),
    ['describe', entry]);
});

test('entries persist between sessions; a repeat is kept once', () => {
  const file = join(scratch(), '.fair_history');
  const first = new History(file);
  first.add('load "a.csv"');
  first.add('describe');
  first.add('describe');
  first.add('   ');
  first.add('where x = 1,\n  y = 2');

  const second = new History(file);
  assert.deepEqual(second.entries,
    ['load "a.csv"', 'describe', 'where x = 1,\n  y = 2']);
  assert.equal(readFileSync(file, 'utf8'),
    'load "a.csv"\ndescribe\nwhere x = 1,\n\t  y = 2\n');
});

test('up walks back, down walks forward and restores the draft', () => {
  const history = new History();
  history.add('one');
  history.add('two');

  assert.equal(history.previous('typing'), 'two');
  assert.equal(history.previous('two'), 'one');
  assert.equal(history.previous('one'), undefined);
  assert.equal(history.next(), 'two');
  assert.equal(history.next(), 'typing');
  assert.equal(history.next(), undefined);
});

test('a long history file is cut to the last 1000 entries', () => {
  const file = join(scratch(), '.fair_history');
  const lines = Array.from({ length: 1200 }, (_, i) => `show ${i + 1}`);
  writeFileSync(file, lines.join('\n') + '\n');
  const history = new History(file);
  assert.equal(history.entries.length, 1000);
  assert.equal(history.entries[0], 'show 201');
  assert.equal(new History(file).entries.length, 1000);
});

test('a history file that cannot be written is reported, not fatal', () => {
  const folder = scratch();
  // A folder where the file should be: appending to it fails.
  const history = new History(folder);
  history.add('describe');
  assert.deepEqual(history.entries, ['describe']);
  assert.match(history.problem ?? '', /history is not saved/);
});

test('editing: insert, backspace, words and lines', () => {
  let state = insert(emptyEditor, 'where x');
  state = backspace(state);
  assert.deepEqual(state, { text: 'where ', cursor: 6 });
  state = insert(state, 'afam = 1');
  assert.deepEqual(deleteWordBefore(state), { text: 'where afam = ',
    cursor: 13 });
  assert.deepEqual(home(left(state)), { text: state.text, cursor: 0 });
  // An emoji is one character to the cursor.
  assert.deepEqual(backspace(atEnd('a😀')), { text: 'a', cursor: 1 });
});

test('up and down move between the lines of a multi-line input', () => {
  const text = 'select deny,\n  afam';
  const last = atEnd(text);
  const up = verticalMove(last, -1)!;
  assert.equal(up.cursor, 6);
  assert.equal(verticalMove(up, -1), undefined);
  assert.deepEqual(verticalMove(up, 1), last);
  assert.equal(verticalMove(last, 1), undefined);
});
