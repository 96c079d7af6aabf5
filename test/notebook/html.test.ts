// Results as HTML: escaped, numbers as the terminal writes them, every
// column, and a note when rows were left out.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resultHtml, tableHtml } from '../../src/notebook/html.js';

test('data is escaped and numbers read as in the terminal', () => {
  const html = resultHtml({
    kind: 'show',
    message: 'rows of <t> & "u"',
    columns: ['name', 'rate'],
    rows: [{ name: '<script>', rate: 0.283185840 }, { name: null, rate: 1 }],
  });
  assert.ok(html.includes('rows of &#60;t&#62; &#38; &#34;u&#34;'));
  assert.ok(html.includes('<td style="text-align: left">&#60;script&#62;' +
    '</td><td style="text-align: right">0.2832</td>'));
  assert.ok(html.includes('<td style="text-align: left">·</td>'));
  assert.doesNotMatch(html, /<script>/);
});

test('a long table shows its first rows and counts the rest', () => {
  const rows = Array.from({ length: 40 }, (_, i) => ({ i }));
  const html = tableHtml(['i'], rows, 1234, 30);
  assert.equal(html.match(/<tr>/g)?.length, 31);
  assert.match(html, /… 1,204 more rows/);
  assert.doesNotMatch(tableHtml(['i'], rows.slice(0, 3), 3), /more row/);
  assert.match(tableHtml(['i'], rows.slice(0, 1), 2, 1), /… 1 more row</);
});

test('figures fold away under a message, and stand alone without one', () => {
  const withMessage = resultHtml({ kind: 'k', message: 'm',
    summary: { disparate_impact: 0.327 } });
  assert.match(withMessage, /<details><summary>figures<\/summary>/);
  assert.match(withMessage, /disparate_impact<\/th><td[^>]*>0\.327</);
  const alone = resultHtml({ kind: 'k', summary: { a: 1 } });
  assert.doesNotMatch(alone, /<details>/);
  assert.match(resultHtml({ kind: 'k', notes: ['n1'] }), /note: n1/);
});
