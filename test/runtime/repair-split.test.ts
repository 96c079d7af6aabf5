// split and stratify: every row in exactly one part, strata and parts
// within one row of their shares, seeded, small strata reported.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupRows } from '../../src/runtime/groups.js';
import { Random } from '../../src/runtime/random.js';
import { allocateStrata } from '../../src/runtime/repair/allocate.js';
import {
  columnNames, columnOf, rowCount, rowKey, type Table,
} from '../../src/runtime/table.js';
import { run, tabular } from '../helpers/index.js';

const hmda = tabular('hmda.csv');

/** Rows as keys with a row number, so that duplicate rows stay apart. */
function keys(table: Table): string[] {
  const columns = columnNames(table).map((n) => columnOf(table, n));
  return Array.from({ length: rowCount(table) }, (_, r) =>
    rowKey(columns, r));
}

function multiset(items: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

test('split 80/20 stratified by afam, deny: each stratum and each part ' +
  'within one row of its share, every row once', async () => {
  const { session, results } = await run(`seed 11
load "${hmda}" as loans
split 80/20 stratify by afam, deny into train, test`);
  const loans = session.table('loans');
  const train = session.table('train');
  const test_ = session.table('test');

  assert.equal(rowCount(train) + rowCount(test_), 2380);
  assert.ok(Math.abs(rowCount(train) - 0.8 * 2380) < 1);
  assert.deepEqual(multiset([...keys(train), ...keys(test_)]),
    multiset(keys(loans)));

  // Strata sizes from reference/tabular.json: afam no 2041 (189 denied),
  // yes 339 (96 denied).
  const strata = groupRows(loans, ['afam', 'deny']).groups;
  assert.deepEqual(strata.map((g) => g.rows.length), [1852, 189, 243, 96]);
  const inTrain = groupRows(train, ['afam', 'deny']).groups;
  strata.forEach((stratum, s) => {
    const n = stratum.rows.length;
    assert.ok(Math.abs(inTrain[s]!.rows.length - 0.8 * n) < 1,
      `${stratum.label}: ${inTrain[s]!.rows.length} of ${n}`);
  });

  // The result table repeats these counts; train is the current table.
  const rows = results[2]!.rows!;
  assert.deepEqual(rows.map((r) => (r['train'] as number) +
    (r['test'] as number)), [1852, 189, 243, 96]);
  assert.equal(session.current, 'train');
});

test('three-way split 70/15/15 keeps strata within one row in each part',
  async () => {
    const { session } = await run(`seed 3
load "${tabular('arrests.csv')}" as arrests
split 70/15/15 stratify by colour, released into a, b, c`);
    const strata = groupRows(session.table('arrests'),
      ['colour', 'released']).groups;
    const shares = [0.7, 0.15, 0.15];
    ['a', 'b', 'c'].forEach((part, j) => {
      const counts = groupRows(session.table(part),
        ['colour', 'released']).groups;
      strata.forEach((stratum, s) => {
        assert.ok(Math.abs(counts[s]!.rows.length -
          shares[j]! * stratum.rows.length) < 1, `${part} ${stratum.label}`);
      });
      assert.ok(Math.abs(rowCount(session.table(part)) - shares[j]! * 5226)
        < 1);
    });
  });

test('split is seeded: same seed, same parts; another seed, others',
  async () => {
    const split = async (seed: number) => {
      const { session } = await run(`seed ${seed}
load "${hmda}" as loans
split 80/20 into train, test`);
      return keys(session.table('test')).join('\n');
    };
    assert.equal(await split(1), await split(1));
    assert.notEqual(await split(1), await split(2));
  });

test('a stratum too small to split is reported, not dropped', async () => {
  const { session, results } = await run(`seed 1
load "${tabular('admissions.csv')}" as admissions
split 70/15/15 stratify by major into a, b, c`);
  // 12 rows, 2 per major: each major reaches at most two of three parts.
  const total = ['a', 'b', 'c'].reduce((n, p) =>
    n + rowCount(session.table(p)), 0);
  assert.equal(total, 12);
  const notes = results[2]!.notes ?? [];
  assert.equal(notes.filter((n) => n.includes('too few to split')).length, 6);
});

test('stratify: proportional and equal samples', async () => {
  const { session, results } = await run(`seed 9
load "${hmda}" as loans
stratify by afam size 238 as proportional
stratify loans by afam fraction 0.1 equal as equal
stratify loans by afam, deny size 400 equal as capped`);
  // 2041 and 339 rows: a tenth is 204.1 and 33.9.
  assert.deepEqual(groupRows(session.table('proportional'), ['afam']).groups
    .map((g) => g.rows.length), [204, 34]);
  assert.deepEqual(groupRows(session.table('equal'), ['afam']).groups
    .map((g) => g.rows.length), [119, 119]);
  // 100 per cell, but afam = yes, deny = yes has only 96 rows.
  assert.deepEqual(groupRows(session.table('capped'), ['afam', 'deny'])
    .groups.map((g) => g.rows.length), [100, 100, 100, 96]);
  assert.ok((results[4]!.notes ?? []).some((n) => n.includes('fewer than')));
});

test('split and stratify carry the sensitive columns to their parts',
  async () => {
    const { results } = await run(`seed 1
load "${hmda}" as loans
sensitive afam
split 80/20 into train, test
clean test dedupe`);
    assert.deepEqual(results[3]!.rows!.map((r) => r['afam']), ['no', 'yes']);
    assert.deepEqual(results[4]!['sensitive'], ['afam']);
  });

test('controlled rounding: every cell within one row of its share, every ' +
  'stratum whole, every part within one row (500 random tables)', () => {
  const random = new Random(5);
  const shareSets = [[0.8, 0.2], [0.7, 0.15, 0.15], [0.5, 0.3, 0.2],
    [1 / 3, 1 / 3, 1 / 3], [0.9, 0.05, 0.05]];
  for (let trial = 0; trial < 500; trial++) {
    const sizes = Array.from({ length: random.int(1, 40) }, () =>
      random.int(0, 60));
    const shares = shareSets[trial % shareSets.length]!;
    const counts = allocateStrata(sizes, shares);
    const total = sizes.reduce((a, b) => a + b, 0);
    sizes.forEach((n, s) => {
      assert.equal(counts[s]!.reduce((a, b) => a + b, 0), n);
      shares.forEach((share, j) => {
        assert.ok(Math.abs(counts[s]![j]! - n * share) < 1);
      });
    });
    shares.forEach((share, j) => {
      const part = counts.reduce((a, row) => a + row[j]!, 0);
      assert.ok(Math.abs(part - total * share) < 1,
        `part ${j}: ${part} for ${total * share} (${sizes})`);
    });
  }
});
