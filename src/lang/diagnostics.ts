// Every problem Fair reports, in one catalogue with stable codes, and the
// one way they are shown: FILE:LINE:COL, the source line, a caret, hints.

import type { Span } from './span.js';

export type Severity = 'error' | 'warning';

/** A place in a data file, for problems found in the data itself. */
export interface DataLocation {
  file: string;
  row?: number;
  column?: string;
}

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  hints: string[];
  span?: Span;
  data?: DataLocation;
}

interface Entry {
  code: string;
  message: string;
  hints?: string[];
}

const quote = (text: string) => JSON.stringify(text);

function didYouMean(suggestion: string | undefined): string[] {
  return suggestion ? [`did you mean ${quote(suggestion)}?`] : [];
}

function listSome(names: readonly string[], limit = 12): string {
  const shown = names.slice(0, limit).map(quote).join(', ');
  const more = names.length - limit;
  return more > 0 ? `${shown} and ${more} more` : shown;
}

/** The catalogue: one function per kind of problem. */
export const problems = {
  // 1. Reading the text
  unexpectedCharacter: (char: string): Entry => ({
    code: 'unexpected-character',
    message: `unexpected character ${quote(char)}`,
    hints: ['text values go inside double quotes: "like this"'],
  }),
  unterminatedString: (): Entry => ({
    code: 'unterminated-string',
    message: 'this text value has no closing quote',
    hints: ['end it with a matching quote on the same line'],
  }),
  unterminatedName: (): Entry => ({
    code: 'unterminated-name',
    message: 'this quoted column name has no closing backtick',
    hints: ['end it with ` on the same line, as in `Bare.nuclei`'],
  }),
  unexpectedToken: (
    found: string,
    expected: string,
    suggestion?: string,
  ): Entry => ({
    code: 'unexpected-token',
    message: `expected ${expected}, found ${found}`,
    hints: didYouMean(suggestion),
  }),
  unknownStatement: (
    found: string,
    suggestion: string | undefined,
  ): Entry => ({
    code: 'unknown-statement',
    message: `${quote(found)} is not a statement`,
    hints: suggestion
      ? didYouMean(suggestion)
      : ['run `fair --help` for the list of statements'],
  }),

  // 2. Meaning, before anything runs
  noCurrentTable: (): Entry => ({
    code: 'no-current-table',
    message: 'there is no table to work on yet',
    hints: ['load one first: load "data.csv" as name'],
  }),
  unknownTable: (
    name: string,
    known: readonly string[],
    suggestion: string | undefined,
  ): Entry => ({
    code: 'unknown-table',
    message: `there is no table named ${quote(name)}`,
    hints: suggestion
      ? didYouMean(suggestion)
      : known.length
        ? [`the tables are ${listSome(known)}`]
        : ['load a table first: load "data.csv" as name'],
  }),
  unknownColumn: (
    name: string,
    table: string,
    columns: readonly string[],
    suggestion: string | undefined,
  ): Entry => ({
    code: 'unknown-column',
    message: `table ${quote(table)} has no column ${quote(name)}`,
    hints: suggestion
      ? didYouMean(suggestion)
      : [`its columns are ${listSome(columns)}`],
  }),
  duplicateColumn: (name: string): Entry => ({
    code: 'duplicate-column',
    message: `column ${quote(name)} is named twice`,
  }),
  typeMismatch: (what: string, left: string, right: string): Entry => ({
    code: 'type-mismatch',
    message: `cannot ${what} ${left} and ${right}`,
    hints: ['text values compare with text, numbers with numbers'],
  }),
  wrongType: (what: string, expected: string, found: string): Entry => ({
    code: 'wrong-type',
    message: `${what} must be ${expected}, found ${found}`,
  }),
  unknownFunction: (name: string, suggestion: string | undefined): Entry => ({
    code: 'unknown-function',
    message: `there is no function named ${quote(name)}`,
    hints: suggestion
      ? didYouMean(suggestion)
      : ['grammar.md lists the functions'],
  }),
  wrongArity: (name: string, expected: string, found: number): Entry => ({
    code: 'wrong-arity',
    message: `${name}() takes ${expected}, found ${found}`,
  }),
  nestedAggregate: (name: string): Entry => ({
    code: 'nested-aggregate',
    message: `${name}() summarises a whole column and cannot contain ` +
      'another summary',
  }),
  duplicateClause: (clause: string): Entry => ({
    code: 'duplicate-clause',
    message: `"${clause}" is given twice in one statement`,
  }),
  badNumber: (what: string, rule: string, found: string): Entry => ({
    code: 'bad-number',
    message: `${what} must be ${rule}, found ${found}`,
  }),
  unknownFormat: (format: string, known: readonly string[]): Entry => ({
    code: 'unknown-format',
    message: `unknown file format ${quote(format)}`,
    hints: [`use one of ${listSome(known)}`],
  }),
  formatFromExtension: (path: string, known: readonly string[]): Entry => ({
    code: 'unknown-format',
    message: `cannot tell the format of ${quote(path)} from its name`,
    hints: [`add format ${known.join('|')} to the statement`],
  }),
  fileNotFound: (path: string, resolved: string): Entry => ({
    code: 'file-not-found',
    message: `file ${quote(path)} does not exist`,
    hints: [
      `looked for ${resolved}`,
      'paths are relative to the folder Fair was started in',
    ],
  }),
  saveOverInput: (path: string): Entry => ({
    code: 'save-over-input',
    message: `refusing to write ${quote(path)}: it was loaded as input`,
    hints: ['Fair never replaces an input file; save to another path'],
  }),
  joinKeyType: (key: string, left: string, right: string): Entry => ({
    code: 'join-key-type',
    message: `key ${quote(key)} is ${left} on the left and ${right} on ` +
      'the right',
    hints: ['convert one side with derive so both have the same type'],
  }),
  sampleTooLarge: (asked: number, rows: number): Entry => ({
    code: 'sample-too-large',
    message: `cannot sample ${asked} rows without replacement from ` +
      `${rows} rows`,
    hints: ['ask for fewer rows, or add "with replacement"'],
  }),

  // 3. The data itself
  emptyFile: (file: string): Entry => ({
    code: 'empty-file',
    message: `${file} is empty: it has no header line`,
  }),
  fieldCount: (place: string, expected: number, found: number): Entry => ({
    code: 'field-count',
    message: `${place}: expected ${expected} fields as in the header, ` +
      `found ${found}`,
    hints: ['a field with a comma or a line break must be in double quotes'],
  }),
  unclosedQuote: (place: string): Entry => ({
    code: 'unclosed-quote',
    message: `${place}: a quoted field is never closed`,
    hints: ['a quote inside a quoted field is written twice: ""'],
  }),
  textAfterQuote: (place: string): Entry => ({
    code: 'text-after-quote',
    message: `${place}: text follows the closing quote of a field`,
    hints: ['a quote inside a quoted field is written twice: ""'],
  }),
  duplicateHeader: (file: string, name: string, renamed: string): Entry => ({
    code: 'duplicate-header',
    message: `${file}: column ${quote(name)} appears twice in the header; ` +
      `the second is read as ${quote(renamed)}`,
  }),
  badValue: (
    place: string,
    column: string,
    expected: string,
    found: string,
  ): Entry => ({
    code: 'bad-value',
    message: `${place}, column ${quote(column)}: expected ${expected}, ` +
      `found ${quote(found)}`,
    hints: ['fix the value, or read the column as text: ' +
      `types {${column}: text}`],
  }),
  mostlyNumbers: (
    place: string,
    column: string,
    found: string,
  ): Entry => ({
    code: 'mostly-numbers',
    message: `column ${quote(column)} is read as text although most of its ` +
      `values are numbers: ${place} has ${quote(found)}`,
    hints: [`to read it as numbers and list every bad value, load with ` +
      `types {${column}: number}`],
  }),
  badJson: (file: string, detail: string): Entry => ({
    code: 'bad-json',
    message: `${file} is not the JSON Fair reads: ${detail}`,
    hints: ['Fair reads an array of objects, one per row, or JSON lines'],
  }),
  badArrow: (file: string, detail: string): Entry => ({
    code: 'bad-arrow',
    message: `${file} is not an Arrow IPC file Fair can read: ${detail}`,
  }),
  readFailed: (file: string, detail: string): Entry => ({
    code: 'read-failed',
    message: `cannot read ${file}: ${detail}`,
  }),
  writeFailed: (file: string, detail: string): Entry => ({
    code: 'write-failed',
    message: `cannot write ${file}: ${detail}`,
  }),
} as const;

export type ProblemEntry = Entry;

export function error(entry: Entry, span?: Span, data?: DataLocation):
Diagnostic {
  return {
    code: entry.code,
    severity: 'error',
    message: entry.message,
    hints: entry.hints ?? [],
    ...(span ? { span } : {}),
    ...(data ? { data } : {}),
  };
}

export function warning(entry: Entry, span?: Span): Diagnostic {
  return { ...error(entry, span), severity: 'warning' };
}

/**
 * An error that stops a statement while it runs. It carries a diagnostic so
 * that the command line, the REPL and notebooks all show it the same way.
 */
export class FairError extends Error {
  readonly diagnostic: Diagnostic;

  constructor(diagnostic: Diagnostic) {
    super(diagnostic.message);
    this.name = 'FairError';
    this.diagnostic = diagnostic;
  }
}

export function fail(entry: Entry, span?: Span, data?: DataLocation): never {
  throw new FairError(error(entry, span, data));
}

/**
 * Render a diagnostic the way compilers do:
 *
 *   audit.fair:3:10: error: table "loans" has no column "afma"
 *     3 | audit by afma
 *       |          ^^^^
 *     = did you mean "afam"?
 */
export function formatDiagnostic(
  diagnostic: Diagnostic,
  source: string,
  file: string,
): string {
  const span = diagnostic.span;
  const place = span ? `${file}:${span.line}:${span.column}` : file;
  const lines = [`${place}: ${diagnostic.severity}: ${diagnostic.message}`];

  if (span) {
    const text = source.split('\n')[span.line - 1] ?? '';
    const gutter = String(span.line);
    const pad = ' '.repeat(gutter.length);
    const width = span.endLine === span.line
      ? Math.max(1, span.endColumn - span.column)
      : Math.max(1, text.length - span.column + 1);
    const caret = ' '.repeat(Math.max(0, span.column - 1)) + '^'.repeat(width);
    lines.push(`  ${gutter} | ${text.replace(/\r$/, '')}`);
    lines.push(`  ${pad} | ${caret}`);
  }

  for (const hint of diagnostic.hints) lines.push(`  = ${hint}`);
  return lines.join('\n');
}

/** The `{"error": ...}` line that ends a failed `--json` run. */
export function diagnosticJson(diagnostic: Diagnostic, file: string) {
  return {
    error: {
      file,
      line: diagnostic.span?.line ?? null,
      col: diagnostic.span?.column ?? null,
      code: diagnostic.code,
      message: diagnostic.message,
      hints: diagnostic.hints,
      ...(diagnostic.data ? { data: diagnostic.data } : {}),
    },
  };
}
