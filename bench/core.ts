// The language core, measured:
//
//   1. `fair check` and `fair run` on a generated 10,000-line script;
//   2. `load` + `describe` on a generated 1,000,000-row CSV, beside pandas
//      `read_csv` + the same summaries on the same file in the same run.
//
// Run: node --import tsx bench/core.ts   (after npm install)
// Times are wall-clock medians of several runs, inside each process (the
// start-up of node and python is not counted); the ratio is Fair / pandas.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Random } from '../src/runtime/random.js';
import { Session } from '../src/runtime/session.js';

const here = resolve(import.meta.dirname);
const data = join(here, '.data');
mkdirSync(data, { recursive: true });

function median(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(runs: number, work: () => Promise<void> | void) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    times.push((performance.now() - start) / 1000);
  }
  return median(times);
}

// 1. A long script ----------------------------------------------------------------

function smallTable(): string {
  const path = join(data, 'small.csv');
  if (existsSync(path)) return path;
  const random = new Random(1);
  const lines = ['a,b,group'];
  for (let i = 0; i < 1000; i++) {
    lines.push(`${random.int(0, 100)},${random.float().toFixed(4)},` +
      `"${['x', 'y', 'z'][random.int(0, 2)]}"`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

function longScript(lines: number): string {
  const statements = [
    'derive t = a * 2 + b',
    'where a >= 0',
    'derive u = if(t > median(t), "high", "low")',
    'select a, b, group, t, u',
    'derive v = round(log(a + 1), 2)',
    'where group in ("x", "y", "z") or b is missing',
  ];
  const out = [`load "${smallTable()}" as small`];
  for (let i = 1; i < lines; i++) {
    out.push(statements[(i - 1) % statements.length]!);
  }
  return out.join('\n') + '\n';
}

const script = longScript(10_000);
const checkSeconds = await time(5, () => {
  const report = new Session().check(script);
  if (report.diagnostics.length) throw new Error('the script has errors');
});
const runSeconds = await time(3, async () => {
  const report = await new Session().run(script);
  if (report.failed) throw new Error('the script failed');
});

console.log('10,000-line script (1,000-row table)');
console.log(`  fair check  ${checkSeconds.toFixed(3)} s  ` +
  `(${(checkSeconds / 10_000 * 1e6).toFixed(1)} µs per statement)`);
console.log(`  fair run    ${runSeconds.toFixed(3)} s  ` +
  `(${(runSeconds / 10_000 * 1e6).toFixed(1)} µs per statement)`);

// 2. A million rows ---------------------------------------------------------------

function bigCsv(): string {
  const path = join(data, 'million.csv');
  if (existsSync(path)) return path;
  const random = new Random(2);
  const groups = ['"north"', '"south"', '"east"', '"west"', '"centre"'];
  const chunks: string[] = ['id,age,income,score,ratio,visits,region,' +
    'status,code,flag'];
  for (let i = 0; i < 1_000_000; i++) {
    const missing = random.float() < 0.02;
    chunks.push([
      i,
      random.int(18, 90),
      missing ? '' : (random.normal() * 15000 + 50000).toFixed(2),
      random.float().toFixed(6),
      (random.float() * 3).toFixed(3),
      random.int(0, 40),
      groups[random.int(0, 4)],
      random.float() < 0.3 ? '"denied"' : '"approved"',
      `"C${random.int(0, 999)}"`,
      random.float() < 0.5 ? 'true' : 'false',
    ].join(','));
  }
  writeFileSync(path, chunks.join('\n') + '\n');
  return path;
}

const csv = bigCsv();
const fairSeconds = await time(3, async () => {
  const report = await new Session().run(`load "${csv}"\ndescribe`);
  if (report.failed) throw new Error('load + describe failed');
});

const pandasProgram = `
import sys, time, statistics, pandas as pd
times = []
for _ in range(3):
    start = time.perf_counter()
    frame = pd.read_csv(sys.argv[1])
    frame.describe(include="all")
    frame.isna().sum(); frame.isna().any(axis=1).sum()
    frame.nunique(); frame.duplicated().sum()
    times.append(time.perf_counter() - start)
print(statistics.median(times))
`;
const pandasSeconds = Number(execFileSync('/usr/bin/python3',
  ['-c', pandasProgram, csv], { encoding: 'utf8' }));

console.log('load + describe, 1,000,000 rows x 10 columns ' +
  '(describe, missing counts, distinct counts, duplicates)');
console.log(`  fair    ${fairSeconds.toFixed(2)} s`);
console.log(`  pandas  ${pandasSeconds.toFixed(2)} s`);
console.log(`  ratio   ${(fairSeconds / pandasSeconds).toFixed(2)} ` +
  '(Fair time / pandas time)');
