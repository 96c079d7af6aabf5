// Fair in a notebook: `fair` runs statements in a tslab (TypeScript)
// Jupyter kernel and shows what they did in the cell.
//
//   import { fair } from "fairlang";
//   await fair`load "../data/hmda.csv" as loans`;
//   await fair("audit by afam target deny = \"yes\"");
//
// One session lives as long as the kernel, so a table loaded in one cell
// is there in the next. For each statement, as it finishes:
//
//   result --resultHtml--> HTML table + text     one output
//   result --chartSpec---> Vega-Lite object      a second output, when
//          --chartSvg----> + SVG fallback         the result has a chart
//
// Long work redraws one progress output in place. An error rejects the
// call with the source line and a caret as its printed form, so the cell
// shows the message (and is marked failed), not a stack trace.
//
// This module loads only small, synchronous pieces; the engine (tables,
// charts, vega) is imported on the first call. A kernel compiles cells
// to CommonJS and `require`s this file, which Node allows only for an
// ES module graph without top-level await; vega has one.

import { inspect } from 'node:util';
import {
  error, FairError, formatDiagnostic, type Diagnostic, type ProblemEntry,
} from '../lang/diagnostics.js';
import { renderText } from '../runtime/render/text.js';
import { plural, type Result } from '../runtime/result.js';
import type {
  ProgressHandle, ProgressSink, Session,
} from '../runtime/session.js';
import {
  defaultChannel, newDisplayId, type Channel, type MimeBundle,
} from './channel.js';
import { resultHtml } from './html.js';
import { notebookProgress } from './progress.js';
import { FairName, templateSource } from './source.js';

export { FairName } from './source.js';
export type { Channel, MimeBundle } from './channel.js';

/** The MIME type JupyterLab draws Vega-Lite charts from. */
export const vegaLiteMime = 'application/vnd.vegalite.v5+json';

/** The file name messages give to a cell's source. */
const cellFile = 'cell';

export interface Fair {
  /** Run statements written as a tagged template. */
  (strings: TemplateStringsArray, ...values: unknown[]): Promise<void>;
  /** Run statements given as text. */
  (source: string): Promise<void>;
  /** A column or table name to put into a template: fair.ident("a b"). */
  ident(text: string): FairName;
  /**
   * A result kept by the session: the one named with `as`, or the latest
   * of a kind ("audit"); undefined before anything has run.
   */
  result(name: string): Result | undefined;
}

export interface FairOptions {
  /** The folder relative paths start from; the process's by default. */
  cwd?: string;
  /** Where outputs go; the tslab kernel's, or text when there is none. */
  channel?: Channel;
  /** Draw a chart for each result that has one (default true). */
  charts?: boolean;
}

const notebookProblems = {
  interrupted: (): ProblemEntry => ({
    code: 'interrupted',
    message: 'stopped by the kernel\'s interrupt',
    hints: ['this statement made no change; nothing after it ran'],
  }),
  stopped: (finished: number): ProblemEntry => ({
    code: 'interrupted',
    message: `stopped by the kernel's interrupt after ` +
      `${plural(finished, 'statement')}`,
    hints: ['the statements after those did not run'],
  }),
};

/** A failed cell: its printed form is the messages, with carets. */
export class FairCellError extends Error {
  constructor(
    readonly diagnostics: readonly Diagnostic[],
    readonly source: string,
  ) {
    super(diagnostics.map((d) => formatDiagnostic(d, source, cellFile))
      .join('\n\n'));
    this.name = 'FairCellError';
  }

  // tslab prints a failed cell's error with console.error, which uses
  // this: the reader sees the messages, not Fair's call stack.
  [inspect.custom](): string {
    return this.message;
  }
}

interface Engine {
  session: Session;
  chartSpec: (result: Result) => object | undefined;
  chartSvg: (result: Result) => Promise<string | undefined>;
}

/** A chart's title, for the text form of its output. */
function chartTitle(spec: object): string {
  const title = (spec as { title?: unknown }).title;
  const text = typeof title === 'string' ? title
    : typeof title === 'object' && title !== null
      ? (title as { text?: unknown }).text : undefined;
  return typeof text === 'string' ? text
    : Array.isArray(text) ? text.join(' ') : 'a chart';
}

/**
 * The call that is running: where it shows things, and whether the
 * kernel has been asked to stop it.
 */
interface Call {
  out: Channel;
  interrupted: boolean;
}

const silentHandle: ProgressHandle = { update() {}, done() {} };

export function createFair(options: FairOptions = {}): Fair {
  const drawCharts = options.charts ?? true;
  let engine: Promise<Engine> | undefined;
  let loaded: Engine | undefined;
  let running: Call | undefined;
  // Calls run one after another, in the order they were made, even when
  // a cell does not await one before starting the next.
  let queue: Promise<unknown> = Promise.resolve();

  // Looked up for each run: the kernel swaps its sender for every cell.
  const channel = () => options.channel ?? defaultChannel();

  /**
   * Long work shows one progress output, and is where a run can stop:
   * a report made after the kernel's interrupt ends the statement there
   * (the session then keeps the state from before it).
   */
  const progress: ProgressSink = {
    start(label: string): ProgressHandle {
      const call = running;
      if (!call?.out.rich) return silentHandle;
      const handle = notebookProgress(call.out).start(label);
      return {
        update(fraction, detail) {
          if (call.interrupted) {
            handle.stop();
            throw new FairError(error(notebookProblems.interrupted()));
          }
          handle.update(fraction, detail);
        },
        done: () => handle.done(),
      };
    },
  };

  async function load(): Promise<Engine> {
    const [{ Session }, charts] = await Promise.all([
      import('../runtime/session.js'),
      import('../charts/index.js'),
    ]);
    const session = new Session({
      ...(options.cwd ? { cwd: options.cwd } : {}),
      progress,
    });
    loaded = { session, chartSpec: charts.chartSpec,
      chartSvg: charts.chartSvg };
    return loaded;
  }

  /** Show a result: its table now, its chart as soon as it is drawn. */
  function show(
    result: Result,
    { chartSpec, chartSvg }: Engine,
    out: Channel,
    pending: Promise<void>[],
  ): void {
    out.display({
      'text/html': resultHtml(result),
      'text/plain': renderText(result, { width: 100 }),
    });
    if (!drawCharts || !out.rich) return;
    let spec: object | undefined;
    try {
      spec = chartSpec(result);
    } catch (cause) {
      // A chart that cannot be built costs the chart, not the result.
      out.warn(`the ${result.kind} chart could not be built: ` +
        `${(cause as Error).message}`);
    }
    if (!spec) return;

    // The interactive chart goes out at once, in its place among the
    // outputs; its SVG follows into the same output when vega has drawn
    // it, while the next statement runs.
    const id = newDisplayId();
    const title = chartTitle(spec);
    const chart: MimeBundle = {
      [vegaLiteMime]: spec,
      'text/plain': `chart: ${title}`,
    };
    out.display(chart, id);
    pending.push(chartSvg(result).then((svg) => {
      if (svg) out.update({ ...chart, 'image/svg+xml': svg }, id);
    }, (cause: unknown) => {
      out.warn(`the chart "${title}" could not be drawn as SVG: ` +
        `${(cause as Error).message}`);
    }));
  }

  async function run(source: string): Promise<void> {
    // A failed load (a broken build) is tried again on the next call.
    const ready = await (engine ??= load().catch((cause: unknown) => {
      engine = undefined;
      throw cause;
    }));
    const out = channel();
    const call: Call = { out, interrupted: false };
    const pending: Promise<void>[] = [];

    // Jupyter's stop button reaches a tslab kernel as SIGINT. Outside a
    // notebook Ctrl-C keeps its usual meaning, so nothing listens there.
    const interrupt = () => { call.interrupted = true; };
    if (out.rich) process.on('SIGINT', interrupt);
    running = call;
    try {
      const report = await ready.session.run(source, {
        file: cellFile,
        cancelled: () => call.interrupted,
        onOutcome: (outcome) => show(outcome.result, ready, out, pending),
      });
      if (report.failed) throw new FairCellError(report.diagnostics, source);
      if (call.interrupted) {
        throw new FairCellError([error(notebookProblems.stopped(
          report.outcomes.length))], source);
      }
      for (const warning of report.diagnostics) {
        out.warn(formatDiagnostic(warning, source, cellFile));
      }
    } finally {
      running = undefined;
      process.off('SIGINT', interrupt);
      await Promise.all(pending);
    }
  }

  function fair(
    first: TemplateStringsArray | string,
    ...values: unknown[]
  ): Promise<void> {
    let source: string;
    if (typeof first === 'string') {
      source = first;
    } else if (Array.isArray(first) && 'raw' in first) {
      source = templateSource(first, values);
    } else {
      return Promise.reject(new TypeError('fair takes Fair source: ' +
        'fair`audit by afam` or fair("audit by afam")'));
    }
    const next = queue.then(() => run(source));
    queue = next.catch(() => undefined);
    return next;
  }

  return Object.assign(fair, {
    ident: (text: string) => new FairName(text),
    result: (name: string) => loaded?.session.results.get(name),
  }) as Fair;
}

/**
 * The kernel's Fair: one session for every cell of the notebook.
 * Restart the kernel for a fresh one.
 */
export const fair: Fair = createFair();
