// report: the run as one HTML page (or Markdown with chart files). The
// HTML page is opened in headless Chromium, which must show it with no
// console error and no request beyond the file itself; input digests are
// checked against sha256sum, a second implementation.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync }
  from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { version as vegaLiteVersion } from 'vega-lite';
import { main } from '../../src/cli/main.js';
import {
  marked, root, runFailing, scratch, tabular,
} from '../helpers/index.js';

const chromiumPath = '/usr/bin/chromium';
const hmda = tabular('hmda.csv');

const script = `# Mortgage denials by race, with a small model
seed 7
load "${hmda}" as loans
describe
audit by afam target deny = "yes"
plot audit
train logistic on loans target deny = "yes" features pirat,
  hirat epochs 3 as model
report to "report.html"
report to "report.md"
`;

/** Run the script through the command line, as a user would. */
async function runScript(): Promise<string> {
  const folder = scratch();
  const file = join(folder, 'lending.fair');
  writeFileSync(file, script);
  const sink = { write: () => true };
  const previous = process.cwd();
  process.chdir(folder);
  try {
    const code = await main(['run', file], { out: sink, err: sink } as
      unknown as Parameters<typeof main>[1]);
    assert.equal(code, 0);
  } finally {
    process.chdir(previous);
  }
  return folder;
}

const folder = await runScript();
const html = readFileSync(join(folder, 'report.html'), 'utf8');
const markdown = readFileSync(join(folder, 'report.md'), 'utf8');

test('the HTML report holds the script, each result and its chart', () => {
  assert.match(html, /^<!DOCTYPE html>/);
  assert.ok(html.includes('# Mortgage denials by race, with a small model'),
    'the script with its comments');
  for (const line of [3, 4, 5, 6, 7]) {
    assert.match(html, new RegExp(`Line ${line}: <code>`));
  }
  // Charts inline: describe and audit (a plot shows its chart once, with
  // the audit it draws) and train's curves.
  assert.equal((html.match(/<svg /g) ?? []).length, 3);
  assert.match(html, /Missing values per column in loans/);
  assert.match(html, /Audit of loans by afam/);
  assert.match(html, /<th>seed<\/th><td>7<\/td>/);
  assert.match(html, /<h2>Time per statement<\/h2>/);
});

test('the report names the input files with size and SHA-256', () => {
  const digest = execFileSync('sha256sum', [hmda], { encoding: 'utf8' })
    .split(' ')[0]!;
  const size = statSync(hmda).size;
  assert.ok(html.includes(digest), `sha256sum's ${digest}`);
  assert.ok(html.includes(`(${size.toLocaleString('en-US')} B)`));
  assert.ok(markdown.includes(digest));
});

test('the report records the backend and the versions', () => {
  const fair = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.match(html, new RegExp(`<th>Fair</th><td>${fair.version}</td>`));
  const version = (name: string) => new RegExp(`<td>${name}</td>` +
    '<td[^>]*>([^<]*)</td>').exec(html)?.[1];
  assert.equal(version('vega-lite'), vegaLiteVersion);
  assert.equal(version('Node.js'), process.versions.node);
  assert.match(html, /<th>backend<\/th><td>(wasm|cpu|node|gpu)<\/td>/);
});

test('the HTML report asks for nothing from the network', () => {
  // Namespaces in SVG are names, not requests; nothing else may point out.
  const outward = html.replace(/xmlns(:xlink)?="[^"]*"/g, '')
    .match(/(src|href)="(?!#|data:)[^"]*"/g);
  assert.equal(outward, null);
  assert.doesNotMatch(html, /<script|<link rel="stylesheet"|@import|url\(http/);
});

test('headless Chromium shows the report with no error and no request',
  { skip: existsSync(chromiumPath) ? false : 'no /usr/bin/chromium' },
  async () => {
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu',
        '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') {
          problems.push(message.text());
        }
      });
      page.on('pageerror', (error) => problems.push(String(error)));
      page.on('request', (request) => requests.push(request.url()));

      const url = pathToFileURL(join(folder, 'report.html')).href;
      await page.goto(url, { waitUntil: 'load' });
      const shot = join(folder, 'report-screenshot.png');
      await page.screenshot({ path: shot, fullPage: true });

      assert.deepEqual(problems, []);
      assert.deepEqual(requests, [url], 'only the page itself is loaded');
      const charts = await page.locator('figure.chart svg').all();
      assert.equal(charts.length, 3);
      for (const chart of charts) {
        const box = await chart.boundingBox();
        assert.ok(box && box.width > 100 && box.height > 50, 'drawn');
      }
      assert.ok(statSync(shot).size > 10_000, 'a screenshot was taken');
    } finally {
      await browser.close();
    }
  });

test('the Markdown report links its charts, written beside it', () => {
  const links = [...markdown.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)]
    .map((m) => m[1]!);
  assert.equal(links.length, 3);
  for (const link of links) {
    assert.match(link, /^report-charts\/step-\d+-\w+\.svg$/);
    assert.match(readFileSync(join(folder, link), 'utf8'), /^<svg /);
  }
  assert.deepEqual(readdirSync(join(folder, 'report-charts')).length, 3);
  assert.match(markdown, /```fair\n# Mortgage denials/);
  assert.match(markdown, /\| seed \| 7 \|/);
});

test('a report must be .html or .md, and never an input', async () => {
  const bad = marked(`load "${hmda}"\nreport to «"run.pdf"»`);
  const [format] = await runFailing(bad.source, scratch());
  assert.equal(format?.code, 'report-format');
  assert.equal(format?.span?.column, bad.column);

  const over = await runFailing(`load "${hmda}"\nreport to "${hmda}"`);
  assert.ok(over.some((d) => d.code === 'save-over-input'));
});
