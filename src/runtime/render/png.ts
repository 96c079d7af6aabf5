// SVG text -> PNG bytes through resvg, a renderer written in Rust whose
// prebuilt binary ships in the npm registry: no browser, no canvas.
//
// Text needs a font on the machine. DejaVu Sans is the one Debian's
// fonts-dejavu-core installs; without any font resvg draws the chart
// without its words (the PNG is still written).

import { createRequire } from 'node:module';

// Loaded on the first PNG, not when Fair starts.
const require = createRequire(import.meta.url);
type ResvgModule = typeof import('@resvg/resvg-js');

export interface PngOptions {
  /** Pixels per SVG unit: 2 gives a sharp image on paper and screens. */
  scale?: number;
}

export function renderPng(svg: string, options: PngOptions = {}):
Uint8Array {
  const { Resvg } = require('@resvg/resvg-js') as ResvgModule;
  const renderer = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans' },
  });
  return renderer.render().asPng();
}
