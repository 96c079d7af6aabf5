// The words and signs of Fair.
//
// Keywords come in two kinds. Reserved words (`as`, `by`, `and`, ...) can
// never name a column without backticks. Every other keyword is "soft": it
// belongs to the Identifier category, so where the grammar expects a name
// a column called `label` or `target` is still just a name.
//
// Each statement family declares its own keywords with `keyword()` when its
// module loads; the lexer is built from the registry the first time it is
// needed, longest keyword first so that `top` is not read as `to` + `p`.

import { createToken, Lexer, type TokenType } from './chevrotain.js';

export const Identifier = createToken({
  name: 'Identifier',
  pattern: Lexer.NA,
});

export const Word = createToken({
  name: 'Word',
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  categories: [Identifier],
});

const keywords = new Map<string, TokenType>();

/** Declare a keyword; declaring one twice returns the same token. */
export function keyword(
  word: string,
  options: { reserved?: boolean } = {},
): TokenType {
  const known = keywords.get(word);
  if (known) return known;

  const token = createToken({
    name: keywordTokenName(word),
    pattern: new RegExp(word),
    longer_alt: Word,
    categories: options.reserved ? [] : [Identifier],
  });
  keywords.set(word, token);
  return token;
}

function keywordTokenName(word: string): string {
  return 'Kw' + word[0]!.toUpperCase() + word.slice(1);
}

/** All keyword spellings, for "did you mean" and completion. */
export function keywordWords(): string[] {
  return [...keywords.keys()];
}

export function isKeywordToken(token: TokenType): boolean {
  return token.name.startsWith('Kw');
}

/** The keyword spelling of a keyword token, or undefined. */
export function keywordOf(token: TokenType): string | undefined {
  for (const [word, type] of keywords) if (type === token) return word;
  return undefined;
}

// Reserved words: the glue of every statement.
export const As = keyword('as', { reserved: true });
export const On = keyword('on', { reserved: true });
export const By = keyword('by', { reserved: true });
export const To = keyword('to', { reserved: true });
export const Into = keyword('into', { reserved: true });
export const Using = keyword('using', { reserved: true });
export const Where = keyword('where', { reserved: true });
export const And = keyword('and', { reserved: true });
export const Or = keyword('or', { reserved: true });
export const Not = keyword('not', { reserved: true });
export const In = keyword('in', { reserved: true });
export const Is = keyword('is', { reserved: true });
export const True = keyword('true', { reserved: true });
export const False = keyword('false', { reserved: true });
export const Missing = keyword('missing', { reserved: true });

// Literals and signs.
export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/,
});
export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: /"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/,
});
/** A string without its closing quote: lexed so it can be reported well. */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /"(?:[^"\\\n]|\\.)*|'(?:[^'\\\n]|\\.)*/,
});
export const QuotedName = createToken({
  name: 'QuotedName',
  pattern: /`[^`\n]+`/,
  categories: [Identifier],
});
export const UnterminatedName = createToken({
  name: 'UnterminatedName',
  pattern: /`[^`\n]*/,
});

export const Newline = createToken({ name: 'Newline', pattern: /\n/ });
export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r]+/,
  group: Lexer.SKIPPED,
});
export const Comment = createToken({
  name: 'Comment',
  pattern: /#[^\n]*/,
  group: Lexer.SKIPPED,
});

function sign(name: string, pattern: RegExp): TokenType {
  return createToken({ name, pattern });
}

export const LessEqual = sign('LessEqual', /<=/);
export const GreaterEqual = sign('GreaterEqual', />=/);
export const NotEqual = sign('NotEqual', /!=|<>/);
export const DoubleEqual = sign('DoubleEqual', /==/);
export const Equal = sign('Equal', /=/);
export const Less = sign('Less', /</);
export const Greater = sign('Greater', />/);
export const DotDot = sign('DotDot', /\.\./);
export const Plus = sign('Plus', /\+/);
export const Minus = sign('Minus', /-/);
export const Star = sign('Star', /\*/);
export const Slash = sign('Slash', /\//);
export const Percent = sign('Percent', /%/);
export const Caret = sign('Caret', /\^/);
export const Comma = sign('Comma', /,/);
export const Colon = sign('Colon', /:/);
export const LParen = sign('LParen', /\(/);
export const RParen = sign('RParen', /\)/);
export const LBracket = sign('LBracket', /\[/);
export const RBracket = sign('RBracket', /\]/);
export const LBrace = sign('LBrace', /\{/);
export const RBrace = sign('RBrace', /\}/);

const signs = [
  LessEqual, GreaterEqual, NotEqual, DoubleEqual, Equal, Less, Greater,
  DotDot, Plus, Minus, Star, Slash, Percent, Caret, Comma, Colon,
  LParen, RParen, LBracket, RBracket, LBrace, RBrace,
];

/** The full token list, in the order the lexer must try them. */
export function allTokens(): TokenType[] {
  const byLength = [...keywords.entries()]
    .sort((a, b) => b[0].length - a[0].length || a[0].localeCompare(b[0]))
    .map(([, token]) => token);

  return [
    WhiteSpace, Comment, Newline,
    NumberLiteral, StringLiteral, UnterminatedString,
    QuotedName, UnterminatedName,
    ...byLength, Word, Identifier,
    ...signs,
  ];
}

const operatorCategories: Record<string, string> = {
  AdditiveOperator: '"+" or "-"',
  MultiplicativeOperator: '"*", "/" or "%"',
  ComparisonOperator: 'a comparison such as "=" or ">"',
};

/** Words a person would read in "expected ..." messages. */
export function describeToken(token: TokenType): string {
  const word = keywordOf(token);
  if (word) return `"${word}"`;
  switch (token) {
    case Identifier: case Word: return 'a name';
    case QuotedName: return 'a name';
    case NumberLiteral: return 'a number';
    case StringLiteral: return 'a quoted text such as "file.csv"';
    case Newline: return 'the end of the line';
    default: {
      const category = operatorCategories[token.name];
      if (category) return category;
      const pattern = token.PATTERN;
      if (pattern instanceof RegExp) {
        return '"' + pattern.source.replace(/\\/g, '').split('|')[0] + '"';
      }
      return token.name;
    }
  }
}
