// The typed syntax tree. Every node carries the span of text it came from,
// so that any later problem can point at the words that caused it.
//
// Statement kinds are declared by their families (src/lang/statements/*)
// through declaration merging on `StatementKinds`, so that adding a verb
// does not mean editing this file.

import type { Span } from './span.js';

export interface Node {
  span: Span;
}

/** A table or column name as written; backticks already removed. */
export interface Name extends Node {
  name: string;
}

export interface NumberLiteral extends Node {
  type: 'number';
  value: number;
}

export interface StringLiteral extends Node {
  type: 'string';
  value: string;
}

export interface BooleanLiteral extends Node {
  type: 'boolean';
  value: boolean;
}

export interface MissingLiteral extends Node {
  type: 'missing';
}

export interface ColumnRef extends Node {
  type: 'column';
  name: string;
}

export interface Negate extends Node {
  type: 'negate';
  operand: Expr;
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^';

export interface Arithmetic extends Node {
  type: 'arithmetic';
  op: ArithmeticOp;
  left: Expr;
  right: Expr;
}

export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export interface Comparison extends Node {
  type: 'compare';
  op: ComparisonOp;
  left: Expr;
  right: Expr;
}

export interface Logical extends Node {
  type: 'logical';
  op: 'and' | 'or';
  left: Expr;
  right: Expr;
}

export interface Not extends Node {
  type: 'not';
  operand: Expr;
}

export interface InList extends Node {
  type: 'in';
  negated: boolean;
  value: Expr;
  list: Expr[];
}

export interface IsMissing extends Node {
  type: 'is-missing';
  negated: boolean;
  value: Expr;
}

export interface Call extends Node {
  type: 'call';
  name: string;
  nameSpan: Span;
  args: Expr[];
}

export type Expr =
  | NumberLiteral | StringLiteral | BooleanLiteral | MissingLiteral
  | ColumnRef | Negate | Arithmetic | Comparison | Logical | Not | InList
  | IsMissing | Call;

/** What every statement has: its verb, and the optional `on` and `as`. */
export interface StatementBase extends Node {
  kind: string;
  /** The table the statement works on when named (`on NAME`). */
  input?: Name;
  /** The name given to what it produces (`as NAME`). */
  output?: Name;
}

/**
 * The statement kinds, keyed by kind. Families add to this interface:
 *
 *   declare module '../ast.js' {
 *     interface StatementKinds { seed: SeedStatement }
 *   }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface StatementKinds {}

export type Statement = StatementKinds[keyof StatementKinds];
export type StatementKind = keyof StatementKinds & string;

export interface Program {
  statements: Statement[];
}
