// The crowd statements against published figures and against an
// independent numpy implementation (test/fixtures/crowd/reference.py).
// Each expected number says where it comes from.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { columnOf, rowObjects } from '../../src/runtime/table.js';
import type { Result, Row } from '../../src/runtime/result.js';
import {
  crowd, root, run, runFailing, scratch,
} from '../helpers/index.js';

const fixtures = join(root, 'test', 'fixtures', 'crowd');
const fixture = (name: string) => join(fixtures, name);

/** Debian's python3 has numpy (python3-pandas depends on it). */
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

function reference(...args: string[]): Record<string, unknown> {
  const output = execFileSync(python, [fixture('reference.py'), ...args],
    { encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(output) as Record<string, unknown>;
}

const load = (path: string, name: string) =>
  `load annotations ${JSON.stringify(path)} item item worker worker ` +
  `label label as ${name}`;

function measure(result: Result, name: string): Row {
  const row = result.rows!.find((r) => r['measure'] === name);
  assert.ok(row, `no row for ${name}`);
  return row;
}

const near = (actual: unknown, expected: number, digits: number) =>
  assert.equal(Number((actual as number).toFixed(digits)), expected);

// 1. Agreement against published figures

test("Fleiss' kappa on Fleiss's diagnoses is 0.4302", async () => {
  const { results } = await run(
    `${load(crowd('fleiss_diagnoses.csv'), 'f')}\nagreement`);
  const agreement = results[1]!;
  // DEFINITIONS.md: kappa 0.4302445 (R irr::kappam.fleiss, z = 17.65183).
  const fleiss = measure(agreement, "Fleiss' kappa");
  near(fleiss['value'], 0.4302, 4);
  near(fleiss['z'], 17.6518, 4);
  assert.equal(fleiss['band'], 'moderate');
  assert.equal(fleiss['scale'], 'Landis & Koch (1977)');
  // DEFINITIONS.md (pyirr's tests): per-category kappa.
  const categories = (agreement['categories'] as Row[]).map((c) =>
    Number((c['kappa'] as number).toFixed(3)));
  assert.deepEqual(categories, [0.245, 0.245, 0.520, 0.471, 0.566]);
});

test("Cohen's kappa on the SAS example is 0.4842", async () => {
  const { results } = await run(
    `${load(fixture('cohen_sas.csv'), 'sas')}\nagreement`);
  const { summary } = results[1]!;
  // DEFINITIONS.md: kappa 0.4842, ASE 0.1380, 95% CI [0.2137, 0.7547],
  // z 3.2626 (statsmodels cohens_kappa, recomputed there).
  near(summary!['cohen_kappa'], 0.4842, 4);
  near(summary!['cohen_se'], 0.1380, 4);
  near(summary!['cohen_low'], 0.2137, 4);
  near(summary!['cohen_high'], 0.7547, 4);
  near(summary!['cohen_z'], 3.2626, 4);
  const independent = reference('cohen', fixture('cohen_sas.csv'));
  near(summary!['cohen_kappa'], Number((independent['kappa'] as number)
    .toFixed(10)), 10);
});

test("Krippendorff's alpha on Krippendorff's example, with gaps", async () => {
  const { results } = await run([
    load(fixture('krippendorff_example.csv'), 'k'),
    'agreement', 'agreement ordinal', 'agreement interval',
  ].join('\n'));
  // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability":
  // nominal .743, ordinal .815, interval .849 (test/fixtures/crowd).
  near(results[1]!.summary!['alpha_nominal'], 0.743, 3);
  near(results[2]!.summary!['alpha_ordinal'], 0.815, 3);
  near(results[3]!.summary!['alpha_interval'], 0.849, 3);
  assert.equal(measure(results[1]!, 'Krippendorff nominal')['band'],
    'tentative');
  // Unit 12 has one value: left out, and said so.
  assert.equal(measure(results[1]!, 'Krippendorff nominal')['items'], 11);
  assert.ok(results[1]!.notes!.some((n) => /1 item with a single/.test(n)));
  // Items with 1 to 4 ratings: no Fleiss' kappa, and the reason.
  assert.equal(results[1]!.summary!['fleiss_kappa'], null);
  assert.ok(results[1]!.notes!.some((n) => /from 1 to 4 ratings/.test(n)));
});

test('ordinal and interval alpha match the reference on the patients',
  async () => {
    const path = crowd('dawid_skene_patients.csv');
    const { results } = await run(
      `${load(path, 'p')}\nagreement ordinal\nagreement interval`);
    for (const [i, level] of [[1, 'ordinal'], [2, 'interval']] as const) {
      const expected = reference('alpha', path, level)['alpha'] as number;
      const actual = results[i]!.summary![`alpha_${level}`] as number;
      assert.ok(Math.abs(actual - expected) < 1e-12, `${level}: ${actual} ` +
        `vs ${expected}`);
    }
  });

// 2. Aggregation

/** Accuracy against gold with ties counting one half (binary labels). */
function accuracy(rows: Row[], gold: Map<string, unknown>): number {
  let correct = 0;
  for (const row of rows) {
    const right = String(row['label']) === String(gold.get(String(
      row['item'])));
    correct += row['tie'] ? 0.5 : right ? 1 : 0;
  }
  return correct / rows.length;
}

test('Snow et al. RTE: majority 0.8969, Dawid-Skene at least as good',
  async () => {
    const { session, results } = await run([
      `load ${JSON.stringify(crowd('snow2008_rte_gold.csv'))} as gold`,
      load(crowd('snow2008_rte_labels.csv'), 'rte'),
      'aggregate using majority as mv',
      'aggregate using dawid-skene as ds',
      'aggregate using one-coin as oc',
    ].join('\n'));
    const goldTable = session.table('gold');
    const gold = new Map(rowObjects(goldTable).map((r) =>
      [String(r['item']), r['gold']]));

    // shared/data/README.md: 0.897 when 5-5 ties count one half.
    const mv = accuracy(rowObjects(session.table('mv')), gold);
    assert.equal(mv.toFixed(4), '0.8969');
    assert.equal(results[2]!.summary!['ties'], 65);

    // Dawid-Skene: 0.9275 here, the same as the numpy reference's labels.
    const ds = accuracy(rowObjects(session.table('ds')), gold);
    assert.ok(ds >= mv, `Dawid-Skene ${ds} below majority ${mv}`);
    assert.equal(ds.toFixed(4), '0.9275');
    const oc = accuracy(rowObjects(session.table('oc')), gold);
    assert.equal(oc.toFixed(4), '0.9250');
    assert.equal(results[3]!.summary!['converged'], true);
  });

test('ties are broken by the seed: same seed, same labels', async () => {
  const script = (seed: number) => [
    `seed ${seed}`,
    load(crowd('snow2008_rte_labels.csv'), 'rte'),
    'aggregate using majority as mv',
  ].join('\n');
  const labels = async (seed: number) => {
    const { session } = await run(script(seed));
    return Array.from(columnOf(session.table('mv'), 'label') as
      Float64Array);
  };
  const first = await labels(1);
  assert.deepEqual(await labels(1), first);
  // 65 tied items: another seed draws other labels for some of them.
  assert.notDeepEqual(await labels(2), first);
});

interface ReferenceFit {
  items: string[];
  labels: string[];
  posterior: number[][];
  priors: number[];
  errors: number[][][];
  iterations: number;
  converged: boolean;
}

/** Compare Fair's aggregate and workers with the numpy reference. */
async function compareWithReference(method: 'dawid-skene' | 'one-coin') {
  const path = crowd('dawid_skene_patients.csv');
  const { session, results } = await run(
    `${load(path, 'patients')}\naggregate using ${method} as truth\nworkers`);
  const expected = reference('dawid-skene', path,
    ...(method === 'one-coin' ? ['--one-coin'] : [])) as unknown as
    ReferenceFit;
  const summary = results[1]!.summary!;
  assert.equal(summary['converged'], true);
  assert.equal(expected.converged, true);
  assert.equal(summary['iterations'], expected.iterations);

  const rows = rowObjects(session.table('truth'));
  rows.forEach((row, u) => {
    const posterior = expected.posterior[u]!;
    const best = posterior.indexOf(Math.max(...posterior));
    assert.equal(String(row['item']), expected.items[u]);
    assert.equal(String(row['label']), expected.labels[best]);
    assert.ok(Math.abs((row['confidence'] as number) - posterior[best]!) <
      1e-9, `item ${row['item']}`);
  });
  const priors = results[1]!['priors'] as Record<string, number>;
  expected.labels.forEach((label, c) =>
    assert.ok(Math.abs(priors[label]! - expected.priors[c]!) < 1e-9));
  return { session, results, expected };
}

test('Dawid & Skene patients: converges, agrees with the reference',
  async () => {
    const { session, results, expected } =
      await compareWithReference('dawid-skene');

    // Unanimous patients keep their label (16 of 45: shared/data/README).
    const unanimous = new Map<string, Set<unknown>>();
    for (const row of rowObjects(session.table('patients'))) {
      const key = String(row['item']);
      unanimous.set(key, (unanimous.get(key) ?? new Set()).add(row['label']));
    }
    const truth = new Map(rowObjects(session.table('truth')).map((r) =>
      [String(r['item']), r['label']]));
    let count = 0;
    for (const [item, labels] of unanimous) {
      if (labels.size !== 1) continue;
      count++;
      assert.equal(truth.get(item), [...labels][0]);
    }
    assert.equal(count, 16);

    // Confusion matrices: Fair's [truth][answer] is the reference's
    // errors[worker][answer][truth].
    const confusion = results[2]!['confusion'] as {
      workers: { matrix: number[][] }[];
    };
    confusion.workers.forEach(({ matrix }, w) => {
      matrix.forEach((row, truthClass) => row.forEach((p, answer) =>
        assert.ok(Math.abs(p -
          expected.errors[w]![answer]![truthClass]!) < 1e-9)));
    });
  });

test('one-coin Dawid-Skene agrees with the reference', async () => {
  await compareWithReference('one-coin');
});

test('gold labels stay fixed and match the reference', async () => {
  const folder = scratch();
  // The first 100 items of Snow's gold, with item 266's label flipped so
  // that keeping it is visible.
  const goldPath = join(folder, 'gold.csv');
  const lines = readFileSync(crowd('snow2008_rte_gold.csv'), 'utf8')
    .split('\n').slice(0, 101);
  assert.equal(lines[1], '266,1');
  lines[1] = '266,0';
  writeFileSync(goldPath, lines.join('\n') + '\n');
  const labels = crowd('snow2008_rte_labels.csv');
  const { session, results } = await run([
    `load "${goldPath}" as some_gold`,
    load(labels, 'rte'),
    'aggregate using dawid-skene gold some_gold as ds',
  ].join('\n'));
  const rows = rowObjects(session.table('ds'));
  const item266 = rows.find((r) => r['item'] === 266)!;
  assert.deepEqual(
    [item266['label'], item266['confidence'], item266['from_gold']],
    [0, 1, true]);
  assert.equal(results[2]!.summary!['gold_items'], 100);

  const expected = reference('dawid-skene', labels, '--gold', goldPath) as
    unknown as ReferenceFit;
  assert.equal(results[2]!.summary!['iterations'], expected.iterations);
  rows.forEach((row, u) => {
    const posterior = expected.posterior[u]!;
    const best = posterior.indexOf(Math.max(...posterior));
    assert.equal(String(row['label']), expected.labels[best]);
    assert.ok(Math.abs((row['confidence'] as number) - posterior[best]!) <
      1e-9);
  });
});

// 3. Workers

/** Five workers on 40 items; d answers the opposite of the truth. */
function contrarianRatings(): string {
  const lines = ['item,worker,label'];
  for (let item = 1; item <= 40; item++) {
    const truth = item % 3 === 0 ? 'yes' : 'no';
    const flip = truth === 'yes' ? 'no' : 'yes';
    lines.push(`${item},a,${truth}`, `${item},b,${truth}`,
      `${item},c,${item % 10 === 0 ? flip : truth}`, `${item},d,${flip}`,
      `${item},e,${truth}`);
  }
  return lines.join('\n') + '\n';
}

test('workers flags the worker who agrees less than chance', async () => {
  const folder = scratch();
  writeFileSync(join(folder, 'r.csv'), contrarianRatings());
  const { results, session } = await run([
    load('r.csv', 'r'),
    'aggregate using majority as mv',
    'workers as quality',
  ].join('\n'), folder);
  const workers = results[2]!;
  const flagged = workers.rows!.filter((r) => r['below_chance'])
    .map((r) => r['worker']);
  assert.deepEqual(flagged, ['d']);
  const d = workers.rows!.find((r) => r['worker'] === 'd')!;
  assert.equal(d['agreement'], 0);
  // d says yes on the 27 "no" items and no on the 13 "yes" ones: chance
  // agreement 2 (27/40)(13/40) = 0.43875, kappa -0.43875 / 0.56125.
  near(d['kappa'], Number((-0.43875 / 0.56125).toFixed(10)), 10);
  assert.equal(workers.summary!['method'], 'majority');
  // The table kept with `as` has one row per worker.
  assert.equal(session.table('quality').numRows(), 5);
});

test('workers without an aggregate fits Dawid-Skene and says so',
  async () => {
    const folder = scratch();
    writeFileSync(join(folder, 'r.csv'), contrarianRatings());
    const { results } = await run(`${load('r.csv', 'r')}\nworkers`, folder);
    assert.equal(results[1]!.summary!['method'], 'dawid-skene');
    assert.ok(results[1]!.notes!.some((n) => /no aggregate yet/.test(n)));
  });

// 4. Bad input

async function failure(files: Record<string, string>, script: string) {
  const folder = scratch();
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(folder, name), text);
  }
  const diagnostics = await runFailing(script, folder);
  assert.equal(diagnostics.length, 1);
  return diagnostics[0]!;
}

test('one worker only: agreement and aggregate refuse', async () => {
  const files = { 'r.csv': 'item,worker,label\n1,w,a\n2,w,b\n1,w,b\n' };
  for (const verb of ['agreement', 'aggregate using majority']) {
    const error = await failure(files, `${load('r.csv', 'r')}\n${verb}`);
    assert.equal(error.code, 'one-worker');
    assert.match(error.message, /every rating is by "w"/);
    assert.equal(error.span?.line, 2);
  }
});

test('items with a single rating: refused when all, noted when some',
  async () => {
    const error = await failure(
      { 'r.csv': 'item,worker,label\n1,a,x\n2,b,y\n3,a,y\n' },
      `${load('r.csv', 'r')}\nagreement`);
    assert.equal(error.code, 'single-ratings');

    const folder = scratch();
    writeFileSync(join(folder, 'r.csv'),
      'item,worker,label\n1,a,x\n1,b,x\n2,a,y\n2,b,x\n3,a,y\n');
    const { results } = await run(
      `${load('r.csv', 'r')}\nagreement\naggregate using majority`, folder);
    assert.ok(results[1]!.notes!.some((n) => /1 item with a single/.test(n)));
    assert.ok(results[2]!.notes!.some((n) => /1 item had a single/.test(n)));
  });

test('labels of mixed types are refused at the row where they mix',
  async () => {
    const error = await failure(
      { 'r.csv': 'item,worker,label\n1,a,1\n1,b,2\n2,a,yes\n2,b,1\n' },
      load('r.csv', 'r'));
    assert.equal(error.code, 'mixed-labels');
    assert.deepEqual(error.data, { file: 'r.csv', row: 3, column: 'label' });
    assert.match(error.message, /"1" is a number but this one "yes" is text/);
  });

test('a gold table naming unknown items is refused', async () => {
  const error = await failure({
    'r.csv': 'item,worker,label\n1,a,x\n1,b,x\n2,a,y\n2,b,x\n',
    'gold.csv': 'item,gold\n1,x\n7,y\n9,x\n',
  }, `load "gold.csv" as g\n${load('r.csv', 'r')}\n` +
    'aggregate using dawid-skene gold g');
  assert.equal(error.code, 'gold-unknown-item');
  assert.match(error.message, /g row 2: gold item "7" is not rated in "r" /);
  assert.match(error.message, /2 gold items are not rated there/);
});

test('a gold label no worker gave is refused', async () => {
  const error = await failure({
    'r.csv': 'item,worker,label\n1,a,x\n1,b,x\n2,a,y\n2,b,x\n',
    'gold.csv': 'item,gold\n1,z\n',
  }, `load "gold.csv" as g\n${load('r.csv', 'r')}\n` +
    'aggregate using majority gold g');
  assert.equal(error.code, 'gold-unknown-label');
});

test('a missing worker is refused with its row', async () => {
  const error = await failure(
    { 'r.csv': 'item,worker,label\n1,a,x\n1,,x\n' }, load('r.csv', 'r'));
  assert.equal(error.code, 'annotations-missing-key');
  assert.deepEqual(error.data, { file: 'r.csv', row: 2, column: 'worker' });
});
