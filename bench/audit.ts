// audit, measured beside pandas `groupby` on the same generated table of
// 1,000,000 rows, in the same run:
//
//   1. audit by one column    (region, 6 groups) target outcome = "yes"
//   2. audit by two columns   (region, sex: 18 groups, as 1 % of rows
//                              have no sex: a group of its own) target
//                              outcome = "yes"
//
// pandas computes the rows, positives and rate per group; Fair also
// computes the Wilson intervals, ratios, diversity and the missing values
// of every column by group, so the comparison is not in Fair's favour.
//
// Run: node --import tsx bench/audit.ts [rows]
// Loading the CSV is not timed on either side. Times are medians of
// several runs inside each process; the ratio is Fair / pandas.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Random } from '../src/runtime/random.js';
import { Session } from '../src/runtime/session.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const runs = 7;
const here = resolve(import.meta.dirname);
const data = join(here, '.data');
mkdirSync(data, { recursive: true });

function median(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

// 1. The table: skewed groups, a rate that differs by group -------------------

function generate(): string {
  const path = join(data, `audit_${rows}.csv`);
  if (existsSync(path)) return path;
  const random = new Random(3);
  const regions = ['north', 'south', 'east', 'west', 'centre', 'islands'];
  const weights = [0.3, 0.25, 0.2, 0.15, 0.07, 0.03];
  const lines = ['region,sex,age,income,outcome'];
  for (let i = 0; i < rows; i++) {
    let u = random.float();
    let region = 0;
    while (region < weights.length - 1 && u >= weights[region]!) {
      u -= weights[region]!;
      region++;
    }
    const sex = random.float() < 0.01 ? ''
      : random.float() < 0.5 ? 'female' : 'male';
    const age = 18 + random.int(0, 60);
    const income = random.float() < 0.05 ? ''
      : (20000 + 50000 * random.float()).toFixed(0);
    const yes = random.float() < 0.2 + 0.1 * (region / regions.length);
    lines.push(`${regions[region]},${sex},${age},${income},` +
      `${yes ? 'yes' : 'no'}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

// 2. Fair --------------------------------------------------------------------

async function fairTimes(path: string, by: string): Promise<number> {
  const session = new Session();
  const loaded = await session.run(`load "${path}" as people`);
  if (loaded.failed) throw new Error(loaded.diagnostics[0]!.message);

  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const report = await session.run(
      `audit by ${by} target outcome = "yes"`);
    times.push((performance.now() - start) / 1000);
    if (report.failed) throw new Error(report.diagnostics[0]!.message);
  }
  return median(times);
}

// 3. pandas ------------------------------------------------------------------

const pandasProgram = `
import json, sys, time
import pandas as pd
df = pd.read_csv(sys.argv[1])
runs = int(sys.argv[2])
out = {}
for name, by in [('one', ['region']), ('two', ['region', 'sex'])]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        positive = df['outcome'].eq('yes')
        table = positive.groupby([df[c] for c in by], dropna=False) \\
            .agg(['size', 'sum', 'mean'])
        times.append(time.perf_counter() - start)
    times.sort()
    out[name] = {'seconds': times[len(times) // 2], 'groups': len(table)}
print(json.dumps(out))
`;

function pandasTimes(path: string):
Record<'one' | 'two', { seconds: number; groups: number }> {
  const output = execFileSync('/usr/bin/python3',
    ['-c', pandasProgram, path, String(runs)], { encoding: 'utf8' });
  return JSON.parse(output);
}

// 4. Side by side -------------------------------------------------------------

const path = generate();
const pandas = pandasTimes(path);
const one = await fairTimes(path, 'region');
const two = await fairTimes(path, 'region, sex');

const line = (what: string, fair: number, peer: number, groups: number) =>
  `${what.padEnd(28)} ${groups.toString().padStart(3)} groups   ` +
  `fair ${(fair * 1000).toFixed(0).padStart(5)} ms   ` +
  `pandas ${(peer * 1000).toFixed(0).padStart(5)} ms   ` +
  `ratio ${(fair / peer).toFixed(2)}`;

console.log(`audit on ${rows.toLocaleString('en-US')} rows (median of ` +
  `${runs} runs; ratio = Fair / pandas groupby)`);
console.log(line('audit by region', one, pandas.one.seconds,
  pandas.one.groups));
console.log(line('audit by region, sex', two, pandas.two.seconds,
  pandas.two.groups));
