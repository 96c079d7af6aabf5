// Problems the model statements find while they run, in the data or on
// the machine. Problems found before anything runs are in
// src/lang/statements/model.ts.

import type { ProblemEntry } from '../../lang/diagnostics.js';
import { plural } from '../result.js';

const quote = (text: string) => JSON.stringify(text);

export const runProblems = {
  backendUnavailable: (name: string, reason: string): ProblemEntry => ({
    code: 'backend-unavailable',
    message: `backend ${name} cannot be used: ${reason}`,
    hints: name === 'gpu' || name === 'node'
      ? [`install it with npm install @tensorflow/tfjs-${name === 'gpu'
        ? 'node-gpu' : 'node'} (it downloads TensorFlow from outside npm` +
        `${name === 'gpu' ? ' and needs CUDA' : ''}), or use set backend auto`]
      : ['use set backend auto to take the fastest that loads'],
  }),
  badWeights: (column: string, table: string, row: number, value: string):
  ProblemEntry => ({
    code: 'bad-weights',
    message: `weight column ${quote(column)} of table ${quote(table)} has ` +
      `${value} in row ${row}; weights must be numbers of 0 or more`,
    hints: ['weights usually come from balance ... method reweigh'],
  }),
  emptySplit: (what: string, rows: number): ProblemEntry => ({
    code: 'validation-too-small',
    message: `holding out that share of ${plural(rows, 'row')} leaves ` +
      `${what} empty`,
    hints: ['use a larger share, e.g. validation 0.2, or more rows'],
  }),
  unknownReference: (label: string, groups: readonly string[]):
  ProblemEntry => ({
    code: 'unknown-reference',
    message: `there is no group ${quote(label)} to be the reference`,
    hints: [`the groups are ${groups.map(quote).join(', ')}`],
  }),
  missingPrediction: (column: string, row: number): ProblemEntry => ({
    code: 'missing-prediction',
    message: `column ${quote(column)} is missing a value in row ${row}; ` +
      'every row needs a prediction and a true value',
    hints: [`drop those rows first: where ${column} is not missing`],
  }),
  positiveUnknown: (values: string): ProblemEntry => ({
    code: 'positive-unknown',
    message: `cannot tell which value is the positive class: the columns ` +
      `hold only ${values}`,
    hints: ['name it: positive VALUE'],
  }),
  scoresMulticlass: (): ProblemEntry => ({
    code: 'scores-multiclass',
    message: 'scores are the probability of the positive class, but the ' +
      'predictions have more than two classes',
    hints: ['leave out scores, or name the positive class: positive VALUE'],
  }),
  badScore: (column: string, row: number, value: string): ProblemEntry => ({
    code: 'bad-score',
    message: `scores column ${quote(column)} has ${value} in row ${row}; ` +
      'scores must be numbers',
  }),
  emptyTable: (table: string): ProblemEntry => ({
    code: 'empty-table',
    message: `table ${quote(table)} has no rows to evaluate`,
  }),
};

