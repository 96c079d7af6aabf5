// audit on the reference data sets. Expected figures come from
// ../shared/reference/tabular.json (computed there with pandas) unless a
// test says otherwise. The reference's rates are of the FAVOURABLE
// outcome (HMDA: deny = "no"; Arrests: released = "Yes"), so an audit of
// HMDA with target deny = "yes" is compared with 1 - those rates.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Result, Row } from '../../src/runtime/result.js';
import { run, shared, tabular } from '../helpers/index.js';

interface ReferenceGroup {
  group: string;
  n: number;
  n_favorable: number;
  rate: number;
}

interface ReferenceAttribute {
  attribute: string;
  groups: ReferenceGroup[];
  comparisons: {
    unprivileged: string;
    privileged: string;
    disparate_impact: number;
    statistical_parity_difference: number;
  }[];
}

const reference = JSON.parse(readFileSync(
  join(shared, 'reference', 'tabular.json'), 'utf8'));

function attribute(data: string, name: string): ReferenceAttribute {
  return reference[data].sensitive.find(
    (s: ReferenceAttribute) => s.attribute === name);
}

/** Equal when both round to the same 6 decimals, as the reference does. */
function sixDecimals(actual: unknown, expected: number, what: string) {
  assert.equal(typeof actual, 'number', `${what} is a number`);
  assert.equal(Number((actual as number).toFixed(6)),
    Number(expected.toFixed(6)), `${what}: ${actual} vs ${expected}`);
}

function rowOf(result: Result, column: string, value: unknown): Row {
  const row = result.rows!.find((r) => r[column] === value);
  assert.ok(row, `a row with ${column} = ${String(value)}`);
  return row;
}

const last = (results: Result[]) => results[results.length - 1]!;

test('HMDA by afam, target deny = "yes": n, rates, disparate impact and ' +
  'parity difference as in tabular.json', async () => {
  const afam = attribute('hmda', 'afam');
  const { results } = await run(`load "${tabular('hmda.csv')}" as loans
audit by afam target deny = "yes"`);
  const audit = last(results);

  // Denial rates are 1 - the reference's approval rates.
  for (const group of afam.groups) {
    const row = rowOf(audit, 'afam', group.group);
    assert.equal(row['n'], group.n);
    assert.equal(row['positives'], group.n - group.n_favorable);
    sixDecimals(row['positive_rate'], 1 - group.rate,
      `denial rate of ${group.group}`);
  }

  // The parity difference of denial equals that of approval in size;
  // tabular.json gives it signed (unprivileged - privileged).
  const comparison = afam.comparisons[0]!;
  sixDecimals(audit.summary!['parity_difference'],
    Math.abs(comparison.statistical_parity_difference), 'parity difference');

  // The reference's disparate impact is of approval rates; of denial rates
  // it is lowest over highest: (1 - 0.907398) / (1 - 0.716814), from the
  // reference's exact counts 189/2041 and 96/339.
  sixDecimals(audit.summary!['disparate_impact'], (189 / 2041) / (96 / 339),
    'disparate impact of denial');
  assert.equal(audit.summary!['reference_group'], 'yes');
  assert.equal(audit['reference_rule'], 'highest rate');
});

test('HMDA by afam, target deny = "no" (approval): disparate impact is ' +
  'the reference\'s 0.789966', async () => {
  const afam = attribute('hmda', 'afam');
  const { results } = await run(`load "${tabular('hmda.csv')}" as loans
audit by afam target deny = "no"`);
  const audit = last(results);
  for (const group of afam.groups) {
    const row = rowOf(audit, 'afam', group.group);
    assert.equal(row['positives'], group.n_favorable);
    sixDecimals(row['positive_rate'], group.rate, `approval ${group.group}`);
  }
  const comparison = afam.comparisons[0]!;
  sixDecimals(audit.summary!['disparate_impact'], comparison.disparate_impact,
    'disparate impact');
  assert.deepEqual(audit.summary!['four_fifths_failures'], ['yes']);
});

test('Arrests by colour, target released = "Yes" (the favourable outcome):' +
  ' as in tabular.json', async () => {
  const colour = attribute('arrests', 'colour');
  const { results } = await run(`load "${tabular('arrests.csv')}" as arrests
audit by colour target released = Yes`);
  const audit = last(results);
  for (const group of colour.groups) {
    const row = rowOf(audit, 'colour', group.group);
    assert.equal(row['n'], group.n);
    assert.equal(row['positives'], group.n_favorable);
    sixDecimals(row['positive_rate'], group.rate, `release ${group.group}`);
  }
  const comparison = colour.comparisons[0]!;
  sixDecimals(audit.summary!['disparate_impact'], comparison.disparate_impact,
    'disparate impact');
  sixDecimals(audit.summary!['parity_difference'],
    Math.abs(comparison.statistical_parity_difference), 'parity difference');
  // White has the highest rate, so it is the reference; Black's ratio to
  // it is the disparate impact.
  assert.equal(audit.summary!['reference_group'], 'White');
  sixDecimals(rowOf(audit, 'colour', 'Black')['rate_ratio'],
    comparison.disparate_impact, 'Black rate ratio');
  assert.deepEqual(audit.summary!['four_fifths_failures'], []);
});

test('Arrests by colour, sex: four intersectional groups summing to 5226',
  async () => {
    const { results } = await run(`load "${tabular('arrests.csv')}"
audit by colour, sex target released = "Yes"`);
    const audit = last(results);
    assert.equal(audit.rows!.length, 4);
    const labels = audit.rows!.map((r) => `${r['colour']} ${r['sex']}`);
    assert.deepEqual(labels, ['Black Female', 'Black Male', 'White Female',
      'White Male']);
    const total = audit.rows!.reduce((sum, r) => sum + (r['n'] as number), 0);
    assert.equal(total, reference.arrests.rows);
    assert.equal(total, 5226);

    // Each sex's total matches the reference's one-column audit by sex.
    const sex = attribute('arrests', 'sex');
    for (const group of sex.groups) {
      const rows = audit.rows!.filter((r) => r['sex'] === group.group);
      assert.equal(rows.reduce((s, r) => s + (r['n'] as number), 0), group.n);
      assert.equal(rows.reduce((s, r) => s + (r['positives'] as number), 0),
        group.n_favorable);
    }
  });

test('a reference group named in the statement is used and said so',
  async () => {
    const { results } = await run(`load "${tabular('arrests.csv')}"
audit by colour target released = "Yes" reference Black`);
    const audit = last(results);
    assert.equal(audit['reference_group'], 'Black');
    assert.equal(audit['reference_rule'], 'named');
    const white = rowOf(audit, 'colour', 'White');
    // From the reference's counts: 3379 of 3938 and 955 of 1288 released.
    sixDecimals(white['rate_ratio'], (3379 / 3938) / (955 / 1288),
      'White over Black');
    assert.equal(rowOf(audit, 'colour', 'Black')['rate_difference'], 0);
    // Disparate impact does not depend on the reference: lowest / highest.
    sixDecimals(audit.summary!['disparate_impact'], 0.864122, 'DI');
  });
