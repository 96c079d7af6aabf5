// The output statements: plot (a result as a chart file) and report (the
// whole run as one HTML or Markdown file). Grammar, AST, builders and
// checks; the executors are in src/runtime/verbs/output.ts.

import type { CstNode } from 'chevrotain';
import type { Name, StatementBase } from '../ast.js';
import { base, buildName, defineBuilder, node, stringValue, token }
  from '../build.js';
import { defineChecker, type Scope } from '../check.js';
import { problems, type ProblemEntry } from '../diagnostics.js';
import type { ParserBase } from '../grammar.js';
import { spanOfToken, type Span } from '../span.js';
import { closest } from '../suggest.js';
import { keyword, StringLiteral, To } from '../tokens.js';

// 1. Words

const Plot = keyword('plot');
const Report = keyword('report');

// 2. Syntax tree

export type ChartFormat = 'svg' | 'png' | 'vl.json';
export type ReportFormat = 'html' | 'md';

export interface PlotStatement extends StatementBase {
  kind: 'plot';
  /** The result to draw: a name given with `as`, or a statement kind. */
  source: Name;
  /** Where to write the chart; without it, the run's chart folder. */
  path?: string;
  pathSpan?: Span;
}

export interface ReportStatement extends StatementBase {
  kind: 'report';
  path: string;
  pathSpan: Span;
}

declare module '../ast.js' {
  interface StatementKinds {
    plot: PlotStatement;
    report: ReportStatement;
  }
}

// 3. Grammar

export function outputGrammar<B extends ParserBase>(Base: B): B {
  return class OutputGrammar extends Base {
    readonly plotStatement = this.statementRule('plotStatement', () => {
      this.CONSUME(Plot);
      this.SUBRULE(this.name, { LABEL: 'source' });
      this.MANY(() => this.OR([
        { ALT: () => this.SUBRULE(this.asClause) },
        { ALT: () => this.SUBRULE(this.outputToClause) },
      ]));
    });

    readonly reportStatement = this.statementRule('reportStatement', () => {
      this.CONSUME(Report);
      this.SUBRULE(this.outputToClause);
    });

    readonly outputToClause = this.RULE('outputToClause', () => {
      this.CONSUME(To);
      this.CONSUME(StringLiteral);
    });
  };
}

// 4. Builders

function pathOf(cst: CstNode): { path: string; pathSpan: Span } | undefined {
  const clause = node(cst, 'outputToClause');
  const literal = clause ? token(clause, 'StringLiteral') : undefined;
  return literal
    ? { path: stringValue(literal), pathSpan: spanOfToken(literal) }
    : undefined;
}

defineBuilder('plotStatement', (cst) => ({
  ...base('plot', cst),
  source: buildName(node(cst, 'source')!),
  ...pathOf(cst),
}));

defineBuilder('reportStatement', (cst) => ({
  ...base('report', cst),
  ...pathOf(cst)!,
}));

// 5. Problems

const quote = (text: string) => JSON.stringify(text);

export const outputProblems = {
  chartFormat: (path: string): ProblemEntry => ({
    code: 'chart-format',
    message: `cannot tell what kind of chart file ${quote(path)} is`,
    hints: ['end the path in .svg (a picture), .png (pixels) or .vl.json ' +
      '(the Vega-Lite spec)'],
  }),
  reportFormat: (path: string): ProblemEntry => ({
    code: 'report-format',
    message: `cannot tell what kind of report ${quote(path)} is`,
    hints: ['end the path in .html (one self-contained page) or .md ' +
      '(Markdown, with charts as .svg files beside it)'],
  }),
  unknownResult: (
    name: string,
    plottable: readonly string[],
    suggestion: string | undefined,
  ): ProblemEntry => ({
    code: 'unknown-result',
    message: `there is no result named ${quote(name)} to plot`,
    hints: suggestion
      ? [`did you mean ${quote(suggestion)}?`]
      : [plottable.length
        ? `plot the latest result of a statement (${plottable.join(', ')}) ` +
          'or one named with "as"'
        : 'plot a result named with "as"'],
  }),
  noResult: (name: string, plottable: readonly string[]): ProblemEntry => ({
    code: 'no-result',
    message: `no ${quote(name)} result has been produced yet`,
    hints: [`run ${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name} statement ` +
      'before plotting it' +
      (plottable.length ? `; results with charts: ${plottable.join(', ')}`
        : '')],
  }),
  noChart: (name: string, kind: string, plottable: readonly string[]):
  ProblemEntry => ({
    code: 'no-chart',
    message: name === kind
      ? `a ${kind} result has no chart`
      : `${quote(name)} is a ${kind} result, which has no chart`,
    hints: plottable.length
      ? [`results with charts: ${plottable.join(', ')}`]
      : [],
  }),
  emptyChart: (name: string, kind: string): ProblemEntry => ({
    code: 'empty-chart',
    message: `the ${kind} result ${quote(name)} has nothing to draw`,
    hints: ['a chart needs at least one row of figures'],
  }),
} as const;

// 6. Checks

/**
 * The result kinds that have a chart and whose statement exists. The
 * chart layer lives in the runtime, which src/lang never imports, so the
 * runtime tells this module when it loads.
 */
let plottableKinds: () => readonly string[] = () => [];

export function declarePlottable(kinds: () => readonly string[]): void {
  plottableKinds = kinds;
}

export function plottable(): readonly string[] {
  return plottableKinds();
}

/** `.svg`, `.png` or `.vl.json`, from the end of a path. */
export function chartFormatOf(path: string): ChartFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.vl.json')) return 'vl.json';
  if (lower.endsWith('.svg')) return 'svg';
  if (lower.endsWith('.png')) return 'png';
  return undefined;
}

export function reportFormatOf(path: string): ReportFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.html') || lower.endsWith('.htm')) return 'html';
  if (lower.endsWith('.md') || lower.endsWith('.markdown')) return 'md';
  return undefined;
}

/** A file the statement writes: never an input, known to later loads. */
function checkWrite(path: string, span: Span, scope: Scope): void {
  const resolved = scope.env.files.resolve(path);
  if (scope.env.inputs.has(resolved)) {
    scope.report(problems.saveOverInput(path), span);
  }
  scope.env.written.add(resolved);
}

defineChecker('plot', (statement, scope) => {
  const { env } = scope;
  const name = statement.source.name;
  const kinds = plottable();
  const known = env.tables.has(name) || env.objects.has(name) ||
    kinds.includes(name);
  if (!known) {
    const names = [...kinds, ...env.tables.keys(), ...env.objects.keys()];
    scope.report(outputProblems.unknownResult(name, kinds,
      closest(name, names)), statement.source.span);
  }

  if (statement.path !== undefined) {
    if (!chartFormatOf(statement.path)) {
      scope.report(outputProblems.chartFormat(statement.path),
        statement.pathSpan);
    }
    checkWrite(statement.path, statement.pathSpan!, scope);
  }

  // A named chart can be plotted again or put in a report by that name.
  if (statement.output) {
    env.objects.set(statement.output.name, { shape: 'chart' });
  }
});

defineChecker('report', (statement, scope) => {
  if (!reportFormatOf(statement.path)) {
    scope.report(outputProblems.reportFormat(statement.path),
      statement.pathSpan);
  }
  checkWrite(statement.path, statement.pathSpan, scope);
});
