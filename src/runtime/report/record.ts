// What a report records about a run, gathered from the session: the
// script, each statement with its result, time and chart, the input files
// with their sizes and SHA-256 digests, the seed, the compute backend and
// the versions of Fair and the libraries behind it.
//
// The record is plain data; html.ts and markdown.ts only lay it out.

import { createHash } from 'node:crypto';
import {
  closeSync, existsSync, openSync, readdirSync, readFileSync, readSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TopLevelSpec } from 'vega-lite';
import { chartSpec } from '../../charts/index.js';
import type { Result } from '../result.js';
import { renderSvg } from '../render/svg.js';
import type { Session } from '../session.js';

export interface StepRecord {
  line: number;
  text: string;
  kind: string;
  milliseconds: number;
  result: Result;
  spec?: TopLevelSpec;
  svg?: string;
}

export interface InputRecord {
  /** As people should read it: relative to the session's folder. */
  path: string;
  bytes: number;
  /** SHA-256 of the file; for a folder, of its files' names and digests. */
  sha256: string;
  /** For a folder: how many files it holds. */
  files?: number;
  /** Set when the file is gone or unreadable by the time of the report. */
  problem?: string;
}

export interface RunRecord {
  script: { file?: string; text: string; sha256: string };
  seed: number;
  backend?: string;
  steps: StepRecord[];
  inputs: InputRecord[];
  versions: { name: string; version: string }[];
}

// 1. Inputs

function digestFile(path: string): string {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** Every file under a folder, sorted, so the digest does not depend on
 * the order the file system lists them in. */
function filesUnder(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) found.push(path);
    }
  };
  walk(folder);
  return found;
}

export function describeInput(resolved: string, display: string):
InputRecord {
  try {
    if (!existsSync(resolved)) {
      return { path: display, bytes: 0, sha256: '',
        problem: 'no longer exists' };
    }
    const stat = statSync(resolved);
    if (!stat.isDirectory()) {
      return { path: display, bytes: stat.size, sha256: digestFile(resolved) };
    }

    // A folder of images: one digest over "relative path, digest" lines.
    const files = filesUnder(resolved);
    const hash = createHash('sha256');
    let total = 0;
    for (const file of files) {
      total += statSync(file).size;
      const name = relative(resolved, file).split('\\').join('/');
      hash.update(`${digestFile(file)}  ${name}\n`);
    }
    return { path: display, bytes: total, sha256: hash.digest('hex'),
      files: files.length };
  } catch (cause) {
    return { path: display, bytes: 0, sha256: '',
      problem: (cause as Error).message };
  }
}

// 2. Versions

const packageRoot = fileURLToPath(new URL('../../../', import.meta.url));
const require = createRequire(import.meta.url);

/** A package's version, from the package.json above its entry point. */
function installedVersion(name: string): string | undefined {
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    return undefined;
  }
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const json = JSON.parse(readFileSync(file, 'utf8')) as
      { name?: string; version?: string };
    if (json.name === name) return json.version;
  }
  return undefined;
}

/** The libraries whose behaviour decides a run's numbers and pictures. */
const mainDependencies = [
  'arquero', 'chevrotain', 'vega', 'vega-lite', '@resvg/resvg-js',
  '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu',
];

export function versions(): { name: string; version: string }[] {
  const fair = JSON.parse(readFileSync(join(packageRoot, 'package.json'),
    'utf8')) as { version: string };
  const found = [
    { name: 'Fair', version: fair.version },
    { name: 'Node.js', version: process.versions.node },
  ];
  for (const name of mainDependencies) {
    const version = installedVersion(name);
    if (version) found.push({ name, version });
  }
  return found;
}

// 3. The backend, as the model family records it

/**
 * The compute backend of the latest model trained: a result's `backend`
 * field, or `backend` in its summary.
 */
function backendOf(results: readonly Result[]): string | undefined {
  for (const result of [...results].reverse()) {
    const direct = result['backend'];
    if (typeof direct === 'string') return direct;
    const summarised = result.summary?.['backend'];
    if (typeof summarised === 'string') return summarised;
  }
  return undefined;
}

// 4. The whole record

/** Charts in a report are drawn a quarter larger than chart files. */
const chartScale = 1.25;

export interface ScriptSource {
  file: string;
  source: string;
}

export async function recordRun(
  session: Session,
  script: ScriptSource | undefined,
  onStep?: (done: number, total: number) => void,
): Promise<RunRecord> {
  const outcomes = session.outcomes;
  const steps: StepRecord[] = [];
  for (const [i, outcome] of outcomes.entries()) {
    // A plot draws a result that the report already shows with its chart.
    const spec = outcome.result.kind === 'plot' ? undefined
      : chartSpec(outcome.result);
    steps.push({
      line: outcome.step.line,
      text: outcome.text,
      kind: outcome.result.kind,
      milliseconds: outcome.milliseconds,
      result: outcome.result,
      ...(spec ? { spec, svg: await renderSvg(spec, chartScale) } : {}),
    });
    onStep?.(i + 1, outcomes.length);
  }

  // Without the file (a REPL, a notebook), the statements run so far
  // stand in for the script; their comments are lost.
  const text = script?.source ?? outcomes.map((o) => o.text).join('\n') +
    '\n';
  const inputs = [...session.inputs].sort().map((resolved) =>
    describeInput(resolved, session.displayPath(resolved)));
  const backend = backendOf(outcomes.map((o) => o.result));

  return {
    script: {
      ...(script ? { file: session.displayPath(script.file) } : {}),
      text,
      sha256: createHash('sha256').update(text).digest('hex'),
    },
    seed: session.seed,
    ...(backend ? { backend } : {}),
    steps,
    inputs,
    versions: versions(),
  };
}
