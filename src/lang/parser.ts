// Source text to statements:
//
//   text --lex--> tokens --split at line ends--> one token list per
//   statement --parse--> CST --build--> AST
//
// Each statement is parsed on its own, so a mistake in one line never
// hides the problems of the next: one run reports every broken statement.

import {
  EOF, type CstNode, type IOrAlt, type IRecognitionException, type IToken,
  type TokenType,
} from './chevrotain.js';
import type { Program, Statement } from './ast.js';
import { buildStatement, nameText } from './build.js';
import { error, problems, type Diagnostic } from './diagnostics.js';
import { CoreParser } from './grammar.js';
import { lex } from './lexer.js';
import { spanOfToken } from './span.js';
import { closest } from './suggest.js';
import {
  As, describeToken, Identifier, keywordOf, Word,
} from './tokens.js';
import { families } from './statements/index.js';

const Composed = families(CoreParser);

export class FairParser extends Composed {
  private alternatives?: IOrAlt<unknown>[];

  readonly statement = this.RULE('statement', () => {
    this.alternatives ??= this.statementRules.map((rule) => ({
      ALT: () => this.SUBRULE(rule),
    }));
    this.OR(this.alternatives);
  });

  constructor() {
    super();
    this.performSelfAnalysis();
  }
}

let parser: FairParser | undefined;

export function getParser(): FairParser {
  parser ??= new FairParser();
  return parser;
}

export interface Parsed {
  program: Program;
  diagnostics: Diagnostic[];
  /** Names that statements which failed to parse seem to define. */
  unparsedNames: string[];
}

export function parse(source: string): Parsed {
  const lexed = lex(source);
  const diagnostics = [...lexed.diagnostics];
  const statements: Statement[] = [];
  const unparsedNames: string[] = [];

  for (const tokens of lexed.broken) unparsedNames.push(...namesDefinedBy(tokens));
  for (const tokens of lexed.statements) {
    const result = parseStatement(tokens);
    if (result.statement) {
      statements.push(result.statement);
    } else {
      unparsedNames.push(...namesDefinedBy(tokens));
    }
    diagnostics.push(...result.diagnostics);
  }

  diagnostics.sort((a, b) => (a.span?.start ?? 0) - (b.span?.start ?? 0));
  return { program: { statements }, diagnostics, unparsedNames };
}

export function parseStatement(tokens: IToken[]): {
  statement?: Statement;
  diagnostics: Diagnostic[];
} {
  const p = getParser();
  p.input = tokens;
  const cst = p.statement();

  if (p.errors.length) {
    return { diagnostics: [syntaxError(p.errors[0]!, tokens)] };
  }

  const repeated = repeatedClauses(cst);
  const statement = buildStatement(cst);
  return { statement, diagnostics: repeated };
}

// Syntax errors -------------------------------------------------------------

/** The words that can start a statement, for "did you mean". */
function statementWords(): string[] {
  const words = new Set<string>();
  for (const path of getParser().computeContentAssist('statement', [])) {
    const word = keywordOf(path.nextTokenType);
    if (word) words.add(word);
  }
  return [...words];
}

/** Turn a chevrotain exception into a diagnostic people can act on. */
function syntaxError(
  exception: IRecognitionException,
  tokens: readonly IToken[],
): Diagnostic {
  let offending = exception.token;
  let atEnd = offending.tokenType === EOF || Number.isNaN(
    offending.startOffset);
  let index = atEnd ? tokens.length : tokens.indexOf(offending);

  // Statements that share a first word (`load "x"`, `load annotations`)
  // fail on that word when the next fits neither: find the real place.
  if (index === 0 && !atEnd) {
    const valid = validPrefix(tokens);
    if (valid > 0) {
      index = valid;
      atEnd = valid >= tokens.length;
      offending = atEnd ? offending : tokens[valid]!;
    }
  }
  const last = tokens[tokens.length - 1]!;
  const span = atEnd ? endOfLine(last) : spanOfToken(offending);
  const found = atEnd ? 'the end of the line' : JSON.stringify(offending.image);

  // The very first word is not a statement.
  if (index === 0) {
    const word = offending.image;
    return error(
      problems.unknownStatement(word, closest(word, statementWords())),
      span,
    );
  }

  const expected = expectedAfter(tokens.slice(0, Math.max(0, index)));
  const words = expected.map(keywordOf).filter(
    (word): word is string => word !== undefined);
  const misspelt = !atEnd && isWordLike(offending.tokenType)
    ? closest(nameText(offending), words)
    : undefined;
  // Extra words after a complete statement: ending the line is also fine.
  const complete = exception.name === 'NotAllInputParsedException';
  return error(
    problems.unexpectedToken(found,
      describeExpected(expected, complete), misspelt),
    span,
  );
}

/** How many leading tokens some statement could begin with. */
function validPrefix(tokens: readonly IToken[]): number {
  let length = 0;
  while (length < tokens.length) {
    const next = tokens[length]!.tokenType;
    const fits = expectedAfter(tokens.slice(0, length)).some((type) =>
      type === next || (next.CATEGORIES ?? []).includes(type));
    if (!fits) break;
    length++;
  }
  return length;
}

function isWordLike(type: TokenType): boolean {
  return type === Word || keywordOf(type) !== undefined;
}

/** Token types that could come after the given tokens in a statement. */
function expectedAfter(preceding: IToken[]): TokenType[] {
  const seen = new Set<TokenType>();
  for (const path of getParser().computeContentAssist('statement', preceding)) {
    seen.add(path.nextTokenType);
  }
  // A name is accepted wherever Identifier is; list it once.
  const types = [...seen];
  if (types.includes(Identifier)) {
    return [Identifier, ...types.filter((t) =>
      t !== Identifier && !(t.CATEGORIES ?? []).includes(Identifier))];
  }
  return types;
}

function describeExpected(types: TokenType[], canEnd = false): string {
  const names = [...new Set(types.map(describeToken))];
  if (canEnd) names.push('the end of the line');
  if (names.length === 0) return 'the end of the line';

  // Everything that can start an expression is one idea, not ten.
  const valueStarts = ['a name', 'a number', '"("'];
  if (valueStarts.every((name) => names.includes(name)) && names.length > 6) {
    const rest = names.filter((name) => !isValueStart(name));
    return ['a value or a column name', ...rest].join(' or ');
  }
  if (names.length === 1) return names[0]!;
  if (names.length > 8) {
    return `one of ${names.slice(0, 8).join(', ')}, ...`;
  }
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

function isValueStart(name: string): boolean {
  return ['a name', 'a number', '"("', '"-"', '"true"', '"false"',
    '"missing"', '"not"'].includes(name) || name.startsWith('a quoted text');
}

function endOfLine(last: IToken) {
  const span = spanOfToken(last);
  return {
    start: span.end,
    end: span.end + 1,
    line: span.endLine,
    column: span.endColumn,
    endLine: span.endLine,
    endColumn: span.endColumn + 1,
  };
}

/** A clause such as `as NAME` written twice in one statement. */
function repeatedClauses(cst: CstNode): Diagnostic[] {
  const statement = childNodes(cst)[0]?.[1];
  if (!statement) return [];

  // Clauses sit in the statement's rule or in its tableClauses rule.
  const clauses = new Map<string, CstNode[]>();
  const collect = (node: CstNode) => {
    for (const [key, child] of childNodes(node)) {
      if (key === 'tableClauses') collect(child);
      else if (key.endsWith('Clause')) {
        clauses.set(key, [...(clauses.get(key) ?? []), child]);
      }
    }
  };
  collect(statement);

  // A positional table name counts as an `on` clause.
  const positional = (statement.children['table']?.length ?? 0) > 0;
  const diagnostics: Diagnostic[] = [];
  for (const [key, found] of clauses) {
    const count = found.length + (key === 'onClause' && positional ? 1 : 0);
    if (count < 2) continue;
    const word = firstToken(found[found.length - 1]!);
    if (word) {
      diagnostics.push(error(problems.duplicateClause(word.image),
        spanOfToken(word)));
    }
  }
  return diagnostics;
}

function childNodes(node: CstNode): [string, CstNode][] {
  const result: [string, CstNode][] = [];
  for (const [key, children] of Object.entries(node.children)) {
    for (const child of children) {
      if (!('image' in child)) result.push([key, child]);
    }
  }
  return result;
}

function firstToken(node: CstNode): IToken | undefined {
  let first: IToken | undefined;
  for (const children of Object.values(node.children)) {
    for (const child of children) {
      const candidate = 'image' in child ? child : firstToken(child);
      if (candidate && (!first || candidate.startOffset < first.startOffset)) {
        first = candidate;
      }
    }
  }
  return first;
}

/** Guess the tables a broken statement meant to define: `as X`, `into A, B`. */
function namesDefinedBy(tokens: readonly IToken[]): string[] {
  const names: string[] = [];
  tokens.forEach((token, i) => {
    const next = tokens[i + 1];
    if (token.tokenType === As && next && isNameToken(next)) {
      names.push(nameText(next));
    }
    if (keywordOf(token.tokenType) === 'into') {
      for (let j = i + 1; j < tokens.length; j += 2) {
        const candidate = tokens[j]!;
        if (!isNameToken(candidate)) break;
        names.push(nameText(candidate));
      }
    }
  });
  return names;
}

function isNameToken(token: IToken): boolean {
  return (token.tokenType.CATEGORIES ?? []).includes(Identifier) ||
    token.tokenType === Identifier;
}
