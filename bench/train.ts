// train logistic, measured beside scikit-learn and PyTorch on the same
// generated table of 100,000 rows x 20 number columns, in the same run.
//
//   Fair      train logistic ... epochs E batch B rate R (Adam)
//   PyTorch   nn.Linear + BCEWithLogitsLoss + Adam, the same epochs, batch
//             size and rate, rows shuffled each epoch
//   sklearn   SGDClassifier(loss="log_loss") fed the same mini-batches with
//             partial_fit (its own per-row updates inside each batch), and
//             LogisticRegression (lbfgs, to convergence) as the accuracy
//             every method should reach
//
// Run: node --import tsx bench/train.ts [rows] [epochs] [batch]
// Times cover training only (the CSV is read before the clock starts on
// every side; Fair's time includes standardising the columns, which is
// part of its train statement). Each side runs once per process after a
// warm-up; ratios are Fair / peer.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Random } from '../src/runtime/random.js';
import { Session } from '../src/runtime/session.js';

const rows = Number(process.argv[2] ?? 100_000);
const epochs = Number(process.argv[3] ?? 10);
const batch = Number(process.argv[4] ?? 256);
const rate = 0.01;
const columns = 20;
const here = resolve(import.meta.dirname);
const data = join(here, '.data');
mkdirSync(data, { recursive: true });
const python = '/usr/bin/python3';

// 1. The table: y from a known logistic model, so every method can learn it.

function generate(): string {
  const path = join(data, `train_${rows}x${columns}.csv`);
  if (existsSync(path)) return path;
  const random = new Random(5);
  const weights = Array.from({ length: columns }, () => random.normal());
  const header = [...Array.from({ length: columns }, (_, j) => `x${j}`), 'y'];
  const lines = [header.join(',')];
  for (let i = 0; i < rows; i++) {
    const x = Array.from({ length: columns }, () => random.normal());
    const z = x.reduce((sum, v, j) => sum + v * weights[j]!, 0) / 2;
    const y = random.float() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    lines.push([...x.map((v) => v.toFixed(5)), y].join(','));
  }
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

// 2. Fair ------------------------------------------------------------------------

async function fair(path: string) {
  const session = new Session();
  const loaded = await session.run(`seed 1\nload "${path}" as data`);
  if (loaded.failed) throw new Error(loaded.diagnostics[0]!.message);

  // A warm-up loads TensorFlow.js and compiles the WebAssembly.
  await session.run('train logistic on data target y epochs 1 batch ' +
    `${batch} as warm`);
  const start = performance.now();
  const report = await session.run(`train logistic on data target y ` +
    `epochs ${epochs} batch ${batch} rate ${rate} as model`);
  const seconds = (performance.now() - start) / 1000;
  if (report.failed) throw new Error(report.diagnostics[0]!.message);
  const summary = report.outcomes[0]!.result.summary!;
  return { seconds, accuracy: summary.accuracy as number,
    backend: String(summary.backend_description) };
}

// 3. The peers ------------------------------------------------------------------

const peers = `
import json, sys, time
import numpy as np
import pandas as pd
import torch
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.preprocessing import StandardScaler

path, epochs, batch, rate = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
d = pd.read_csv(path)
x = d.drop(columns=['y']).to_numpy(dtype=np.float64)
y = d['y'].to_numpy()
out = {'threads': torch.get_num_threads()}

def timed(fit):
    start = time.perf_counter()
    accuracy = fit()
    return {'seconds': time.perf_counter() - start, 'accuracy': accuracy}

def torch_fit():
    torch.manual_seed(1)
    xs = torch.tensor(StandardScaler().fit_transform(x), dtype=torch.float32)
    ys = torch.tensor(y, dtype=torch.float32)
    model = torch.nn.Linear(xs.shape[1], 1)
    torch.nn.init.zeros_(model.weight); torch.nn.init.zeros_(model.bias)
    optimiser = torch.optim.Adam(model.parameters(), lr=rate)
    loss = torch.nn.BCEWithLogitsLoss()
    for _ in range(epochs):
        order = torch.randperm(len(xs))
        for start in range(0, len(xs), batch):
            rows = order[start:start + batch]
            optimiser.zero_grad()
            loss(model(xs[rows]).squeeze(1), ys[rows]).backward()
            optimiser.step()
    with torch.no_grad():
        return float(((model(xs).squeeze(1) >= 0).float() == ys).float().mean())

def sgd_fit():
    scaled = StandardScaler().fit_transform(x)
    model = SGDClassifier(loss='log_loss', learning_rate='constant', eta0=rate,
                          random_state=1)
    generator = np.random.default_rng(1)
    for _ in range(epochs):
        order = generator.permutation(len(scaled))
        for start in range(0, len(scaled), batch):
            rows = order[start:start + batch]
            model.partial_fit(scaled[rows], y[rows], classes=[0, 1])
    return float((model.predict(scaled) == y).mean())

def lbfgs_fit():
    scaled = StandardScaler().fit_transform(x)
    model = LogisticRegression(max_iter=1000).fit(scaled, y)
    return float((model.predict(scaled) == y).mean())

timed(lambda: torch_fit() if epochs > 0 else 0)  # warm-up
out['torch'] = timed(torch_fit)
out['sgd'] = timed(sgd_fit)
out['lbfgs'] = timed(lbfgs_fit)
print(json.dumps(out))
`;

interface PeerTimes {
  threads: number;
  torch: { seconds: number; accuracy: number };
  sgd: { seconds: number; accuracy: number };
  lbfgs: { seconds: number; accuracy: number };
}

// 4. Side by side ----------------------------------------------------------------

const path = generate();
const ours = await fair(path);
const theirs = JSON.parse(execFileSync(python, ['-c', peers, path,
  String(epochs), String(batch), String(rate)], { encoding: 'utf8' })) as
  PeerTimes;

const line = (name: string, seconds: number, accuracy: number,
  ratio?: number) =>
  `${name.padEnd(52)} ${seconds.toFixed(2).padStart(7)} s   accuracy ` +
  `${accuracy.toFixed(4)}${ratio === undefined ? ''
    : `   Fair / this = ${ratio.toFixed(1)}x`}`;

console.log(`logistic regression, ${rows.toLocaleString('en-US')} rows x ` +
  `${columns} columns, ${epochs} epochs, batch ${batch}, rate ${rate}`);
console.log(line(`Fair, ${ours.backend}`, ours.seconds, ours.accuracy));
console.log(line(`PyTorch Adam (${theirs.threads} threads)`,
  theirs.torch.seconds, theirs.torch.accuracy,
  ours.seconds / theirs.torch.seconds));
console.log(line('scikit-learn SGDClassifier, partial_fit batches',
  theirs.sgd.seconds, theirs.sgd.accuracy, ours.seconds / theirs.sgd.seconds));
console.log(line('scikit-learn LogisticRegression (lbfgs)',
  theirs.lbfgs.seconds, theirs.lbfgs.accuracy,
  ours.seconds / theirs.lbfgs.seconds));
