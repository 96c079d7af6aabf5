// Every result kind of the verbs in this build has a chart, and every
// chart is sound: it validates against the Vega-Lite JSON schema shipped
// in the vega-lite package, compiles without warnings, renders to SVG
// with titled axes and to a PNG that a second decoder (sharp) reads.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  chartKinds, chartSpec, defineChart,
} from '../../src/charts/index.js';
import { renderPng } from '../../src/runtime/render/png.js';
import { renderSvgWithWarnings } from '../../src/runtime/render/svg.js';
import { executorFor } from '../../src/runtime/verbs/index.js';
import { plottableKinds } from '../../src/runtime/verbs/output.js';
import { run, runFailing } from '../helpers/index.js';
import { chartedKinds, fixtures } from './fixtures.js';
import { axisTitles, chartTitles, readPng } from './marks.js';
import { schemaErrors } from './schema.js';

function verbExists(kind: string): boolean {
  try {
    executorFor(kind);
    return true;
  } catch {
    return false;
  }
}

const landed = chartedKinds.filter(verbExists);

test('every charted kind whose verb is here has a chart and a fixture',
  () => {
    assert.ok(landed.length > 0);
    for (const kind of landed) {
      assert.ok(chartKinds().includes(kind), `${kind} has a chart builder`);
      assert.ok(fixtures[kind], `${kind} has a script in fixtures.ts`);
    }
    // Offered to users: exactly the kinds with a chart and a verb.
    assert.deepEqual([...plottableKinds()].sort(),
      chartKinds().filter((k) => k !== 'plot' && verbExists(k)).sort());
  });

test('a chart for a verb that is not here is not offered', async () => {
  defineChart('imaginary', () => ({ mark: 'bar', data: { values: [] } }));
  assert.ok(chartKinds().includes('imaginary'));
  assert.ok(!plottableKinds().includes('imaginary'));

  const diagnostics = await runFailing('plot imaginary');
  assert.equal(diagnostics[0]!.code, 'unknown-result');
  assert.doesNotMatch(diagnostics[0]!.hints.join(' '), /imaginary/);
});

test('the schema check rejects what Vega-Lite would not draw', () => {
  assert.deepEqual(schemaErrors({ mark: 'bar', data: { values: [] },
    encoding: { x: { field: 'a', type: 'quantitative' } } }), []);
  assert.ok(schemaErrors({ mark: 'bars' }).length > 0);
  assert.ok(schemaErrors({ mark: 'bar', encoding: { x: { field: 'a',
    type: 'percent' } } }).length > 0);
});

for (const kind of landed) {
  test(`the ${kind} chart is valid Vega-Lite and renders`, async () => {
    const { results } = await run(fixtures[kind]!);
    const result = results[results.length - 1]!;
    assert.equal(result.kind, kind);

    const spec = chartSpec(result);
    assert.ok(spec, `a ${kind} result has a chart`);
    const errors = schemaErrors(JSON.parse(JSON.stringify(spec)));
    assert.deepEqual(errors.slice(0, 3), [], 'valid against the schema');

    const { svg, warnings } = await renderSvgWithWarnings(spec);
    assert.deepEqual(warnings, [], 'compiles without warnings');
    assert.ok(chartTitles(svg).length > 0, 'the chart has a title');
    // Every chart but a contact sheet (a grid of images) has axes.
    const titles = axisTitles(svg);
    const sheet = kind === 'load_images' || kind === 'augment';
    assert.ok(sheet || titles.length > 0, 'axes have titles');
    for (const title of titles) assert.notEqual(title.trim(), '');

    const png = await readPng(renderPng(svg));
    assert.ok(png.width > 100 && png.height > 100);
    assert.ok(png.inked() > 0.05 * png.width * png.height,
      'marks are drawn, not only a frame');
  });
}
