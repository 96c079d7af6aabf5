// A run record as one HTML page that opens anywhere without a network:
// styles inline, charts as inline SVG, no scripts, and a content security
// policy that forbids fetching anything, so a page that tried would show
// it as an error instead of leaking a request.

import { bytes } from '../result.js';
import { duration, resultTable, summaryPairs } from './format.js';
import type { InputRecord, RunRecord, StepRecord } from './record.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * Vega numbers the ids inside each SVG from 1 (clip paths, gradients), so
 * two charts inline on one page would share ids and clip each other.
 * Prefix every id, and every reference to one, with the chart's own mark.
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  const ids = new Set<string>();
  for (const match of svg.matchAll(/\sid="([^"]+)"/g)) ids.add(match[1]!);
  if (ids.size === 0) return svg;
  return svg
    .replace(/\sid="([^"]+)"/g, (_, id: string) => ` id="${prefix}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (whole, id: string) =>
      ids.has(id) ? `url(#${prefix}${id})` : whole)
    .replace(/href="#([^"]+)"/g, (whole, id: string) =>
      ids.has(id) ? `href="#${prefix}${id}"` : whole);
}

const style = `
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif;
  margin: 2em auto; max-width: 72em; padding: 0 1.5em; color: #1a1a1a;
  line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; margin-top: 2em; }
h3 { font-size: 1.05em; margin: 1.6em 0 0.4em; }
code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size: 0.92em; }
pre { background: #f6f6f6; padding: 0.8em 1em; overflow-x: auto;
  border-left: 3px solid #0072B2; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.9em; }
th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #e2e2e2;
  text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.facts th { background: none; font-weight: normal; color: #555; }
.message { margin: 0.3em 0; }
.time { color: #555; font-weight: normal; font-size: 0.9em; }
.note { color: #8a4b00; }
.more { color: #555; font-size: 0.9em; }
.chart { margin: 0.8em 0; overflow-x: auto; }
.chart svg { max-width: 100%; height: auto; }
.digest { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size: 0.8em; word-break: break-all; }
dl.summary { display: grid; grid-template-columns: max-content auto;
  gap: 0.1em 1em; font-size: 0.9em; margin: 0.4em 0; }
dl.summary dt { color: #555; }
dl.summary dd { margin: 0; }
@media print { .chart { break-inside: avoid; } }
`;

function isNumeric(text: string): boolean {
  return /^-?[\d,.]+(e-?\d+)?%?$/.test(text);
}

function table(columns: readonly string[], rows: readonly string[][],
  className = ''): string {
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = rows.map((row) => '<tr>' + row.map((cell) =>
    `<td${isNumeric(cell) ? ' class="number"' : ''}>${escapeHtml(cell)}</td>`)
    .join('') + '</tr>').join('\n');
  const cls = className ? ` class="${className}"` : '';
  return `<table${cls}><thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n` +
    '</tbody></table>';
}

function stepSection(step: StepRecord, index: number): string {
  const { result } = step;
  const parts = [
    `<section id="step-${index + 1}">`,
    `<h3>Line ${step.line}: <code>${escapeHtml(step.text)}</code> ` +
      `<span class="time">${escapeHtml(duration(step.milliseconds))}` +
      '</span></h3>',
  ];
  if (result.message) {
    parts.push(`<p class="message">${escapeHtml(result.message)}</p>`);
  }
  const pairs = summaryPairs(result);
  if (pairs.length) {
    parts.push('<dl class="summary">' + pairs.map(([name, value]) =>
      `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd>`).join('') +
      '</dl>');
  }
  const rows = resultTable(result);
  if (rows) {
    parts.push(table(rows.columns, rows.cells));
    if (rows.more > 0) {
      parts.push(`<p class="more">… ${rows.more.toLocaleString('en-US')} ` +
        `more row${rows.more === 1 ? '' : 's'}</p>`);
    }
  }
  for (const note of result.notes ?? []) {
    parts.push(`<p class="note">Note: ${escapeHtml(note)}</p>`);
  }
  if (step.svg) {
    parts.push(`<figure class="chart">` +
      `${scopeSvgIds(step.svg, `s${index + 1}-`)}</figure>`);
  }
  parts.push('</section>');
  return parts.join('\n');
}

function inputRow(input: InputRecord): string[] {
  const size = input.problem ? input.problem
    : input.files !== undefined
      ? `${bytes(input.bytes)} in ${input.files} files`
      : `${bytes(input.bytes)} (${input.bytes.toLocaleString('en-US')} B)`;
  return [input.path, size, input.sha256];
}

export function reportHtml(record: RunRecord): string {
  const title = record.script.file
    ? `Fair report: ${record.script.file}` : 'Fair report';
  const total = record.steps.reduce((sum, s) => sum + s.milliseconds, 0);
  const fair = record.versions.find((v) => v.name === 'Fair')?.version;

  const facts: [string, string][] = [
    ['script', record.script.file ?? '(statements typed in a session)'],
    ['script SHA-256', record.script.sha256],
    ['seed', String(record.seed)],
    ['backend', record.backend ?? 'none (no model was trained)'],
    ['Fair', fair ?? 'unknown'],
    ['statements', String(record.steps.length)],
    ['time', duration(total)],
  ];

  const timeRows = record.steps.map((step) => [String(step.line),
    step.text.split('\n')[0]!, step.kind, duration(step.milliseconds)]);

  const inputs = record.inputs.length
    ? table(['file', 'size', 'SHA-256'], record.inputs.map(inputRow))
        .replace(/<td>([0-9a-f]{64})<\/td>/g, '<td class="digest">$1</td>')
    : '<p>No input files were read.</p>';

  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta http-equiv="Content-Security-Policy" content="default-src ' +
      "'none'; style-src 'unsafe-inline'; img-src data:\">",
    '<link rel="icon" href="data:,">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    '<table class="facts"><tbody>' + facts.map(([name, value]) =>
      `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`)
      .join('') + '</tbody></table>',
    '<h2>Script</h2>',
    `<pre><code>${escapeHtml(record.script.text)}</code></pre>`,
    '<h2>Results</h2>',
    ...record.steps.map(stepSection),
    '<h2>Time per statement</h2>',
    table(['line', 'statement', 'kind', 'time'], timeRows),
    '<h2>Input files</h2>',
    inputs,
    '<h2>Versions</h2>',
    table(['software', 'version'],
      record.versions.map((v) => [v.name, v.version])),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
