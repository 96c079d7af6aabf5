// Source text to tokens, then tokens to statements.
//
// A statement ends at the end of its line, except inside brackets or after
// a trailing comma, where the statement continues on the next line.

import { Lexer, type IToken } from './chevrotain.js';
import {
  allTokens, Comma, LBrace, LBracket, LParen, Newline, RBrace, RBracket,
  RParen, UnterminatedName, UnterminatedString,
} from './tokens.js';
import { error, problems, type Diagnostic } from './diagnostics.js';
import { spanOfToken } from './span.js';

let lexer: Lexer | undefined;

function getLexer(): Lexer {
  lexer ??= new Lexer(allTokens(), {
    positionTracking: 'full',
    ensureOptimizations: false,
  });
  return lexer;
}

export interface Lexed {
  /** One token list per statement, without line ends. */
  statements: IToken[][];
  /** Statements with a lexical error, already reported. */
  broken: IToken[][];
  diagnostics: Diagnostic[];
}

export function lex(source: string): Lexed {
  const result = getLexer().tokenize(source);
  const diagnostics: Diagnostic[] = [];

  for (const problem of result.errors) {
    const char = source.slice(problem.offset, problem.offset + 1);
    diagnostics.push(error(problems.unexpectedCharacter(char), {
      start: problem.offset,
      end: problem.offset + problem.length,
      line: problem.line ?? 1,
      column: problem.column ?? 1,
      endLine: problem.line ?? 1,
      endColumn: (problem.column ?? 1) + problem.length,
    }));
  }

  // Lines with a problem the lexer found: their statements are not parsed,
  // so that one mistake gives one message, not a cascade.
  const brokenLines = new Set(result.errors.map((problem) => problem.line));
  for (const token of result.tokens) {
    if (token.tokenType === UnterminatedString) {
      diagnostics.push(
        error(problems.unterminatedString(), spanOfToken(token)));
      brokenLines.add(token.startLine);
    } else if (token.tokenType === UnterminatedName) {
      diagnostics.push(error(problems.unterminatedName(), spanOfToken(token)));
      brokenLines.add(token.startLine);
    }
  }

  const statements = splitStatements(result.tokens);
  return {
    statements: statements.filter((tokens) =>
      !tokens.some((token) => brokenLines.has(token.startLine))),
    broken: statements.filter((tokens) =>
      tokens.some((token) => brokenLines.has(token.startLine))),
    diagnostics,
  };
}

const opening = new Set([LParen, LBracket, LBrace]);
const closing = new Set([RParen, RBracket, RBrace]);

/**
 * Cut the token stream at line ends that really end a statement: the
 * finished statements, and the tokens of the one still open at the end.
 */
function scanStatements(tokens: readonly IToken[]): {
  finished: IToken[][];
  open: IToken[];
} {
  const finished: IToken[][] = [];
  let current: IToken[] = [];
  let depth = 0;

  for (const token of tokens) {
    const type = token.tokenType;
    if (type === Newline) {
      const last = current[current.length - 1];
      const continues = depth > 0 || last?.tokenType === Comma;
      if (!continues && current.length) {
        finished.push(current);
        current = [];
      }
      continue;
    }

    if (type === UnterminatedString || type === UnterminatedName) {
      current.push(token);
      continue;
    }
    if (opening.has(type)) depth++;
    if (closing.has(type)) depth = Math.max(0, depth - 1);
    current.push(token);
  }
  return { finished, open: current };
}

export function splitStatements(tokens: readonly IToken[]): IToken[][] {
  const { finished, open } = scanStatements(tokens);
  return open.length ? [...finished, open] : finished;
}

/** The tokens of the statement the text ends in (for completion). */
export function openStatement(tokens: readonly IToken[]): IToken[] {
  return scanStatements(tokens).open;
}

/** True when the text so far is an unfinished statement (for the REPL). */
export function continues(source: string): boolean {
  const tokens = getLexer().tokenize(source).tokens
    .filter((token) => token.tokenType !== Newline);
  let depth = 0;
  for (const token of tokens) {
    if (opening.has(token.tokenType)) depth++;
    if (closing.has(token.tokenType)) depth = Math.max(0, depth - 1);
  }
  return depth > 0 || tokens[tokens.length - 1]?.tokenType === Comma;
}
