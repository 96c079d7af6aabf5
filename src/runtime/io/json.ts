// JSON tables: an array of objects (one per row), or JSON lines (one
// object per line). Column order is the order keys first appear; a key a
// row lacks is a missing value there.

import { fail, problems } from '../../lang/diagnostics.js';
import type { ValueType } from '../../lang/types.js';
import { toColumn, type Column, type Value } from '../table.js';

export interface JsonColumns {
  names: string[];
  columns: Column[];
}

export function readJson(
  text: string,
  file: string,
  lines: boolean,
  declared?: ReadonlyMap<string, ValueType>,
): JsonColumns {
  const records = lines ? parseLines(text, file) : parseArray(text, file);
  const names: string[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    for (const key of Object.keys(record)) {
      if (!seen.has(key)) {
        seen.add(key);
        names.push(key);
      }
    }
  }

  const columns = names.map((name) => {
    const values: Value[] = new Array(records.length);
    let type: ValueType = declared?.get(name) ?? 'unknown';
    let typedAt = -1;

    records.forEach((record, row) => {
      const value = record[name];
      if (value === null || value === undefined) {
        values[row] = null;
        return;
      }
      const found = jsonType(value);
      if (!found) {
        fail(problems.badValue(`${file} row ${row + 1}`, name,
          'a number, text, true/false or null', JSON.stringify(value)),
        undefined, { file, row: row + 1, column: name });
      }
      if (type === 'unknown') {
        type = found;
        typedAt = row;
      } else if (found !== type) {
        const since = typedAt >= 0 ? ` as in row ${typedAt + 1}` : '';
        fail(problems.badValue(`${file} row ${row + 1}`, name,
          `${type === 'string' ? 'text' : `a ${type}`}${since}`,
          JSON.stringify(value)),
        undefined, { file, row: row + 1, column: name });
      }
      values[row] = value as Value;
    });
    return toColumn(values, type);
  });
  return { names, columns };
}

function jsonType(value: unknown): ValueType | undefined {
  switch (typeof value) {
    case 'number': return 'number';
    case 'string': return 'string';
    case 'boolean': return 'boolean';
    default: return undefined;
  }
}

type Record_ = Record<string, unknown>;

function isRecord(value: unknown): value is Record_ {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseArray(text: string, file: string): Record_[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    fail(problems.badJson(file, (cause as Error).message), undefined,
      { file });
  }
  if (!Array.isArray(data)) {
    fail(problems.badJson(file, 'the top level is not an array'), undefined,
      { file });
  }
  data.forEach((row, i) => {
    if (!isRecord(row)) {
      fail(problems.badJson(file, `row ${i + 1} is not an object`),
        undefined, { file, row: i + 1 });
    }
  });
  return data as Record_[];
}

function parseLines(text: string, file: string): Record_[] {
  const records: Record_[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (cause) {
      fail(problems.badJson(`${file} line ${i + 1}`, (cause as Error).message),
        undefined, { file, row: records.length + 1 });
    }
    if (!isRecord(value)) {
      fail(problems.badJson(`${file} line ${i + 1}`, 'it is not an object'),
        undefined, { file, row: records.length + 1 });
    }
    records.push(value);
  });
  return records;
}

/** Rows as a JSON array, one object per line, missing values as null. */
export function writeJson(
  names: readonly string[],
  columns: readonly Column[],
  rows: number,
  lines: boolean,
): string {
  const out: string[] = [];
  for (let row = 0; row < rows; row++) {
    const record: Record<string, unknown> = {};
    names.forEach((name, c) => {
      const value = columns[c]![row];
      record[name] = value === undefined ||
        (typeof value === 'number' && !Number.isFinite(value))
        ? null
        : value;
    });
    out.push(JSON.stringify(record));
  }
  if (lines) return out.map((line) => line + '\n').join('');
  return '[\n' + out.join(',\n') + (out.length ? '\n' : '') + ']\n';
}
