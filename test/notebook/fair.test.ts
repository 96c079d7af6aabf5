// The notebook face without a kernel: `fair` sends its outputs to a
// channel that records them, and the tests read what a notebook would
// get. The expected denial rates come from ../shared/reference/
// tabular.json (pandas), whose rates are of the favourable outcome
// (deny = "no"): the denial rate is one minus the rate there.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { inspect } from 'node:util';
import {
  kernelChannel, textChannel, type Channel, type MimeBundle,
} from '../../src/notebook/channel.js';
import {
  createFair, FairCellError, vegaLiteMime,
} from '../../src/notebook/index.js';
import { formatNumber } from '../../src/runtime/render/text.js';
import { root, shared, tabular } from '../helpers/index.js';

interface Sent {
  kind: 'display' | 'update' | 'warn';
  bundle?: MimeBundle;
  id?: string | undefined;
  text?: string;
}

/**
 * A notebook's channel that keeps every output it is given, in order;
 * `onDisplay` sees each new output as it goes out.
 */
function recorder(onDisplay?: (bundle: MimeBundle) => void):
Channel & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    rich: true,
    display: (bundle, id) => {
      sent.push({ kind: 'display', bundle, id });
      onDisplay?.(bundle);
    },
    update: (bundle, id) => { sent.push({ kind: 'update', bundle, id }); },
    warn: (text) => { sent.push({ kind: 'warn', text }); },
  };
}

function html(sent: Sent): string {
  const value = sent.bundle?.['text/html'];
  assert.equal(typeof value, 'string');
  return value as string;
}

const reference = JSON.parse(readFileSync(
  join(shared, 'reference', 'tabular.json'), 'utf8'));
const afamGroups: { group: string; rate: number }[] = reference.hmda
  .sensitive.find((s: { attribute: string }) => s.attribute === 'afam')
  .groups;
/** Denial rate of a group, as the HTML table writes it. */
const denialText = (group: string) => formatNumber(
  1 - afamGroups.find((g) => g.group === group)!.rate);

test('state carries from call to call, and tables arrive as HTML', async () => {
  const channel = recorder();
  const fair = createFair({ cwd: root, channel, charts: false });

  await fair`load ${tabular('hmda.csv')} as loans`;
  assert.equal(channel.sent.length, 1);
  assert.match(html(channel.sent[0]!), /2,380 rows/);

  // A second call sees the table the first one loaded.
  await fair('audit by afam target deny = "yes"');
  const audit = html(channel.sent[1]!);
  assert.equal(denialText('yes'), '0.2832');
  assert.equal(denialText('no'), '0.0926');
  assert.match(audit, /<table class="fair-table">/);
  for (const group of ['yes', 'no']) {
    assert.ok(audit.includes(`>${denialText(group)}</td>`),
      `the audit table shows the denial rate of afam = ${group}`);
  }
  assert.match(String(channel.sent[1]!.bundle!['text/plain']), /28\.3%/);
  assert.equal(fair.result('audit')?.kind, 'audit');
});

test('a table cut short says how many rows were left out', async () => {
  const channel = recorder();
  const fair = createFair({ cwd: root, channel, charts: false });
  await fair`
    load ${tabular('hmda.csv')} as loans
    show 5
  `;
  const shown = html(channel.sent[1]!);
  assert.equal(shown.match(/<tr>/g)?.length, 1 + 5);
  assert.match(shown, /… 2,375 more rows/);
});

test('a chart goes out as a Vega-Lite object, then gains its SVG', async () => {
  const channel = recorder();
  const fair = createFair({ cwd: root, channel });
  await fair`
    load ${tabular('hmda.csv')} as loans
    audit by afam target deny = "yes"
  `;

  const charts = channel.sent.filter((s) => s.bundle?.[vegaLiteMime]);
  const first = charts[0]!;
  assert.equal(first.kind, 'display');
  const spec = first.bundle![vegaLiteMime];
  assert.equal(typeof spec, 'object', 'the spec is an object, not a string');
  assert.match(String((spec as { $schema?: string }).$schema),
    /vega-lite/);

  // The update replaces the same output and adds the fallback image.
  const update = charts.find((s) => s.kind === 'update')!;
  assert.equal(update.id, first.id);
  assert.match(String(update.bundle!['image/svg+xml']), /^<svg[\s>]/);
  assert.deepEqual(update.bundle![vegaLiteMime], spec);
});

test('an error rejects with the source line and caret, no stack', async () => {
  const channel = recorder();
  const fair = createFair({ cwd: root, channel, charts: false });
  await fair`load ${tabular('hmda.csv')} as loans`;

  const error = await fair`audit by afma`.then(
    () => assert.fail('the call should fail'),
    (cause: unknown) => cause);
  assert.ok(error instanceof FairCellError);
  const printed = inspect(error);
  assert.equal(printed, [
    'cell:1:10: error: table "loans" has no column "afma"',
    '  1 | audit by afma',
    '    |          ^^^^',
    '  = did you mean "afam"?',
  ].join('\n'));
  assert.doesNotMatch(printed, /\n\s+at /);
  assert.equal(error.diagnostics[0]?.code, 'unknown-column');
});

test('statements before a failing one still show their output', async () => {
  const channel = recorder();
  const fair = createFair({ cwd: root, channel, charts: false });
  await assert.rejects(fair`
    load ${tabular('hmda.csv')} as loans
    sample 5000
  `, FairCellError);
  assert.equal(channel.sent.length, 1);
  assert.match(html(channel.sent[0]!), /loans: 2,380 rows/);
});

test('calls made without waiting run in the order they were made', async () => {
  const channel = recorder();
  const fair = createFair({ cwd: root, channel, charts: false });
  const first = fair`load ${tabular('hmda.csv')} as loans`;
  const second = fair`show 1`;
  await Promise.all([first, second]);
  assert.deepEqual(channel.sent.map((s) => /<p class="fair-message">(\w+)/
    .exec(html(s))?.[1]), ['loans', 'loans']);
  assert.match(html(channel.sent[1]!), /… 2,379 more rows/);
});

test('the kernel\'s interrupt stops a cell between statements', async () => {
  // Jupyter's stop button reaches the kernel as SIGINT; here it comes
  // while the first statement's output is going out.
  let stops = 1;
  const channel = recorder(() => {
    if (stops-- > 0) process.emit('SIGINT');
  });
  const fair = createFair({ cwd: root, channel, charts: false });
  const error = await fair`
    load ${tabular('hmda.csv')} as loans
    where afam = "yes" as black_applicants
  `.then(() => assert.fail('the call should stop'), (cause) => cause);
  assert.ok(error instanceof FairCellError);
  assert.equal(inspect(error), 'cell: error: stopped by the kernel\'s ' +
    'interrupt after 1 statement\n  = the statements after those did not ' +
    'run');
  assert.equal(channel.sent.length, 1);
  assert.equal(process.listenerCount('SIGINT'), 0, 'the listener is gone');

  // The session is still there, without the statement that did not run.
  await fair`show 1`;
  await assert.rejects(fair`show 1 on black_applicants`, /no table named/);
});

test('the kernel\'s interrupt stops long work at its next report', {
  timeout: 120_000,
}, async () => {
  // The interrupt comes as training draws its progress output.
  const channel = recorder((bundle) => {
    if (String(bundle['text/plain']).startsWith('training')) {
      process.emit('SIGINT');
    }
  });
  const fair = createFair({ cwd: root, channel, charts: false });
  await fair`load ${tabular('hmda.csv')} as loans`;
  const error = await fair`
    train logistic on loans target deny = "yes" epochs 50 as model
  `.then(() => assert.fail('training should stop'), (cause) => cause);
  assert.ok(error instanceof FairCellError);
  assert.match(inspect(error), /^cell:1:1: error: stopped by the kernel's /);
  assert.equal(fair.result('model'), undefined);

  // The progress output is left saying where it stopped.
  const last = channel.sent.filter((s) => s.kind === 'update').at(-1);
  assert.match(String(last?.bundle?.['text/plain']),
    /^training model .* stopped at \d+%/);
});

test('without a kernel, results print as text', async () => {
  const written: string[] = [];
  const sink = { write: (text: string) => written.push(text) };
  const fair = createFair({
    cwd: root,
    channel: textChannel(sink as unknown as NodeJS.WritableStream,
      sink as unknown as NodeJS.WritableStream),
    charts: false,
  });
  await fair`load ${tabular('hmda.csv')} as loans`;
  assert.equal(written.length, 1);
  assert.match(written[0]!, /^loans: 2,380 rows × 14 columns/);
});

test('the kernel channel sends one display_data with every form', () => {
  assert.equal(kernelChannel(), undefined, 'no kernel before tslab loads');

  // tslab's own module, as a kernel loads it; its sender is replaced by
  // one that keeps the messages instead of writing to a socket.
  const jupyter = createRequire(import.meta.url)('tslab/dist/jupyter.js') as {
    lastWriteDisplayData: ((content: unknown, update: boolean) => void) | null;
  };
  const messages: { content: unknown; update: boolean }[] = [];
  const previous = jupyter.lastWriteDisplayData;
  jupyter.lastWriteDisplayData = (content, update) =>
    messages.push({ content, update });
  try {
    const channel = kernelChannel();
    assert.ok(channel, 'tslab is loaded, so there is a kernel channel');
    const spec = { mark: 'bar' };
    channel.display({ [vegaLiteMime]: spec, 'image/svg+xml': '<svg/>' },
      'd1');
    channel.update({ 'text/plain': 'later' }, 'd1');
    channel.display({ 'text/plain': 'once' });
    assert.deepEqual(messages, [
      { content: { data: { [vegaLiteMime]: spec, 'image/svg+xml': '<svg/>' },
        metadata: {}, transient: { display_id: 'd1' } }, update: false },
      { content: { data: { 'text/plain': 'later' }, metadata: {},
        transient: { display_id: 'd1' } }, update: true },
      { content: { data: { 'text/plain': 'once' }, metadata: {},
        transient: {} }, update: false },
    ]);
  } finally {
    jupyter.lastWriteDisplayData = previous;
  }
});
