// The audit chart, drawn from a real audit of the HMDA mortgage data and
// checked mark by mark. Expected figures come from
// ../shared/reference/tabular.json (computed by pandas): afam "no" 2041
// applications, 1852 approved (0.907398); "yes" 339, 243 approved
// (0.716814); disparate impact 0.789966, below the four-fifths line.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { chartSpec } from '../../src/charts/index.js';
import { palette } from '../../src/charts/theme.js';
import { renderPng } from '../../src/runtime/render/png.js';
import { renderSvgWithWarnings } from '../../src/runtime/render/svg.js';
import { run, shared } from '../helpers/index.js';
import { axisTitles, chartTitles, marks, readPng } from './marks.js';

const reference = JSON.parse(readFileSync(
  join(shared, 'reference', 'tabular.json'), 'utf8'));
const hmda = reference.hmda.sensitive.find(
  (s: { attribute: string }) => s.attribute === 'afam');
const [no, yes] = hmda.groups as { n: number; rate: number }[];
const loans = join(shared, 'data', 'tabular', 'hmda.csv');

async function drawn(source: string) {
  const { results } = await run(source);
  const result = results[results.length - 1]!;
  const spec = chartSpec(result);
  assert.ok(spec, `a ${result.kind} result has a chart`);
  const { svg, warnings } = await renderSvgWithWarnings(spec);
  assert.deepEqual(warnings, [], 'vega-lite compiles it without warnings');
  return { result, spec, svg };
}

test('an audit by a column with 2 groups draws 2 bars in each panel',
  async () => {
  const { svg } = await drawn(`load "${loans}" as loans
audit by afam target deny = "no"`);

  const shares = marks(svg, 'share');
  const rates = marks(svg, 'rate');
  assert.equal(shares.length, 2);
  assert.equal(rates.length, 2);
  assert.equal(marks(svg, 'interval').length, 2, 'one interval per group');
  assert.equal(marks(svg, 'four_fifths').length, 1, 'one four-fifths line');

  // Bar lengths are proportional to the reference's counts and rates.
  assert.ok(Math.abs(shares[0]!.width! / shares[1]!.width! - no!.n / yes!.n)
    < 1e-6);
  assert.ok(Math.abs(rates[0]!.width! / rates[1]!.width! -
    no!.rate / yes!.rate) < 1e-4);

  // "yes" approves 0.7168, below 0.8 x 0.9074 = 0.7259: it fails the rule.
  assert.equal(rates[0]!.fill, palette[0]);
  assert.equal(rates[1]!.fill, palette[1]);
  assert.match(rates[1]!.label!, /afam: yes/);

  const titles = axisTitles(svg);
  for (const title of ['Share of rows (%)', 'Positive rate (%)', 'afam']) {
    assert.ok(titles.includes(title), `axis title ${title} in ${titles}`);
  }
  const headings = chartTitles(svg).join('\n');
  assert.match(headings, /Audit of loans by afam/);
  assert.match(headings, /Disparate impact 0\.79/);
  assert.match(svg, /<text[^>]*>80%<\/text>/, 'rates read as percentages');
});

test('the four-fifths line sits at 0.8 of the reference group\'s rate',
  async () => {
    const { svg } = await drawn(`load "${loans}" as loans
audit by afam target deny = "no"`);
    const [line] = marks(svg, 'four_fifths');
    const [bar] = marks(svg, 'rate');
    // The line's x over the reference bar's width: 0.8 of its rate.
    const x = line!.x!;
    assert.ok(Math.abs(x / bar!.width! - 0.8) < 1e-6);
  });

test('an intersection is labelled as the audit labels it', async () => {
  const { result, svg } = await drawn(`load "${loans}" as loans
audit by afam, single target deny = "yes"`);
  assert.equal(result.rows!.length, 4);
  const labels = marks(svg, 'share').map((m) =>
    /afam × single: ([^;]+)/.exec(m.label!)![1]);
  assert.deepEqual(labels, ['no × no', 'no × yes', 'yes × no',
    'yes × yes']);
});

test('a rate per class draws one rate panel per class', async () => {
  const { result, svg } = await drawn(`load "${loans}" as loans
audit by afam target chist`);
  const classes = new Set(result.rows!.map((r) => r['class']));
  assert.equal(marks(svg, 'share').length, 2, 'shares once per group');
  assert.equal(marks(svg, 'rate').length, 2 * classes.size);
  assert.equal(marks(svg, 'four_fifths').length, classes.size);
});

test('an audit against reference shares draws them as ticks', async () => {
  const { svg } = await drawn(`load "${loans}" as loans
audit by afam against {no: 0.7, yes: 0.3}`);
  const ticks = marks(svg, 'reference_share');
  assert.equal(ticks.length, 2);
  assert.equal(marks(svg, 'rate').length, 0, 'no target, no rates');
});

test('the PNG has the bars in the palette\'s colours', async () => {
  const { svg } = await drawn(`load "${loans}" as loans
audit by afam target deny = "no"`);
  const png = await readPng(renderPng(svg));
  const width = Number(/<svg[^>]*width="(\d+)"/.exec(svg)![1]);
  assert.equal(png.width, 2 * width, 'drawn at twice the SVG size');
  assert.ok(png.pixels(palette[0]!) > 1000, 'blue bars');
  assert.ok(png.pixels(palette[1]!) > 1000, 'the failing bar in orange');
});
