// Fair source from a tagged template or a string, as a cell writes it:
//
//   await fair`
//     load ${path} as loans
//     audit by afam target deny = "yes"
//   `
//
// The template's text is taken as written (String.raw), so Fair's own
// escapes inside quotes ("a \"b\"", "\n") reach Fair unchanged; only the
// two escapes that a template needs for itself, \` and \${, are undone.
// Values put in with ${} become Fair literals: text is quoted, so a path
// or a word cannot change the statement around it. A column or table
// name goes in with fair.ident().

/** A name (column, table) to put into a template as a name. */
export class FairName {
  constructor(readonly text: string) {
    if (!text || /[`\n\r]/.test(text)) {
      throw new TypeError(`fair.ident(${JSON.stringify(text)}): a name ` +
        'must be non-empty, without backticks or line breaks');
    }
  }

  // Always in backticks: a quoted name is never read as a keyword.
  toString(): string {
    return `\`${this.text}\``;
  }
}

/** A Fair text literal: double quotes, with the escapes Fair reads. */
function quote(text: string): string {
  const body = text.replace(/[\\"\n\r\t]/g, (char) => {
    switch (char) {
      case '\n': return '\\n';
      case '\r': return '\\r';
      case '\t': return '\\t';
      default: return `\\${char}`;
    }
  });
  return `"${body}"`;
}

/** A JavaScript value as Fair source. */
export function literal(value: unknown): string {
  if (value instanceof FairName) return value.toString();
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null || value === undefined) return 'missing';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new TypeError(`cannot put ${value} into Fair source: Fair ` +
        'numbers are finite');
    }
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(literal).join(', ');
  throw new TypeError(`cannot put a ${typeof value} into Fair source; ` +
    'use text, a number, true/false, an array of these, or fair.ident()');
}

/**
 * Remove the indentation that every non-blank line shares, and the blank
 * first and last lines a multi-line template starts and ends with, so
 * that line and column numbers in messages match what the cell shows.
 */
export function dedent(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  while (lines.length && !lines[0]!.trim()) lines.shift();
  while (lines.length && !lines[lines.length - 1]!.trim()) lines.pop();
  const indents = lines.filter((line) => line.trim())
    .map((line) => /^[ \t]*/.exec(line)![0].length);
  const common = indents.length ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(common)).join('\n');
}

export function templateSource(
  strings: TemplateStringsArray,
  values: readonly unknown[],
): string {
  const pieces = strings.raw.map((raw) => raw.replace(/\\([`$])/g, '$1'));
  let text = pieces[0]!;
  values.forEach((value, i) => {
    text += literal(value) + pieces[i + 1]!;
  });
  return dedent(text);
}
