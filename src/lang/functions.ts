// The functions of Fair's expression language: their names, how many
// arguments they take and what type they return. The runtime implements
// each one (src/runtime/expr.ts); a test checks that both lists agree.

import type { ValueType } from './types.js';

export interface FunctionSignature {
  /** Fewest and most arguments. */
  min: number;
  max: number;
  /** Types of the arguments in order; the last repeats. 'any' accepts all. */
  args: (ValueType | 'any')[];
  /** The result type, or 'same' for the type of the arguments. */
  returns: ValueType | 'same';
  /** Summarises the whole column instead of working row by row. */
  aggregate?: boolean;
  /** One line for grammar.md, the REPL's :help and completion. */
  doc: string;
}

const numeric = (doc: string): FunctionSignature =>
  ({ min: 1, max: 1, args: ['number'], returns: 'number', doc });

const summary = (doc: string, args: (ValueType | 'any')[] = ['number']):
FunctionSignature => ({
  min: 1, max: 1, args, returns: 'number', aggregate: true, doc,
});

export const functions: Record<string, FunctionSignature> = {
  abs: numeric('absolute value'),
  sqrt: numeric('square root; missing for negative numbers'),
  exp: numeric('e raised to the number'),
  floor: numeric('largest whole number not above'),
  ceil: numeric('smallest whole number not below'),
  log: {
    min: 1, max: 2, args: ['number', 'number'], returns: 'number',
    doc: 'natural logarithm, or log(x, base); missing for x <= 0',
  },
  round: {
    min: 1, max: 2, args: ['number', 'number'], returns: 'number',
    doc: 'round(x) or round(x, digits); halves round away from zero',
  },
  bin: {
    min: 2, max: 2, args: ['number', 'number'], returns: 'number',
    doc: 'bin(x, width): the lower edge of the bin of that width holding x',
  },
  lower: { min: 1, max: 1, args: ['string'], returns: 'string',
    doc: 'text in lower case' },
  upper: { min: 1, max: 1, args: ['string'], returns: 'string',
    doc: 'text in upper case' },
  trim: { min: 1, max: 1, args: ['string'], returns: 'string',
    doc: 'text without spaces at either end' },
  length: { min: 1, max: 1, args: ['string'], returns: 'number',
    doc: 'number of characters in a text' },
  contains: { min: 2, max: 2, args: ['string', 'string'],
    returns: 'boolean', doc: 'contains(text, part): true when part occurs' },
  number: { min: 1, max: 1, args: ['any'], returns: 'number',
    doc: 'the value as a number; missing when it does not read as one' },
  text: { min: 1, max: 1, args: ['any'], returns: 'string',
    doc: 'the value as text' },
  if: { min: 3, max: 3, args: ['boolean', 'any', 'any'], returns: 'same',
    doc: 'if(condition, then, else); a missing condition takes else' },
  coalesce: { min: 1, max: Infinity, args: ['any'], returns: 'same',
    doc: 'the first argument that is not missing' },

  // Summaries of a whole column, usable inside a row expression.
  mean: summary('mean of the column, ignoring missing values'),
  median: summary('median of the column, ignoring missing values'),
  sum: summary('sum of the column, ignoring missing values'),
  sd: summary('sample standard deviation (n - 1), ignoring missing values'),
  count: {
    min: 0, max: 1, args: ['any'], returns: 'number', aggregate: true,
    doc: 'count() rows, or count(x) values that are not missing',
  },
  min: {
    min: 1, max: Infinity, args: ['any'], returns: 'same', aggregate: true,
    doc: 'min(x): smallest value of the column; min(a, b, ...): ' +
      'smallest of the arguments in each row',
  },
  max: {
    min: 1, max: Infinity, args: ['any'], returns: 'same', aggregate: true,
    doc: 'max(x): largest value of the column; max(a, b, ...): ' +
      'largest of the arguments in each row',
  },
  quantile: {
    min: 2, max: 2, args: ['number', 'number'], returns: 'number',
    aggregate: true,
    doc: 'quantile(x, p): the p-quantile of the column (linear, as pandas)',
  },
};

/** min and max summarise a column with one argument, a row with more. */
export function isAggregateCall(name: string, argCount: number): boolean {
  const signature = functions[name];
  if (!signature?.aggregate) return false;
  if (name === 'min' || name === 'max') return argCount === 1;
  return true;
}
