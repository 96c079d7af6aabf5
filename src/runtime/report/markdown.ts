// A run record as Markdown. Markdown cannot hold a chart inline the way
// every viewer shows, so each chart is an SVG file in a folder beside the
// report (report-charts/ for report.md) and the report links to it.

import { bytes } from '../result.js';
import { duration, resultTable, summaryPairs } from './format.js';
import type { RunRecord, StepRecord } from './record.js';

export interface MarkdownReport {
  text: string;
  /** Chart files to write, relative to the report's folder. */
  charts: { file: string; svg: string }[];
}

/** A table cell: pipes and line breaks would end the cell early. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|')
    .replace(/\r?\n/g, ' ');
}

function table(columns: readonly string[], rows: readonly string[][]):
string {
  return [
    `| ${columns.map(cell).join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

/** Fenced code that survives backticks inside it. */
function fence(text: string, language = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)]
    .map((m) => m[0].length));
  const marks = '`'.repeat(longest + 1);
  return `${marks}${language}\n${text.replace(/\n$/, '')}\n${marks}`;
}

/** Inline code for a statement, safe whatever backticks it holds. */
function inline(text: string): string {
  const line = text.replace(/\r?\n\s*/g, ' ');
  return line.includes('`') ? `\`\` ${line} \`\`` : `\`${line}\``;
}

function stepSection(
  step: StepRecord,
  index: number,
  chartFolder: string,
  charts: MarkdownReport['charts'],
): string {
  const { result } = step;
  const parts = [`### Line ${step.line}: ${inline(step.text)} ` +
    `(${duration(step.milliseconds)})`];
  if (result.message) parts.push(result.message);
  const pairs = summaryPairs(result);
  if (pairs.length) {
    parts.push(pairs.map(([name, value]) => `- ${name}: ${value}`)
      .join('\n'));
  }
  const rows = resultTable(result);
  if (rows) {
    parts.push(table(rows.columns, rows.cells));
    if (rows.more > 0) {
      parts.push(`… ${rows.more.toLocaleString('en-US')} more ` +
        `row${rows.more === 1 ? '' : 's'}`);
    }
  }
  for (const note of result.notes ?? []) parts.push(`> Note: ${note}`);
  if (step.svg) {
    const file = `${chartFolder}/step-${index + 1}-${step.kind}.svg`;
    charts.push({ file, svg: step.svg });
    parts.push(`![${step.kind} chart for line ${step.line}](${file})`);
  }
  return parts.join('\n\n');
}

export function reportMarkdown(record: RunRecord, chartFolder: string):
MarkdownReport {
  const charts: MarkdownReport['charts'] = [];
  const title = record.script.file
    ? `Fair report: ${record.script.file}` : 'Fair report';
  const total = record.steps.reduce((sum, s) => sum + s.milliseconds, 0);
  const fair = record.versions.find((v) => v.name === 'Fair')?.version;

  const facts = table(['', ''], [
    ['script', record.script.file ?? '(statements typed in a session)'],
    ['script SHA-256', `\`${record.script.sha256}\``],
    ['seed', String(record.seed)],
    ['backend', record.backend ?? 'none (no model was trained)'],
    ['Fair', fair ?? 'unknown'],
    ['statements', String(record.steps.length)],
    ['time', duration(total)],
  ]);

  const inputs = record.inputs.length
    ? table(['file', 'size', 'SHA-256'], record.inputs.map((input) => [
      input.path,
      input.problem ?? (input.files !== undefined
        ? `${bytes(input.bytes)} in ${input.files} files`
        : `${bytes(input.bytes)} (${input.bytes.toLocaleString('en-US')} B)`),
      input.sha256 ? `\`${input.sha256}\`` : '',
    ]))
    : 'No input files were read.';

  const sections = [
    `# ${title}`,
    facts,
    '## Script',
    fence(record.script.text, 'fair'),
    '## Results',
    ...record.steps.map((step, i) => stepSection(step, i, chartFolder,
      charts)),
    '## Time per statement',
    table(['line', 'statement', 'kind', 'time'], record.steps.map((s) => [
      String(s.line), s.text.split('\n')[0]!, s.kind,
      duration(s.milliseconds)])),
    '## Input files',
    inputs,
    '## Versions',
    table(['software', 'version'],
      record.versions.map((v) => [v.name, v.version])),
  ];
  return { text: sections.join('\n\n') + '\n', charts };
}
