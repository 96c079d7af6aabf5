// The types a column or an expression can have.
//
// `unknown` is what the checker knows about a column of a table it could
// not inspect (a file that is not there yet) or a column that is entirely
// missing; it is accepted wherever a type is expected, and the runtime
// checks again with the real data.

export type ValueType = 'number' | 'string' | 'boolean' | 'unknown';

/** An ordered list of columns and their types. */
export type Schema = ReadonlyMap<string, ValueType>;

/** How a type is named in messages. */
export function typeName(type: ValueType): string {
  switch (type) {
    case 'number': return 'a number';
    case 'string': return 'text';
    case 'boolean': return 'true/false';
    case 'unknown': return 'unknown';
  }
}

export function compatible(a: ValueType, b: ValueType): boolean {
  return a === b || a === 'unknown' || b === 'unknown';
}
