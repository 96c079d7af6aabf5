// Property: whatever text it is given, the parser and checker answer with
// a program or with diagnostics, never with an exception.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  checkStatements, declareUnparsed, emptyEnvironment, type FileOracle,
} from '../../src/lang/check.js';
import { parse } from '../../src/lang/parser.js';
import { keywordWords } from '../../src/lang/tokens.js';
import type { Schema } from '../../src/lang/types.js';

const schema: Schema = new Map([
  ['deny', 'string'], ['afam', 'string'], ['pirat', 'number'],
]);
const files: FileOracle = {
  resolve: (path) => `/data/${path}`,
  exists: (resolved) => resolved.endsWith('.csv'),
  schema: () => schema,
};

function parseAndCheck(source: string): void {
  const parsed = parse(source);
  const env = emptyEnvironment(files);
  declareUnparsed(parsed.unparsedNames, env);
  const checked = checkStatements(parsed.program.statements, env);
  for (const diagnostic of [...parsed.diagnostics, ...checked.diagnostics]) {
    assert.equal(typeof diagnostic.message, 'string');
    assert.ok(diagnostic.code.length > 0);
  }
}

const corpus = [
  'seed 42',
  'load "loans.csv" as loans',
  'describe',
  'where afam = "yes" and pirat > 0.3 as black',
  'derive ratio = pirat / 2, hi = if(pirat > median(pirat), "h", "l")',
  'select all except deny',
  'sample 10% with replacement',
  'join left loans using afam',
  'show loans 5',
  'save to "out/x.csv" format csv',
  'derive z = (pirat - mean(pirat)) / sd(pirat)',
  'where deny in ("yes", "no") or pirat is not missing',
  'load "x.csv" types {deny: text, pirat: number}',
];

const words = [
  ...keywordWords(), 'deny', 'afam', 'pirat', 'loans', '`a.b`', '"text"',
  "'x'", '0', '1.5', '-', '+', '*', '/', '%', '^', '=', '==', '!=', '<',
  '>=', '(', ')', '[', ']', '{', '}', ',', ':', '..', '#', '\n', '"', '`',
  '$', 'mean(', 'if(', '\t',
];

const tokenSoup = fc.array(fc.constantFrom(...words), { maxLength: 40 })
  .map((tokens) => tokens.join(' '));

const mutated = fc.tuple(
  fc.array(fc.constantFrom(...corpus), { minLength: 1, maxLength: 6 }),
  fc.array(fc.tuple(fc.nat(), fc.nat(8), fc.constantFrom(...words)),
    { maxLength: 6 }),
).map(([lines, edits]) => {
  let text = lines.join('\n');
  for (const [at, remove, insert] of edits) {
    const position = at % (text.length + 1);
    text = text.slice(0, position) + insert + text.slice(position + remove);
  }
  return text;
});

test('random text never throws', () => {
  fc.assert(fc.property(fc.string({ maxLength: 200 }), (source) => {
    parseAndCheck(source);
  }), { numRuns: 400 });
});

test('random token sequences never throw', () => {
  fc.assert(fc.property(tokenSoup, (source) => {
    parseAndCheck(source);
  }), { numRuns: 600 });
});

test('mutated valid scripts never throw', () => {
  fc.assert(fc.property(mutated, (source) => {
    parseAndCheck(source);
  }), { numRuns: 600 });
});

test('the unmutated corpus is valid', () => {
  const parsed = parse(corpus.join('\n'));
  assert.deepEqual(parsed.diagnostics, []);
  const checked = checkStatements(parsed.program.statements,
    emptyEnvironment(files));
  assert.deepEqual(checked.diagnostics.map((d) => d.message), []);
});
