// Syntax highlighting as you type: the prompt's text cut into runs that
// each get one style, from the same tokens the parser reads.
//
// Loaded with the engine, never at start: it needs the lexer (Chevrotain).

import { Lexer, type IToken } from '../lang/chevrotain.js';
import { splitStatements } from '../lang/lexer.js';
import {
  allTokens, Comment, isKeywordToken, NumberLiteral, QuotedName,
  StringLiteral, UnterminatedName, UnterminatedString, Word,
} from '../lang/tokens.js';

export type Style =
  | 'plain' | 'verb' | 'keyword' | 'string' | 'number' | 'table'
  | 'column' | 'comment' | 'error';

export interface Segment {
  text: string;
  style: Style;
}

/** Names the session knows, to tell tables and columns apart. */
export interface KnownNames {
  tables: ReadonlySet<string>;
  columns: ReadonlySet<string>;
}

const noNames: KnownNames = { tables: new Set(), columns: new Set() };

let lexer: Lexer | undefined;

/** Every token of the text, line ends and comments included. */
export function tokenize(source: string): {
  tokens: IToken[];
  errors: { offset: number; length: number }[];
} {
  // Built on first use, after every statement family has declared its
  // keywords (the parser module loads them all).
  lexer ??= new Lexer(allTokens(), {
    positionTracking: 'full',
    ensureOptimizations: false,
  });
  const result = lexer.tokenize(source);
  return { tokens: result.tokens, errors: result.errors };
}

export function highlight(
  source: string,
  names: KnownNames = noNames,
): Segment[] {
  const styles = new Array<Style>(source.length).fill('plain');
  const paint = (from: number, to: number, style: Style) => {
    for (let i = from; i < to && i < source.length; i++) styles[i] = style;
  };

  const { tokens, errors } = tokenize(source);
  const verbs = new Set(splitStatements(tokens).map((statement) =>
    statement[0]));
  for (const token of tokens) {
    paint(token.startOffset, token.startOffset + token.image.length,
      styleOf(token, verbs.has(token), names));
  }
  for (const problem of errors) {
    paint(problem.offset, problem.offset + problem.length, 'error');
  }

  // Comments are skipped by the lexer, so find them between tokens.
  const comment = new RegExp(Comment.PATTERN as RegExp, 'g');
  for (const match of source.matchAll(comment)) {
    const at = match.index ?? 0;
    if (styles[at] === 'plain') paint(at, at + match[0].length, 'comment');
  }

  return runs(source, styles);
}

function styleOf(token: IToken, verb: boolean, names: KnownNames): Style {
  const type = token.tokenType;
  if (type === StringLiteral || type === UnterminatedString) return 'string';
  if (type === NumberLiteral) return 'number';
  if (type === UnterminatedName) return 'error';
  if (isKeywordToken(type)) return verb ? 'verb' : 'keyword';
  if (type === Word || type === QuotedName) {
    const name = type === QuotedName ? token.image.slice(1, -1) : token.image;
    if (names.columns.has(name)) return 'column';
    if (names.tables.has(name)) return 'table';
  }
  return 'plain';
}

function runs(source: string, styles: Style[]): Segment[] {
  const segments: Segment[] = [];
  let start = 0;
  for (let i = 1; i <= source.length; i++) {
    if (i === source.length || styles[i] !== styles[start]) {
      segments.push({ text: source.slice(start, i), style: styles[start]! });
      start = i;
    }
  }
  return segments;
}
