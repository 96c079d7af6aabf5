// Delimited text (CSV and TSV), read and written.
//
// Reading is two passes. The first finds where every field starts and ends
// without making a string for it; the second turns each column into its
// typed form. Conventions, chosen to round-trip what R and pandas write:
//
// - an unquoted empty field, or unquoted NA, N/A, NaN, nan, null, NULL or
//   None, is missing; a quoted field is always a value ("" is empty text);
// - a column whose values all read as numbers is a number column, quoted
//   or not (as in pandas); true/false in any case make a boolean column;
// - a quoted field that starts with ' followed by = + - @ is a value that
//   Fair guarded against spreadsheet formulas when it wrote the file (see
//   `writeDelimited`); the ' is removed again.

import { fail, problems, type Diagnostic, warning }
  from '../../lang/diagnostics.js';
import type { ValueType } from '../../lang/types.js';
import type { Column } from '../table.js';

export interface ReadOptions {
  delimiter: string;
  /** The file name used in messages. */
  file: string;
  /** Column types the user declared, overriding inference. */
  types?: ReadonlyMap<string, ValueType>;
  /** Stop after this many data rows (for a quick look at a file). */
  maxRows?: number;
  onProgress?: (fraction: number) => void;
}

export interface ReadResult {
  names: string[];
  columns: Column[];
  notes: Diagnostic[];
}

const QUOTE = 34;
const NEWLINE = 10;
const RETURN = 13;

const missingWords = new Set(
  ['NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None']);
const numberPattern = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const booleanWords: Record<string, boolean> = {
  true: true, TRUE: true, True: true,
  false: false, FALSE: false, False: false,
};
// A formula-like start, possibly behind quotes Fair added as a guard.
const guardedPattern = /^'+[=+\-@\t\r]/;

/** Field positions: start, end and flags per field, growing as needed. */
class Fields {
  starts = new Uint32Array(1024);
  ends = new Uint32Array(1024);
  flags = new Uint8Array(1024);
  length = 0;

  push(start: number, end: number, flag: number): void {
    if (this.length === this.starts.length) this.grow();
    this.starts[this.length] = start;
    this.ends[this.length] = end;
    this.flags[this.length] = flag;
    this.length++;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const grow = <T extends Uint32Array | Uint8Array>(old: T, make: T) => {
      make.set(old);
      return make;
    };
    this.starts = grow(this.starts, new Uint32Array(size));
    this.ends = grow(this.ends, new Uint32Array(size));
    this.flags = grow(this.flags, new Uint8Array(size));
  }
}

const QUOTED = 1;
const ESCAPED = 2;

/** "hmda.csv line 18 (row 17)" */
function place(file: string, line: number, row: number): string {
  return `${file} line ${line} (row ${row})`;
}

export function readDelimited(text: string, options: ReadOptions): ReadResult {
  const { file } = options;
  const delimiter = options.delimiter.charCodeAt(0);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  // 1. Find the fields.
  const fields = new Fields();
  const rowLines: number[] = [];
  const length = text.length;
  const maxRows = options.maxRows ?? Infinity;
  const progressStep = Math.max(1, Math.floor(length / 50));
  let nextProgress = progressStep;
  let i = 0;
  let line = 1;
  let width = -1;
  let rows = 0;

  while (i < length && rows <= maxRows) {
    const first = text.charCodeAt(i);
    if (first === NEWLINE || first === RETURN) {
      // A blank line separates nothing; skip it.
      if (first === RETURN && text.charCodeAt(i + 1) === NEWLINE) i++;
      i++;
      line++;
      continue;
    }

    const rowLine = line;
    let count = 0;
    for (;;) {
      let start: number;
      let end: number;
      let flag = 0;

      if (text.charCodeAt(i) === QUOTE) {
        flag = QUOTED;
        start = i + 1;
        let j = start;
        for (;;) {
          const close = text.indexOf('"', j);
          if (close < 0) {
            fail(problems.unclosedQuote(place(file, rowLine, rows)),
              undefined, { file, row: rows });
          }
          if (text.charCodeAt(close + 1) === QUOTE) {
            flag |= ESCAPED;
            j = close + 2;
            continue;
          }
          end = close;
          break;
        }
        for (let k = start; k < end; k++) {
          if (text.charCodeAt(k) === NEWLINE) line++;
        }
        i = end + 1;
        const next = text.charCodeAt(i);
        if (i < length && next !== delimiter && next !== NEWLINE &&
            next !== RETURN) {
          fail(problems.textAfterQuote(place(file, line, rows)),
            undefined, { file, row: rows });
        }
      } else {
        start = i;
        while (i < length) {
          const c = text.charCodeAt(i);
          if (c === delimiter || c === NEWLINE || c === RETURN) break;
          i++;
        }
        end = i;
      }

      fields.push(start, end, flag);
      count++;

      if (i < length && text.charCodeAt(i) === delimiter) {
        i++;
        continue;
      }
      if (text.charCodeAt(i) === RETURN) i++;
      if (text.charCodeAt(i) === NEWLINE) i++;
      line++;
      break;
    }

    if (width < 0) {
      width = count;
    } else if (count !== width) {
      fail(problems.fieldCount(place(file, rowLine, rows), width, count),
        undefined, { file, row: rows });
    }
    rowLines.push(rowLine);
    rows++;

    if (options.onProgress && i >= nextProgress) {
      options.onProgress(i / length);
      nextProgress = i + progressStep;
    }
  }

  if (width < 0) fail(problems.emptyFile(file), undefined, { file });
  const dataRows = Math.min(rows - 1, maxRows);

  // 2. Name the columns.
  const notes: Diagnostic[] = [];
  const names = uniqueNames(
    Array.from({ length: width }, (_, c) => fieldText(text, fields, c)),
    file, notes);

  // 3. Type each column.
  const columns = names.map((name, c) => buildColumn({
    text, fields, width, column: c, rows: dataRows, name, rowLines,
    declared: options.types?.get(name), file, notes,
  }));
  return { names, columns, notes };
}

function fieldText(text: string, fields: Fields, index: number): string {
  const raw = text.slice(fields.starts[index]!, fields.ends[index]!);
  const flag = fields.flags[index]!;
  let value = flag & ESCAPED ? raw.replace(/""/g, '"') : raw;
  if (flag & QUOTED && guardedPattern.test(value)) value = value.slice(1);
  return value;
}

function isMissingField(text: string, fields: Fields, index: number): boolean {
  if (fields.flags[index]! & QUOTED) return false;
  const start = fields.starts[index]!;
  const end = fields.ends[index]!;
  if (start === end) return true;
  return end - start <= 4 && missingWords.has(text.slice(start, end));
}

function uniqueNames(
  raw: string[],
  file: string,
  notes: Diagnostic[],
): string[] {
  const seen = new Set<string>();
  return raw.map((name, c) => {
    let unique = name.trim() === '' ? `column_${c + 1}` : name;
    if (seen.has(unique)) {
      let n = 2;
      while (seen.has(`${unique}_${n}`)) n++;
      const renamed = `${unique}_${n}`;
      notes.push(warning(problems.duplicateHeader(file, unique, renamed)));
      unique = renamed;
    }
    seen.add(unique);
    return unique;
  });
}

interface ColumnJob {
  text: string;
  fields: Fields;
  width: number;
  column: number;
  rows: number;
  name: string;
  rowLines: number[];
  declared: ValueType | undefined;
  file: string;
  notes: Diagnostic[];
}

function buildColumn(job: ColumnJob): Column {
  switch (job.declared) {
    case 'string': return textColumn(job);
    case 'number': return numberColumn(job, true)!;
    case 'boolean': return booleanColumn(job, true)!;
  }

  const inferred = numberColumn(job, false) ?? booleanColumn(job, false);
  if (inferred) return inferred;

  // Only a column that read as numbers for a while can be "mostly numbers".
  if ((failedAt.get(job) ?? 0) >= Math.min(20, job.rows / 2)) {
    warnIfMostlyNumbers(job);
  }
  return textColumn(job);
}

/**
 * The number a field holds, or NaN. `Number()` does the exact conversion;
 * the checks around it refuse what it accepts but a CSV reader should not
 * (hexadecimal, Infinity, blank text).
 */
function readNumber(raw: string): number {
  const first = raw.charCodeAt(0);
  const plain = (first >= 48 && first <= 57) || first === 43 ||
    first === 45 || first === 46;
  if (!plain) return numberPattern.test(raw) ? Number(raw) : NaN;

  const value = Number(raw);
  if (!Number.isFinite(value)) return NaN;
  const second = raw.charCodeAt(1);
  // 0x1A, 0b101 and 0o17 are numbers to JavaScript, not to a CSV reader.
  if (first === 48 && (second | 32) >= 98 && /^0[xXbBoO]/.test(raw)) {
    return NaN;
  }
  return value;
}

/** The row where a column first failed to read as numbers. */
const failedAt = new WeakMap<ColumnJob, number>();

function numberColumn(job: ColumnJob, strict: boolean): Float64Array | undefined {
  const { text, fields, width, column, rows } = job;
  const values = new Float64Array(rows);

  for (let row = 0; row < rows; row++) {
    const index = (row + 1) * width + column;
    if (isMissingField(text, fields, index)) {
      values[row] = NaN;
      continue;
    }
    const value = readNumber(
      text.slice(fields.starts[index]!, fields.ends[index]!));
    if (value !== value) {
      if (!strict) {
        failedAt.set(job, row);
        return undefined;
      }
      badValue(job, row, 'a number', fieldText(text, fields, index));
    }
    values[row] = value;
  }
  return values;
}

function booleanColumn(
  job: ColumnJob,
  strict: boolean,
): (boolean | null)[] | undefined {
  const { text, fields, width, column, rows } = job;
  const values = new Array<boolean | null>(rows);
  let seen = false;

  for (let row = 0; row < rows; row++) {
    const index = (row + 1) * width + column;
    if (isMissingField(text, fields, index)) {
      values[row] = null;
      continue;
    }
    const value = booleanWords[fieldText(text, fields, index)];
    if (value === undefined) {
      if (!strict) return undefined;
      badValue(job, row, 'true or false', fieldText(text, fields, index));
    }
    values[row] = value;
    seen = true;
  }
  // A column with no values at all is left to be text.
  return seen || strict ? values : undefined;
}

function textColumn(job: ColumnJob): (string | null)[] {
  const { text, fields, width, column, rows } = job;
  const values = new Array<string | null>(rows);
  for (let row = 0; row < rows; row++) {
    const index = (row + 1) * width + column;
    values[row] = isMissingField(text, fields, index)
      ? null
      : fieldText(text, fields, index);
  }
  return values;
}

function badValue(
  job: ColumnJob,
  row: number,
  expected: string,
  found: string,
): never {
  const where = place(job.file, job.rowLines[row + 1]!, row + 1);
  return fail(problems.badValue(where, job.name, expected, found),
    undefined, { file: job.file, row: row + 1, column: job.name });
}

/**
 * A text column where nearly every value is a number usually holds a
 * typo or a code for "unknown": say so, naming the first odd value.
 */
function warnIfMostlyNumbers(job: ColumnJob): void {
  const { text, fields, rows, width, column } = job;
  const index = (row: number) => (row + 1) * width + column;
  let numbers = 0;
  let values = 0;
  let firstOdd = -1;
  const odd = new Set<string>();

  for (let row = 0; row < rows; row++) {
    const i = index(row);
    if (isMissingField(text, fields, i)) continue;
    values++;
    const raw = text.slice(fields.starts[i]!, fields.ends[i]!);
    if (readNumber(raw) === readNumber(raw)) {
      numbers++;
    } else {
      if (firstOdd < 0) firstOdd = row;
      odd.add(raw);
    }
  }

  if (values >= 10 && numbers / values >= 0.9 && odd.size <= 3) {
    const where = place(job.file, job.rowLines[firstOdd + 1]!, firstOdd + 1);
    job.notes.push(warning(problems.mostlyNumbers(where, job.name,
      fieldText(text, fields, index(firstOdd)))));
  }
}

// Writing -------------------------------------------------------------------

/**
 * Text values are always quoted, so that empty text, "NA" and missing
 * values stay distinct. A text value that starts with = + - @ or a tab is
 * written with a leading ', so that a spreadsheet shows it instead of
 * running it as a formula (OWASP's advice on CSV injection).
 */
export function formatField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    return Number.isFinite(value) ? String(value) : '';
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';

  let text = String(value);
  if (/^'*[=+\-@\t\r]/.test(text)) {
    text = "'" + text;
  }
  return '"' + text.replace(/"/g, '""') + '"';
}

export function formatHeader(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** A whole table as delimited text, header first, one line per row. */
export function writeDelimited(
  names: readonly string[],
  columns: readonly Column[],
  rows: number,
  delimiter: string,
): string {
  const lines: string[] = [names.map(formatHeader).join(delimiter)];
  const cells = new Array<string>(columns.length);
  for (let row = 0; row < rows; row++) {
    for (let c = 0; c < columns.length; c++) {
      cells[c] = formatField(columns[c]![row]);
    }
    lines.push(cells.join(delimiter));
  }
  return lines.join('\n') + '\n';
}
