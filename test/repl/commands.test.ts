// The REPL's commands and its engine, without a screen: :help, :tables,
// :schema, :plan, :save (a script that reproduces the session), :load,
// wide tables continued in panels, and Ctrl-C inside a long statement.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Engine } from '../../src/repl/engine.js';
import {
  examplesFrom, readReference, statementWords,
} from '../../src/repl/help.js';
import { presentResult, tablePanels } from '../../src/repl/present.js';
import { startRepl } from '../../src/repl/start.js';
import type { Block } from '../../src/repl/present.js';
import { Session } from '../../src/runtime/session.js';
import { scratch, tabular } from '../helpers/index.js';

const hmda = tabular('hmda.csv');

/** Run typed input in an engine; the blocks it showed, as text. */
async function type(engine: Engine, text: string, cancelled = () => false):
Promise<Block[]> {
  const blocks: Block[] = [];
  await engine.submit(text, { emit: (b) => blocks.push(b), cancelled });
  return blocks;
}

const textOf = (blocks: Block[]) => blocks.map((b) => b.text).join('\n');

test(':help lists every statement with an example from grammar.md',
  async () => {
    const words = statementWords();
    const examples = examplesFrom(readReference(), words);
    for (const word of ['seed', 'load', 'describe', 'where', 'join']) {
      assert.ok(words.includes(word), word);
      assert.ok(examples.get(word)?.startsWith(word), `example of ${word}`);
    }
    const help = textOf(await type(new Engine({ cwd: scratch() }), ':help'));
    assert.match(help,
      /\n {2}load +load "examples\/data\/hmda\.csv" as loans\n/);
    assert.match(help, /:save FILE/);
    for (const word of words) assert.match(help, new RegExp(`\n  ${word} `));
  });

test('examples come from the section that names the statement', () => {
  const reference = [
    '### where', '```', 'where age > 30', '```',
    '### derive', '```', 'where x = 1', 'derive y = x', '```',
  ].join('\n');
  const examples = examplesFrom(reference, ['where', 'derive', 'plot']);
  assert.equal(examples.get('where'), 'where age > 30');
  assert.equal(examples.get('derive'), 'derive y = x');
  assert.equal(examples.get('plot'), undefined);
});

test(':tables, :schema and :plan describe the session', async () => {
  const engine = new Engine({ cwd: scratch() });
  assert.match(textOf(await type(engine, ':tables')), /no tables yet/);
  assert.match(textOf(await type(engine, ':plan')), /nothing has run yet/);

  await type(engine, `load "${hmda}" as loans\nwhere afam = "yes" as black`);
  const tables = textOf(await type(engine, ':tables'));
  // 2,380 rows and 339 African-American applicants: data/README.md.
  assert.match(tables, /loans\s+2380\s+14\n/);
  assert.match(tables, /black\s+339\s+14\s+current/);

  const schema = textOf(await type(engine, ':schema'));
  assert.match(schema, /^black: 339 rows, 14 columns\n/);
  assert.match(schema, /\npirat\s+number\n/);
  assert.match(schema, /\nafam\s+text\n/);
  assert.match(textOf(await type(engine, ':schema lons')),
    /did you mean "loans"\?/);

  const plan = textOf(await type(engine, ':plan'));
  assert.match(plan,
    /^line 1: load ".*hmda\.csv" as loans\n {2}load; writes loans;/);
  assert.match(plan, new RegExp('line 2: where afam = "yes" as black\n' +
    ' {2}where; reads loans, writes black;'));
  assert.match(plan, /kept 339 of 2,380 rows/);

  assert.match(textOf(await type(engine, ':tabels')),
    /unknown command ":tabels"; did you mean ":tables"\?/);
  assert.equal(await engine.submit(':quit', { emit() {},
    cancelled: () => false }), 'quit');
});

test(':save writes a script that fair run reproduces exactly', async () => {
  const folder = scratch();
  const engine = new Engine({ cwd: folder });
  await type(engine, 'seed 7');
  await type(engine, `load "${hmda}" as loans`);
  await type(engine, 'where afma = "yes"');  // fails: not saved
  await type(engine, 'sample 500');
  const shown = await type(engine, 'audit by afam target deny = "yes"');

  const saved = textOf(await type(engine, ':save session.fair'));
  assert.match(saved, /saved 4 statements to session\.fair/);
  const script = readFileSync(join(folder, 'session.fair'), 'utf8');
  assert.doesNotMatch(script, /afma/);

  // A new session runs the script: the same sample, the same audit.
  const session = new Session({ cwd: folder });
  const report = await session.run(script, { file: 'session.fair' });
  assert.equal(report.failed, false);
  const audit = report.outcomes.at(-1)!.result;
  assert.deepEqual(presentResult(audit, 80), shown);

  // Refused: an input file.
  assert.match(textOf(await type(engine, `:save ${hmda}`)),
    /refusing to write/);
  assert.ok(existsSync(hmda));
});

test(':load runs a script in the session', async () => {
  const folder = scratch();
  writeFileSync(join(folder, 'first.fair'),
    `load "${hmda}" as loans\nselect deny, afam\n`);
  const engine = new Engine({ cwd: folder });
  const shown = textOf(await type(engine, ':load first.fair'));
  assert.match(shown, /running first\.fair \(2 lines\)/);
  assert.match(shown, /▸ 2: select deny, afam\nkept 2 columns of 14/);
  assert.equal(engine.session.current, 'loans');
  assert.match(textOf(await type(engine, ':load nothing.fair')),
    /cannot read nothing\.fair: no such file/);
});

test('a wide default table continues in panels that repeat its key',
  () => {
    const columns = ['name', ...Array.from({ length: 12 },
      (_, i) => `measure_${i + 1}`)];
    const rows = [{ name: 'first' }, { name: 'second' }].map((row) => ({
      ...row,
      ...Object.fromEntries(columns.slice(1).map((c, i) => [c, i * 1000.5])),
    }));
    const panels = tablePanels(columns, rows, ['name'], 60);
    assert.ok(panels.length > 1);
    for (const panel of panels) assert.equal(panel[0], 'name');
    assert.deepEqual(panels.flatMap((panel) => panel.slice(1)),
      columns.slice(1));

    const blocks = presentResult({ kind: 'show', columns, rows }, 60);
    assert.equal(blocks.length, panels.length);
    for (const block of blocks) {
      for (const line of block.text.split('\n')) {
        assert.ok([...line].length <= 60, line);
      }
    }
    assert.doesNotMatch(textOf(blocks), /more column/);
  });

test('Ctrl-C stops a statement at its next progress report', async () => {
  // A CSV over the 8 MB above which load reports progress.
  const folder = scratch();
  const rows = 'x,y\n' + '1,2\n'.repeat(2_300_000);
  writeFileSync(join(folder, 'big.csv'), rows);

  const engine = new Engine({ cwd: folder });
  let checks = 0;
  // Not cancelled when the statement starts; cancelled by its first report.
  const shown = textOf(await type(engine, 'load "big.csv"\ndescribe',
    () => checks++ > 0));
  assert.match(shown, /stopped by Ctrl-C at line 1/);
  assert.equal(engine.session.tables.size, 0);
  assert.equal(engine.session.history.length, 0);
});

test('input that is not a terminal runs as a script', async () => {
  const input = new PassThrough();
  input.end(`load "${hmda}" as loans\n:tables\nselect deny, afam\n` +
    'where x = 1\n');
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));

  const code = await startRepl({
    stdin: input as unknown as NodeJS.ReadStream,
    stdout: output as unknown as NodeJS.WriteStream,
    cwd: scratch(),
    historyFile: null,
  });
  const printed = Buffer.concat(chunks).toString('utf8');
  assert.equal(code, 1);
  assert.match(printed, /^loans: 2,380 rows × 14 columns/);
  assert.match(printed, /\nloans\s+2380\s+14\s+current\n/);
  // As in a script, an error found before running stops its stretch of
  // statements: select, planned, makes x unknown; nothing ran.
  assert.match(printed, /<stdin>:2:7: error: table "loans" has no column "x"/);
  assert.doesNotMatch(printed, /kept 2 columns/);
});

test('columns a kind\'s own layout leaves out follow in a panel', async () => {
  const engine = new Engine({ cwd: scratch() });
  engine.width = 50;
  await type(engine, `load "${hmda}" as loans`);
  const blocks = await type(engine, 'describe');
  assert.match(blocks[0]!.text, /… 2 more columns: mean, std/);
  // describe's own layout is kept; the panel after it repeats `column`.
  const panel = blocks[1]!.text.split('\n');
  assert.match(panel[0]!, /^column\s+mean\s+std\s+top$/);
  // pandas' describe() of hmda.csv gives pirat a mean of 0.3308.
  assert.ok(panel.some((line) => /^pirat\s+0\.3308\s/.test(line)), panel[2]);
  assert.ok(panel.some((line) => /^deny\s+·\s+·\s+no \(2095\)/.test(line)));
  for (const block of blocks) {
    for (const line of block.text.split('\n')) {
      assert.ok([...line].length <= 50, line);
    }
  }
});
