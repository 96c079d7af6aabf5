// Tab completion. The grammar itself says what may come next: Chevrotain's
// content assist takes the words already typed in the statement and lists
// the tokens that can follow. A keyword token completes to its spelling; a
// name completes to the session's tables or to the columns of the table
// the statement works on; a quoted text after `load` (or `save ... to`)
// completes to a file path.
//
// Loaded with the engine, never at start: it needs the parser.

import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { IToken, TokenType } from 'chevrotain';
import { openStatement } from '../lang/lexer.js';
import { getParser } from '../lang/parser.js';
import {
  Identifier, keyword, keywordOf, keywordWords, NumberLiteral, QuotedName,
  RBrace, RBracket, RParen, StringLiteral, UnterminatedName,
  UnterminatedString, Word,
} from '../lang/tokens.js';
import type { Candidate, CandidateKind, Completion } from './candidates.js';
import { commandArguments } from './commands.js';
import { tokenize } from './highlight.js';

/** What completion needs to know about the session. */
export interface CompletionContext {
  tables: readonly string[];
  /** Named things that are not tables (models), offered with tables. */
  objects: readonly string[];
  /** The table a statement works on when it names none. */
  current?: string;
  columnsOf(table: string): readonly string[];
  /** The folder relative paths start from. */
  cwd: string;
}

export function complete(
  source: string,
  cursor: number,
  context: CompletionContext,
): Completion {
  const before = source.slice(0, cursor);
  if (/^\s*:/.test(before)) return completeCommand(before, context);

  const tokens = statementBefore(before);
  const last = tokens[tokens.length - 1];
  const touching = last && last.startOffset + last.image.length === cursor;

  // A quoted path being typed: `load "data/hm`.
  if (touching && isText(last)) {
    const preceding = tokens.slice(0, -1);
    if (!expectsPath(preceding)) return none(cursor);
    return completePath(last.image, last.startOffset, context.cwd);
  }

  const partial = touching && isWordLike(last) ? last : undefined;
  const preceding = partial ? tokens.slice(0, -1) : tokens;
  const typed = partial ? partial.image : '';
  const from = partial ? partial.startOffset : cursor;
  if (!partial && touching && endsValue(last)) {
    // Right after `10` or `"x"`: a word typed here would run into it.
    return none(cursor);
  }

  const paths = getParser().computeContentAssist('statement', preceding);
  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  const add = (text: string, kind: CandidateKind) => {
    if (seen.has(text) || !matches(unquoted(text), unquoted(typed))) return;
    seen.add(text);
    candidates.push({ text, kind });
  };

  // Names first: they are what people most often complete.
  for (const path of paths) {
    if (!acceptsName(path.nextTokenType)) continue;
    const place = namePlace(path.ruleStack);
    if (place === 'new') continue;
    if (place === 'table') {
      for (const table of context.tables) add(quoteName(table), 'table');
      for (const object of context.objects) add(quoteName(object), 'table');
    } else {
      const table = namedTable(preceding) ?? context.current;
      for (const column of table ? context.columnsOf(table) : []) {
        add(quoteName(column), 'column');
      }
    }
  }
  const words = paths.map((path) => keywordOf(path.nextTokenType))
    .filter((word): word is string => word !== undefined)
    .sort();
  for (const word of words) add(word, 'keyword');

  // `load ` and Tab: the files of the folder, as well as the words that
  // may follow (`load annotations ...`).
  if (!partial && expectsPath(preceding)) {
    const files = completePath('"', cursor, context.cwd, false);
    candidates.push(...files.candidates);
  }
  return { from, typed, candidates };
}

function none(cursor: number): Completion {
  return { from: cursor, typed: '', candidates: [] };
}

/** A name without the backticks it is written in, for matching. */
function unquoted(name: string): string {
  return name.replace(/^`/, '').replace(/`$/, '');
}

function matches(text: string, typed: string): boolean {
  return text.toLowerCase().startsWith(typed.toLowerCase());
}

// Which statement the cursor is in ----------------------------------------

const closing = new Set<TokenType>([RParen, RBracket, RBrace]);

/**
 * The tokens of the statement the cursor is in. Earlier statements in the
 * text (a pasted script) are left out.
 */
function statementBefore(before: string): IToken[] {
  return openStatement(tokenize(before).tokens);
}

/** A token that a following word must be separated from by a space. */
function endsValue(token: IToken): boolean {
  const type = token.tokenType;
  return type === NumberLiteral || type === StringLiteral ||
    type === QuotedName || closing.has(type);
}

function isText(token: IToken): boolean {
  return token.tokenType === UnterminatedString;
}

function isWordLike(token: IToken): boolean {
  const type = token.tokenType;
  return type === Word || type === UnterminatedName ||
    keywordOf(type) !== undefined;
}

function acceptsName(type: TokenType): boolean {
  return type === Identifier || type === Word || type === QuotedName;
}

/**
 * Whether a name in this place is a table (`on NAME`, `use NAME`, the
 * name right after a verb as in `show loans`), a new name (`as NAME`), or
 * else a column.
 */
function namePlace(ruleStack: readonly string[]): 'table' | 'column' | 'new' {
  const parent = ruleStack[ruleStack.length - 2] ?? '';
  if (ruleStack.includes('asClause')) return 'new';
  if (ruleStack.includes('onClause')) return 'table';
  if (ruleStack[ruleStack.length - 1] === 'name' &&
      parent.endsWith('Statement') && !ruleStack.includes('expression')) {
    return 'table';
  }
  return 'column';
}

/** The table an `on NAME` earlier in the statement names. */
function namedTable(tokens: readonly IToken[]): string | undefined {
  for (let i = tokens.length - 2; i >= 0; i--) {
    if (keywordOf(tokens[i]!.tokenType) === 'on') {
      const next = tokens[i + 1]!;
      return next.tokenType === QuotedName ? next.image.slice(1, -1)
        : next.image;
    }
  }
  return undefined;
}

const plainName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A reserved word (`as`, `by`, ...) cannot be a name without backticks. */
function isReserved(word: string): boolean {
  if (!keywordWords().includes(word)) return false;
  // keyword() returns the token already declared for the word.
  return !(keyword(word).CATEGORIES ?? []).includes(Identifier);
}

/** A name as it must be written: backticks unless it is a plain word. */
export function quoteName(name: string): string {
  return plainName.test(name) && !isReserved(name) ? name : `\`${name}\``;
}

// Files --------------------------------------------------------------------

/**
 * Whether a quoted text here is a file path: the grammar expects text and
 * the place is not a value in an expression or a mapping.
 */
function expectsPath(preceding: IToken[]): boolean {
  const first = preceding[0];
  if (!first || !['load', 'save', 'report'].includes(
    keywordOf(first.tokenType) ?? '')) return false;
  return getParser().computeContentAssist('statement', preceding).some(
    (path) => path.nextTokenType === StringLiteral &&
      !path.ruleStack.some((rule) => ['expression', 'mapping', 'literal']
        .includes(rule)));
}

/**
 * Entries of the folder a partly typed path points into. `quoted` is the
 * token so far, opening quote included.
 */
function completePath(
  quoted: string,
  from: number,
  cwd: string,
  replaceQuote = true,
): Completion {
  const quote = quoted[0] === "'" ? "'" : '"';
  const typed = quoted.slice(1);
  const slash = typed.lastIndexOf('/');
  const folderPart = slash === -1 ? '' : typed.slice(0, slash + 1);
  const namePart = typed.slice(slash + 1);
  const folder = resolve(cwd, folderPart || '.');

  let names: string[];
  try {
    names = readdirSync(folder).sort();
  } catch {
    names = [];
  }

  const candidates: Candidate[] = [];
  for (const name of names) {
    if (!name.startsWith(namePart)) continue;
    // Hidden files only when asked for with a leading dot.
    if (name.startsWith('.') && !namePart.startsWith('.')) continue;
    const isFolder = isDirectory(join(folder, name));
    candidates.push({
      text: quote + folderPart + name + (isFolder ? '/' : ''),
      kind: isFolder ? 'folder' : 'file',
    });
  }
  return { from, typed: replaceQuote ? quoted : '', candidates };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

// REPL commands ------------------------------------------------------------

function completeCommand(before: string, context: CompletionContext):
Completion {
  const match = /^(\s*):(\w*)(\s+(.*))?$/.exec(before);
  if (!match) return none(before.length);
  const [, indent = '', word = '', spaced, argument = ''] = match;

  if (spaced === undefined) {
    const from = indent.length;
    const candidates = Object.keys(commandArguments)
      .filter((name) => name.startsWith(word))
      .map((name): Candidate => ({ text: `:${name}`, kind: 'command' }));
    return { from, typed: `:${word}`, candidates };
  }

  const from = before.length - argument.length;
  const kind = commandArguments[word];
  if (kind === 'table') {
    const candidates = context.tables
      .filter((table) => table.startsWith(argument))
      .map((table): Candidate => ({ text: table, kind: 'argument' }));
    return { from, typed: argument, candidates };
  }
  if (kind === 'file') {
    // Command arguments are not quoted: complete the bare path.
    const found = completePath('"' + argument, from, context.cwd);
    return {
      from,
      typed: argument,
      candidates: found.candidates.map((candidate) => ({
        ...candidate,
        text: candidate.text.slice(1),
        kind: candidate.kind === 'file' ? 'argument' : candidate.kind,
      })),
    };
  }
  return none(before.length);
}
