// The checker: walks the statements in order, keeping track of which
// tables exist and what columns they have, and reports every problem it
// can find before anything runs. Its output is the plan: one step per
// statement, naming the table each one reads and the table it produces.
//
// The checker never touches files itself; a FileOracle supplied by the
// caller answers "does this file exist" and "what columns does it have".

import type { Expr, Name, Statement, StatementKind } from './ast.js';
import { error, problems, type Diagnostic, type ProblemEntry }
  from './diagnostics.js';
import { functions, isAggregateCall } from './functions.js';
import type { Span } from './span.js';
import { closest } from './suggest.js';
import { compatible, typeName, type Schema, type ValueType } from './types.js';

/** What the checker knows about a table. */
export interface TableFacts {
  /** Columns and types; undefined when they cannot be known in advance. */
  schema?: Schema;
  /** The resolved path it was loaded from, if any. */
  file?: string;
  /** A family may mark special tables, such as 'images'. */
  shape?: string;
}

export interface FileOracle {
  /** The absolute path a script's path refers to. */
  resolve(path: string): string;
  exists(resolved: string): boolean;
  /** Columns of a data file, read cheaply; undefined if unreadable. */
  schema(resolved: string, format: string): Schema | undefined;
}

/** Named things that are not tables: models, results, thresholds. */
export interface ObjectFacts {
  shape: string;
  /** Whatever a family needs to check later statements that use it. */
  facts?: Record<string, unknown>;
}

export interface Environment {
  tables: Map<string, TableFacts>;
  objects: Map<string, ObjectFacts>;
  current?: string;
  /** Resolved paths read as input: never to be written. */
  inputs: Set<string>;
  /** Resolved paths written earlier in the script. */
  written: Set<string>;
  files: FileOracle;
}

export function emptyEnvironment(files: FileOracle): Environment {
  return {
    tables: new Map(),
    objects: new Map(),
    inputs: new Set(),
    written: new Set(),
    files,
  };
}

/** A copy that a check can change without touching the original. */
export function forkEnvironment(env: Environment): Environment {
  return {
    tables: new Map(env.tables),
    objects: new Map(env.objects),
    current: env.current,
    inputs: new Set(env.inputs),
    written: new Set(env.written),
    files: env.files,
  };
}

/** One statement of the plan, with the tables it reads and writes. */
export interface Step {
  statement: Statement;
  line: number;
  /** The table read, when the statement reads one. */
  input?: string;
  /** The table produced or replaced, when the statement produces one. */
  output?: string;
}

export type Checker<S> = (statement: S, scope: Scope) => void;

const checkers = new Map<string, Checker<never>>();

/** Families register a checker for each statement kind they define. */
export function defineChecker<K extends StatementKind>(
  kind: K,
  checker: Checker<Extract<Statement, { kind: K }>>,
): void {
  checkers.set(kind, checker as Checker<never>);
}

export interface InputTable {
  name: string;
  facts: TableFacts;
  span: Span;
}

/** The checker's view while it looks at one statement. */
export class Scope {
  readonly diagnostics: Diagnostic[] = [];
  readonly step: Step;

  constructor(readonly env: Environment, readonly statement: Statement) {
    this.step = { statement, line: statement.span.line };
  }

  get failed(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }

  report(entry: ProblemEntry, span: Span | undefined): void {
    this.diagnostics.push(error(entry, span ?? this.statement.span));
  }

  warn(entry: ProblemEntry, span: Span | undefined): void {
    this.diagnostics.push({
      ...error(entry, span ?? this.statement.span),
      severity: 'warning',
    });
  }

  /**
   * The table a statement works on: the one it names, or else the current
   * table. Reports a problem and returns undefined when there is none.
   */
  inputTable(named?: Name): InputTable | undefined {
    const name = named?.name ?? this.env.current;
    if (!name) {
      this.report(problems.noCurrentTable(), this.statement.span);
      return undefined;
    }

    const facts = this.env.tables.get(name);
    if (!facts) {
      const known = [...this.env.tables.keys()];
      this.report(
        problems.unknownTable(name, known, closest(name, known)),
        named?.span ?? this.statement.span,
      );
      return undefined;
    }

    this.step.input = name;
    return { name, facts, span: named?.span ?? this.statement.span };
  }

  /** The type of a column, or undefined after reporting it unknown. */
  column(table: InputTable, column: Name): ValueType | undefined {
    const schema = table.facts.schema;
    if (!schema) return 'unknown';

    const type = schema.get(column.name);
    if (type) return type;

    const names = [...schema.keys()];
    this.report(
      problems.unknownColumn(column.name, table.name, names,
        closest(column.name, names)),
      column.span,
    );
    return undefined;
  }

  /** Check a list of columns: each known, none named twice. */
  columns(table: InputTable, columns: readonly Name[]): void {
    const seen = new Set<string>();
    for (const column of columns) {
      this.column(table, column);
      if (seen.has(column.name)) {
        this.report(problems.duplicateColumn(column.name), column.span);
      }
      seen.add(column.name);
    }
  }

  /** The type of an expression over a table's rows. */
  typeOf(expr: Expr, table: InputTable): ValueType | undefined {
    return typeExpression(expr, table, this, false);
  }

  /** Expect an expression of one type; report when it is another. */
  expectType(
    expr: Expr,
    table: InputTable,
    expected: ValueType,
    what: string,
  ): void {
    const type = this.typeOf(expr, table);
    if (type && !compatible(type, expected)) {
      this.report(
        problems.wrongType(what, typeName(expected), typeName(type)),
        expr.span,
      );
    }
  }

  /**
   * Record the table a statement produces. When `current` is true (the
   * default) it becomes the table later statements work on.
   */
  produce(name: string, facts: TableFacts, current = true): void {
    this.env.tables.set(name, facts);
    if (current) this.env.current = name;
    this.step.output = name;
  }

  /** The name a transforming statement writes: `as NAME`, else its input. */
  outputName(input: InputTable | undefined): string | undefined {
    return this.statement.output?.name ?? input?.name;
  }
}

// Expression typing ---------------------------------------------------------

function typeExpression(
  expr: Expr,
  table: InputTable,
  scope: Scope,
  insideAggregate: boolean,
): ValueType | undefined {
  const recurse = (e: Expr, inside = insideAggregate) =>
    typeExpression(e, table, scope, inside);

  switch (expr.type) {
    case 'number': return 'number';
    case 'string': return 'string';
    case 'boolean': return 'boolean';
    case 'missing': return 'unknown';
    case 'column':
      return scope.column(table, { name: expr.name, span: expr.span });

    case 'negate': {
      const type = recurse(expr.operand);
      expectOperand(scope, type, 'number', 'the operand of -', expr.operand);
      return 'number';
    }

    case 'arithmetic': {
      const left = recurse(expr.left);
      const right = recurse(expr.right);
      const what = `each side of ${expr.op}`;
      expectOperand(scope, left, 'number', what, expr.left);
      expectOperand(scope, right, 'number', what, expr.right);
      return 'number';
    }

    case 'compare': {
      const left = recurse(expr.left);
      const right = recurse(expr.right);
      if (left && right && !compatible(left, right)) {
        scope.report(
          problems.typeMismatch('compare', describeOperand(expr.left, left),
            describeOperand(expr.right, right)),
          expr.span,
        );
      }
      const ordered = expr.op !== '=' && expr.op !== '!=';
      if (ordered && (left === 'boolean' || right === 'boolean')) {
        scope.report(
          problems.wrongType(`each side of ${expr.op}`,
            'a number or text', typeName('boolean')),
          expr.span,
        );
      }
      return 'boolean';
    }

    case 'logical': {
      const what = `each side of "${expr.op}"`;
      expectOperand(scope, recurse(expr.left), 'boolean', what, expr.left);
      expectOperand(scope, recurse(expr.right), 'boolean', what, expr.right);
      return 'boolean';
    }

    case 'not':
      expectOperand(scope, recurse(expr.operand), 'boolean',
        'the operand of "not"', expr.operand);
      return 'boolean';

    case 'in': {
      const value = recurse(expr.value);
      for (const item of expr.list) {
        const type = recurse(item);
        if (value && type && !compatible(value, type)) {
          scope.report(
            problems.typeMismatch('compare',
              describeOperand(expr.value, value),
              describeOperand(item, type)),
            item.span,
          );
        }
      }
      return 'boolean';
    }

    case 'is-missing':
      recurse(expr.value);
      return 'boolean';

    case 'call':
      return typeCall(expr, table, scope, insideAggregate);
  }
}

function typeCall(
  expr: Extract<Expr, { type: 'call' }>,
  table: InputTable,
  scope: Scope,
  insideAggregate: boolean,
): ValueType | undefined {
  const signature = functions[expr.name];
  if (!signature) {
    scope.report(
      problems.unknownFunction(expr.name,
        closest(expr.name, Object.keys(functions))),
      expr.nameSpan,
    );
    for (const arg of expr.args) {
      typeExpression(arg, table, scope, insideAggregate);
    }
    return undefined;
  }

  const count = expr.args.length;
  if (count < signature.min || count > signature.max) {
    const expected = signature.min === signature.max
      ? `${signature.min} argument${signature.min === 1 ? '' : 's'}`
      : signature.max === Infinity
        ? `at least ${signature.min} argument${signature.min === 1 ? '' : 's'}`
        : `${signature.min} to ${signature.max} arguments`;
    scope.report(problems.wrongArity(expr.name, expected, count), expr.span);
    return undefined;
  }

  const aggregate = isAggregateCall(expr.name, count);
  if (aggregate && insideAggregate) {
    scope.report(problems.nestedAggregate(expr.name), expr.span);
  }

  const types = expr.args.map((arg, i) => {
    const type = typeExpression(arg, table, scope,
      insideAggregate || aggregate);
    const expected = signature.args[Math.min(i, signature.args.length - 1)]!;
    if (expected !== 'any') {
      expectOperand(scope, type, expected,
        `argument ${i + 1} of ${expr.name}()`, arg);
    }
    return type;
  });

  if (signature.returns !== 'same') return signature.returns;
  return sameType(expr, types, scope);
}

/** For if(), coalesce(), min() and max(): the arguments' common type. */
function sameType(
  expr: Extract<Expr, { type: 'call' }>,
  types: (ValueType | undefined)[],
  scope: Scope,
): ValueType | undefined {
  const values = expr.name === 'if' ? types.slice(1) : types;
  const args = expr.name === 'if' ? expr.args.slice(1) : expr.args;
  let result: ValueType = 'unknown';

  for (let i = 0; i < values.length; i++) {
    const type = values[i];
    if (!type) return undefined;
    if (!compatible(result, type)) {
      scope.report(
        problems.typeMismatch(`combine in ${expr.name}()`, typeName(result),
          describeOperand(args[i]!, type)),
        args[i]!.span,
      );
      return undefined;
    }
    if (type !== 'unknown') result = type;
  }
  return result;
}

function expectOperand(
  scope: Scope,
  found: ValueType | undefined,
  expected: ValueType,
  what: string,
  expr: Expr,
): void {
  if (found && !compatible(found, expected)) {
    scope.report(
      problems.wrongType(what, typeName(expected),
        describeOperand(expr, found)),
      expr.span,
    );
  }
}

function describeOperand(expr: Expr, type: ValueType): string {
  if (expr.type === 'column') return `column ${expr.name} (${typeName(type)})`;
  if (expr.type === 'string') return `the text ${JSON.stringify(expr.value)}`;
  if (expr.type === 'number') return `the number ${expr.value}`;
  return typeName(type);
}

// The whole program -----------------------------------------------------------

export interface Checked {
  steps: Step[];
  diagnostics: Diagnostic[];
}

/**
 * Check statements in order against an environment, which is updated as
 * if they had run. A statement with errors still declares its outputs
 * (with unknown columns) so that one mistake is reported once, not again
 * at every later use.
 */
export function checkStatements(
  statements: readonly Statement[],
  env: Environment,
): Checked {
  const steps: Step[] = [];
  const diagnostics: Diagnostic[] = [];

  for (const statement of statements) {
    const { step, diagnostics: found } = checkStatement(statement, env);
    steps.push(step);
    diagnostics.push(...found);
  }
  return { steps, diagnostics };
}

export function checkStatement(
  statement: Statement,
  env: Environment,
): { step: Step; diagnostics: Diagnostic[] } {
  const scope = new Scope(env, statement);
  const checker = checkers.get(statement.kind);
  if (!checker) {
    throw new Error(`no checker registered for "${statement.kind}"`);
  }
  (checker as Checker<Statement>)(statement, scope);

  // A statement that failed before it could say what it produces still
  // defines its `as` name, with unknown columns, so that later statements
  // are not blamed for its mistake.
  if (scope.failed && statement.output && !scope.step.output) {
    env.tables.set(statement.output.name, {});
  }
  return { step: scope.step, diagnostics: scope.diagnostics };
}

/** Declare names a statement that failed to parse would have made. */
export function declareUnparsed(names: readonly string[], env: Environment) {
  for (const name of names) {
    if (!env.tables.has(name)) env.tables.set(name, {});
  }
}
