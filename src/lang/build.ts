// Concrete syntax tree to typed AST: the helpers every family's builder
// uses, and the expression builder.

import type { CstElement, CstNode, IToken } from 'chevrotain';
import type {
  ArithmeticOp, ComparisonOp, Expr, Name, Statement, StatementBase,
} from './ast.js';
import { joinSpans, spanOfToken, type Span } from './span.js';
import { QuotedName } from './tokens.js';

// 1. Reading children of a CST node

function isToken(element: CstElement): element is IToken {
  return (element as IToken).image !== undefined;
}

export function nodes(node: CstNode, key: string): CstNode[] {
  return (node.children[key] ?? []).filter(
    (element): element is CstNode => !isToken(element));
}

export function node(node: CstNode, key: string): CstNode | undefined {
  return nodes(node, key)[0];
}

export function tokens(node: CstNode, key: string): IToken[] {
  return (node.children[key] ?? []).filter(isToken);
}

export function token(node: CstNode, key: string): IToken | undefined {
  return tokens(node, key)[0];
}

export function has(node: CstNode, key: string): boolean {
  return (node.children[key]?.length ?? 0) > 0;
}

/** A node's span from chevrotain's location tracking. */
export function spanOf(node: CstNode): Span {
  const location = node.location;
  if (!location || Number.isNaN(location.startOffset)) {
    return { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
  }
  return {
    start: location.startOffset,
    end: (location.endOffset ?? location.startOffset) + 1,
    line: location.startLine ?? 1,
    column: location.startColumn ?? 1,
    endLine: location.endLine ?? location.startLine ?? 1,
    endColumn: (location.endColumn ?? location.startColumn ?? 1) + 1,
  };
}

// 2. Names, literals and clauses

/** The text of a name token, without backticks. */
export function nameText(token: IToken): string {
  return token.tokenType === QuotedName ? token.image.slice(1, -1) : token.image;
}

export function nameFromToken(token: IToken): Name {
  return { name: nameText(token), span: spanOfToken(token) };
}

/** A `name` rule node. */
export function buildName(cst: CstNode): Name {
  const identifier = tokens(cst, 'Identifier')[0]!;
  return nameFromToken(identifier);
}

export function buildNameList(cst: CstNode): Name[] {
  return nodes(cst, 'name').map(buildName);
}

/** The text inside a quoted string, with its escapes resolved. */
export function stringValue(token: IToken): string {
  const body = token.image.slice(1, -1);
  return body.replace(/\\(.)/g, (_, char: string) => {
    switch (char) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      default: return char;
    }
  });
}

export type LiteralValue = number | string | boolean;

/** A `literal` rule node: a number, text, true/false or a bare word. */
export function buildLiteral(cst: CstNode): { value: LiteralValue; span: Span } {
  const span = spanOf(cst);
  const number = token(cst, 'NumberLiteral');
  if (number) {
    const sign = has(cst, 'Minus') ? -1 : 1;
    return { value: sign * Number(number.image), span };
  }
  const text = token(cst, 'StringLiteral');
  if (text) return { value: stringValue(text), span };
  if (has(cst, 'KwTrue')) return { value: true, span };
  if (has(cst, 'KwFalse')) return { value: false, span };
  return { value: nameText(token(cst, 'Identifier')!), span };
}

export interface MappingEntry {
  key: string;
  keySpan: Span;
  value: LiteralValue;
  valueSpan: Span;
}

export function buildMapping(cst: CstNode): MappingEntry[] {
  return nodes(cst, 'mappingEntry').map((entry) => {
    const key = buildLiteral(node(entry, 'key')!);
    const value = buildLiteral(node(entry, 'value')!);
    return {
      key: String(key.value),
      keySpan: key.span,
      value: value.value,
      valueSpan: value.span,
    };
  });
}

/**
 * The parts every statement has: kind, span, and the `on NAME` and
 * `as NAME` clauses wherever they appear in the statement.
 */
export function base<K extends string>(
  kind: K,
  cst: CstNode,
): StatementBase & { kind: K } {
  const on = node(cst, 'onClause');
  const as = node(cst, 'asClause');
  return {
    kind,
    span: spanOf(cst),
    ...(on ? { input: buildName(node(on, 'name')!) } : {}),
    ...(as ? { output: buildName(node(as, 'name')!) } : {}),
  };
}

/** Clauses written more than once, for a "given twice" diagnostic. */
export function repeatedClauses(
  cst: CstNode,
  keys: readonly string[],
): { key: string; span: Span }[] {
  const repeated: { key: string; span: Span }[] = [];
  for (const key of keys) {
    const elements = cst.children[key] ?? [];
    if (elements.length > 1) {
      const second = elements[1]!;
      const span = isToken(second) ? spanOfToken(second) : spanOf(second);
      repeated.push({ key, span });
    }
  }
  return repeated;
}

// 3. Expressions

const comparisonOps: Record<string, ComparisonOp> = {
  '=': '=', '==': '=', '!=': '!=', '<>': '!=',
  '<': '<', '<=': '<=', '>': '>', '>=': '>=',
};

export function buildExpression(cst: CstNode): Expr {
  switch (cst.name) {
    case 'expression':
      return buildExpression(node(cst, 'orExpression')!);
    case 'orExpression':
      return chainLogical(cst, 'or');
    case 'andExpression':
      return chainLogical(cst, 'and');
    case 'notExpression': {
      const inner = node(cst, 'notExpression');
      if (inner) {
        return { type: 'not', operand: buildExpression(inner),
          span: spanOf(cst) };
      }
      return buildExpression(node(cst, 'comparison')!);
    }
    case 'comparison':
      return buildComparison(cst);
    case 'additive':
    case 'multiplicative':
      return chainArithmetic(cst);
    case 'unary': {
      const inner = node(cst, 'unary');
      if (inner) {
        return { type: 'negate', operand: buildExpression(inner),
          span: spanOf(cst) };
      }
      return buildExpression(node(cst, 'power')!);
    }
    case 'power': {
      const base = buildExpression(node(cst, 'base')!);
      const exponent = node(cst, 'exponent');
      if (!exponent) return base;
      return { type: 'arithmetic', op: '^', left: base,
        right: buildExpression(exponent), span: spanOf(cst) };
    }
    case 'primary':
      return buildPrimary(cst);
    default:
      throw new Error(`no expression builder for rule ${cst.name}`);
  }
}

function chainLogical(cst: CstNode, op: 'and' | 'or'): Expr {
  const operands = nodes(cst, 'operands').map(buildExpression);
  return operands.reduce((left, right) => ({
    type: 'logical', op, left, right, span: joinSpans(left.span, right.span),
  }));
}

function chainArithmetic(cst: CstNode): Expr {
  const operands = nodes(cst, 'operands').map(buildExpression);
  const operators = [
    ...tokens(cst, 'AdditiveOperator'),
    ...tokens(cst, 'MultiplicativeOperator'),
  ].sort((a, b) => a.startOffset - b.startOffset);

  let result = operands[0]!;
  operators.forEach((operator, i) => {
    const right = operands[i + 1]!;
    result = {
      type: 'arithmetic',
      op: operator.image as ArithmeticOp,
      left: result,
      right,
      span: joinSpans(result.span, right.span),
    };
  });
  return result;
}

function buildComparison(cst: CstNode): Expr {
  const left = buildExpression(node(cst, 'left')!);
  const span = spanOf(cst);

  const operator = token(cst, 'ComparisonOperator');
  if (operator) {
    return {
      type: 'compare',
      op: comparisonOps[operator.image]!,
      left,
      right: buildExpression(node(cst, 'right')!),
      span,
    };
  }

  const inSuffix = node(cst, 'inSuffix');
  if (inSuffix) {
    return {
      type: 'in',
      negated: has(inSuffix, 'KwNot'),
      value: left,
      list: nodes(inSuffix, 'items').map(buildExpression),
      span,
    };
  }

  const missing = node(cst, 'missingSuffix');
  if (missing) {
    return { type: 'is-missing', negated: has(missing, 'KwNot'),
      value: left, span };
  }
  return left;
}

function buildPrimary(cst: CstNode): Expr {
  const span = spanOf(cst);
  const number = token(cst, 'NumberLiteral');
  if (number) return { type: 'number', value: Number(number.image), span };

  const text = token(cst, 'StringLiteral');
  if (text) return { type: 'string', value: stringValue(text), span };

  if (has(cst, 'KwTrue')) return { type: 'boolean', value: true, span };
  if (has(cst, 'KwFalse')) return { type: 'boolean', value: false, span };
  if (has(cst, 'KwMissing')) return { type: 'missing', span };

  const inner = node(cst, 'expression');
  if (inner) return buildExpression(inner);

  const call = node(cst, 'call');
  if (call) {
    const fn = token(call, 'function')!;
    return {
      type: 'call',
      name: nameText(fn),
      nameSpan: spanOfToken(fn),
      args: nodes(call, 'args').map(buildExpression),
      span,
    };
  }

  const name = buildName(node(cst, 'name')!);
  return { type: 'column', name: name.name, span };
}

// 4. Statements: each family registers a builder per statement rule

type Builder = (cst: CstNode) => Statement;
const builders = new Map<string, Builder>();

export function defineBuilder(rule: string, builder: Builder): void {
  builders.set(rule, builder);
}

/** Build the statement held by a `statement` rule node. */
export function buildStatement(cst: CstNode): Statement {
  const [rule] = Object.keys(cst.children);
  const inner = rule ? node(cst, rule) : undefined;
  const builder = rule ? builders.get(rule) : undefined;
  if (!inner || !builder) {
    throw new Error(`no builder registered for rule "${rule}"`);
  }
  return builder(inner);
}
