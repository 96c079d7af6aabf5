// Vega-Lite spec -> SVG text, without a browser:
//
//   1. compile   Vega-Lite -> Vega, collecting the compiler's warnings
//   2. parse     Vega spec -> dataflow
//   3. render    a headless View (renderer 'none') writes SVG markup
//
// No canvas package is installed, so vega estimates text widths from a
// fixed table of character widths: the same spec gives the same bytes on
// every machine.

// vega and vega-lite are loaded on the first chart, not at start-up: vega
// alone takes a second to load, which `fair check` and the REPL must not
// pay.
import type { TopLevelSpec } from 'vega-lite';

export interface RenderedSvg {
  svg: string;
  /** What the Vega-Lite compiler warned about; empty for a sound spec. */
  warnings: string[];
}

/** A logger in the shape vega-lite expects, that keeps what it is told. */
function collectingLogger(warnings: string[]) {
  const keep = (...args: readonly unknown[]) => {
    warnings.push(args.map(String).join(' '));
  };
  let current = 2;
  const logger = {
    level(level?: number) {
      if (level === undefined) return current;
      current = level;
      return logger;
    },
    error: (...args: readonly unknown[]) => {
      keep(...args);
      return logger;
    },
    warn: (...args: readonly unknown[]) => {
      keep(...args);
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/** `scale` enlarges the drawing (1.25 reads better inside a page). */
export async function renderSvgWithWarnings(spec: TopLevelSpec, scale = 1):
Promise<RenderedSvg> {
  const [{ parse, View }, { compile }] = await Promise.all([
    import('vega'), import('vega-lite')]);
  const warnings: string[] = [];
  const compiled = compile(spec, {
    logger: collectingLogger(warnings) as never,
  }).spec;

  const view = new View(parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG(scale);
    return { svg, warnings };
  } finally {
    view.finalize();
  }
}

export async function renderSvg(spec: TopLevelSpec, scale = 1):
Promise<string> {
  return (await renderSvgWithWarnings(spec, scale)).svg;
}
