// The grammar every statement shares: names, lists, clauses and
// expressions. Statement families extend this class as mixins
// (src/lang/statements/*) and register their statements with
// `statementRule`; src/lang/parser.ts assembles them.
//
// The grammar only recognises; meaning is given by the AST builder.

import {
  createToken, CstParser, Lexer, type CstNode, type ParserMethod, type TokenType,
} from './chevrotain.js';
import {
  allTokens, And, As, Caret, Colon, Comma, DoubleEqual, Equal, False,
  Greater, GreaterEqual, Identifier, In, Is, LBrace, Less, LessEqual,
  LParen, Minus, Missing, Not, NotEqual, NumberLiteral, On, Or, Percent,
  Plus, RBrace, RParen, Slash, Star, StringLiteral, True,
} from './tokens.js';

// Operator categories keep the order of mixed operators (a - b + c) in the
// concrete syntax tree, which separate token lists would lose.
export const AdditiveOperator = createToken({
  name: 'AdditiveOperator',
  pattern: Lexer.NA,
});
export const MultiplicativeOperator = createToken({
  name: 'MultiplicativeOperator',
  pattern: Lexer.NA,
});
export const ComparisonOperator = createToken({
  name: 'ComparisonOperator',
  pattern: Lexer.NA,
});

function addCategory(tokens: TokenType[], category: TokenType) {
  for (const token of tokens) {
    token.CATEGORIES = [...(token.CATEGORIES ?? []), category];
  }
}

addCategory([Plus, Minus], AdditiveOperator);
addCategory([Star, Slash, Percent], MultiplicativeOperator);
addCategory(
  [Equal, DoubleEqual, NotEqual, Less, LessEqual, Greater, GreaterEqual],
  ComparisonOperator,
);

type Rule = ParserMethod<[], CstNode>;

export class CoreParser extends CstParser {
  /** Top-level statement rules, in the order families registered them. */
  protected readonly statementRules: Rule[] = [];

  constructor() {
    super(
      [...allTokens(), AdditiveOperator, MultiplicativeOperator,
        ComparisonOperator],
      { nodeLocationTracking: 'full', recoveryEnabled: false, maxLookahead: 3 },
    );
  }

  /** Define a statement's rule and add it to the statement alternatives. */
  protected statementRule(name: string, body: () => void): Rule {
    const rule = this.RULE(name, body);
    this.statementRules.push(rule);
    return rule;
  }

  // 1. Names and lists

  readonly name = this.RULE('name', () => {
    this.CONSUME(Identifier);
  });

  readonly nameList = this.RULE('nameList', () => {
    this.AT_LEAST_ONE_SEP({
      SEP: Comma,
      DEF: () => this.SUBRULE(this.name),
    });
  });

  readonly onClause = this.RULE('onClause', () => {
    this.CONSUME(On);
    this.SUBRULE(this.name);
  });

  readonly asClause = this.RULE('asClause', () => {
    this.CONSUME(As);
    this.SUBRULE(this.name);
  });

  /** A literal value: number (maybe negative), text, true or false. */
  readonly literal = this.RULE('literal', () => {
    this.OR([
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(Minus));
          this.CONSUME(NumberLiteral);
        },
      },
      { ALT: () => this.CONSUME(StringLiteral) },
      { ALT: () => this.CONSUME(True) },
      { ALT: () => this.CONSUME(False) },
      { ALT: () => this.CONSUME(Identifier) },
    ]);
  });

  /** `{Black: 0.13, White: 0.6}`: named numbers, keys as text or names. */
  readonly mapping = this.RULE('mapping', () => {
    this.CONSUME(LBrace);
    this.MANY_SEP({
      SEP: Comma,
      DEF: () => this.SUBRULE(this.mappingEntry),
    });
    this.CONSUME(RBrace);
  });

  readonly mappingEntry = this.RULE('mappingEntry', () => {
    this.SUBRULE(this.literal, { LABEL: 'key' });
    this.CONSUME(Colon);
    this.SUBRULE2(this.literal, { LABEL: 'value' });
  });

  // 2. Expressions, loosest binding first

  readonly expression = this.RULE('expression', () => {
    this.SUBRULE(this.orExpression);
  });

  readonly orExpression = this.RULE('orExpression', () => {
    this.SUBRULE(this.andExpression, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(Or);
      this.SUBRULE2(this.andExpression, { LABEL: 'operands' });
    });
  });

  readonly andExpression = this.RULE('andExpression', () => {
    this.SUBRULE(this.notExpression, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(And);
      this.SUBRULE2(this.notExpression, { LABEL: 'operands' });
    });
  });

  readonly notExpression = this.RULE('notExpression', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Not);
          this.SUBRULE(this.notExpression);
        },
      },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]);
  });

  readonly comparison = this.RULE('comparison', () => {
    this.SUBRULE(this.additive, { LABEL: 'left' });
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(ComparisonOperator);
            this.SUBRULE2(this.additive, { LABEL: 'right' });
          },
        },
        { ALT: () => this.SUBRULE(this.inSuffix) },
        { ALT: () => this.SUBRULE(this.missingSuffix) },
      ]);
    });
  });

  readonly inSuffix = this.RULE('inSuffix', () => {
    this.OPTION(() => this.CONSUME(Not));
    this.CONSUME(In);
    this.CONSUME(LParen);
    this.AT_LEAST_ONE_SEP({
      SEP: Comma,
      DEF: () => this.SUBRULE(this.expression, { LABEL: 'items' }),
    });
    this.CONSUME(RParen);
  });

  readonly missingSuffix = this.RULE('missingSuffix', () => {
    this.CONSUME(Is);
    this.OPTION(() => this.CONSUME(Not));
    this.CONSUME(Missing);
  });

  readonly additive = this.RULE('additive', () => {
    this.SUBRULE(this.multiplicative, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(AdditiveOperator);
      this.SUBRULE2(this.multiplicative, { LABEL: 'operands' });
    });
  });

  readonly multiplicative = this.RULE('multiplicative', () => {
    this.SUBRULE(this.unary, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(MultiplicativeOperator);
      this.SUBRULE2(this.unary, { LABEL: 'operands' });
    });
  });

  readonly unary = this.RULE('unary', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Minus);
          this.SUBRULE(this.unary);
        },
      },
      { ALT: () => this.SUBRULE(this.power) },
    ]);
  });

  readonly power = this.RULE('power', () => {
    this.SUBRULE(this.primary, { LABEL: 'base' });
    this.OPTION(() => {
      this.CONSUME(Caret);
      this.SUBRULE(this.unary, { LABEL: 'exponent' });
    });
  });

  readonly primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(NumberLiteral) },
      { ALT: () => this.CONSUME(StringLiteral) },
      { ALT: () => this.CONSUME(True) },
      { ALT: () => this.CONSUME(False) },
      { ALT: () => this.CONSUME(Missing) },
      {
        ALT: () => {
          this.CONSUME(LParen);
          this.SUBRULE(this.expression);
          this.CONSUME(RParen);
        },
      },
      {
        GATE: () => this.LA(2).tokenType === LParen,
        ALT: () => this.SUBRULE(this.call),
      },
      { ALT: () => this.SUBRULE(this.name) },
    ]);
  });

  readonly call = this.RULE('call', () => {
    this.CONSUME(Identifier, { LABEL: 'function' });
    this.CONSUME(LParen);
    this.MANY_SEP({
      SEP: Comma,
      DEF: () => this.SUBRULE(this.expression, { LABEL: 'args' }),
    });
    this.CONSUME(RParen);
  });
}

/** The constructor type a family mixin extends. */
// A mixin's base must be constructible with any arguments: TypeScript's
// rule for mixin classes, not a loosening of our own types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ParserBase = new (...args: any[]) => CoreParser;
