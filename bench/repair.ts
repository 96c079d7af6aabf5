// balance, measured beside pandas and imbalanced-learn on the same
// generated tables, in the same run:
//
//   1. oversample   1,000,000 rows, by group, label (8 cells) to equal:
//                   Fair `balance by group, label method oversample`
//                   pandas: each cell's rows plus a sample with
//                   replacement up to the largest cell, concatenated
//   2. reweigh      1,000,000 rows, Kamiran-Calders weights by group with
//                   target label: Fair `balance by group target label
//                   method reweigh`; pandas: the cell, group and label
//                   sizes by groupby, then w = n_g n_y / (n n_gy)
//   3. smote        100,000 rows x 10 numbers, classes 80/20, minority
//                   grown to the majority: Fair `balance by class method
//                   smote`; imblearn SMOTE(k_neighbors=5).fit_resample
//
// Fair's times include its statement's checks and its report of every
// cell before and after; loading the CSV is not timed on either side.
// Times are medians of several runs inside each process (SMOTE: of 3):
// wall-clock seconds, and processor seconds (all threads), which are the
// fairer figure on a shared machine. The ratios are Fair / peer.
//
// Run: node --import tsx bench/repair.ts [rows] [smote_rows]

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Random } from '../src/runtime/random.js';
import { Session } from '../src/runtime/session.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const smoteRows = Number(process.argv[3] ?? 100_000);
const here = resolve(import.meta.dirname);
const data = join(here, '.data');
mkdirSync(data, { recursive: true });
const python = '/usr/bin/python3';

function median(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

// 1. The tables ---------------------------------------------------------------

/** Four groups of unequal size, a label rate that differs by group. */
function generateGroups(): string {
  const path = join(data, `repair_groups_${rows}.csv`);
  if (existsSync(path)) return path;
  const random = new Random(17);
  const groups = ['a', 'b', 'c', 'd'];
  const weights = [0.5, 0.3, 0.15, 0.05];
  const rates = [0.3, 0.2, 0.15, 0.1];
  const lines = ['group,label,x1,x2,x3'];
  for (let i = 0; i < rows; i++) {
    let u = random.float();
    let g = 0;
    while (g < 3 && u >= weights[g]!) {
      u -= weights[g]!;
      g++;
    }
    const label = random.float() < rates[g]! ? 'yes' : 'no';
    lines.push(`${groups[g]},${label},${random.normal().toFixed(6)},` +
      `${random.normal().toFixed(6)},${random.int(0, 100)}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** Ten correlated numbers; class 1 (20 %) is shifted. */
function generateSmote(): string {
  const path = join(data, `repair_smote_${smoteRows}.csv`);
  if (existsSync(path)) return path;
  const random = new Random(29);
  const names = Array.from({ length: 10 }, (_, i) => `f${i}`);
  const lines = [[...names, 'class'].join(',')];
  for (let i = 0; i < smoteRows; i++) {
    const minority = random.float() < 0.2;
    const common = random.normal();
    const values = names.map((_, d) => (0.5 * common + random.normal() +
      (minority ? 0.8 + 0.1 * d : 0)).toFixed(6));
    lines.push(`${values.join(',')},${minority ? 1 : 0}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

// 2. Fair --------------------------------------------------------------------

async function fairTime(
  path: string,
  statement: string,
  runs: number,
): Promise<Timing & { rows: number }> {
  const session = new Session();
  const loaded = await session.run(`seed 1\nload "${path}" as t`);
  if (loaded.failed) throw new Error(loaded.diagnostics[0]!.message);

  const walls: number[] = [];
  const cpus: number[] = [];
  let after = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const cpu = process.cpuUsage();
    const report = await session.run(`${statement} as out`);
    const used = process.cpuUsage(cpu);
    walls.push((performance.now() - start) / 1000);
    cpus.push((used.user + used.system) / 1e6);
    if (report.failed) throw new Error(report.diagnostics[0]!.message);
    after = report.outcomes[0]!.result.summary!['rows_after'] as number;
  }
  return { wall: median(walls), cpu: median(cpus), rows: after };
}

interface Timing {
  wall: number;
  cpu: number;
}

// 3. pandas and imbalanced-learn ---------------------------------------------

const peerProgram = String.raw`
import json, sys, time
import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTE

groups_path, smote_path, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])

def median_time(fn, n):
    walls, cpus = [], []
    for _ in range(n):
        start, cpu = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    middle = lambda v: sorted(v)[len(v) // 2]
    return {"wall": middle(walls), "cpu": middle(cpus)}, out

frame = pd.read_csv(groups_path)
rng = np.random.default_rng(1)

def oversample():
    cells = frame.groupby(["group", "label"], sort=True)
    largest = cells.size().max()
    parts = [frame]
    for _, cell in cells:
        extra = largest - len(cell)
        if extra > 0:
            parts.append(cell.sample(n=extra, replace=True, random_state=rng))
    return pd.concat(parts, ignore_index=True)

def reweigh():
    n = len(frame)
    n_g = frame.groupby("group")["group"].transform("size")
    n_y = frame.groupby("label")["label"].transform("size")
    n_gy = frame.groupby(["group", "label"])["label"].transform("size")
    out = frame.copy()
    out["weight"] = n_g * n_y / (n * n_gy)
    return out

smote = pd.read_csv(smote_path)
X = smote.drop(columns="class").to_numpy(dtype=float)
y = smote["class"].to_numpy()

def resample():
    return SMOTE(k_neighbors=5, random_state=0).fit_resample(X, y)

over_t, over = median_time(oversample, runs)
rew_t, _ = median_time(reweigh, runs)
smote_t, (X_res, _) = median_time(resample, 3)

print(json.dumps({
    "oversample": over_t, "oversample_rows": len(over),
    "reweigh": rew_t,
    "smote": smote_t, "smote_rows": len(X_res),
}))
`;

// 4. Side by side ------------------------------------------------------------

const groupsPath = generateGroups();
const smotePath = generateSmote();
const runs = 5;

const fair = {
  oversample: await fairTime(groupsPath,
    'balance t by group, label method oversample', runs),
  reweigh: await fairTime(groupsPath,
    'balance t by group target label method reweigh', runs),
  smote: await fairTime(smotePath, 'balance t by class method smote', 3),
};
const peer = JSON.parse(execFileSync(python,
  ['-c', peerProgram, groupsPath, smotePath, String(runs)],
  { encoding: 'utf8', maxBuffer: 64 << 20 })) as {
  oversample: Timing; reweigh: Timing; smote: Timing;
  oversample_rows: number; smote_rows: number;
};

const figures = (t: Timing) =>
  `${t.wall.toFixed(3).padStart(7)} ${t.cpu.toFixed(3).padStart(7)}`;
const line = (name: string, ours: Timing, theirs: Timing, tool: string) =>
  `${name.padEnd(11)} ${figures(ours)}   ${tool.padEnd(8)} ` +
  `${figures(theirs)}   ${(ours.wall / theirs.wall).toFixed(2).padStart(6)} ` +
  `${(ours.cpu / theirs.cpu).toFixed(2).padStart(6)}`;

console.log(`balance on ${rows.toLocaleString('en-US')} rows; SMOTE on ` +
  `${smoteRows.toLocaleString('en-US')} rows x 10`);
console.log('            Fair wall     cpu   peer        wall     cpu    ' +
  'ratio wall / cpu');
console.log(line('oversample', fair.oversample, peer.oversample, 'pandas'));
console.log(line('reweigh', fair.reweigh, peer.reweigh, 'pandas'));
console.log(line('smote', fair.smote, peer.smote, 'imblearn'));
if (fair.oversample.rows !== peer.oversample_rows ||
    fair.smote.rows !== peer.smote_rows) {
  console.log(`note: row counts differ: oversample ${fair.oversample.rows} ` +
    `vs ${peer.oversample_rows}, smote ${fair.smote.rows} vs ` +
    `${peer.smote_rows}`);
}
