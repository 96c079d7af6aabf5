// Test helpers shaped like the language: run a script in a fresh session,
// make a scratch folder, find the shared data.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after } from 'node:test';
import { Session, type RunReport } from '../../src/runtime/session.js';
import type { Result } from '../../src/runtime/result.js';

export const root = resolve(import.meta.dirname, '..', '..');
export const shared = resolve(root, '..', 'shared');
export const tabular = (name: string) => join(shared, 'data', 'tabular', name);
export const crowd = (name: string) => join(shared, 'data', 'crowd', name);

/** A temporary folder removed when the test file ends. */
export function scratch(): string {
  const folder = mkdtempSync(join(tmpdir(), 'fair-test-'));
  after(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

export interface ScriptRun extends RunReport {
  session: Session;
  results: Result[];
}

/** Run a script in a new session; fails the test on any error. */
export async function run(source: string, cwd = root): Promise<ScriptRun> {
  const session = new Session({ cwd });
  const report = await session.run(source);
  if (report.failed) {
    const messages = report.diagnostics.map((d) =>
      `${d.span?.line}:${d.span?.column} ${d.code}: ${d.message}`);
    throw new Error(`script failed:\n${messages.join('\n')}`);
  }
  return { ...report, session, results: report.outcomes.map((o) => o.result) };
}

/** Run a script expected to fail; returns its diagnostics. */
export async function runFailing(source: string, cwd = root) {
  const session = new Session({ cwd });
  const report = await session.run(source);
  if (!report.failed) throw new Error('the script was expected to fail');
  return report.diagnostics;
}

/** The text of a marked span: where`afma`is marks what an error points at. */
export function marked(template: string): { source: string; column: number;
  line: number; text: string } {
  const start = template.indexOf('«');
  const end = template.indexOf('»');
  if (start < 0 || end < start) throw new Error('mark the text with « »');
  const source = template.slice(0, start) + template.slice(start + 1, end) +
    template.slice(end + 1);
  const before = source.slice(0, start);
  const line = before.split('\n').length;
  const column = start - before.lastIndexOf('\n');
  return { source, line, column, text: template.slice(start + 1, end) };
}
