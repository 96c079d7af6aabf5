// plot: a plot's result carries the chart it drew, so a chart named with
// `as` can be drawn again, to another file or format, or shown by a face.

import type { TopLevelSpec } from 'vega-lite';
import { defineChart } from './registry.js';

defineChart('plot', (result) => result['spec'] as TopLevelSpec | undefined);
