// Arrow IPC files, through flechette (the Arrow library Arquero uses).

import {
  bool, float64, tableFromArrays, tableFromIPC, tableToIPC, Type, utf8,
} from '@uwdata/flechette';
import { fail, problems } from '../../lang/diagnostics.js';
import type { ValueType } from '../../lang/types.js';
import type { Column } from '../table.js';

export interface ArrowColumns {
  names: string[];
  columns: Column[];
}

export function readArrow(bytes: Uint8Array, file: string): ArrowColumns {
  let table: ReturnType<typeof tableFromIPC>;
  try {
    table = tableFromIPC(bytes, { useDate: false, useBigInt: false });
  } catch (cause) {
    fail(problems.badArrow(file, (cause as Error).message), undefined,
      { file });
  }

  const names: string[] = [];
  const columns: Column[] = [];
  for (const field of table.schema.fields) {
    const values = table.getChild(field.name)?.toArray() ?? [];
    names.push(field.name);
    columns.push(convert(field.name, field.type.typeId, values, file));
  }
  return { names, columns };
}

function convert(
  name: string,
  typeId: number,
  values: ArrayLike<unknown>,
  file: string,
): Column {
  const length = values.length;
  switch (typeId) {
    case Type.Int:
    case Type.Float:
    case Type.Decimal: {
      const column = new Float64Array(length);
      for (let i = 0; i < length; i++) {
        const value = values[i];
        column[i] = value === null || value === undefined
          ? NaN
          : Number(value);
      }
      return column;
    }
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Utf8View:
    case Type.Dictionary:
      return Array.from(values, (value) =>
        value === null || value === undefined ? null : String(value));
    case Type.Bool:
      return Array.from(values, (value) =>
        value === null || value === undefined ? null : Boolean(value));
    case Type.Date:
    case Type.Timestamp:
      // Fair has no date type yet: dates are read as ISO 8601 text.
      return Array.from(values, (value) =>
        value === null || value === undefined
          ? null
          : new Date(Number(value)).toISOString());
    default:
      return fail(problems.badArrow(file,
        `column "${name}" has an Arrow type (id ${typeId}) that Fair ` +
        'does not read; keep numbers, text, booleans and dates'),
      undefined, { file, column: name });
  }
}

export function writeArrow(
  names: readonly string[],
  columns: readonly Column[],
  types: readonly ValueType[],
): Uint8Array {
  const arrays: [string, unknown[]][] = [];
  const arrowTypes: Record<string,
    ReturnType<typeof float64 | typeof bool | typeof utf8>> = {};

  names.forEach((name, c) => {
    const column = columns[c]!;
    const type = types[c]!;
    const values = Array.from(column as ArrayLike<unknown>, (value) =>
      value === undefined || (typeof value === 'number' && Number.isNaN(value))
        ? null
        : value);
    arrays.push([name, values]);
    arrowTypes[name] = type === 'number' ? float64()
      : type === 'boolean' ? bool()
        : utf8();
  });

  const table = tableFromArrays(arrays, { types: arrowTypes });
  return tableToIPC(table, { format: 'file' })!;
}
