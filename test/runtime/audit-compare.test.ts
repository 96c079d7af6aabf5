// compare, and what an audit leaves for later statements: the table of
// `as NAME`, the latest audit's groups as the table's sensitive columns,
// and its text form. Counts are the Arrests reference's (tabular.json).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderText } from '../../src/runtime/render/text.js';
import type { Result } from '../../src/runtime/result.js';
import { columnOf, rowCount } from '../../src/runtime/table.js';
import { run, tabular } from '../helpers/index.js';

const arrests = `load "${tabular('arrests.csv')}" as arrests\n`;
const last = (results: Result[]) => results[results.length - 1]!;

test('compare shows both audits per group, with the change', async () => {
  const { results } = await run(`${arrests}where sex = "Male" as men
compare arrests, men by colour, sex target released = "Yes"`);
  const compare = last(results);
  assert.equal(compare.kind, 'compare');
  assert.equal(compare['before'], 'arrests');
  assert.equal(compare['after'], 'men');

  // Women are in the first table only: shown, not dropped.
  assert.equal(compare.rows!.length, 4);
  const women = compare.rows!.filter((r) => r['sex'] === 'Female');
  assert.deepEqual(women.map((r) => r['present']),
    ['before only', 'before only']);
  assert.deepEqual(women.map((r) => r['n_after']), [null, null]);
  assert.deepEqual(compare.summary!['only_before'],
    ['Black × Female', 'White × Female']);

  // Black men: same rows and rate, a larger share once women are gone.
  const black = compare.rows!.find((r) => r['colour'] === 'Black' &&
    r['sex'] === 'Male')!;
  assert.equal(black['n_before'], 1216);
  assert.equal(black['n_after'], 1216);
  assert.equal(black['rate_change'], 0);
  assert.equal(black['share_before'], 1216 / 5226);
  assert.equal(black['share_after'], 1216 / 4783);
  assert.equal(black['share_change'], 1216 / 4783 - 1216 / 5226);
  assert.equal(compare.summary!['rows_before'], 5226);
  assert.equal(compare.summary!['rows_after'], 4783);
});

test('compare gives each side\'s disparate impact and its change',
  async () => {
    const { results } = await run(`${arrests}where citizen = "Yes" as citizens
audit arrests by colour target released = "Yes"
audit citizens by colour target released = "Yes"
compare arrests, citizens by colour target released = "Yes"`);
    const [, , before, after, compare] = results;
    assert.equal(compare!.summary!['disparate_impact_before'],
      before!.summary!['disparate_impact']);
    assert.equal(compare!.summary!['disparate_impact_after'],
      after!.summary!['disparate_impact']);
    assert.equal(compare!.summary!['disparate_impact_change'],
      (after!.summary!['disparate_impact'] as number) -
      (before!.summary!['disparate_impact'] as number));
  });

test('a weight column that only the second table has: the first counts ' +
  'rows', async () => {
    const { results } = await run(`${arrests}
derive w = if(colour = "Black", 2, 1) as weighted
compare arrests, weighted by colour weight w`);
    const compare = last(results);
    const black = compare.rows!.find((r) => r['colour'] === 'Black')!;
    assert.equal(black['n_before'], 1288);
    assert.equal(black['n_after'], 2576);
    assert.ok(compare.notes!.some((n) => /arrests has no column w/.test(n)));
  });

test('audit ... as NAME keeps the per-group table; the current table ' +
  'stays', async () => {
  const { session } = await run(`${arrests}
audit by colour, sex target released = "Yes" as fairness`);
  const table = session.table('fairness');
  assert.equal(rowCount(table), 4);
  assert.equal(session.current, 'arrests');
  const n = columnOf(table, 'n') as Float64Array;
  assert.equal(n.reduce((a, b) => a + b, 0), 5226);
  assert.deepEqual(columnOf(table, 'colour'),
    ['Black', 'Black', 'White', 'White']);
  assert.ok(session.results.get('fairness'));
  assert.equal(session.results.get('audit')!['table'], 'arrests');
});

test('the latest audit\'s groups become the table\'s sensitive columns, ' +
  'unless declared', async () => {
  const { session } = await run(`${arrests}audit by colour
audit by colour, sex`);
  assert.deepEqual(session.sensitive.get('arrests'), ['colour', 'sex']);
  assert.deepEqual(session.results.get('audit')!['by'], ['colour', 'sex']);

  // A declared entry (as a sensitive statement would set) is kept.
  session.sensitive.set('arrests', ['citizen']);
  await session.run('audit by age');
  assert.deepEqual(session.sensitive.get('arrests'), ['citizen']);
});

test('the same script gives byte-identical JSON and text', async () => {
  const script = `${arrests}audit by colour, sex target released = "Yes" ` +
    'against {"Black, Male": 0.3, "Black, Female": 0.05, ' +
    '"White, Male": 0.55, "White, Female": 0.1}';
  const first = last((await run(script)).results);
  const second = last((await run(script)).results);
  assert.equal(JSON.stringify(first), JSON.stringify(second));
  assert.equal(renderText(first), renderText(second));
});

test('the text form names the reference group, the findings and fits ' +
  '80 columns', async () => {
  const { results } = await run(`${arrests}
audit by colour target released = "Yes"
where sex = "Male" as men
compare arrests, men by colour, sex target released = "Yes"`);
  const audit = renderText(results[1]!);
  assert.match(audit, /reference group White \(highest rate\)/);
  assert.match(audit, /disparate impact 0\.864/);
  assert.match(audit, /Black +1,288 +24\.6% +955 +74\.1% +71\.7–76\.5%/);
  const compare = renderText(results[3]!);
  assert.match(compare, /White +Female +371 → – +7\.1% → –/);
  for (const text of [audit, compare]) {
    for (const line of text.split('\n')) {
      assert.ok([...line].length <= 80, `fits 80 columns: ${line}`);
    }
  }
});
