// Table columns to the numbers a model reads, and class labels to indices.
//
// The encoding is learnt on the training table and stored with the model,
// so every later table is encoded the same way:
//
//   number column     standardised: (x - mean) / sd, with the mean and the
//                     population sd (n, as scikit-learn's StandardScaler)
//                     of the training rows; a constant column keeps sd 1
//   text or boolean   one input per category seen in training (one-hot,
//                     no category dropped); a category first seen later
//                     sets all of the column's inputs to 0 and is reported
//
// Missing values are refused, never guessed: the user decides how to fill
// or drop them, and the message says how.

import { fail, type ProblemEntry } from '../../lang/diagnostics.js';
import { valueLabel } from '../groups.js';
import {
  columnOf, isNumberColumn, rowCount, type Column, type Table, type Value,
  valueAt,
} from '../table.js';
import type { Place, TargetSpec } from './model.js';

export type { Place };

export type FeatureEncoder =
  | { column: string; kind: 'number'; mean: number; scale: number }
  | { column: string; kind: 'category'; categories: Value[] };

export interface Encoding {
  encoders: FeatureEncoder[];
  /** One name per model input: "pirat", "afam=yes". */
  inputs: string[];
}

export interface Encoded {
  /** Row-major, `rows` x `width`. */
  matrix: Float32Array;
  rows: number;
  width: number;
  /** Categories not seen in training, by column, with their row counts. */
  unseen: Map<string, Map<string, number>>;
}

const quote = (text: string) => JSON.stringify(text);

export const featureProblems = {
  missingFeature: (
    column: string,
    place: Place,
    missing: number,
    firstRow: number,
  ): ProblemEntry => ({
    code: 'missing-feature-values',
    message: `feature ${quote(column)} has ${missing} missing ` +
      `value${missing === 1 ? '' : 's'} in table ${quote(place.table)} ` +
      `(the first in row ${firstRow}); a model cannot read missing values`,
    hints: [
      `drop those rows first: where ${column} is not missing`,
      `or fill them (clean), or leave the column out: features all ` +
        `except ${column}`,
    ],
  }),
  missingTarget: (
    column: string,
    place: Place,
    missing: number,
    firstRow: number,
  ): ProblemEntry => ({
    code: 'missing-target-values',
    message: `target ${quote(column)} has ${missing} missing ` +
      `value${missing === 1 ? '' : 's'} in table ${quote(place.table)} ` +
      `(the first in row ${firstRow})`,
    hints: [`drop those rows first: where ${column} is not missing`],
  }),
  oneClass: (column: string, place: Place, value: string): ProblemEntry => ({
    code: 'one-class-target',
    message: `target ${quote(column)} has only one class (${value}) in ` +
      `table ${quote(place.table)}; a model needs at least two to learn ` +
      'anything',
    hints: ['check the target column and any where clause before train',
      'with target COLUMN = VALUE, VALUE must occur and must not be every ' +
        'row\'s value'],
  }),
  unseenClass: (
    column: string,
    place: Place,
    value: string,
    row: number,
    classes: string,
  ): ProblemEntry => ({
    code: 'unseen-class',
    message: `target ${quote(column)} in table ${quote(place.table)} has ` +
      `the value ${value} (row ${row}), which the model never saw in ` +
      `training; it knows ${classes}`,
    hints: ['evaluate on rows whose target the model knows: ' +
      `where ${column} in (...)`],
  }),
  featureType: (
    column: string,
    place: Place,
    expected: string,
    found: string,
  ): ProblemEntry => ({
    code: 'feature-type',
    message: `feature ${quote(column)} was ${expected} when the model was ` +
      `trained but is ${found} in table ${quote(place.table)}`,
    hints: ['convert it with derive, e.g. derive x = number(x)'],
  }),
};

/** Learn the encoding of some columns from the training table. */
export function learnEncoding(
  table: Table,
  columns: readonly string[],
  place: Place,
): Encoding {
  const encoders: FeatureEncoder[] = [];
  const inputs: string[] = [];
  for (const name of columns) {
    const column = columnOf(table, name);
    refuseMissing(column, name, place, rowCount(table));

    if (isNumberColumn(column)) {
      const { mean, sd } = meanAndSd(column);
      encoders.push({ column: name, kind: 'number', mean,
        scale: sd > 0 ? sd : 1 });
      inputs.push(name);
      continue;
    }

    const categories = distinctSorted(column, rowCount(table));
    encoders.push({ column: name, kind: 'category', categories });
    for (const category of categories) {
      inputs.push(`${name}=${valueLabel(category)}`);
    }
  }
  return { encoders, inputs };
}

/** Encode a table's rows with an encoding learnt earlier. */
export function encode(
  table: Table,
  encoding: Encoding,
  place: Place,
): Encoded {
  const rows = rowCount(table);
  const width = encoding.inputs.length;
  const matrix = new Float32Array(rows * width);
  const unseen = new Map<string, Map<string, number>>();

  let offset = 0;
  for (const encoder of encoding.encoders) {
    const column = columnOf(table, encoder.column);
    refuseMissing(column, encoder.column, place, rows);

    if (encoder.kind === 'number') {
      if (!isNumberColumn(column)) {
        fail(featureProblems.featureType(encoder.column, place,
          'a number column', 'text or true/false'), place.span);
      }
      for (let row = 0; row < rows; row++) {
        matrix[row * width + offset] =
          (column[row]! - encoder.mean) / encoder.scale;
      }
      offset += 1;
      continue;
    }

    if (isNumberColumn(column) && !encoder.categories.every(
      (category) => typeof category === 'number')) {
      fail(featureProblems.featureType(encoder.column, place,
        'a text or true/false column', 'a number column'), place.span);
    }
    const index = new Map(encoder.categories.map((c, i) => [c, i]));
    for (let row = 0; row < rows; row++) {
      const value = valueAt(column, row);
      const position = index.get(value);
      if (position === undefined) {
        const counts = unseen.get(encoder.column) ?? new Map<string, number>();
        const label = valueLabel(value);
        counts.set(label, (counts.get(label) ?? 0) + 1);
        unseen.set(encoder.column, counts);
        continue;
      }
      matrix[row * width + offset + position] = 1;
    }
    offset += encoder.categories.length;
  }
  return { matrix, rows, width, unseen };
}

/** Notes for categories that training never saw. */
export function unseenNotes(unseen: Encoded['unseen']): string[] {
  return [...unseen].map(([column, counts]) => {
    const rows = [...counts.values()].reduce((a, b) => a + b, 0);
    const values = [...counts.keys()].slice(0, 5).map(quote).join(', ');
    return `feature ${quote(column)}: ${rows} row${rows === 1 ? '' : 's'} ` +
      `with values not seen in training (${values}${counts.size > 5
        ? ', ...' : ''}); the model reads them as no known category`;
  });
}

/**
 * Stop on missing values in a feature or the target, naming how many
 * there are and the first row that has one.
 */
function refuseMissing(
  column: Column,
  name: string,
  place: Place,
  rows: number,
  problem: typeof featureProblems.missingFeature =
    featureProblems.missingFeature,
): void {
  let missing = 0;
  let first = -1;
  for (let row = 0; row < rows; row++) {
    if (valueAt(column, row) === null) {
      missing++;
      if (first < 0) first = row;
    }
  }
  if (missing > 0) fail(problem(name, place, missing, first + 1), place.span);
}

function meanAndSd(column: Float64Array): { mean: number; sd: number } {
  let sum = 0;
  for (const value of column) sum += value;
  const mean = sum / column.length;
  let squares = 0;
  for (const value of column) squares += (value - mean) ** 2;
  return { mean, sd: Math.sqrt(squares / column.length) };
}

/** Values in the order groups use: numbers, then text, false < true. */
export function compareValues(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a ? 1 : -1;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

export function distinctSorted(column: Column, rows: number): Value[] {
  const seen = new Set<Value>();
  for (let row = 0; row < rows; row++) {
    const value = valueAt(column, row);
    if (value !== null) seen.add(value);
  }
  return [...seen].sort(compareValues);
}

// Targets --------------------------------------------------------------------

/**
 * Learn what a target column means from the training table: with
 * `= VALUE`, VALUE against the rest; otherwise its distinct values, sorted,
 * the last being the positive class of a two-class target (as
 * scikit-learn's `classes_[1]`).
 */
export function learnTarget(
  table: Table,
  column: string,
  value: Value | undefined,
  place: Place,
): TargetSpec {
  const values = columnOf(table, column);
  const rows = rowCount(table);
  refuseMissing(values, column, place, rows, featureProblems.missingTarget);
  const classes = distinctSorted(values, rows);

  if (value !== undefined) {
    const present = classes.some((c) => c === value);
    if (!present || classes.length === 1) {
      const only = present ? valueLabel(value) : `no row is ${quote(
        valueLabel(value))}`;
      fail(featureProblems.oneClass(column, place, only), place.span);
    }
    const others = classes.filter((c) => c !== value);
    return others.length === 1
      ? { column, classes: [others[0]!, value], binary: true, value,
        prediction: 'class' }
      : { column, classes: [false, true], binary: true, value,
        prediction: 'boolean' };
  }

  if (classes.length < 2) {
    fail(featureProblems.oneClass(column, place,
      classes.length ? quote(valueLabel(classes[0]!)) : 'none'), place.span);
  }
  return { column, classes, binary: classes.length === 2,
    prediction: 'class' };
}

/** The class index of each row's target value. */
export function targetLabels(
  table: Table,
  target: TargetSpec,
  place: Place,
): Int32Array {
  const values = columnOf(table, target.column);
  const rows = rowCount(table);
  refuseMissing(values, target.column, place, rows,
    featureProblems.missingTarget);
  const labels = new Int32Array(rows);

  if (target.value !== undefined) {
    for (let row = 0; row < rows; row++) {
      labels[row] = valueAt(values, row) === target.value ? 1 : 0;
    }
    return labels;
  }

  const index = new Map(target.classes.map((c, i) => [c, i]));
  for (let row = 0; row < rows; row++) {
    const value = valueAt(values, row);
    const label = index.get(value);
    if (label === undefined) {
      fail(featureProblems.unseenClass(target.column, place,
        quote(valueLabel(value)), row + 1,
        target.classes.map((c) => quote(valueLabel(c))).join(', ')),
      place.span);
    }
    labels[row] = label;
  }
  return labels;
}

/** A class as people read it: "yes", or "not yes" for VALUE-vs-rest. */
export function classLabel(target: TargetSpec, index: number): string {
  if (target.prediction === 'boolean' && target.value !== undefined) {
    const value = valueLabel(target.value);
    return index === 1 ? value : `not ${value}`;
  }
  return valueLabel(target.classes[index] ?? null);
}
