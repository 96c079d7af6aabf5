// The REPL frame by frame, in ink-testing-library's 100-column terminal:
// typing statements, completing a column name, an error with its caret,
// recalling history, multi-line input, Ctrl-C, Ctrl-D and progress.
//
// HOME is a scratch folder, so the history file is a temporary one. The
// HMDA figures come from data/README.md: 2,380 rows x 14 columns; denied
// 189 of 2,041 (0.0926) and 96 of 339 (0.2832) applicants by afam.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineLike } from '../../src/repl/controller.js';
import type { SubmitOptions } from '../../src/repl/engine.js';
import { scratch, tabular } from '../helpers/index.js';
import { keys, startFrames } from './frames.js';

const home = scratch();
process.env['HOME'] = home;
const historyFile = join(home, '.fair_history');
const hmda = tabular('hmda.csv');
const load = `load "${hmda}" as loans`;

test('typing statements shows their results, sized to the terminal',
  async () => {
    const repl = await startFrames({ cwd: home });
    await repl.press(load, keys.enter);
    await repl.waitFor('loans: 2,380 rows × 14 columns');

    await repl.press('describe', keys.enter);
    const frame = await repl.waitFor(/hschool\s+text/);
    assert.match(frame, /fair> describe\n/);
    for (const line of frame.split('\n')) {
      assert.ok([...line].length <= 100, `wider than the terminal: ${line}`);
    }
    // The prompt is back, empty, below the results.
    assert.equal(repl.prompt(), 'fair>');
    repl.unmount();
  });

test('an audit is shown with bars for each group\'s rate', async () => {
  const repl = await startFrames({ cwd: home });
  await repl.press(load, keys.enter);
  await repl.waitFor('loans: 2,380 rows');
  await repl.press('audit by afam target deny = "yes"', keys.enter);
  const frame = await repl.waitFor('positive_rate by afam');
  assert.match(frame, /\nno\s+█+[▏▎▍▌▋▊▉]?\s+0\.0926\n/);
  assert.match(frame, /\nyes\s+█+\s+0\.2832\n/);
  repl.unmount();
});

test('Tab completes a column name of the current table', async () => {
  const repl = await startFrames({ cwd: home });
  await repl.press(load, keys.enter);
  await repl.waitFor('loans: 2,380 rows');

  await repl.press('where af', keys.tab);
  assert.equal(repl.prompt(), 'fair> where afam');

  // Two columns start with "h": Tab lists them below the prompt.
  await repl.press(keys.ctrlC, 'select h', keys.tab);
  const frame = repl.frame();
  assert.match(frame, /fair> select h\s*\n.*hirat\s+hschool/);
  repl.unmount();
});

test('an error is shown with its line, a caret and a suggestion',
  async () => {
    const repl = await startFrames({ cwd: home });
    await repl.press(load, keys.enter);
    await repl.waitFor('loans: 2,380 rows');

    await repl.press('where afma = "yes"', keys.enter);
    const frame = await repl.waitFor('did you mean "afam"?');
    assert.ok(frame.includes([
      'input:1:7: error: table "loans" has no column "afma"',
      '  1 | where afma = "yes"',
      '    |       ^^^^',
      '  = did you mean "afam"?',
    ].join('\n')), frame);
    // Still in the REPL, and the session kept its table.
    await repl.press(':tables', keys.enter);
    await repl.waitFor(/loans\s+2380\s+14\s+current/);
    repl.unmount();
  });

test('up and down recall history saved by an earlier session', async () => {
  writeFileSync(historyFile, 'describe\nselect deny,\n\tafam\n');
  const repl = await startFrames({ cwd: home });

  await repl.press(keys.up);
  assert.equal(repl.prompt(), 'fair> select deny,\n  ... afam');
  // In an entry of two lines, up first moves to its first line.
  await repl.press(keys.up, keys.up);
  assert.equal(repl.prompt(), 'fair> describe');
  await repl.press(keys.down);
  assert.equal(repl.prompt(), 'fair> select deny,\n  ... afam');
  await repl.press(keys.down);
  assert.equal(repl.prompt(), 'fair>');

  // What runs now is added to the file for the next session.
  await repl.press('show 3', keys.enter);
  await repl.waitFor('there is no table to work on yet');
  assert.match(readFileSync(historyFile, 'utf8'), /\nshow 3\n$/);
  repl.unmount();
});

test('a statement that continues takes another line', async () => {
  const repl = await startFrames({ cwd: home });
  await repl.press(load, keys.enter);
  await repl.waitFor('loans: 2,380 rows');

  await repl.press('select deny,', keys.enter);
  assert.equal(repl.prompt(), 'fair> select deny,\n  ...');
  await repl.press('afam', keys.enter);
  await repl.waitFor('kept 2 columns of 14');
  repl.unmount();
});

test('Ctrl-C drops the input; Ctrl-D on an empty prompt leaves', async () => {
  const repl = await startFrames({ cwd: home });
  await repl.press('describe', keys.ctrlC);
  assert.match(repl.frame(), /fair> describe\n\^C\n/);
  assert.equal(repl.prompt(), 'fair>');

  await repl.press(keys.ctrlC);
  assert.match(repl.frame(), /press Ctrl-D or type :quit to leave/);

  await repl.press(keys.ctrlD);
  assert.equal(repl.controller.snapshot().exited, true);
  assert.doesNotMatch(repl.frame().split('\n').at(-1) ?? '', /fair>/);
  repl.unmount();
});

test('keys that arrive together while Fair is busy are each taken',
  async () => {
    // A terminal delivers keys typed during a busy moment as one string.
    const repl = await startFrames({ cwd: home });
    await repl.press(load, keys.enter);
    await repl.waitFor('loans: 2,380 rows');
    await repl.press('where af\tx\u007f= "no"\u0003');
    assert.match(repl.frame(), /fair> where afam = "no"\n\^C\n/);
    await repl.press('\u0003\u0004');
    assert.equal(repl.controller.snapshot().exited, true);
    repl.unmount();
  });

test('long work shows a progress bar; Ctrl-C stops it', async () => {
  // An engine whose one statement reports progress until it is stopped,
  // as training does between epochs.
  let stopped = false;
  const engine: EngineLike = {
    width: 80,
    highlight: (text) => text ? [{ text, style: 'plain' }] : [],
    complete: () => ({ from: 0, typed: '', candidates: [] }),
    continues: () => false,
    async submit(_text: string, options: SubmitOptions) {
      this.onProgress?.({ label: 'training model', fraction: 0.5,
        detail: 'epoch 15 of 30' });
      while (!options.cancelled()) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      stopped = true;
      this.onProgress?.(undefined);
      options.emit({ text: 'stopped by Ctrl-C', tone: 'warning' });
    },
  };
  const repl = await startFrames({ cwd: home, engine: async () => engine });

  await repl.press('train', keys.enter);
  const frame = await repl.waitFor('training model');
  assert.match(frame, /training model █+░+  50% epoch 15 of 30/);
  // Keys typed meanwhile wait for the statement to end.
  await repl.press('describe');
  await repl.press(keys.ctrlC);
  await repl.waitFor('stopped by Ctrl-C');
  assert.equal(stopped, true);
  assert.equal(repl.prompt(), 'fair>');
  repl.unmount();
});

test('fair repl FILE runs the script, then takes statements on its tables',
  async () => {
    writeFileSync(join(home, 'start.fair'),
      `${load}\nwhere afam = "yes" as black\n`);
    const repl = await startFrames({ cwd: home, script: 'start.fair' });
    await repl.waitFor('kept 339 of 2,380 rows');
    assert.match(repl.frame(), /fair> :load start\.fair\nrunning start\.fair/);

    await repl.press('show 2', keys.enter);
    const frame = await repl.waitFor(/… 337 more rows/);
    // The first two rows of the 339 applicants with afam = "yes".
    assert.match(frame, /\nno\s+0\.26\s+0\.21\s+0\.8911\s/);
    repl.unmount();
  });
