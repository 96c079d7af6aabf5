// The lending notebook, executed headless as Jupyter would run it: the
// tslab kernel registered in a scratch folder, nbclient (Debian's
// python3-nbclient) driving it, and the test reading what reached the
// notebook. The denial rates come from ../shared/reference/tabular.json
// (pandas), whose rates are of the favourable outcome (deny = "no").
//
// Needs `npm run build` first (the notebook imports "fairlang", which is
// dist/), as `npm test` does.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { test } from 'node:test';
import { formatNumber } from '../../src/runtime/render/text.js';
import { python } from '../helpers/python.js';
import { root, scratch, shared } from '../helpers/index.js';

const notebookFile = join(root, 'examples', 'notebooks', 'lending.ipynb');
const bin = join(root, 'node_modules', '.bin');
const vegaLite = 'application/vnd.vegalite.v5+json';

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}

interface Cell {
  cell_type: string;
  source: string | string[];
  metadata: { tags?: string[] };
  outputs?: Output[];
}

const joined = (text: string | string[] | undefined) =>
  Array.isArray(text) ? text.join('') : text ?? '';

/** What must be in place before the kernel can run the notebook. */
function requirements(): void {
  execFileSync(python, ['-c', 'import nbclient, nbformat, jupyter_client']);
  assert.ok(existsSync(join(bin, 'tslab')), 'tslab is a dev dependency');
  assert.ok(existsSync(join(root, 'dist', 'notebook', 'index.js')),
    'dist/ is built: run `npm run build` first');
  // tslab type-checks cells with TypeScript's classic node resolution,
  // which finds a package only under node_modules, never by its own name.
  assert.ok(existsSync(join(root, 'node_modules', 'fairlang', 'package.json')),
    'node_modules/fairlang links to this package: package.json lists ' +
    '"fairlang": "file:." in devDependencies (then npm install)');
}

/** Register tslab in a scratch Jupyter folder and run the notebook there. */
function execute(): { cells: Cell[]; seconds: number;
  timings: { index: number; seconds: number }[] } {
  const folder = scratch();
  const env = {
    ...process.env,
    // The kernel's command is `tslab`, looked up on PATH.
    PATH: `${bin}${delimiter}${process.env['PATH'] ?? ''}`,
    JUPYTER_PATH: join(folder, 'share', 'jupyter'),
    JUPYTER_RUNTIME_DIR: join(folder, 'runtime'),
    JUPYTER_PLATFORM_DIRS: '1',
  };
  execFileSync(join(bin, 'tslab'),
    ['install', `--python=${python}`, `--prefix=${folder}`],
    { env, stdio: 'pipe' });

  const out = join(folder, 'lending.ipynb');
  let printed: string;
  try {
    printed = execFileSync(python, [
      join(root, 'test', 'notebook', 'execute.py'), notebookFile,
      '--out', out, '--timeout', '300',
    ], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (cause) {
    const failure = cause as { stderr?: string };
    assert.fail(`the notebook did not run:\n${failure.stderr ?? cause}`);
  }
  const run = JSON.parse(printed);
  const notebook = JSON.parse(readFileSync(out, 'utf8'));
  return { cells: notebook.cells, seconds: run.seconds,
    timings: run.cells };
}

const reference = JSON.parse(readFileSync(
  join(shared, 'reference', 'tabular.json'), 'utf8'));
const afamGroups: { group: string; rate: number }[] = reference.hmda
  .sensitive.find((s: { attribute: string }) => s.attribute === 'afam')
  .groups;

test('the lending notebook runs in tslab and shows what Fair did', {
  timeout: 600_000,
}, (t) => {
  requirements();
  const { cells, seconds, timings } = execute();
  t.diagnostic(`whole notebook ${seconds} s; per code cell: ` +
    timings.map((c) => `${c.index}: ${c.seconds} s`).join(', '));

  const code = cells.filter((c) => c.cell_type === 'code');
  const sourceOf = (cell: Cell) => joined(cell.source);
  const find = (text: string) => {
    const cell = code.find((c) => sourceOf(c).includes(text));
    assert.ok(cell, `a code cell holds ${JSON.stringify(text)}`);
    return cell.outputs ?? [];
  };

  // 1. The audit's table, as HTML, with HMDA's denial rates by group.
  const auditHtml = find('audit by afam').map((o) => joined(
    o.data?.['text/html'] as string | string[] | undefined)).join('');
  for (const group of afamGroups) {
    const denial = formatNumber(1 - group.rate);
    assert.ok(auditHtml.includes(`>${denial}</td>`),
      `the audit shows denial rate ${denial} for afam = ${group.group}`);
  }
  assert.deepEqual(afamGroups.map((g) => formatNumber(1 - g.rate)).sort(),
    ['0.0926', '0.2832']);

  // 2. Charts: the Vega-Lite spec arrives as an object, beside its SVG.
  const charts = code.flatMap((c) => c.outputs ?? [])
    .filter((o) => o.data?.[vegaLite] !== undefined);
  assert.ok(charts.length >= 3, 'audit, training and evaluation charts');
  for (const chart of charts) {
    const spec = chart.data![vegaLite];
    assert.equal(typeof spec, 'object', 'a spec object, not a string');
    assert.ok(!Array.isArray(spec) && spec !== null);
    assert.match(String((spec as { $schema: unknown }).$schema),
      /vega-lite/);
    assert.match(joined(chart.data!['image/svg+xml'] as string | string[]),
      /^<svg[\s>]/);
  }

  // 3. The mistake: the message with its line and caret, no stack trace.
  const failing = code.filter((c) => c.metadata.tags?.includes(
    'raises-exception'));
  assert.equal(failing.length, 1);
  const stderr = (failing[0]!.outputs ?? [])
    .filter((o) => o.output_type === 'stream' && o.name === 'stderr')
    .map((o) => joined(o.text)).join('');
  assert.equal(stderr, [
    'cell:1:31: error: table "test" has no column "afma"',
    '  1 | evaluate equalised on test by afma',
    '    |                               ^^^^',
    '  = did you mean "afam"?',
    '',
  ].join('\n'));

  // 4. No other cell wrote to its error stream.
  for (const cell of code.filter((c) => !failing.includes(c))) {
    const errors = (cell.outputs ?? []).filter((o) =>
      o.output_type === 'error' || o.name === 'stderr');
    assert.deepEqual(errors, [], `no errors from: ${sourceOf(cell)}`);
  }

  // 5. The saved example shows what a run shows now (the audit is the
  //    same on every machine; its numbers are the ones checked above).
  const saved = JSON.parse(readFileSync(notebookFile, 'utf8')).cells as
    Cell[];
  const savedAudit = saved.find((c) => c.cell_type === 'code' &&
    joined(c.source).includes('audit by afam'))?.outputs ?? [];
  assert.deepEqual(savedAudit, find('audit by afam'), 'the saved ' +
    'outputs are out of date; save them with: /usr/bin/python3 ' +
    'test/notebook/execute.py examples/notebooks/lending.ipynb --in-place');

  // 6. Training redrew one progress output, which ends done.
  const progress = find('as baseline').filter((o) =>
    /^training baseline .* done/.test(joined(o.data?.['text/plain'] as
      string | string[] | undefined)));
  assert.equal(progress.length, 1);
});

test('the example notebook is saved with its outputs', () => {
  const saved = JSON.parse(readFileSync(notebookFile, 'utf8'));
  const code = (saved.cells as Cell[]).filter((c) => c.cell_type === 'code');
  const empty = code.filter((c) => !c.outputs?.length &&
    !joined(c.source).startsWith('import'));
  assert.deepEqual(empty.map((c) => joined(c.source)), [],
    'every cell that shows something has its outputs saved; save them ' +
    'with: /usr/bin/python3 test/notebook/execute.py ' +
    'examples/notebooks/lending.ipynb --in-place');
});
