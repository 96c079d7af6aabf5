// The sections of an audit beyond the rates: Wilson intervals, missing
// values by group, diversity of the group shares, divergence from a
// reference distribution, rates per class. Expected figures come from
// pandas and scipy (Debian's python3-pandas and python3-scipy), run here
// on the same files.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Result, Row } from '../../src/runtime/result.js';
import { run, scratch, tabular } from '../helpers/index.js';
import { pythonJson } from '../helpers/python.js';

const last = (results: Result[]) => results[results.length - 1]!;

function close(actual: unknown, expected: number, what: string, tol = 1e-12) {
  assert.equal(typeof actual, 'number', `${what} is a number`);
  assert.ok(Math.abs((actual as number) - expected) <= tol,
    `${what}: ${actual} vs ${expected}`);
}

test('95% intervals are Wilson intervals, as scipy computes them',
  async () => {
    const { results } = await run(`load "${tabular('arrests.csv')}"
audit by colour, sex target released = "Yes"`);
    const rows = last(results).rows!;
    const expected = pythonJson<[number, number][]>(`
import json, sys
from scipy.stats import binomtest
pairs = json.loads(sys.argv[1])
out = []
for k, n in pairs:
    ci = binomtest(int(k), int(n)).proportion_ci(confidence_level=0.95,
                                                 method='wilson')
    out.append([ci.low, ci.high])
print(json.dumps(out))`, [JSON.stringify(rows.map((r) => [r['positives'],
      r['n']]))]);
    rows.forEach((row, i) => {
      close(row['rate_low'], expected[i]![0], `low ${i}`, 1e-9);
      close(row['rate_high'], expected[i]![1], `high ${i}`, 1e-9);
    });
    // Black women: 72 rows, interval 0.715 to 0.891 (wider than 0.2? no:
    // 0.176), so large enough to rank; none is flagged small.
    assert.deepEqual(last(results).summary!['small_groups'], []);
  });

test('missing values by group match pandas on the Pima data', async () => {
  const { results } = await run(`load "${tabular(
    'pima_indians_diabetes2.csv')}" as pima
derive band = if(age < 30, "under 30", "30 and over")
audit by band target diabetes = "pos"`);
  const audit = last(results);
  const expected = pythonJson<Record<string, Record<string, number>>>(`
import json, sys
import pandas as pd
df = pd.read_csv(sys.argv[1])
df['band'] = ['under 30' if a < 30 else '30 and over' for a in df['age']]
out = {}
for col in df.columns:
    if col == 'band' or not df[col].isna().any():
        continue
    out[col] = df[col].isna().groupby(df['band']).mean().to_dict()
    out[col]['(all)'] = float(df[col].isna().mean())
print(json.dumps(out))`, [tabular('pima_indians_diabetes2.csv')]);

  const missing = audit['missingness'] as {
    column: string; missing_share: number; gap: number;
    flagged_group: string;
    by_group: { group: string; missing_share: number }[];
  }[];
  assert.deepEqual(missing.map((m) => m.column).sort(),
    Object.keys(expected).sort());
  for (const m of missing) {
    close(m.missing_share, expected[m.column]!['(all)']!, m.column);
    for (const g of m.by_group) {
      close(g.missing_share, expected[m.column]![g.group]!,
        `${m.column} in ${g.group}`);
    }
  }
  // Largest gap first: insulin is missing far more often at 30 and over.
  const gaps = missing.map((m) => m.gap);
  assert.deepEqual(gaps, [...gaps].sort((a, b) => b - a));
  assert.equal(missing[0]!.column, 'insulin');
  assert.equal(missing[0]!.flagged_group, '30 and over');
  assert.deepEqual(audit.summary!['missing_columns'],
    missing.map((m) => m.column));
});

test('diversity of group shares: entropy, evenness, Simpson, imbalance',
  async () => {
    const { results } = await run(`load "${tabular('arrests.csv')}"
audit by colour, sex`);
    const audit = last(results);
    const counts = audit.rows!.map((r) => r['n'] as number);
    const expected = pythonJson<Record<string, number>>(`
import json, sys, math
from scipy.stats import entropy
counts = json.loads(sys.argv[1])
p = [c / sum(counts) for c in counts]
print(json.dumps({
  'entropy': float(entropy(p)),
  'evenness': float(entropy(p) / math.log(len(p))),
  'simpson': 1 - sum(x * x for x in p),
  'imbalance': max(counts) / min(counts),
}))`, [JSON.stringify(counts)]);
    const d = audit['diversity'] as Record<string, number>;
    close(d['entropy'], expected['entropy']!, 'entropy');
    close(d['evenness'], expected['evenness']!, 'evenness');
    close(d['simpson'], expected['simpson']!, 'simpson');
    close(d['imbalance_ratio'], expected['imbalance']!, 'imbalance');
    assert.equal(d['largest_group'], 'White × Male');
    assert.equal(d['smallest_group'], 'Black × Female');
    // Without a target: representation only, no rate columns.
    assert.deepEqual(audit.columns, ['colour', 'sex', 'n', 'share']);
    assert.equal(audit['target'], null);
    assert.equal(audit.summary!['disparate_impact'], undefined);
  });

test('against a reference distribution: representation ratio, KL and ' +
  'Jensen-Shannon as scipy computes them', async () => {
  const { results } = await run(`load "${tabular('arrests.csv')}"
audit by colour against {Black: 0.35, White: 0.60, Other: 0.05}`);
  const against = last(results)['against'] as {
    rows: Row[]; kl_divergence: number; js_divergence: number;
    under_represented: string[];
  };
  const expected = pythonJson<Record<string, number>>(`
import json
from scipy.stats import entropy
from scipy.spatial.distance import jensenshannon
p = [1288 / 5226, 3938 / 5226, 0]
q = [0.35, 0.60, 0.05]
print(json.dumps({'kl': float(entropy(p, q)),
                  'js': float(jensenshannon(p, q) ** 2)}))`);
  close(against.kl_divergence, expected['kl']!, 'KL');
  close(against.js_divergence, expected['js']!, 'JS');

  const rows = new Map(against.rows.map((r) => [r['group'], r]));
  close(rows.get('Black')!['representation_ratio'], (1288 / 5226) / 0.35,
    'Black ratio');
  close(rows.get('White')!['representation_ratio'], (3938 / 5226) / 0.60,
    'White ratio');
  // A reference group with no rows at all is shown, with share 0.
  assert.equal(rows.get('Other')!['share'], 0);
  assert.equal(rows.get('Other')!['representation_ratio'], 0);
  assert.deepEqual(against.under_represented, ['Black', 'Other']);
});

test('against a CSV of counts, by two columns; shares are normalised',
  async () => {
    const folder = scratch();
    writeFileSync(join(folder, 'population.csv'),
      'colour,sex,people\nBlack,Female,10\nBlack,Male,10\nWhite,Female,40\n' +
      'White,Male,40\n');
    const { results } = await run(`load "${tabular('arrests.csv')}"
audit by colour, sex against "population.csv"`, folder);
    const audit = last(results);
    const against = audit['against'] as { rows: Row[]; source: string };
    assert.equal(against.source, 'population.csv');
    const white = against.rows.find((r) => r['group'] === 'White × Female')!;
    assert.equal(white['reference_share'], 0.4);
    close(white['representation_ratio'], (371 / 5226) / 0.4, 'ratio');
    assert.ok(audit.notes!.some((n) => /sum to 100/.test(n)));
  });

test('a target without a value gives one rate per class, as pandas ' +
  'crosstab does', async () => {
  const folder = scratch();
  writeFileSync(join(folder, 'grades.csv'), [
    'school,grade',
    ...Array.from({ length: 90 }, (_, i) =>
      `${i % 3 === 0 ? 'north' : 'south'},${['A', 'B', 'C'][i % 7 % 3]}`),
    'south,', 'north,',
  ].join('\n') + '\n');
  const { results } = await run(`load "grades.csv"
audit by school target grade`, folder);
  const audit = last(results);
  const expected = pythonJson<Record<string, Record<string, number>>>(`
import json, sys
import pandas as pd
df = pd.read_csv(sys.argv[1]).dropna(subset=['grade'])
table = pd.crosstab(df['school'], df['grade'], normalize='index')
print(json.dumps(table.to_dict(orient='index')))`,
  [join(folder, 'grades.csv')]);
  assert.deepEqual((audit['target'] as { classes: string[] }).classes,
    ['A', 'B', 'C']);
  assert.equal(audit.rows!.length, 6);
  for (const row of audit.rows!) {
    close(row['positive_rate'],
      expected[row['school'] as string]![row['class'] as string]!,
      `${row['school']} ${row['class']}`);
  }
  // Rows without a grade count in n but in no rate.
  assert.ok(audit.columns!.includes('labelled'));
  assert.ok(audit.notes!.some((n) => /2 rows have no value in grade/.test(n)));
  const outcomes = audit['outcomes'] as { class: string }[];
  assert.deepEqual(outcomes.map((o) => o.class), ['A', 'B', 'C']);
});

test('a true/false target needs no value: true is the positive outcome',
  async () => {
    const { results } = await run(`load "${tabular('hmda.csv')}"
derive denied = deny = "yes"
audit by afam target denied`);
    const audit = last(results);
    assert.equal((audit['target'] as { mode: string }).mode, 'binary');
    const yes = audit.rows!.find((r) => r['afam'] === 'yes')!;
    assert.equal(yes['positives'], 96);
  });

test('a missing group value is a group of its own', async () => {
  const folder = scratch();
  writeFileSync(join(folder, 'm.csv'),
    'g,y\na,1\na,0\n,1\n,1\nb,0\n');
  const { results } = await run(`load "m.csv"
audit by g target y = 1 reference missing`, folder);
  const audit = last(results);
  assert.deepEqual(audit.rows!.map((r) => r['g']), ['a', 'b', null]);
  assert.equal(audit['reference_group'], '(missing)');
  assert.equal(audit.rows![2]!['positive_rate'], 1);
});
