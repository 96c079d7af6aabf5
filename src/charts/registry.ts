// Result kinds to the functions that chart them. Each chart module
// registers its builder when it loads (see ./index.ts), as verb families
// register their executors.
//
// A builder is a pure function of the result: no session, no files. It
// returns undefined when this particular result has nothing to draw (an
// audit without groups, a training run without a history).

import type { TopLevelSpec } from 'vega-lite';
import type { Result } from '../runtime/result.js';
import { config, schemaUrl } from './theme.js';

export type ChartBuilder = (result: Result) => TopLevelSpec | undefined;

const builders = new Map<string, ChartBuilder>();

export function defineChart(kind: string, builder: ChartBuilder): void {
  builders.set(kind, builder);
}

/** Every result kind with a chart builder, in registration order. */
export function chartKinds(): string[] {
  return [...builders.keys()];
}

/**
 * The Vega-Lite spec of a result, with the shared look applied, or
 * undefined when its kind has no chart or this result has nothing to draw.
 */
export function buildChart(result: Result): TopLevelSpec | undefined {
  const builder = builders.get(result.kind);
  const spec = builder?.(result);
  if (!spec) return undefined;
  // A chart's own config (a contact sheet without a frame) wins.
  const own = (spec as { config?: object }).config;
  return { $schema: schemaUrl, ...spec, config: { ...config, ...own } } as
    TopLevelSpec;
}
