// The `fair` command: run or check a script.
//
// Exit codes: 0 success, 1 a problem in the script or its data, 2 a
// mistake in how the command was called.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  diagnosticJson, formatDiagnostic, type Diagnostic,
} from '../lang/diagnostics.js';
import type { Outcome } from '../runtime/session.js';

// The engine (parser, tables, verbs) loads only for the command that needs
// it, so that `fair --help` answers at once and the REPL can draw its
// prompt before the engine is ready.
async function engine() {
  const [session, text, output, progress] = await Promise.all([
    import('../runtime/session.js'),
    import('../runtime/render/text.js'),
    import('../runtime/verbs/output.js'),
    import('./progress.js'),
  ]);
  return { ...session, ...text, ...output, ...progress };
}

const usage = `fair: audit and fix machine-learning training data

Usage:
  fair                                      the interactive REPL
  fair repl FILE.fair                       run a script, then the REPL
  fair run FILE.fair [--json] [--width N]   run a script
  fair check FILE.fair [--json]             check a script without running it
  fair --help | fair COMMAND --help         this help, or a command's
  fair --version                            the version

Examples:
  npx fair run examples/quickstart.fair
  npx fair run examples/quickstart.fair --json > results.jsonl
  npx fair check examples/quickstart.fair

A script is one statement per line:

  seed 42
  load "examples/data/hmda.csv" as loans
  describe
  where afam = "yes" as black_applicants

The language is described in grammar.md.`;

const runUsage = `Usage: fair run FILE.fair [--json] [--width N] [--out DIR]

Runs every statement of FILE in order and prints each result. Nothing runs
if the script has an error that can be found beforehand; all such errors
are listed.

Options:
  --json      print one JSON object per statement, a line each:
              {"line": N, "kind": "<verb>", "result": {...}}
              a failed run ends with {"error": {...}}
  --width N   fit tables to N columns (default: the terminal's, or 80)
  --out DIR   where plot statements without "to" write their charts
              (default: the script's folder)

Examples:
  npx fair run examples/quickstart.fair
  npx fair run examples/quickstart.fair --json | jq .result.summary`;

const checkUsage = `Usage: fair check FILE.fair [--json]

Parses and checks FILE without running it: unknown tables and columns,
type mismatches, files that do not exist, writes over input files. Every
problem found is listed. Exits 0 when there are none, 1 otherwise.

Example:
  npx fair check examples/quickstart.fair`;

interface Streams {
  out: NodeJS.WritableStream & { columns?: number; isTTY?: boolean };
  err: NodeJS.WriteStream;
}

export function version(): string {
  const here = fileURLToPath(new URL('../../package.json', import.meta.url));
  return (JSON.parse(readFileSync(here, 'utf8')) as { version: string })
    .version;
}

class UsageError extends Error {}

export async function main(
  argv: string[],
  streams: Streams = { out: process.stdout, err: process.stderr },
): Promise<number> {
  try {
    return await dispatch(argv, streams);
  } catch (cause) {
    if (cause instanceof UsageError) {
      streams.err.write(`fair: ${cause.message}\n` +
        'Run "fair --help" for usage.\n');
      return 2;
    }
    throw cause;
  }
}

async function dispatch(argv: string[], streams: Streams): Promise<number> {
  const [command, ...rest] = argv;

  if (command === undefined || command === '--help' || command === '-h' ||
      command === 'help') {
    if (command === undefined) return replCommand([], streams);
    streams.out.write(usage + '\n');
    return 0;
  }
  if (command === '--version' || command === '-v') {
    streams.out.write(`fair ${version()}\n`);
    return 0;
  }
  if (command === 'run') return runCommand(rest, streams);
  if (command === 'repl') return replCommand(rest, streams);
  if (command === 'check') return checkCommand(rest, streams);

  throw new UsageError(`unknown command "${command}"`);
}

function options(args: string[], withWidth: boolean) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        ...(withWidth ? { width: { type: 'string' as const },
          out: { type: 'string' as const } } : {}),
      },
    });
  } catch (cause) {
    throw new UsageError((cause as Error).message);
  }
}

function readScript(positionals: string[], command: string): {
  file: string;
  source: string;
} {
  if (positionals.length !== 1) {
    throw new UsageError(`${command} needs exactly one script file, ` +
      `found ${positionals.length}`);
  }
  const file = positionals[0]!;
  try {
    return { file, source: readFileSync(file, 'utf8') };
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : (cause as Error).message;
    throw new UsageError(`cannot read script ${file}: ${why}`);
  }
}

function printDiagnostics(
  diagnostics: readonly Diagnostic[],
  source: string,
  file: string,
  streams: Streams,
  json: boolean,
): void {
  for (const diagnostic of diagnostics) {
    streams.err.write(formatDiagnostic(diagnostic, source, file) + '\n');
    if (json) {
      const line = diagnostic.severity === 'error'
        ? diagnosticJson(diagnostic, file)
        : { warning: diagnosticJson(diagnostic, file).error };
      streams.out.write(JSON.stringify(line) + '\n');
    }
  }
}

async function runCommand(args: string[], streams: Streams): Promise<number> {
  const parsed = options(args, true);
  if (parsed.values.help) {
    streams.out.write(runUsage + '\n');
    return 0;
  }
  const json = parsed.values.json === true;
  const width = parseWidth(parsed.values.width as string | undefined,
    streams.out.columns);
  const { file, source } = readScript(parsed.positionals, 'run');

  const {
    Session, terminalProgress, configureOutput, chartPaths, renderText,
    truncate,
  } = await engine();
  const session = new Session({ progress: terminalProgress(streams.err) });
  const out = parsed.values.out as string | undefined;
  configureOutput(session, { chartFolder: resolve(out ?? dirname(file)),
    script: { file, source } });
  const write = (outcome: Outcome) => {
    if (json) {
      streams.out.write(JSON.stringify({
        line: outcome.step.line,
        kind: outcome.result.kind,
        result: outcome.result,
      }) + '\n');
      return;
    }
    const header = truncate(
      `▸ ${outcome.step.line}: ${firstLine(outcome.text)}`, width);
    streams.out.write(`${header}\n${renderText(outcome.result, { width })}\n\n`);
  };

  const report = await session.run(source, { file, onOutcome: write });
  const charts = chartPaths(report.outcomes);
  if (!json && charts.length) {
    streams.out.write(`charts written: ${charts.join(', ')}\n`);
  }
  printDiagnostics(report.diagnostics, source, file, streams, json);
  return report.failed ? 1 : 0;
}

function parseWidth(value: string | undefined, terminal?: number): number {
  if (value === undefined) return terminal ?? 80;
  const width = Number(value);
  if (!Number.isInteger(width) || width < 20) {
    throw new UsageError(`--width must be a whole number of at least 20, ` +
      `found "${value}"`);
  }
  return width;
}

function firstLine(text: string): string {
  const [first, ...more] = text.split('\n');
  return more.length ? `${first} …` : first!;
}

async function checkCommand(args: string[], streams: Streams):
Promise<number> {
  const parsed = options(args, false);
  if (parsed.values.help) {
    streams.out.write(checkUsage + '\n');
    return 0;
  }
  const json = parsed.values.json === true;
  const { file, source } = readScript(parsed.positionals, 'check');

  const { Session } = await import('../runtime/session.js');
  const report = new Session().check(source);
  const errors = report.diagnostics.filter((d) => d.severity === 'error');
  const statements = report.statements.length;
  if (json) {
    streams.out.write(JSON.stringify({
      check: { file, statements, errors: errors.length },
    }) + '\n');
  }
  printDiagnostics(report.diagnostics, source, file, streams, json);

  if (!json) {
    streams.out.write(errors.length
      ? `${file}: ${errors.length} error${errors.length === 1 ? '' : 's'}\n`
      : `${file}: no problems found in ${statements} ` +
        `statement${statements === 1 ? '' : 's'}\n`);
  }
  return errors.length ? 1 : 0;
}

/**
 * The interactive REPL, loaded only when asked for: it brings ink and
 * React, which `fair run` does not need. `fair repl FILE` runs the script
 * first and keeps its tables.
 */
async function replCommand(args: string[], streams: Streams):
Promise<number> {
  if (args[0] === '--help' || args[0] === '-h') {
    streams.out.write(replUsage + '\n');
    return 0;
  }
  if (args.length > 1 || args[0]?.startsWith('-')) {
    throw new UsageError('repl takes at most one script file, as in ' +
      '"fair repl analysis.fair"');
  }
  const script = args[0];
  if (script !== undefined) readScript([script], 'repl');
  const { startRepl } = await import('../repl/start.js');
  return startRepl({ version: version(),
    ...(script !== undefined ? { script } : {}) });
}

const replUsage = `Usage: fair [repl [FILE.fair]]

The interactive REPL: type statements and see their results; Tab completes
keywords, tables, columns and file paths; up and down recall earlier input
(kept in ~/.fair_history). With FILE, the script runs first and the REPL
continues with its tables. :help lists the statements and the commands
(:tables, :schema, :plan, :save, :load, :quit).

When input is not a terminal, it runs as a script:
  echo 'load "examples/data/hmda.csv"
  describe' | npx fair`;
