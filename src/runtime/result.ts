// What a statement yields. One shape for every verb, so that the command
// line, the REPL, notebooks, JSON output and charts can show any result:
//
//   kind      the statement's verb
//   message   one sentence saying what happened
//   summary   named figures (the headline numbers)
//   columns   + rows: a table people read and check; `total_rows` says
//             how many rows there were when only some are included
//   notes     warnings and remarks worth a reader's attention
//
// Families may add fields of their own; the JSON output keeps them all.

export type Scalar = number | string | boolean | null;
export type Row = Record<string, unknown>;

export interface Result {
  kind: string;
  message?: string;
  /** The table the result is about, or the table it produced. */
  table?: string;
  summary?: Record<string, Scalar | Scalar[]>;
  columns?: string[];
  rows?: Row[];
  total_rows?: number;
  notes?: string[];
  [extra: string]: unknown;
}

/** Group digits for reading: 1234567 -> "1,234,567". */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${count(n)} ${n === 1 ? word : many}`;
}

/** A file size for people: 1.2 MB. */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
