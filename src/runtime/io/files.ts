// Files in and out. Every write goes to a temporary file in the target
// folder and is renamed into place, so a crash never leaves half a file,
// and nothing Fair writes ever replaces a file it read.

import { randomBytes } from 'node:crypto';
import {
  closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync,
  readSync, renameSync, rmSync, statSync, writeSync,
} from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { FileOracle } from '../../lang/check.js';
import { fail, problems, type Diagnostic } from '../../lang/diagnostics.js';
import { isGzipped, type TableFormat } from '../../lang/formats.js';
import type { Schema, ValueType } from '../../lang/types.js';
import {
  columnNames, columnOf, makeTable, rowCount, schemaOf, type Column,
  type Table, typeOfColumn,
} from '../table.js';
import { readArrow, writeArrow } from './arrow.js';
import { readDelimited, writeDelimited } from './csv.js';
import { readJson, writeJson } from './json.js';

function message(cause: unknown): string {
  const error = cause as NodeJS.ErrnoException;
  if (error.code === 'ENOENT') return 'no such file';
  if (error.code === 'EACCES') return 'permission denied';
  if (error.code === 'EISDIR') return 'it is a folder, not a file';
  return error.message;
}

/** The bytes of a file, decompressed when its name ends in .gz. */
export function readBytes(path: string, display: string): Uint8Array {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    return fail(problems.readFailed(display, message(cause)), undefined,
      { file: display });
  }
  if (!isGzipped(path)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (cause) {
    return fail(problems.readFailed(display,
      `not valid gzip (${message(cause)})`), undefined, { file: display });
  }
}

/** The first `limit` bytes of a file (all of it when compressed). */
function readStart(path: string, limit: number): Uint8Array {
  if (isGzipped(path)) return readBytes(path, path).subarray(0, limit);
  const buffer = Buffer.alloc(limit);
  const fd = openSync(path, 'r');
  try {
    const read = readSync(fd, buffer, 0, limit, 0);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

export interface ReadTableOptions {
  types?: ReadonlyMap<string, ValueType>;
  onProgress?: (fraction: number) => void;
}

export interface ReadTable {
  table: Table;
  notes: Diagnostic[];
  bytes: number;
}

export function readTable(
  path: string,
  display: string,
  format: TableFormat,
  options: ReadTableOptions = {},
): ReadTable {
  const bytes = readBytes(path, display);
  const decoded = decode(bytes, display, format, options);
  return {
    table: makeTable(decoded.names.map((name, i) =>
      [name, decoded.columns[i]!] as const)),
    notes: decoded.notes,
    bytes: bytes.length,
  };
}

function decode(
  bytes: Uint8Array,
  display: string,
  format: TableFormat,
  options: ReadTableOptions & { maxRows?: number },
): { names: string[]; columns: Column[]; notes: Diagnostic[] } {
  const text = () => Buffer.from(bytes.buffer, bytes.byteOffset,
    bytes.byteLength).toString('utf8');

  switch (format) {
    case 'csv':
    case 'tsv':
      return readDelimited(text(), {
        delimiter: format === 'csv' ? ',' : '\t',
        file: display,
        ...(options.types ? { types: options.types } : {}),
        ...(options.maxRows !== undefined ? { maxRows: options.maxRows } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
    case 'json':
    case 'jsonl':
      return { ...readJson(text(), display, format === 'jsonl', options.types),
        notes: [] };
    case 'arrow':
      return { ...readArrow(bytes, display), notes: [] };
  }
}

/**
 * The columns of a data file, read from its first part only, for checking
 * a script before it runs. Undefined when the file cannot be read; the
 * run reports why.
 */
export function peekSchema(path: string, format: TableFormat): Schema | undefined {
  try {
    if (format === 'csv' || format === 'tsv') {
      const start = readStart(path, 1 << 20);
      const text = Buffer.from(start).toString('utf8');
      const whole = statSync(path).size <= start.length && !isGzipped(path);
      const cut = whole ? text : text.slice(0, text.lastIndexOf('\n') + 1);
      const decoded = readDelimited(cut || text, {
        delimiter: format === 'csv' ? ',' : '\t',
        file: path,
        maxRows: 1000,
      });
      return schemaFrom(decoded.names, decoded.columns);
    }
    const decoded = decode(readBytes(path, path), path, format, {});
    return schemaFrom(decoded.names, decoded.columns);
  } catch {
    return undefined;
  }
}

function schemaFrom(names: string[], columns: Column[]): Schema {
  return new Map(names.map((name, i) => [name, typeOfColumn(columns[i]!)]));
}

/** Write bytes or text to a temporary file beside the target, then rename. */
export function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  display: string,
): void {
  const folder = dirname(path);
  const temporary = resolve(folder,
    `.fair-tmp-${basename(path)}-${process.pid}-` +
    randomBytes(4).toString('hex'));
  try {
    mkdirSync(folder, { recursive: true });
    const fd = openSync(temporary, 'w');
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let written = 0;
      while (written < bytes.length) {
        written += writeSync(fd, bytes, written, bytes.length - written);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (cause) {
    rmSync(temporary, { force: true });
    fail(problems.writeFailed(display, message(cause)), undefined,
      { file: display });
  }
}

export function encodeTable(table: Table, format: TableFormat): Uint8Array {
  const names = columnNames(table);
  const columns = names.map((name) => columnOf(table, name));
  const rows = rowCount(table);

  switch (format) {
    case 'csv':
    case 'tsv':
      return Buffer.from(writeDelimited(names, columns, rows,
        format === 'csv' ? ',' : '\t'), 'utf8');
    case 'json':
    case 'jsonl':
      return Buffer.from(writeJson(names, columns, rows, format === 'jsonl'),
        'utf8');
    case 'arrow':
      return writeArrow(names, columns, [...schemaOf(table).values()]);
  }
}

export function writeTable(
  table: Table,
  path: string,
  display: string,
  format: TableFormat,
): number {
  const encoded = encodeTable(table, format);
  // gzip output is byte-identical across runs: no name or time in header.
  const bytes = isGzipped(path) ? gzipSync(encoded) : encoded;
  writeFileAtomic(path, bytes, display);
  return bytes.length;
}

/** The checker's view of the local file system. */
export class LocalFiles implements FileOracle {
  constructor(private readonly cwd: string = process.cwd()) {}

  resolve(path: string): string {
    return resolve(this.cwd, path);
  }

  exists(resolved: string): boolean {
    return existsSync(resolved);
  }

  schema(resolved: string, format: string): Schema | undefined {
    return peekSchema(resolved, format as TableFormat);
  }
}
