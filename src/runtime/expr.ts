// Expressions to functions of a row, by walking the AST.
//
// Nothing is handed to eval, `new Function` or Arquero's expression parser:
// each node becomes a small closure. Missing values follow SQL: arithmetic
// or a comparison with a missing value is missing, `and`/`or` use three-
// valued logic, and `where` keeps only rows whose condition is true. A
// number that is not finite (x / 0, log(0)) becomes missing.
//
// Summaries such as median(x) are computed once over the whole table
// before the rows are visited.

import type { Expr } from '../lang/ast.js';
import { isAggregateCall } from '../lang/functions.js';
import { columnOf, rowCount, type Table, type Value } from './table.js';

export type RowFunction = (row: number) => Value;

export function compileExpression(expr: Expr, table: Table): RowFunction {
  switch (expr.type) {
    case 'number':
    case 'string':
    case 'boolean': {
      const value = expr.value;
      return () => value;
    }
    case 'missing':
      return () => null;

    case 'column':
      return columnReader(table, expr.name);

    case 'negate': {
      const operand = compileExpression(expr.operand, table);
      return (row) => {
        const value = operand(row);
        return value === null ? null : -(value as number);
      };
    }

    case 'arithmetic':
      return arithmetic(expr.op, compileExpression(expr.left, table),
        compileExpression(expr.right, table));

    case 'compare':
      return comparison(expr.op, compileExpression(expr.left, table),
        compileExpression(expr.right, table));

    case 'logical': {
      const left = compileExpression(expr.left, table);
      const right = compileExpression(expr.right, table);
      return expr.op === 'and'
        ? (row) => {
          const a = left(row);
          if (a === false) return false;
          const b = right(row);
          if (b === false) return false;
          return a === null || b === null ? null : true;
        }
        : (row) => {
          const a = left(row);
          if (a === true) return true;
          const b = right(row);
          if (b === true) return true;
          return a === null || b === null ? null : false;
        };
    }

    case 'not': {
      const operand = compileExpression(expr.operand, table);
      return (row) => {
        const value = operand(row);
        return value === null ? null : !value;
      };
    }

    case 'in': {
      const value = compileExpression(expr.value, table);
      const items = expr.list.map((item) => compileExpression(item, table));
      const negated = expr.negated;
      return (row) => {
        const v = value(row);
        if (v === null) return null;
        const found = items.some((item) => item(row) === v);
        return negated ? !found : found;
      };
    }

    case 'is-missing': {
      const value = compileExpression(expr.value, table);
      return expr.negated
        ? (row) => value(row) !== null
        : (row) => value(row) === null;
    }

    case 'call':
      return call(expr.name, expr.args, table);
  }
}

function columnReader(table: Table, name: string): RowFunction {
  const column = columnOf(table, name);
  if (column instanceof Float64Array) {
    return (row) => {
      const value = column[row]!;
      return value !== value ? null : value;
    };
  }
  return (row) => (column[row] ?? null) as Value;
}

/** A number result, with anything not finite turned into missing. */
function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function arithmetic(
  op: string,
  left: RowFunction,
  right: RowFunction,
): RowFunction {
  const apply = {
    '+': (a: number, b: number) => a + b,
    '-': (a: number, b: number) => a - b,
    '*': (a: number, b: number) => a * b,
    '/': (a: number, b: number) => a / b,
    // The sign follows the divisor, as in pandas and R.
    '%': (a: number, b: number) => a - b * Math.floor(a / b),
    '^': (a: number, b: number) => Math.pow(a, b),
  }[op]!;

  return (row) => {
    const a = left(row);
    if (a === null) return null;
    const b = right(row);
    if (b === null) return null;
    return finite(apply(a as number, b as number));
  };
}

function comparison(
  op: string,
  left: RowFunction,
  right: RowFunction,
): RowFunction {
  const test = {
    '=': (a: Value, b: Value) => a === b,
    '!=': (a: Value, b: Value) => a !== b,
    '<': (a: Value, b: Value) => a! < b!,
    '<=': (a: Value, b: Value) => a! <= b!,
    '>': (a: Value, b: Value) => a! > b!,
    '>=': (a: Value, b: Value) => a! >= b!,
  }[op]!;

  return (row) => {
    const a = left(row);
    if (a === null) return null;
    const b = right(row);
    if (b === null) return null;
    return test(a, b);
  };
}

// Functions -------------------------------------------------------------------

type Scalar = (args: RowFunction[]) => RowFunction;

/** A function of one number, missing in, missing out. */
const numeric = (f: (x: number) => number): Scalar => ([x]) => (row) => {
  const value = x!(row);
  return value === null ? null : finite(f(value as number));
};

/** A function of one text, missing in, missing out. */
const textual = (f: (s: string) => Value): Scalar => ([x]) => (row) => {
  const value = x!(row);
  return value === null ? null : f(value as string);
};

function roundAway(value: number, digits: number): number {
  const scale = Math.pow(10, digits);
  return Math.sign(value) * Math.round(Math.abs(value) * scale) / scale;
}

export const scalarFunctions: Record<string, Scalar> = {
  abs: numeric(Math.abs),
  sqrt: numeric(Math.sqrt),
  exp: numeric(Math.exp),
  floor: numeric(Math.floor),
  ceil: numeric(Math.ceil),
  log: ([x, base]) => (row) => {
    const value = x!(row);
    if (value === null) return null;
    if (!base) return finite(Math.log(value as number));
    const b = base(row);
    return b === null ? null
      : finite(Math.log(value as number) / Math.log(b as number));
  },
  round: ([x, digits]) => (row) => {
    const value = x!(row);
    if (value === null) return null;
    const d = digits ? digits(row) : 0;
    return d === null ? null : roundAway(value as number, d as number);
  },
  bin: ([x, width]) => (row) => {
    const value = x!(row);
    const w = width!(row);
    if (value === null || w === null) return null;
    return finite(Math.floor((value as number) / (w as number)) *
      (w as number));
  },
  lower: textual((s) => s.toLowerCase()),
  upper: textual((s) => s.toUpperCase()),
  trim: textual((s) => s.trim()),
  length: textual((s) => [...s].length),
  contains: ([text, part]) => (row) => {
    const s = text!(row);
    const p = part!(row);
    return s === null || p === null ? null : (s as string).includes(p as string);
  },
  number: ([x]) => (row) => {
    const value = x!(row);
    if (value === null) return null;
    if (typeof value === 'number') return value;
    if (typeof value === 'boolean') return value ? 1 : 0;
    const trimmed = value.trim();
    return trimmed === '' ? null : finite(Number(trimmed));
  },
  text: ([x]) => (row) => {
    const value = x!(row);
    return value === null ? null : String(value);
  },
  if: ([condition, then, otherwise]) => (row) =>
    condition!(row) === true ? then!(row) : otherwise!(row),
  coalesce: (args) => (row) => {
    for (const arg of args) {
      const value = arg(row);
      if (value !== null) return value;
    }
    return null;
  },
  min: (args) => extreme(args, (a, b) => a < b),
  max: (args) => extreme(args, (a, b) => a > b),
};

/** Row-wise min or max of several arguments, ignoring missing ones. */
function extreme(
  args: RowFunction[],
  better: (a: number | string, b: number | string) => boolean,
): RowFunction {
  return (row) => {
    let best: Value = null;
    for (const arg of args) {
      const value = arg(row);
      if (value === null) continue;
      if (best === null || better(value as number, best as number)) {
        best = value;
      }
    }
    return best;
  };
}

// Summaries of a whole column ---------------------------------------------------

/** The values of an expression over every row, missing ones left out. */
function presentValues(fn: RowFunction, rows: number): Value[] {
  const values: Value[] = [];
  for (let row = 0; row < rows; row++) {
    const value = fn(row);
    if (value !== null) values.push(value);
  }
  return values;
}

/** Linear interpolation between closest ranks, as pandas does by default. */
export function quantile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const position = p * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const weight = position - below;
  return sorted[below]! + weight * (sorted[above]! - sorted[below]!);
}

export function sortedNumbers(values: readonly Value[]): number[] {
  return (values as number[]).slice().sort((a, b) => a - b);
}

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** Sample standard deviation (n - 1 in the denominator), as pandas. */
export function standardDeviation(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const m = mean(values)!;
  let squares = 0;
  for (const value of values) squares += (value - m) * (value - m);
  return Math.sqrt(squares / (values.length - 1));
}

type Summary = (values: Value[], extra: Value[]) => Value;

export const summaryFunctions: Record<string, Summary> = {
  mean: (values) => mean(values as number[]),
  median: (values) => quantile(sortedNumbers(values), 0.5),
  sum: (values) => (values as number[]).reduce((a, b) => a + b, 0),
  sd: (values) => standardDeviation(values as number[]),
  count: (values) => values.length,
  min: (values) => values.reduce<Value>((a, b) =>
    a === null || b! < a! ? b : a, null),
  max: (values) => values.reduce<Value>((a, b) =>
    a === null || b! > a! ? b : a, null),
  quantile: (values, [p]) => p === null || p === undefined
    ? null
    : quantile(sortedNumbers(values), p as number),
};

function call(name: string, argExprs: Expr[], table: Table): RowFunction {
  if (isAggregateCall(name, argExprs.length)) {
    const rows = rowCount(table);
    const [first, ...rest] = argExprs;
    const values = first
      ? presentValues(compileExpression(first, table), rows)
      : new Array<Value>(rows).fill(true);
    const extra = rest.map((arg) => compileExpression(arg, table)(0));
    const result = summaryFunctions[name]!(values, extra);
    return () => result;
  }

  const implementation = scalarFunctions[name];
  if (!implementation) throw new Error(`no implementation for ${name}()`);
  return implementation(argExprs.map((arg) => compileExpression(arg, table)));
}
