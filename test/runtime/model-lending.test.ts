// examples/lending.fair: checked without loading TensorFlow.js, then run;
// the gap in denial rates must shrink at each step of the fix.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Session } from '../../src/runtime/session.js';
import { root, run } from '../helpers/index.js';

const source = readFileSync(join(root, 'examples', 'lending.fair'), 'utf8');

/** tfjs-core keeps its engine here once it has loaded. */
const tfLoaded = () =>
  (globalThis as { _tfengine?: unknown })._tfengine !== undefined;

test('checking a script with models does not load TensorFlow.js', () => {
  const report = new Session({ cwd: root }).check(source);
  assert.deepEqual(report.diagnostics, []);
  assert.equal(tfLoaded(), false);
});

test('lending.fair: each step narrows the gap on held-out rows', async () => {
  const { results } = await run(source);
  const evaluations = results.filter((r) => r.kind === 'evaluate');
  assert.equal(evaluations.length, 3);
  assert.equal(tfLoaded(), true);

  const gap = (i: number) =>
    evaluations[i]!.summary!.demographic_parity_difference as number;
  assert.ok(gap(0) > gap(1) && gap(1) > gap(2),
    `baseline ${gap(0)}, reweighed ${gap(1)}, mitigated ${gap(2)}`);

  // Every evaluation names the privileged group and gives intervals.
  for (const evaluation of evaluations) {
    const aif360 = evaluation.aif360 as Record<string, unknown>;
    assert.equal(aif360.privileged, 'no');
    const intervals = evaluation.intervals as { resamples: number };
    assert.equal(intervals.resamples, 1000);
  }
  // The mitigated model reports its cost against itself unmitigated.
  const last = evaluations[2]!.summary!;
  assert.equal(last.demographic_parity_difference_unmitigated, gap(1));
  assert.equal(typeof last.accuracy_cost, 'number');
});
