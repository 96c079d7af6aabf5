// Dawid-Skene on a generated 1,000,000-rating set: 100,000 items, 1,000
// workers, 5 classes, 10 ratings per item from distinct workers.
//
//   1. Fair end to end: `load annotations` + `aggregate using dawid-skene`
//      through a session, each statement timed;
//   2. Fair's EM alone, on the already coded ratings;
//   3. beside it, in the same run and on the same file, the numpy
//      implementation in test/fixtures/crowd/reference.py (the same
//      algorithm written with whole-array operations; crowd-kit itself is
//      not installed here), its fit timed inside python.
//
// Run: node --import tsx bench/crowd.ts
// The ratio is Fair's EM time over numpy's; iterations and accuracy
// against the generated truth are printed for both.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expectationMaximisation } from '../src/runtime/crowd/aggregate.js';
import { encodeRatings } from '../src/runtime/crowd/ratings.js';
import { Random } from '../src/runtime/random.js';
import { Session } from '../src/runtime/session.js';
import { columnOf } from '../src/runtime/table.js';

const here = resolve(import.meta.dirname);
const data = join(here, '.data');
mkdirSync(data, { recursive: true });

const items = 100_000;
const workers = 1_000;
const classes = 5;
const perItem = 10;

// 1. Generated ratings -----------------------------------------------------

/**
 * Truth from skewed priors; 90% of workers answer right with probability
 * 0.55-0.95 and otherwise pick another class uniformly, 10% answer at
 * random. Returns the true class of each item (the CSV holds ratings).
 */
function generate(path: string): Int32Array {
  const random = new Random(2024);
  const priors = [0.35, 0.25, 0.2, 0.12, 0.08];
  const skill = Float64Array.from({ length: workers }, () =>
    random.float() < 0.1 ? -1 : 0.55 + 0.4 * random.float());
  const truth = new Int32Array(items);
  const lines = ['item,worker,label'];
  const chosen = new Set<number>();

  for (let item = 0; item < items; item++) {
    let u = random.float();
    let c = 0;
    while (c < classes - 1 && u >= priors[c]!) u -= priors[c++]!;
    truth[item] = c;

    chosen.clear();
    while (chosen.size < perItem) chosen.add(random.int(0, workers - 1));
    for (const worker of chosen) {
      const s = skill[worker]!;
      let label: number;
      if (s < 0) {
        label = random.int(0, classes - 1);
      } else if (random.float() < s) {
        label = c;
      } else {
        label = random.int(0, classes - 2);
        if (label >= c) label++;
      }
      lines.push(`${item},w${worker},${label}`);
    }
  }
  writeFileSync(path, lines.join('\n') + '\n');
  return truth;
}

const path = join(data, 'crowd_1m.csv');
const started = performance.now();
const truth = generate(path);
console.log(`generated ${path} in ` +
  `${((performance.now() - started) / 1000).toFixed(1)} s`);

function accuracy(labels: ArrayLike<number>): number {
  let right = 0;
  for (let i = 0; i < items; i++) if (labels[i] === truth[i]) right++;
  return right / items;
}

// 2. Fair through the language ---------------------------------------------

const session = new Session({ cwd: here });
const report = await session.run([
  `load annotations "${path}" item item worker worker label label as r`,
  'aggregate using dawid-skene as truth',
].join('\n'));
if (report.failed) {
  throw new Error(report.diagnostics.map((d) => d.message).join('\n'));
}
const [loaded, aggregated] = report.outcomes;
const summary = aggregated!.result.summary!;
const fairLabels = columnOf(session.table('truth'), 'label') as Float64Array;
console.log('\nFair, end to end');
const loadSeconds = loaded!.milliseconds / 1000;
console.log(`  load annotations   ${loadSeconds.toFixed(2)} s`);
console.log(`  aggregate (EM)     ` +
  `${(aggregated!.milliseconds / 1000).toFixed(2)} s, ` +
  `${summary['iterations']} iterations, converged ${summary['converged']}, ` +
  `accuracy ${accuracy(fairLabels).toFixed(4)}`);

// 3. Fair's EM alone, best of three -----------------------------------------

const ratings = encodeRatings(session.table('r'), 'r',
  { item: 'item', worker: 'worker', label: 'label' });
let fairSeconds = Infinity;
let fairIterations = 0;
for (let run = 0; run < 3; run++) {
  const start = performance.now();
  const fit = expectationMaximisation(ratings, 'dawid-skene',
    { iterations: 100, tolerance: 1e-5 });
  fairSeconds = Math.min(fairSeconds, (performance.now() - start) / 1000);
  fairIterations = fit.iterations!;
}
console.log(`  EM alone           ${fairSeconds.toFixed(2)} s ` +
  `(${(fairSeconds / fairIterations * 1000).toFixed(0)} ms per iteration)`);

// 4. numpy, same file --------------------------------------------------------

const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const reference = join(here, '..', 'test', 'fixtures', 'crowd',
  'reference.py');
const peer = JSON.parse(execFileSync(python,
  [reference, 'dawid-skene', path, '--summary'],
  { encoding: 'utf8', maxBuffer: 256 << 20 })) as {
  seconds: number;
  iterations: number;
  converged: boolean;
  labels: string[];
  items: string[];
};
const peerLabels = new Int32Array(items);
peer.items.forEach((item, i) => {
  peerLabels[Number(item)] = Number(peer.labels[i]);
});
console.log('\nnumpy reference (test/fixtures/crowd/reference.py)');
console.log(`  EM                 ${peer.seconds.toFixed(2)} s, ` +
  `${peer.iterations} iterations, converged ${peer.converged}, ` +
  `accuracy ${accuracy(peerLabels).toFixed(4)}`);

console.log(`\nratio Fair / numpy (EM alone): ` +
  `${(fairSeconds / peer.seconds).toFixed(2)}`);
