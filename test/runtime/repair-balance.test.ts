// balance: oversample, undersample, reweigh; cell sizes, kept rows,
// Kamiran-Calders weights, and the errors for inputs it cannot balance.
//
// Expected counts come from ../shared/reference/tabular.json (pandas):
// HMDA afam = no 2041 rows, 1852 approved; afam = yes 339, 243 approved.
// Arrests colour Black 1288, 955 released; White 3938, 3379 released.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { groupRows } from '../../src/runtime/groups.js';
import {
  columnOf, rowCount, rowKey, valueAt, type Table,
} from '../../src/runtime/table.js';
import { run, runFailing, shared, tabular } from '../helpers/index.js';

const hmda = tabular('hmda.csv');
const reference = JSON.parse(readFileSync(join(shared, 'reference',
  'tabular.json'), 'utf8')) as Record<string, {
    sensitive: { attribute: string; groups: { group: string; n: number;
      n_favorable: number }[] }[];
  }>;

/** Reference cell sizes: group -> [favourable, unfavourable]. */
function referenceCells(data: string, attribute: string): Map<string, number> {
  const groups = reference[data]!.sensitive.find((s) =>
    s.attribute === attribute)!.groups;
  const cells = new Map<string, number>();
  for (const g of groups) {
    cells.set(`${g.group} favourable`, g.n_favorable);
    cells.set(`${g.group} unfavourable`, g.n - g.n_favorable);
  }
  return cells;
}

function cellSizes(table: Table, columns: string[]): number[] {
  return groupRows(table, columns).groups.map((g) => g.rows.length);
}

test('oversampling HMDA by afam, deny gives every cell the size of the ' +
  'largest and keeps every original row unchanged', async () => {
  const { session, results } = await run(`seed 5
load "${hmda}" as loans
balance by afam, deny method oversample as over`);
  const before = session.table('loans');
  const after = session.table('over');
  const largest = Math.max(...referenceCells('hmda', 'afam').values());
  assert.equal(largest, 1852);
  assert.deepEqual(cellSizes(after, ['afam', 'deny']), [1852, 1852, 1852,
    1852]);
  assert.equal(rowCount(after), 4 * 1852);

  // The first 2,380 rows are the original rows, in order, unchanged.
  const names = before.columnNames();
  const original = names.map((n) => columnOf(before, n));
  const grown = names.map((n) => columnOf(after, n));
  for (let row = 0; row < rowCount(before); row++) {
    assert.equal(rowKey(grown, row), rowKey(original, row), `row ${row}`);
  }
  const synthetic = columnOf(after, 'synthetic') as boolean[];
  assert.ok(synthetic.slice(0, 2380).every((s) => s === false));
  assert.ok(synthetic.slice(2380).every((s) => s === true));

  // Every added row is a copy of an original row of its cell.
  const originals = new Set(Array.from({ length: 2380 },
    (_, r) => rowKey(original, r)));
  for (let row = 2380; row < rowCount(after); row++) {
    assert.ok(originals.has(rowKey(grown, row)), `row ${row} is no copy`);
  }

  const result = results[2]!;
  assert.equal(result.summary!['rows_before'], 2380);
  assert.equal(result.summary!['rows_after'], 7408);
  assert.deepEqual(result.rows!.map((r) => [r['afam'], r['deny'],
    r['n_before'], r['n_after']]), [
    ['no', 'no', 1852, 1852], ['no', 'yes', 189, 1852],
    ['yes', 'no', 243, 1852], ['yes', 'yes', 96, 1852]]);
});

test('undersampling HMDA by afam, deny gives every cell the size of the ' +
  'smallest, drawn from its own rows', async () => {
  const { session } = await run(`seed 5
load "${hmda}" as loans
balance by afam, deny method undersample as under`);
  const after = session.table('under');
  assert.deepEqual(cellSizes(after, ['afam', 'deny']), [96, 96, 96, 96]);

  // Kept rows are original rows (as many times as they occur there).
  const before = session.table('loans');
  const names = before.columnNames();
  const count = (table: Table) => {
    const columns = names.map((n) => columnOf(table, n));
    const counts = new Map<string, number>();
    for (let r = 0; r < rowCount(table); r++) {
      const key = rowKey(columns, r);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  };
  const available = count(before);
  for (const [key, n] of count(after)) {
    assert.ok(n <= (available.get(key) ?? 0));
  }
});

test('to ratio and to counts set cell sizes', async () => {
  const { session } = await run(`seed 2
load "${hmda}" as loans
balance by afam method oversample to ratio 0.5 as half
balance loans by afam method undersample to {no: 500} as some
balance loans by afam, deny method oversample to {"yes, yes": 200} as one`);
  // afam: no 2041, yes 339; half of 2041 is 1020.5, so yes grows to 1021.
  assert.deepEqual(cellSizes(session.table('half'), ['afam']), [2041, 1021]);
  assert.deepEqual(cellSizes(session.table('some'), ['afam']), [500, 339]);
  assert.deepEqual(cellSizes(session.table('one'), ['afam', 'deny']),
    [1852, 189, 243, 200]);
});

/** Weighted rate of the favourable label in each group, from the table. */
function weightedRates(table: Table, group: string, label: string,
  favourable: string): number[] {
  const weight = columnOf(table, 'weight') as Float64Array;
  const labels = columnOf(table, label);
  return groupRows(table, [group]).groups.map((g) => {
    let total = 0;
    let good = 0;
    for (const r of g.rows) {
      total += weight[r]!;
      if (valueAt(labels, r) === favourable) good += weight[r]!;
    }
    return good / total;
  });
}

for (const [data, file, group, label, favourable] of [
  ['hmda', 'hmda.csv', 'afam', 'deny', 'no'],
  ['arrests', 'arrests.csv', 'colour', 'released', 'Yes'],
] as const) {
  test(`reweigh ${data}: Kamiran-Calders weights, total kept, weighted ` +
    'parity difference 0', async () => {
    const { session, results } = await run(`load "${tabular(file)}" as t
balance by ${group} target ${label} method reweigh`);
    const table = session.table('t');
    const weight = columnOf(table, 'weight') as Float64Array;
    const n = rowCount(table);

    // Total weight preserved (AIF360 Reweighing's property).
    const total = weight.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - n) < 1e-9 * n, `total ${total}`);

    // W(s, y) = n_s n_y / (n n_sy), from the reference counts.
    const cells = referenceCells(data, group);
    const groups = reference[data]!.sensitive.find((s) =>
      s.attribute === group)!.groups;
    const favourableTotal = groups.reduce((a, g) => a + g.n_favorable, 0);
    const groupColumn = columnOf(table, group);
    const labelColumn = columnOf(table, label);
    for (let r = 0; r < n; r++) {
      const g = groups.find((x) => x.group === valueAt(groupColumn, r))!;
      const good = valueAt(labelColumn, r) === favourable;
      const ny = good ? favourableTotal : n - favourableTotal;
      const nsy = cells.get(`${g.group} ${good ? 'favourable' :
        'unfavourable'}`)!;
      const expected = (g.n * ny) / (n * nsy);
      assert.ok(Math.abs(weight[r]! - expected) < 1e-12, `row ${r}`);
    }

    // Weighted favourable rates equal across groups, to 1e-9.
    const rates = weightedRates(table, group, label, favourable);
    assert.ok(Math.max(...rates) - Math.min(...rates) < 1e-9,
      `rates ${rates}`);
    const summary = results[1]!.summary!;
    assert.ok((summary['parity_difference_after'] as number) < 1e-9);
    assert.ok((summary['parity_difference_before'] as number) > 0.1);
  });
}

test('reweigh without a target gives every group the same total weight',
  async () => {
    const { session } = await run(`load "${hmda}" as loans
balance by afam method reweigh`);
    const table = session.table('loans');
    const weight = columnOf(table, 'weight') as Float64Array;
    const totals = groupRows(table, ['afam']).groups.map((g) =>
      g.rows.reduce((s, r) => s + weight[r]!, 0));
    assert.ok(Math.abs(totals[0]! - 1190) < 1e-9);
    assert.ok(Math.abs(totals[1]! - 1190) < 1e-9);
  });

test('balance reports per sensitive group when they differ from the cells',
  async () => {
    const { results } = await run(`seed 1
load "${hmda}" as loans
sensitive afam, single
balance by deny method undersample`);
    const result = results[3]!;
    const groups = result['sensitive_groups'] as Record<string, unknown>[];
    assert.equal(groups.length, 4);
    const total = groups.reduce((n, g) => n + (g['n_after'] as number), 0);
    assert.equal(total, 2 * 285);
  });

test('balance refuses what it cannot balance', async () => {
  const one = await runFailing(`load "${hmda}" as loans
where afam = "yes"
balance by afam method oversample`);
  assert.equal(one[0]!.code, 'one-group');
  assert.match(one[0]!.message, /afam = yes/);

  const label = await runFailing(`load "${hmda}" as loans
where deny = "no"
balance by afam target deny method reweigh`);
  assert.equal(label[0]!.code, 'one-target-value');

  const same = await runFailing(`load "${hmda}" as loans
balance by afam target afam method reweigh`);
  assert.equal(same[0]!.code, 'target-in-groups');

  const goal = await runFailing(`load "${hmda}" as loans
balance by afam target deny method reweigh to equal`);
  assert.equal(goal[0]!.code, 'balance-goal');

  const shrink = await runFailing(`load "${hmda}" as loans
balance by afam method oversample to {yes: 100}`);
  assert.equal(shrink[0]!.code, 'balance-count');

  const unknown = await runFailing(`load "${hmda}" as loans
balance by afam method oversample to {maybe: 100}`);
  assert.equal(unknown[0]!.code, 'unknown-cell');
  assert.ok(unknown[0]!.hints[0]!.includes('"yes"'));

  const empty = await runFailing(`load "${hmda}" as loans
where not (afam = "yes" and deny = "yes")
balance by afam target deny method oversample`);
  assert.equal(empty[0]!.code, 'empty-cell');
});
