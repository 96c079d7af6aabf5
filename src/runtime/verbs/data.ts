// Running the data statements: seed, load, save, use, show, where, select,
// derive, sample and join.

import { statSync } from 'node:fs';
import { fail, problems } from '../../lang/diagnostics.js';
import { formatFromPath, type TableFormat } from '../../lang/formats.js';
import { joinedColumnName } from '../../lang/statements/data.js';
import type { ValueType } from '../../lang/types.js';
import { compileExpression } from '../expr.js';
import { likelyBackend } from '../model/backend.js';
import { readTable, writeTable, type ReadTable } from '../io/files.js';
import type { Session } from '../session.js';
import type { Name } from '../../lang/ast.js';
import type { MappingEntry } from '../../lang/build.js';
import { bytes, count, plural } from '../result.js';
import {
  columnNames, columnOf, makeTable, rowCount, rowKey, rowObjects, takeRows,
  toColumn, typeOfColumn, typeOfValues, type Column, type Table, type Value,
} from '../table.js';
import { defineExecutor } from './registry.js';

/** Typical reading: a file this large shows a progress bar. */
const progressThreshold = 8 << 20;

defineExecutor('seed', ({ session, statement }) => {
  session.setSeed(statement.value);
  // Results repeat exactly on the same backend; say which one models use.
  const backend = likelyBackend(session);
  return {
    kind: 'seed',
    message: `seed ${statement.value}: random choices repeat exactly on ` +
      `every run (models train on the ${backend} backend)`,
    summary: { seed: statement.value, backend },
  };
});

const typeWords: Record<string, ValueType> = {
  number: 'number', text: 'string', string: 'string', boolean: 'boolean',
};

/**
 * Read the table a load statement names, with a progress bar for a large
 * file. Shared by every statement that loads a table from a file.
 */
export function loadTable(
  session: Session,
  statement: { path: string; format?: Name; types?: MappingEntry[] },
): ReadTable & { display: string; format: TableFormat } {
  const format = (statement.format?.name ??
    formatFromPath(statement.path)) as TableFormat;
  const resolved = session.resolvePath(statement.path);
  const display = session.displayPath(statement.path);
  const types = statement.types
    ? new Map(statement.types.map((entry) =>
      [entry.key, typeWords[String(entry.value)]!] as const))
    : undefined;

  const progress = fileSize(resolved) > progressThreshold
    ? session.progress.start(`reading ${display}`)
    : undefined;
  const read = readTable(resolved, display, format, {
    ...(types ? { types } : {}),
    ...(progress ? { onProgress: (f: number) => progress.update(f) } : {}),
  });
  progress?.done();
  return { ...read, display, format };
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

defineExecutor('load', ({ session, step, statement }) => {
  const read = loadTable(session, statement);
  const name = step.output!;
  session.setTable(name, read.table);
  const rows = rowCount(read.table);
  const columns = columnNames(read.table).length;
  return {
    kind: 'load',
    table: name,
    message: `${name}: ${plural(rows, 'row')} × ${plural(columns, 'column')} ` +
      `from ${read.display} (${read.format}, ${bytes(read.bytes)})`,
    summary: { rows, columns, file: read.display, format: read.format },
    ...(read.notes.length
      ? { notes: read.notes.map((note) => note.message) }
      : {}),
  };
});

defineExecutor('save', ({ session, step, statement }) => {
  const table = session.table(step.input!);
  const format = (statement.format?.name ??
    formatFromPath(statement.path)) as TableFormat;
  const resolved = session.resolvePath(statement.path);
  const display = session.displayPath(statement.path);
  if (session.inputs.has(resolved)) {
    fail(problems.saveOverInput(statement.path), statement.pathSpan);
  }

  const size = writeTable(table, resolved, display, format);
  const rows = rowCount(table);
  return {
    kind: 'save',
    table: step.input!,
    message: `saved ${step.input} (${plural(rows, 'row')}) to ${display} ` +
      `(${format}, ${bytes(size)})`,
    summary: { rows, file: display, format, bytes: size },
  };
});

defineExecutor('use', ({ session, statement }) => {
  const rows = rowCount(session.table(statement.table.name));
  return {
    kind: 'use',
    table: statement.table.name,
    message: `working on ${statement.table.name} (${plural(rows, 'row')})`,
  };
});

defineExecutor('show', ({ session, step, statement }) => {
  const table = session.table(step.input!);
  const limit = statement.limit ?? 10;
  const total = rowCount(table);
  const columns = columnNames(table);
  return {
    kind: 'show',
    table: step.input!,
    message: `${step.input}: ${plural(total, 'row')} × ` +
      `${plural(columns.length, 'column')}`,
    columns,
    rows: rowObjects(table, limit),
    total_rows: total,
  };
});

defineExecutor('where', ({ session, step, statement }) => {
  const table = session.table(step.input!);
  const condition = compileExpression(statement.condition, table);
  const total = rowCount(table);
  const kept: number[] = [];
  for (let row = 0; row < total; row++) {
    if (condition(row) === true) kept.push(row);
  }

  session.setTable(step.output!, takeRows(table, kept));
  const removed = total - kept.length;
  return {
    kind: 'where',
    table: step.output!,
    message: `kept ${count(kept.length)} of ${plural(total, 'row')} ` +
      `(${count(removed)} removed)${arrow(step)}`,
    summary: { rows_before: total, rows_after: kept.length, removed },
  };
});

/** " → name" when a statement's output has a new name. */
function arrow(step: { input?: string; output?: string }): string {
  return step.output && step.output !== step.input ? ` → ${step.output}` : '';
}

defineExecutor('select', ({ session, step, statement }) => {
  const table = session.table(step.input!);
  const listed = statement.columns.map((c) => c.name);
  const names = statement.except
    ? columnNames(table).filter((name) => !listed.includes(name))
    : listed;

  session.setTable(step.output!, makeTable(names.map((name) =>
    [name, columnOf(table, name)] as const)));
  return {
    kind: 'select',
    table: step.output!,
    message: `kept ${plural(names.length, 'column')} of ` +
      `${columnNames(table).length}${arrow(step)}`,
    summary: { columns: names },
  };
});

defineExecutor('derive', ({ session, step, statement }) => {
  let table = session.table(step.input!);
  const rows = rowCount(table);
  const added: string[] = [];

  // Each assignment sees the columns made before it.
  for (const { name, value } of statement.assignments) {
    const compute = compileExpression(value, table);
    const values: Value[] = new Array(rows);
    for (let row = 0; row < rows; row++) values[row] = compute(row);
    const column = toColumn(values, typeOfValues(values));
    table = withColumn(table, name.name, column);
    added.push(`${name.name} (${typeLabel(typeOfColumn(column))})`);
  }

  session.setTable(step.output!, table);
  return {
    kind: 'derive',
    table: step.output!,
    message: `derived ${added.join(', ')}${arrow(step)}`,
    summary: { columns: statement.assignments.map((a) => a.name.name) },
  };
});

export function typeLabel(type: ValueType): string {
  return type === 'string' ? 'text' : type;
}

/** A table with one column added at the end, or replaced where it is. */
export function withColumn(table: Table, name: string, column: Column): Table {
  const names = columnNames(table);
  const entries = names.map((existing) =>
    [existing, existing === name ? column : columnOf(table, existing)] as const);
  if (!names.includes(name)) entries.push([name, column]);
  return makeTable(entries);
}

defineExecutor('sample', ({ session, step, statement }) => {
  const table = session.table(step.input!);
  const total = rowCount(table);
  const wanted = statement.percent
    ? Math.round(total * statement.size / 100)
    : statement.size;
  if (!statement.replace && wanted > total) {
    fail(problems.sampleTooLarge(wanted, total), statement.sizeSpan);
  }

  const picks = statement.replace
    ? session.random.draw(total, wanted)
    : session.random.choose(total, wanted);
  session.setTable(step.output!, takeRows(table, picks));
  const how = statement.replace ? 'with' : 'without';
  return {
    kind: 'sample',
    table: step.output!,
    message: `sampled ${count(wanted)} of ${plural(total, 'row')} ${how} ` +
      `replacement (seed ${session.seed})${arrow(step)}`,
    summary: { rows_before: total, rows_after: wanted,
      replacement: statement.replace, seed: session.seed },
  };
});

defineExecutor('join', ({ session, step, statement }) => {
  const left = session.table(step.input!);
  const right = session.table(statement.right.name);
  const keys = statement.keys.map((k) => k.name);
  const pairs = matchRows(left, right, keys, statement.how);

  // Key columns come from whichever side has the row.
  const leftNames = columnNames(left);
  const leftSet = new Set(leftNames);
  const entries: [string, Column][] = leftNames.map((name) => {
    const values = gather(columnOf(left, name), pairs.left);
    if (keys.includes(name)) {
      const fromRight = gather(columnOf(right, name), pairs.right);
      fillMissing(values, fromRight);
    }
    return [name, values];
  });
  for (const name of columnNames(right)) {
    if (keys.includes(name)) continue;
    entries.push([joinedColumnName(name, leftSet, statement.right.name),
      gather(columnOf(right, name), pairs.right)]);
  }

  const joined = makeTable(entries);
  session.setTable(step.output!, joined);
  const rows = rowCount(joined);
  const notes = pairs.manyToMany
    ? ['some keys repeat on both sides, so their rows are multiplied: ' +
      'check that the keys identify rows']
    : [];
  return {
    kind: 'join',
    table: step.output!,
    message: `${statement.how} join of ${step.input} with ` +
      `${statement.right.name} using ${keys.join(', ')}: ` +
      `${plural(rows, 'row')}${arrow(step)}`,
    summary: {
      rows,
      left_rows: rowCount(left),
      right_rows: rowCount(right),
      left_unmatched: pairs.leftUnmatched,
      right_unmatched: pairs.rightUnmatched,
    },
    ...(notes.length ? { notes } : {}),
  };
});

interface Pairs {
  /** Row of the left table for each output row, or -1. */
  left: number[];
  right: number[];
  leftUnmatched: number;
  rightUnmatched: number;
  manyToMany: boolean;
}

/**
 * Pair rows with equal keys. Rows whose key is missing match nothing, as
 * in SQL. Output order: left rows in order with their matches in right
 * order, then (right and full joins) right rows that matched nothing.
 */
function matchRows(
  left: Table,
  right: Table,
  keys: string[],
  how: 'inner' | 'left' | 'right' | 'full',
): Pairs {
  const leftKeys = keys.map((k) => columnOf(left, k));
  const rightKeys = keys.map((k) => columnOf(right, k));
  const hasMissing = (columns: Column[], row: number) =>
    columns.some((c) => {
      const value = c[row];
      return value === null || value === undefined ||
        (typeof value === 'number' && Number.isNaN(value));
    });

  const index = new Map<string, number[]>();
  const rightRows = rowCount(right);
  for (let row = 0; row < rightRows; row++) {
    if (hasMissing(rightKeys, row)) continue;
    const key = rowKey(rightKeys, row);
    const list = index.get(key);
    if (list) list.push(row);
    else index.set(key, [row]);
  }

  const pairs: Pairs = { left: [], right: [], leftUnmatched: 0,
    rightUnmatched: 0, manyToMany: false };
  const rightMatched = new Uint8Array(rightRows);
  const leftSeen = new Map<string, number>();
  const leftRows = rowCount(left);

  for (let row = 0; row < leftRows; row++) {
    const matches = hasMissing(leftKeys, row)
      ? undefined
      : index.get(rowKey(leftKeys, row));
    if (matches) {
      const key = rowKey(leftKeys, row);
      leftSeen.set(key, (leftSeen.get(key) ?? 0) + 1);
      if (matches.length > 1 && leftSeen.get(key)! > 1) {
        pairs.manyToMany = true;
      }
      for (const match of matches) {
        pairs.left.push(row);
        pairs.right.push(match);
        rightMatched[match] = 1;
      }
    } else {
      pairs.leftUnmatched++;
      if (how === 'left' || how === 'full') {
        pairs.left.push(row);
        pairs.right.push(-1);
      }
    }
  }

  for (let row = 0; row < rightRows; row++) {
    if (rightMatched[row]) continue;
    pairs.rightUnmatched++;
    if (how === 'right' || how === 'full') {
      pairs.left.push(-1);
      pairs.right.push(row);
    }
  }

  if (how === 'right') dropUnmatchedLeft(pairs);
  return pairs;
}

/** A right join keeps only left rows that found a partner. */
function dropUnmatchedLeft(pairs: Pairs): void {
  const keep = pairs.right.map((r) => r >= 0);
  pairs.left = pairs.left.filter((_, i) => keep[i]);
  pairs.right = pairs.right.filter((_, i) => keep[i]);
}

/** Values at the given rows; -1 gives a missing value. */
function gather(column: Column, rows: readonly number[]): Column {
  if (column instanceof Float64Array) {
    const out = new Float64Array(rows.length);
    rows.forEach((row, i) => { out[i] = row < 0 ? NaN : column[row]!; });
    return out;
  }
  return rows.map((row) => (row < 0 ? null : column[row] ?? null));
}

function fillMissing(target: Column, source: Column): void {
  for (let i = 0; i < target.length; i++) {
    const value = target[i];
    const missing = value === null ||
      (typeof value === 'number' && Number.isNaN(value));
    if (missing) (target as unknown[])[i] = source[i];
  }
}
