// plot: a kept result to a chart file. Checks that the language refuses
// what cannot work (before anything runs where it can), that each format
// is written whole and atomically, where files go without `to`, and that
// the same script writes the same bytes.

import assert from 'node:assert/strict';
import {
  existsSync, readdirSync, readFileSync, writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { Session } from '../../src/runtime/session.js';
import { configureOutput } from '../../src/runtime/verbs/output.js';
import { marked, run, runFailing, scratch, tabular } from '../helpers/index.js';
import { schemaErrors } from '../charts/schema.js';

const loans = `load "${tabular('hmda.csv')}" as loans`;
const audit = `${loans}\naudit by afam target deny = "yes"`;

async function failsAt(template: string, code: string) {
  const { source, line, column } = marked(template);
  const [first] = await runFailing(source, scratch());
  assert.equal(first?.code, code, first?.message);
  assert.equal(first?.span?.line, line);
  assert.equal(first?.span?.column, column);
  return first!;
}

test('a chart file must end in .svg, .png or .vl.json', async () => {
  const problem = await failsAt(`${audit}\nplot audit to «"rates.gif"»`,
    'chart-format');
  assert.match(problem.hints.join(' '), /\.svg.*\.png.*\.vl\.json/);
});

test('a misspelt result is caught before anything runs', async () => {
  const problem = await failsAt(`${audit}\nplot «adit»`, 'unknown-result');
  assert.deepEqual(problem.hints, ['did you mean "audit"?']);
});

test('plot never writes over an input file', async () => {
  const folder = scratch();
  writeFileSync(join(folder, 'data.svg'), 'group,n\na,1\n');
  const { source, line, column } = marked(`load "data.svg" format csv
describe
plot describe to «"data.svg"»`);
  const [first] = await runFailing(source, folder);
  assert.equal(first?.code, 'save-over-input');
  assert.deepEqual([first?.span?.line, first?.span?.column], [line, column]);
  assert.equal(readFileSync(join(folder, 'data.svg'), 'utf8'),
    'group,n\na,1\n');
});

test('a clause given twice is an error', async () => {
  await failsAt(`${audit}\nplot audit as a «as» b`, 'duplicate-clause');
});

test('plotting a kind that has not run yet fails at its line', async () => {
  const problem = await failsAt(`${loans}\nplot «audit»\naudit by afam`,
    'no-result');
  assert.match(problem.hints[0]!, /run an audit statement before/);
});

test('a result without a chart says which results have one', async () => {
  const problem = await failsAt(`${loans}\nplot «loans»`, 'no-chart');
  assert.match(problem.message, /"loans" is a load result/);
  assert.match(problem.hints[0]!, /audit/);
});

test('svg, png and vl.json are each written whole', async () => {
  const folder = scratch();
  const { results } = await run(`${audit}
plot audit to "charts/rates.svg"
plot audit to "charts/rates.png"
plot audit to "charts/rates.vl.json"`, folder);

  const svg = readFileSync(join(folder, 'charts', 'rates.svg'), 'utf8');
  assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, /<\/svg>$/);
  const png = readFileSync(join(folder, 'charts', 'rates.png'));
  assert.deepEqual([...png.subarray(0, 8)],
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const spec = JSON.parse(readFileSync(
    join(folder, 'charts', 'rates.vl.json'), 'utf8'));
  assert.deepEqual(spec, JSON.parse(JSON.stringify(results[2]!['spec'])));
  assert.deepEqual(schemaErrors(spec), []);

  const plot = results[4]!;
  assert.equal(plot.kind, 'plot');
  assert.equal(plot.summary!['format'], 'vl.json');
  assert.equal(plot.summary!['source_kind'], 'audit');
  assert.deepEqual(readdirSync(join(folder, 'charts')).sort(),
    ['rates.png', 'rates.svg', 'rates.vl.json'], 'no temporary files left');
});

test('without "to", charts go to the configured folder, named apart',
  async () => {
    const folder = scratch();
    const session = new Session({ cwd: folder });
    configureOutput(session, { chartFolder: join(folder, 'out') });
    const report = await session.run(`${audit}
plot audit
plot audit
plot audit as rates`);
    assert.equal(report.failed, false);
    const files = report.outcomes.slice(2).map((o) =>
      o.result.summary!['file']);
    assert.deepEqual(files, ['out/audit.svg', 'out/audit-2.svg',
      'out/rates.svg']);
    for (const file of files) assert.ok(existsSync(join(folder, String(file))));
  });

test('without "to" or a folder, the chart stays in the result', async () => {
  const folder = scratch();
  const { results } = await run(`${audit}\nplot audit`, folder);
  const plot = results[2]!;
  assert.equal(plot.summary!['file'], undefined);
  assert.ok(plot['spec']);
  assert.match(plot.message!, /add to "FILE\.svg"/);
  assert.deepEqual(readdirSync(folder), []);
});

test('a named chart can be plotted again', async () => {
  const folder = scratch();
  await run(`${audit}\nplot audit as rates\nplot rates to "again.png"`,
    folder);
  assert.ok(existsSync(join(folder, 'again.png')));
});

test('the same script writes the same bytes', async () => {
  const script = `seed 5
${loans}
sample 60%
audit by afam, single target deny = "yes"
plot audit to "a.svg"
plot audit to "a.png"
plot audit to "a.vl.json"`;
  const first = scratch();
  const second = scratch();
  await run(script, first);
  await run(script, second);
  for (const file of ['a.svg', 'a.png', 'a.vl.json']) {
    assert.ok(readFileSync(join(first, file)).equals(
      readFileSync(join(second, file))), `${file} differs between runs`);
  }
});

test('fair run --out DIR writes charts there and prints their paths',
  async () => {
    const folder = scratch();
    const script = join(folder, 'audit.fair');
    writeFileSync(script, `${audit}\nplot audit\nplot audit to ` +
      `"${join(folder, 'fixed.png')}"\n`);

    const out: string[] = [];
    const err: string[] = [];
    const streams = {
      out: { write: (text: string) => out.push(text) },
      err: { write: (text: string) => err.push(text) },
    } as unknown as Parameters<typeof main>[1];
    const code = await main(['run', script, '--out',
      join(folder, 'charts')], streams);
    assert.equal(code, 0, err.join(''));
    assert.ok(existsSync(join(folder, 'charts', 'audit.svg')));
    assert.match(out.join(''),
      /charts written: .*charts\/audit\.svg, .*fixed\.png/);

    // Without --out: next to the script.
    const again = await main(['run', script], streams);
    assert.equal(again, 0);
    assert.ok(existsSync(join(folder, 'audit.svg')));
  });
