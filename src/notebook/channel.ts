// Where notebook output goes: the Jupyter front end, through the tslab
// kernel that runs this process, or plain text when there is no kernel.
//
// Jupyter shows an output as a MIME bundle: one message that carries the
// same thing in several forms (an HTML table and its text; a Vega-Lite
// chart and its SVG), and the front end picks the richest it can draw.
// tslab's public `display` sends one form per message, so a chart and its
// SVG would be two outputs, and `display.raw` is typed to take a string:
// a spec given as JSON text arrives as a string that no renderer reads.
// Underneath, tslab's kernel keeps the function that sends a whole
// `display_data` message for the running cell (`lastWriteDisplayData` in
// tslab/dist/jupyter.js, replaced on every execute request); Fair sends
// its bundles through that, with specs as objects.

import { createRequire } from 'node:module';

/** One output in several forms, keyed by MIME type. */
export type MimeBundle = Record<string, unknown>;

export interface Channel {
  /**
   * True for a notebook front end: it draws HTML and charts, redraws an
   * output in place, and its stop button reaches the kernel as SIGINT.
   */
  readonly rich: boolean;
  /** A new output; with an id, `update` can later replace it in place. */
  display(bundle: MimeBundle, id?: string): void;
  /** Replace the output shown under `id`. */
  update(bundle: MimeBundle, id: string): void;
  /** Text on the cell's error stream: warnings and errors. */
  warn(text: string): void;
}

/** The content of a display_data message (Jupyter messaging 5.x). */
interface DisplayContent {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  transient: { display_id?: string };
}

type WriteDisplayData = (content: DisplayContent, update: boolean) => void;

interface TslabJupyter {
  lastWriteDisplayData: WriteDisplayData | null;
}

// Shortcoming: lastWriteDisplayData is tslab's internal name, not its
// public API (read in tslab 1.0.22). A tslab release that renames it
// leaves Fair without a kernel channel: cells then print results as text
// (no HTML, charts or progress) until this lookup follows the new name.

/**
 * tslab's jupyter module as the running kernel loaded it. The kernel is
 * a CommonJS program, so its modules sit in Node's shared module cache;
 * looking there (rather than requiring tslab from here) finds the very
 * instance that holds the live connection, even when the kernel is a
 * different tslab installation from the one next to Fair.
 */
function kernelModule(): TslabJupyter | undefined {
  const cache = createRequire(import.meta.url).cache;
  for (const [file, loaded] of Object.entries(cache)) {
    if (!/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(file)) continue;
    const exports = loaded?.exports as Partial<TslabJupyter> | undefined;
    if (exports && 'lastWriteDisplayData' in exports) {
      return exports as TslabJupyter;
    }
  }
  return undefined;
}

/** The channel to the notebook, when this process is a tslab kernel. */
export function kernelChannel(): Channel | undefined {
  const jupyter = kernelModule();
  if (!jupyter) return undefined;

  const send = (bundle: MimeBundle, id: string | undefined,
    update: boolean) => {
    const write = jupyter.lastWriteDisplayData;
    if (!write) throw new Error('the tslab kernel is not running a cell');
    write({
      data: bundle,
      metadata: {},
      transient: id === undefined ? {} : { display_id: id },
    }, update);
  };
  return {
    rich: true,
    display: (bundle, id) => send(bundle, id, false),
    update: (bundle, id) => send(bundle, id, true),
    // tslab points process.stderr at the running cell's stderr stream.
    warn: (text) => process.stderr.write(text.endsWith('\n') ? text
      : `${text}\n`),
  };
}

/**
 * Outside a kernel (a plain Node program that imports `fair`), outputs
 * print as their text form. Nothing is redrawn in a log, so `fair` sends
 * no progress and no charts here.
 */
export function textChannel(
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Channel {
  const line = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
  return {
    rich: false,
    display(bundle) {
      const text = bundle['text/plain'];
      if (typeof text === 'string' && text) out.write(line(text));
    },
    update() {},
    warn: (text) => err.write(line(text)),
  };
}

/** The kernel's channel when there is one, else text on stdout. */
export function defaultChannel(): Channel {
  return kernelChannel() ?? textChannel();
}

let displays = 0;

/**
 * An id for an output that will be updated. Ids only need to be unique
 * within the kernel, and Jupyter does not save them in the notebook.
 */
export function newDisplayId(): string {
  displays += 1;
  return `fair-${process.pid}-${displays}`;
}
