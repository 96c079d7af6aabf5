// `report to PATH`: record the run so far, lay it out as HTML or
// Markdown, and write it (and, for Markdown, its chart files) atomically.

import { basename, dirname, join } from 'node:path';
import { fail, problems } from '../../lang/diagnostics.js';
import type { ReportFormat } from '../../lang/statements/output.js';
import { writeFileAtomic } from '../io/files.js';
import type { Session } from '../session.js';
import { reportHtml } from './html.js';
import { reportMarkdown } from './markdown.js';
import { recordRun, type ScriptSource } from './record.js';

export interface ReportTarget {
  path: string;
  display: string;
  format: ReportFormat;
  script?: ScriptSource;
}

export interface WrittenReport {
  bytes: number;
  steps: number;
  charts: number;
  /** Every file written, the report first, as absolute paths. */
  files: string[];
}

export async function writeReport(session: Session, target: ReportTarget):
Promise<WrittenReport> {
  const progress = session.progress.start('drawing the report\'s charts');
  let record;
  try {
    record = await recordRun(session, target.script,
      (done, total) => progress.update(done / total));
  } finally {
    progress.done();
  }
  const charts = record.steps.filter((step) => step.svg).length;

  if (target.format === 'html') {
    const text = reportHtml(record);
    writeFileAtomic(target.path, text, target.display);
    return { bytes: Buffer.byteLength(text), steps: record.steps.length,
      charts, files: [target.path] };
  }

  // report.md keeps its charts in report-charts/ beside it.
  const stem = basename(target.path).replace(/\.(md|markdown)$/i, '');
  const folder = `${stem}-charts`;
  const markdown = reportMarkdown(record, folder);
  const files = [target.path];
  for (const chart of markdown.charts) {
    const path = join(dirname(target.path), chart.file);
    const display = join(dirname(target.display), chart.file);
    if (session.inputs.has(path)) fail(problems.saveOverInput(display));
    writeFileAtomic(path, chart.svg, display);
    files.push(path);
  }
  writeFileAtomic(target.path, markdown.text, target.display);
  return { bytes: Buffer.byteLength(markdown.text),
    steps: record.steps.length, charts, files };
}
