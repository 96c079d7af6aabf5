// Bad input to audit and compare: each problem is reported with its code,
// at the words that caused it, naming what was expected and what to do.
// Codes are compared with the catalogue, not with copied message text.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Diagnostic } from '../../src/lang/diagnostics.js';
import { marked, runFailing, scratch, tabular } from '../helpers/index.js';

const arrests = `load "${tabular('arrests.csv')}" as arrests\n`;

/** Run a script with one «marked» span; the first error must point there. */
async function failsAt(template: string, code: string, cwd?: string):
Promise<Diagnostic> {
  const { source, line, column } = marked(template);
  const diagnostics = await runFailing(source, cwd);
  const error = diagnostics.find((d) => d.severity === 'error')!;
  assert.equal(error.code, code, error.message);
  assert.equal(error.span?.line, line, `line of: ${error.message}`);
  assert.equal(error.span?.column, column, `column of: ${error.message}`);
  return error;
}

test('an unknown group column is named, with a suggestion', async () => {
  const error = await failsAt(
    `${arrests}audit by «color» target released = "Yes"`, 'unknown-column');
  assert.ok(error.hints.some((h) => h.includes('colour')));
});

test('an unknown target column is reported before anything runs',
  async () => {
    await failsAt(`${arrests}audit by colour target «release» = "Yes"`,
      'unknown-column');
  });

test('a target value that never occurs names the values that do',
  async () => {
    const error = await failsAt(
      `${arrests}audit by colour target released = «"yes"»`,
      'audit-target-value');
    const hints = error.hints.join('\n');
    assert.match(hints, /"Yes" \(4,334\)/);
    assert.match(hints, /"No" \(892\)/);
  });

test('a target value of the wrong type is caught by the checker',
  async () => {
    await failsAt(`${arrests}audit by colour target released = «1»`,
      'wrong-type');
  });

test('negative and missing weights are refused, naming the row',
  async () => {
    const folder = scratch();
    writeFileSync(join(folder, 'neg.csv'), 'g,y,w\na,1,1\nb,0,-2\n');
    writeFileSync(join(folder, 'gap.csv'), 'g,y,w\na,1,1\nb,0,\nb,1,1\n');
    const negative = await failsAt(`load "neg.csv"
audit by g target y = 1 weight «w»`, 'audit-bad-weight', folder);
    assert.match(negative.message, /negative value -2 in row 2/);
    const missing = await failsAt(`load "gap.csv"
audit by g target y = 1 weight «w»`, 'audit-bad-weight', folder);
    assert.match(missing.message, /missing value in row 2/);
  });

test('rows are numbered as in the table read, after the audit\'s where',
  async () => {
    const folder = scratch();
    writeFileSync(join(folder, 'w.csv'), 'g,y,w\na,1,1\nb,0,1\nb,0,-1\n');
    const error = await failsAt(`load "w.csv"
audit by g target y = 1 weight «w» where g = "b"`, 'audit-bad-weight',
    folder);
    assert.match(error.message, /row 3 /);
  });

test('a weight column of text is refused before anything runs', async () => {
  await failsAt(`${arrests}audit by colour weight «sex»`,
    'audit-weight-type');
});

test('an empty table cannot be audited', async () => {
  await failsAt(`${arrests}where age > 1000 as nobody
«audit by colour target released = "Yes"»`, 'audit-empty-table');
});

test('a where that keeps no rows is pointed at', async () => {
  await failsAt(`${arrests}audit by colour where «age > 1000»`,
    'audit-empty-table');
});

test('a reference group left with zero rows after where names the groups ' +
  'that have rows', async () => {
  const error = await failsAt(`${arrests}where colour = "Black" as black
audit by colour target released = "Yes" reference «White»`,
  'audit-reference-group');
  assert.match(error.hints.join('\n'), /"Black" \(1,288\)/);
});

test('a count above its total in "target COUNT of TOTAL" is refused',
  async () => {
    const folder = scratch();
    writeFileSync(join(folder, 'agg.csv'), 'g,admitted,applied\na,3,5\n' +
      'b,7,6\n');
    const error = await failsAt(`load "agg.csv"
audit by g target admitted of «applied»`, 'audit-bad-count', folder);
    assert.match(error.message, /row 2/);
  });

test('a reference distribution file that is not there', async () => {
  await failsAt(`${arrests}audit by colour against «"census.csv"»`,
    'file-not-found', scratch());
});

test('a reference distribution file without a share column', async () => {
  const folder = scratch();
  writeFileSync(join(folder, 'ref.csv'), 'colour,a,b\nBlack,1,2\n' +
    'White,3,4\n');
  const error = await failsAt(`${arrests}audit by colour against «"ref.csv"»`,
    'audit-against-file', folder);
  assert.match(error.hints.join('\n'), /"a", "b"/);
});

test('compare names a group column missing from either table', async () => {
  await failsAt(`${arrests}select colour, released as slim
compare arrests, slim by colour, «sex»`, 'unknown-column');
});
