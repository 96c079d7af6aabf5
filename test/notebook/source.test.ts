// Fair source from a cell: tagged templates, values put in as literals,
// and the indentation of a multi-line template taken off.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dedent, FairName, literal, templateSource }
  from '../../src/notebook/source.js';

const source = (strings: TemplateStringsArray, ...values: unknown[]) =>
  templateSource(strings, values);

test('values become Fair literals', () => {
  assert.equal(literal('a "b" \\ c\nd'), '"a \\"b\\" \\\\ c\\nd"');
  assert.equal(literal(0.25), '0.25');
  assert.equal(literal(-3), '-3');
  assert.equal(literal(true), 'true');
  assert.equal(literal(null), 'missing');
  assert.equal(literal(['yes', 2]), '"yes", 2');
  assert.equal(literal(new FairName('Bare.nuclei')), '`Bare.nuclei`');
  assert.throws(() => literal(Number.NaN), /Fair numbers are finite/);
  assert.throws(() => literal({ a: 1 }), /cannot put a object/);
  assert.throws(() => new FairName('a`b'), /without backticks/);
});

test('a path with quotes cannot change the statement around it', () => {
  const path = 'x.csv" as evil';
  assert.equal(source`load ${path} as loans`,
    'load "x.csv\\" as evil" as loans');
});

test('the template is taken as written, but for \\` and \\${', () => {
  // Fair's escapes inside quotes reach Fair unchanged.
  assert.equal(source`where name = "a \"b\""`, 'where name = "a \\"b\\""');
  assert.equal(source`describe \`Bare.nuclei\``, 'describe `Bare.nuclei`');
  assert.equal(source`derive x = "\${y}"`, 'derive x = "${y}"');
});

test('a multi-line template loses its shared indentation', () => {
  const text = source`
    load "a.csv" as loans
      show 3
  `;
  assert.equal(text, 'load "a.csv" as loans\n  show 3');
  assert.equal(dedent('\n\n  a\n\n  b\n  '), 'a\n\nb');
  assert.equal(dedent('a'), 'a');
});
