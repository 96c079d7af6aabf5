// The fair command as a user runs it: the compiled bin/fair.js.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { root, scratch, tabular } from '../helpers/index.js';

const bin = join(root, 'bin', 'fair.js');

function fair(args: string[], cwd = root) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

test('the compiled program exists (npm test builds it first)', () => {
  assert.ok(existsSync(join(root, 'dist', 'cli', 'main.js')));
});

test('--help and run --help print usage with examples', () => {
  const help = fair(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /Usage:/);
  assert.match(help.out, /npx fair run examples\/quickstart\.fair/);
  const run = fair(['run', '--help']);
  assert.equal(run.code, 0);
  assert.match(run.out, /--json/);
  assert.match(run.out, /Examples:/);
  assert.equal(fair(['check', '--help']).code, 0);
});

test('usage mistakes exit with 2', () => {
  assert.equal(fair(['frobnicate']).code, 2);
  assert.equal(fair(['run']).code, 2);
  assert.equal(fair(['run', 'no-such-script.fair']).code, 2);
  assert.equal(fair(['run', 'examples/quickstart.fair', '--width', '5']).code, 2);
  assert.equal(fair(['run', 'a.fair', '--colour']).code, 2);
});

test('the quickstart runs and its tables fit 80 columns', () => {
  const folder = scratch();
  const script = join(root, 'examples', 'quickstart.fair');
  const result = fair(['run', script, '--width', '80'], root);
  assert.equal(result.code, 0, result.err);
  assert.match(result.out, /loans: 2,380 rows × 14 columns/);
  assert.match(result.out, /3 exact duplicate\s+rows/);
  assert.match(result.out, /… [\d,]+ more rows/);
  for (const line of result.out.split('\n')) {
    assert.ok([...line].length <= 80, `too wide: ${line}`);
  }
  void folder;
});

test('--json prints one object per statement with its line and kind', () => {
  const folder = scratch();
  const script = join(folder, 's.fair');
  writeFileSync(script, `# a comment\nseed 1\n\nload "${tabular('hmda.csv')}"` +
    '\ndescribe\nshow 3\n');
  const result = fair(['run', script, '--json'], folder);
  assert.equal(result.code, 0, result.err);
  const lines = result.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => [l.line, l.kind]),
    [[2, 'seed'], [4, 'load'], [5, 'describe'], [6, 'show']]);
  assert.equal(lines[2].result.rows.length, 14);
  assert.equal(lines[3].result.rows.length, 3);
  assert.equal(lines[3].result.total_rows, 2380);
  assert.deepEqual(Object.keys(lines[3].result.rows[0]).slice(0, 2),
    ['deny', 'pirat']);
});

test('a failed run prints the caret and ends --json with an error line', () => {
  const folder = scratch();
  const script = join(folder, 'bad.fair');
  writeFileSync(script, `load "${tabular('hmda.csv')}"\nwhere afma = "yes"\n`);
  const text = fair(['run', script], folder);
  assert.equal(text.code, 1);
  assert.match(text.err, /bad\.fair:2:7: error: table "hmda" has no column "afma"/);
  assert.match(text.err, /\n {2}2 \| where afma = "yes"\n {4}\| {7}\^\^\^\^\n/);
  assert.match(text.err, /did you mean "afam"\?/);

  const json = fair(['run', script, '--json'], folder);
  assert.equal(json.code, 1);
  const last = JSON.parse(json.out.trim().split('\n').pop()!);
  assert.deepEqual(last.error, {
    file: script, line: 2, col: 7, code: 'unknown-column',
    message: 'table "hmda" has no column "afma"',
    hints: ['did you mean "afam"?'],
  });
});

test('a data error stops the run, naming the file and row', () => {
  const folder = scratch();
  writeFileSync(join(folder, 'bad.csv'), 'a,b\n1,2\n3,4,5\n');
  writeFileSync(join(folder, 's.fair'), 'load "bad.csv"\ndescribe\n');
  const result = fair(['run', 's.fair', '--json'], folder);
  assert.equal(result.code, 1);
  assert.equal(result.out.trim().split('\n').length, 1);
  const error = JSON.parse(result.out).error;
  assert.equal(error.code, 'field-count');
  assert.equal(error.line, 1);
  assert.match(error.message, /bad\.csv line 3 \(row 2\)/);
});

test('check lists every problem and runs nothing', () => {
  const folder = scratch();
  writeFileSync(join(folder, 's.fair'), [
    `load "${tabular('hmda.csv')}" as loans`,
    'laod "x.csv"',
    'where afma = "yes"',
    'derive x = pirat > "high"',
    'save to "out.csv"',
  ].join('\n'));
  const result = fair(['check', 's.fair'], folder);
  assert.equal(result.code, 1);
  const errors = result.err.match(/^s\.fair:\d+:\d+: error/gm) ?? [];
  assert.deepEqual(errors, ['s.fair:2:1: error', 's.fair:3:7: error',
    's.fair:4:12: error']);
  assert.match(result.out, /3 errors/);
  assert.ok(!existsSync(join(folder, 'out.csv')));
});

test('check passes a good script', () => {
  const result = fair(['check', 'examples/quickstart.fair']);
  assert.equal(result.code, 0, result.err);
  assert.match(result.out, /no problems found in \d+ statements/);
});
