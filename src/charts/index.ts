// The chart layer: a Vega-Lite spec for each result kind that has one,
// and the same chart as SVG. Importing this module registers every
// builder; faces (the command line, reports, notebooks) call the two
// functions below and nothing else.
//
//   Result --chartSpec--> Vega-Lite spec --renderSvg--> SVG --renderPng--> PNG

import type { TopLevelSpec } from 'vega-lite';
import type { Result } from '../runtime/result.js';
import { renderSvg } from '../runtime/render/svg.js';
import { buildChart } from './registry.js';
import './agreement.js';
import './audit.js';
import './balance.js';
import './compare.js';
import './describe.js';
import './evaluate.js';
import './plot.js';
import './train.js';

export { chartKinds, defineChart } from './registry.js';

/** A result's Vega-Lite spec, or undefined when it has no chart. */
export function chartSpec(result: Result): TopLevelSpec | undefined {
  return buildChart(result);
}

/** A result's chart as SVG text, or undefined when it has no chart. */
export async function chartSvg(result: Result): Promise<string | undefined> {
  const spec = buildChart(result);
  return spec ? renderSvg(spec) : undefined;
}
