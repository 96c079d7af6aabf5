// Weighted audits: an aggregated table audits exactly like the table of
// single cases it summarises. Berkeley admissions (1973) show Simpson's
// paradox: men are admitted more often overall, women more often in four
// of six majors. Expected figures come from ../shared/reference/
// tabular.json ("admissions"); the expanded tables are built here.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Result, Row } from '../../src/runtime/result.js';
import { run, scratch, shared, tabular } from '../helpers/index.js';

const reference = JSON.parse(readFileSync(
  join(shared, 'reference', 'tabular.json'), 'utf8')).admissions;

interface Cell {
  major: string;
  gender: string;
  admitted: number;
  applicants: number;
}

/** The 12 cells, with admitted counts as the reference computes them. */
function cells(): Cell[] {
  const lines = readFileSync(tabular('admissions.csv'), 'utf8').trim()
    .split('\n').slice(1);
  return lines.map((line) => {
    const [major, gender, percent, applicants] = line.split(',')
      .map((field) => field.replace(/"/g, ''));
    const total = Number(applicants);
    return {
      major: major!,
      gender: gender!,
      admitted: Math.round(Number(percent) * total / 100),
      applicants: total,
    };
  });
}

/** One row per applicant: 4,526 rows. */
function expandedCsv(): string {
  const lines = ['major,gender,outcome'];
  for (const cell of cells()) {
    for (let i = 0; i < cell.applicants; i++) {
      const outcome = i < cell.admitted ? 'admitted' : 'rejected';
      lines.push(`${cell.major},${cell.gender},${outcome}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** One row per cell and outcome, with its count: 24 rows. */
function longCsv(): string {
  const lines = ['major,gender,outcome,count'];
  for (const cell of cells()) {
    lines.push(`${cell.major},${cell.gender},admitted,${cell.admitted}`);
    lines.push(`${cell.major},${cell.gender},rejected,` +
      `${cell.applicants - cell.admitted}`);
  }
  return lines.join('\n') + '\n';
}

const last = (results: Result[]) => results[results.length - 1]!;

function byGroup(result: Result, columns: string[]): Map<string, Row> {
  return new Map(result.rows!.map((row) =>
    [columns.map((c) => String(row[c])).join(' '), row]));
}

const figures = ['n', 'share', 'positives', 'positive_rate', 'rate_low',
  'rate_high', 'rate_ratio', 'rate_difference', 'small'];

function assertSameFigures(actual: Result, expected: Result, by: string[]) {
  const a = byGroup(actual, by);
  const e = byGroup(expected, by);
  assert.deepEqual([...a.keys()], [...e.keys()]);
  for (const [group, row] of e) {
    for (const figure of figures) {
      assert.equal(a.get(group)![figure], row[figure],
        `${figure} of ${group}`);
    }
  }
  for (const name of ['disparate_impact', 'parity_difference', 'entropy',
    'simpson', 'imbalance_ratio']) {
    assert.equal(actual.summary![name], expected.summary![name], name);
  }
}

test('pooled admission rates by gender: 0.4452 men, 0.3035 women',
  async () => {
    const { results } = await run(`load "${tabular('admissions.csv')}"
derive admitted_n = round(admitted * applicants / 100)
audit by gender target admitted_n of applicants`);
    const audit = last(results);
    const groups = byGroup(audit, ['gender']);
    for (const expected of reference.sensitive[0].groups) {
      const row = groups.get(expected.group)!;
      assert.equal(row['n'], expected.n);
      assert.equal(row['positives'], expected.n_favorable);
      assert.equal(Number((row['positive_rate'] as number).toFixed(6)),
        expected.rate);
    }
    assert.equal((groups.get('men')!['positive_rate'] as number).toFixed(4),
      '0.4452');
    assert.equal((groups.get('women')!['positive_rate'] as number)
      .toFixed(4), '0.3035');
    // tabular.json divides its rounded rates (0.303542 / 0.445188 =
    // 0.6818288); from the counts, (557/1835) / (1198/2691) = 0.6818298.
    const impact = audit.summary!['disparate_impact'] as number;
    assert.equal(impact, (557 / 1835) / (1198 / 2691));
    assert.ok(Math.abs(impact -
      reference.sensitive[0].comparisons[0].disparate_impact) < 2e-6);
  });

test('by major and gender, women lead in A, B, D and F (Simpson\'s ' +
  'paradox)', async () => {
  const { results } = await run(`load "${tabular('admissions.csv')}"
derive admitted_n = round(admitted * applicants / 100)
audit by major, gender target admitted_n of applicants`);
  const groups = byGroup(last(results), ['major', 'gender']);
  const rate = (major: string, gender: string) =>
    groups.get(`${major} ${gender}`)!['positive_rate'] as number;
  const womenLead = ['A', 'B', 'C', 'D', 'E', 'F']
    .filter((major) => rate(major, 'women') > rate(major, 'men'));
  assert.deepEqual(womenLead,
    reference.simpsons_paradox.majors_where_women_rate_gt_men);

  // Per major, the rates round to the published percentages.
  for (const major of reference.per_major) {
    assert.equal(Math.round(rate(major.major, 'men') * 100) / 100,
      major.rate_men);
    assert.equal(Math.round(rate(major.major, 'women') * 100) / 100,
      major.rate_women);
  }
  // Major B has 25 women: too few to judge, so flagged, not ranked.
  assert.equal(groups.get('B women')!['small'], true);
  assert.ok((last(results).summary!['small_groups'] as string[])
    .includes('B × women'));
});

test('weighted counts equal the expanded table\'s counts exactly',
  async () => {
    const folder = scratch();
    writeFileSync(join(folder, 'expanded.csv'), expandedCsv());
    writeFileSync(join(folder, 'long.csv'), longCsv());

    const expanded = await run(`load "expanded.csv" as people
audit by gender target outcome = "admitted"
audit by major, gender target outcome = "admitted"`, folder);
    const weighted = await run(`load "long.csv" as cells
audit by gender target outcome = "admitted" weight count
audit by major, gender target outcome = "admitted" weight count`, folder);
    const counted = await run(`load "${tabular('admissions.csv')}"
derive admitted_n = round(admitted * applicants / 100)
audit by gender target admitted_n of applicants
audit by major, gender target admitted_n of applicants`);

    assert.equal(expanded.results[1]!.summary!['rows'], 4526);
    for (const [i, by] of [[1, ['gender']], [2, ['major', 'gender']]] as
      const) {
      assertSameFigures(weighted.results[i]!, expanded.results[i]!, [...by]);
      assertSameFigures(counted.results[i + 1]!, expanded.results[i]!,
        [...by]);
    }
  });

test('weights of zero leave a row out of every count', async () => {
  const folder = scratch();
  writeFileSync(join(folder, 'w.csv'),
    'g,y,w\na,yes,2\na,no,0\nb,yes,1\nb,no,1\nb,no,0.5\n');
  const { results } = await run(`load "w.csv"
audit by g target y = "yes" weight w`, folder);
  const groups = byGroup(last(results), ['g']);
  assert.equal(groups.get('a')!['n'], 2);
  assert.equal(groups.get('a')!['rows'], 2);
  assert.equal(groups.get('a')!['positive_rate'], 1);
  assert.equal(groups.get('b')!['n'], 2.5);
  assert.equal(groups.get('b')!['positive_rate'], 1 / 2.5);
});
