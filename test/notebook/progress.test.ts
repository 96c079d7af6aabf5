// Progress in a notebook: one output, created by the first report and
// redrawn in place, a few times a second at most, ending in "done".

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Channel, MimeBundle } from '../../src/notebook/channel.js';
import { notebookProgress } from '../../src/notebook/progress.js';

test('progress redraws one output in place and ends done', () => {
  const sent: { update: boolean; id: string | undefined;
    bundle: MimeBundle }[] = [];
  const channel: Channel = {
    rich: true,
    display: (bundle, id) => { sent.push({ update: false, id, bundle }); },
    update: (bundle, id) => { sent.push({ update: true, id, bundle }); },
    warn: () => {},
  };
  let clock = 0;
  const sink = notebookProgress(channel, () => clock);

  const handle = sink.start('training model');
  handle.update(0.1, 'epoch 1/10');   // too soon after the first draw
  clock = 200;
  handle.update(0.5, 'epoch 5/10');
  clock = 250;
  handle.update(0.6, 'epoch 6/10');   // too soon again
  handle.done();
  handle.update(0.7);                  // after done: ignored

  assert.deepEqual(sent.map((s) => s.update), [false, true, true]);
  assert.ok(sent[0]!.id);
  assert.ok(sent.every((s) => s.id === sent[0]!.id), 'one output');
  assert.equal(sent[1]!.bundle['text/plain'],
    `training model ${'█'.repeat(12)}${'░'.repeat(12)} 50% (epoch 5/10)`);
  assert.equal(sent[2]!.bundle['text/plain'],
    `training model ${'█'.repeat(24)} done (epoch 6/10)`);
  assert.match(String(sent[2]!.bundle['text/html']),
    /<progress value="1.000" max="1"[^>]*><\/progress> training model: done/);
});

test('work stopped part-way says so, at the share it reached', () => {
  const sent: MimeBundle[] = [];
  const channel: Channel = {
    rich: true,
    display: (bundle) => { sent.push(bundle); },
    update: (bundle) => { sent.push(bundle); },
    warn: () => {},
  };
  let clock = 0;
  const handle = notebookProgress(channel, () => clock).start('reading');
  clock = 1000;
  handle.update(0.25);
  handle.stop();
  handle.done();                       // already finished: ignored
  assert.equal(sent.length, 3);
  assert.equal(sent[2]!['text/plain'],
    `reading ${'█'.repeat(6)}${'░'.repeat(18)} stopped at 25%`);
});
