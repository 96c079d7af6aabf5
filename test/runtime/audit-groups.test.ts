// groupRows, which every audit figure rests on, against the simplest
// grouping that could be right: a map from each row's values (as JSON) to
// its rows, sorted as groups.ts documents (numbers numerically, other
// values as text, missing last). Random tables come from fast-check; the
// large cases reach the map and text-key paths of the quick version.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compareValues, groupRows, valueLabel } from
  '../../src/runtime/groups.js';
import {
  columnOf, makeTable, rowCount, toColumn, valueAt, type Table, type Value,
} from '../../src/runtime/table.js';

function simpleGrouping(table: Table, columns: string[]) {
  const groups = new Map<string, { values: Value[]; rows: number[] }>();
  for (let row = 0; row < rowCount(table); row++) {
    const values = columns.map((c) => valueAt(columnOf(table, c), row));
    const key = JSON.stringify(values);
    const group = groups.get(key) ?? { values, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => {
    for (let i = 0; i < columns.length; i++) {
      const order = compareValues(a.values[i]!, b.values[i]!);
      if (order !== 0) return order;
    }
    return 0;
  });
}

function assertSameGrouping(table: Table, columns: string[]) {
  const quick = groupRows(table, columns);
  const simple = simpleGrouping(table, columns);
  assert.deepEqual(quick.groups.map((g) => g.values),
    simple.map((g) => g.values));
  assert.deepEqual(quick.groups.map((g) => g.rows), simple.map((g) => g.rows));
  assert.deepEqual(quick.groups.map((g) => g.label),
    simple.map((g) => g.values.map(valueLabel).join(' × ')));
  quick.groups.forEach((group, i) => {
    for (const row of group.rows) assert.equal(quick.groupOf[row], i);
  });
}

const text = fc.option(fc.constantFrom('a', 'b', 'c', 'B', '10', '9'),
  { nil: null, freq: 5 });
const number = fc.option(fc.constantFrom(0, 1, 2.5, -3, 10, 9),
  { nil: null, freq: 5 });
const flag = fc.option(fc.boolean(), { nil: null, freq: 5 });

test('groupRows matches a plain map grouping on random tables', () => {
  fc.assert(fc.property(
    fc.array(fc.tuple(text, number, flag), { maxLength: 60 }),
    fc.subarray(['t', 'x', 'f'], { minLength: 1 }),
    (rows, columns) => {
      const table = makeTable([
        ['t', toColumn(rows.map((r) => r[0]), 'string')],
        ['x', toColumn(rows.map((r) => r[1]), 'number')],
        ['f', toColumn(rows.map((r) => r[2]), 'boolean')],
      ]);
      assertSameGrouping(table, columns);
    }), { numRuns: 300, seed: 7 });
});

test('many combinations (a map of keys) and more than exact integers ' +
  '(text keys) group the same way', () => {
  const rows = 10_000;
  const unique = (offset: number) =>
    toColumn(Array.from({ length: rows }, (_, i) => (i * 7919 + offset) %
      rows), 'number');
  const table = makeTable([
    ['a', unique(1)], ['b', unique(2)], ['c', unique(3)], ['d', unique(4)],
    ['few', toColumn(Array.from({ length: rows }, (_, i) =>
      i % 3 === 0 ? null : `g${i % 5}`), 'string')],
  ]);
  // 10^4 x 10^4 values: past the array lookup, into the map.
  assertSameGrouping(table, ['a', 'few']);
  assertSameGrouping(table, ['a', 'b']);
  // 10^16 combinations: past Number.MAX_SAFE_INTEGER, into text keys.
  assertSameGrouping(table, ['a', 'b', 'c', 'd']);
});

test('no rows give no groups; no columns give one group of every row', () => {
  const empty = makeTable([['g', toColumn([], 'string')]]);
  assert.deepEqual(groupRows(empty, ['g']).groups, []);
  const table = makeTable([['g', toColumn(['x', 'y'], 'string')]]);
  const all = groupRows(table, []);
  assert.equal(all.groups.length, 1);
  assert.deepEqual(all.groups[0]!.rows, [0, 1]);
});
