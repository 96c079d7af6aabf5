// Running the output statements:
//
//   plot RESULT [as NAME] [to PATH]   a kept result -> chart -> a file
//   report to PATH                    the run so far -> one HTML or
//                                     Markdown file
//
// Where `plot` writes without `to` is the face's choice: `fair run` puts
// charts next to the script (or in --out DIR) through configureOutput; a
// REPL or notebook that configures nothing gets the chart in the result
// only, to show as it likes, and no file.

import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { fail, problems } from '../../lang/diagnostics.js';
import {
  chartFormatOf, declarePlottable, outputProblems, plottable,
  reportFormatOf, type ChartFormat, type PlotStatement,
} from '../../lang/statements/output.js';
import { chartKinds, chartSpec } from '../../charts/index.js';
import { writeFileAtomic } from '../io/files.js';
import { writeReport } from '../report/index.js';
import { renderPng } from '../render/png.js';
import { renderSvg } from '../render/svg.js';
import { bytes, plural, type Result } from '../result.js';
import type { Outcome, Session } from '../session.js';
import { defineExecutor, executorFor } from './registry.js';

// 1. What a face tells the session about where files go

export interface OutputOptions {
  /** Where `plot` without `to` writes; absolute. Unset: no file. */
  chartFolder?: string;
  /** The script being run, for reports: its path and full text. */
  script?: { file: string; source: string };
}

const outputOptions = new WeakMap<Session, OutputOptions>();

export function configureOutput(session: Session, options: OutputOptions):
void {
  outputOptions.set(session, { ...outputOptions.get(session), ...options });
}

export function outputOptionsOf(session: Session): OutputOptions {
  return outputOptions.get(session) ?? {};
}

/** The chart files that plot statements wrote, as people read paths. */
export function chartPaths(outcomes: readonly Outcome[]): string[] {
  return outcomes
    .filter((outcome) => outcome.result.kind === 'plot')
    .map((outcome) => outcome.result.summary?.['file'])
    .filter((file): file is string => typeof file === 'string');
}

// 2. Which charts to offer

/** True when some family has registered an executor for a kind. */
function verbExists(kind: string): boolean {
  try {
    executorFor(kind);
    return true;
  } catch {
    return false;
  }
}

/**
 * Kinds with a chart whose verb is part of this build. A chart written for
 * a verb that is not (yet) here is never offered in hints or checks.
 * `plot` results are charts already and go without saying.
 */
export function plottableKinds(): string[] {
  return chartKinds().filter((kind) => kind !== 'plot' && verbExists(kind));
}

declarePlottable(plottableKinds);

// 3. plot

/** Chart files written by plot in this session, to keep names apart. */
const chartFiles = new WeakMap<Session, Set<string>>();

function destination(
  session: Session,
  statement: PlotStatement,
): { path: string; format: ChartFormat } | undefined {
  if (statement.path !== undefined) {
    return { path: session.resolvePath(statement.path),
      format: chartFormatOf(statement.path)! };
  }
  const folder = outputOptionsOf(session).chartFolder;
  if (!folder) return undefined;

  // Two plots of the same result in one run get audit.svg, audit-2.svg.
  const stem = statement.output?.name ?? statement.source.name;
  const written = chartFiles.get(session) ?? new Set<string>();
  let path = join(folder, `${stem}.svg`);
  for (let n = 2; written.has(path); n++) {
    path = join(folder, `${stem}-${n}.svg`);
  }
  return { path, format: 'svg' };
}

export async function chartBytes(spec: TopLevelSpec, format: ChartFormat):
Promise<string | Uint8Array> {
  if (format === 'vl.json') return JSON.stringify(spec, null, 2) + '\n';
  const svg = await renderSvg(spec);
  return format === 'png' ? renderPng(svg) : svg;
}

function describeSource(name: string, result: Result): string {
  const of = typeof result.table === 'string' ? ` of ${result.table}` : '';
  return name === result.kind
    ? `the latest ${result.kind}${of}`
    : `${name} (${result.kind}${of})`;
}

defineExecutor('plot', async ({ session, statement }): Promise<Result> => {
  const name = statement.source.name;
  const kinds = plottable();
  const result = session.results.get(name);
  if (!result) {
    fail(kinds.includes(name)
      ? outputProblems.noResult(name, kinds)
      : outputProblems.unknownResult(name, kinds, undefined),
    statement.source.span);
  }
  if (!chartKinds().includes(result.kind)) {
    fail(outputProblems.noChart(name, result.kind, kinds),
      statement.source.span);
  }
  const spec = chartSpec(result);
  if (!spec) {
    fail(outputProblems.emptyChart(name, result.kind), statement.source.span);
  }

  const target = destination(session, statement);
  const what = describeSource(name, result);
  if (!target) {
    return {
      kind: 'plot',
      message: `charted ${what}; add to "FILE.svg" to write it to a file`,
      summary: { source: name, source_kind: result.kind },
      spec,
    };
  }

  const display = session.displayPath(target.path);
  if (session.inputs.has(target.path)) {
    fail(problems.saveOverInput(display), statement.pathSpan ??
      statement.span);
  }
  const data = await chartBytes(spec, target.format);
  writeFileAtomic(target.path, data, display);
  const written = chartFiles.get(session) ?? new Set<string>();
  written.add(target.path);
  chartFiles.set(session, written);

  const size = typeof data === 'string' ? Buffer.byteLength(data)
    : data.length;
  return {
    kind: 'plot',
    message: `charted ${what} to ${display} (${bytes(size)})`,
    summary: { source: name, source_kind: result.kind, file: display,
      format: target.format, bytes: size },
    spec,
  };
});

// 4. report

defineExecutor('report', async ({ session, statement }): Promise<Result> => {
  const path = session.resolvePath(statement.path);
  const display = session.displayPath(statement.path);
  if (session.inputs.has(path)) {
    fail(problems.saveOverInput(statement.path), statement.pathSpan);
  }

  const format = reportFormatOf(statement.path)!;
  const written = await writeReport(session, {
    path, display, format, script: outputOptionsOf(session).script,
  });
  return {
    kind: 'report',
    message: `wrote a report of ${plural(written.steps, 'statement')} ` +
      `with ${plural(written.charts, 'chart')} to ${display} ` +
      `(${bytes(written.bytes)})`,
    summary: { file: display, format, bytes: written.bytes,
      statements: written.steps, charts: written.charts },
    ...(written.files.length > 1
      ? { files: written.files.map((file) => session.displayPath(file)) }
      : {}),
  };
});
