// The data statements: seed, load, save, use, show, describe, where,
// select, derive, sample and join. Grammar, AST, builders and checks.

import type { CstNode } from 'chevrotain';
import type { Expr, Name, StatementBase } from '../ast.js';
import {
  base, buildExpression, buildMapping, buildName, buildNameList,
  defineBuilder, has, node, nodes, stringValue, token, type MappingEntry,
} from '../build.js';
import { defineChecker, type InputTable, type Scope } from '../check.js';
import { problems } from '../diagnostics.js';
import {
  formatFromPath, isTableFormat, tableFormats, tableNameFromPath,
} from '../formats.js';
import type { ParserBase } from '../grammar.js';
import { spanOfToken, type Span } from '../span.js';
import {
  Comma, Equal, keyword, NumberLiteral, Percent, StringLiteral, To, Using,
  Where,
} from '../tokens.js';
import type { Schema, ValueType } from '../types.js';

// 1. Words

const Seed = keyword('seed');
const Load = keyword('load');
const Save = keyword('save');
const Use = keyword('use');
const Show = keyword('show');
const Describe = keyword('describe');
const Select = keyword('select');
const Derive = keyword('derive');
const Sample = keyword('sample');
const Join = keyword('join');
const Format = keyword('format');
const Types = keyword('types');
const All = keyword('all');
const Except = keyword('except');
const With = keyword('with');
const Replacement = keyword('replacement');
const Inner = keyword('inner');
const Left = keyword('left');
const Right = keyword('right');
const Full = keyword('full');

// 2. Syntax tree

export interface SeedStatement extends StatementBase {
  kind: 'seed';
  value: number;
  valueSpan: Span;
}

export interface LoadStatement extends StatementBase {
  kind: 'load';
  path: string;
  pathSpan: Span;
  format?: Name;
  types?: MappingEntry[];
}

export interface SaveStatement extends StatementBase {
  kind: 'save';
  path: string;
  pathSpan: Span;
  format?: Name;
}

export interface UseStatement extends StatementBase {
  kind: 'use';
  table: Name;
}

export interface ShowStatement extends StatementBase {
  kind: 'show';
  /** Rows to show; undefined means the default, Infinity means all. */
  limit?: number;
  limitSpan?: Span;
}

export interface DescribeStatement extends StatementBase {
  kind: 'describe';
}

export interface WhereStatement extends StatementBase {
  kind: 'where';
  condition: Expr;
}

export interface SelectStatement extends StatementBase {
  kind: 'select';
  columns: Name[];
  /** `select all except a, b` keeps every column but those listed. */
  except: boolean;
}

export interface Assignment {
  name: Name;
  value: Expr;
}

export interface DeriveStatement extends StatementBase {
  kind: 'derive';
  assignments: Assignment[];
}

export interface SampleStatement extends StatementBase {
  kind: 'sample';
  size: number;
  percent: boolean;
  sizeSpan: Span;
  replace: boolean;
}

export type JoinHow = 'inner' | 'left' | 'right' | 'full';

export interface JoinStatement extends StatementBase {
  kind: 'join';
  how: JoinHow;
  right: Name;
  keys: Name[];
}

declare module '../ast.js' {
  interface StatementKinds {
    seed: SeedStatement;
    load: LoadStatement;
    save: SaveStatement;
    use: UseStatement;
    show: ShowStatement;
    describe: DescribeStatement;
    where: WhereStatement;
    select: SelectStatement;
    derive: DeriveStatement;
    sample: SampleStatement;
    join: JoinStatement;
  }
}

// 3. Grammar

export function dataGrammar<B extends ParserBase>(Base: B): B {
  return class DataGrammar extends Base {
    readonly seedStatement = this.statementRule('seedStatement', () => {
      this.CONSUME(Seed);
      this.CONSUME(NumberLiteral);
    });

    readonly loadStatement = this.statementRule('loadStatement', () => {
      this.CONSUME(Load);
      this.CONSUME(StringLiteral);
      this.MANY(() => this.OR([
        { ALT: () => this.SUBRULE(this.formatClause) },
        { ALT: () => this.SUBRULE(this.typesClause) },
        { ALT: () => this.SUBRULE(this.asClause) },
      ]));
    });

    readonly formatClause = this.RULE('formatClause', () => {
      this.CONSUME(Format);
      this.SUBRULE(this.name);
    });

    readonly typesClause = this.RULE('typesClause', () => {
      this.CONSUME(Types);
      this.SUBRULE(this.mapping);
    });

    readonly saveStatement = this.statementRule('saveStatement', () => {
      this.CONSUME(Save);
      this.OPTION(() => this.SUBRULE(this.name, { LABEL: 'table' }));
      this.CONSUME(To);
      this.CONSUME(StringLiteral);
      this.MANY(() => this.OR([
        { ALT: () => this.SUBRULE(this.formatClause) },
        { ALT: () => this.SUBRULE(this.onClause) },
      ]));
    });

    readonly useStatement = this.statementRule('useStatement', () => {
      this.CONSUME(Use);
      this.SUBRULE(this.name);
    });

    readonly showStatement = this.statementRule('showStatement', () => {
      this.CONSUME(Show);
      this.OPTION({
        GATE: () => this.LA(1).tokenType !== All,
        DEF: () => this.SUBRULE(this.name, { LABEL: 'table' }),
      });
      this.OPTION2(() => this.OR([
        { ALT: () => this.CONSUME(NumberLiteral) },
        { ALT: () => this.CONSUME(All) },
      ]));
      this.OPTION3(() => this.SUBRULE(this.onClause));
    });

    readonly describeStatement = this.statementRule('describeStatement',
      () => {
        this.CONSUME(Describe);
        this.OPTION(() => this.SUBRULE(this.name, { LABEL: 'table' }));
        this.MANY(() => this.OR([
          { ALT: () => this.SUBRULE(this.onClause) },
          { ALT: () => this.SUBRULE(this.asClause) },
        ]));
      });

    readonly whereStatement = this.statementRule('whereStatement', () => {
      this.CONSUME(Where);
      this.SUBRULE(this.expression);
      this.SUBRULE(this.tableClauses);
    });

    /** Any number of `on NAME` and `as NAME`, in either order. */
    readonly tableClauses = this.RULE('tableClauses', () => {
      this.MANY(() => this.OR([
        { ALT: () => this.SUBRULE(this.onClause) },
        { ALT: () => this.SUBRULE(this.asClause) },
      ]));
    });

    readonly selectStatement = this.statementRule('selectStatement', () => {
      this.CONSUME(Select);
      this.OPTION(() => {
        this.CONSUME(All);
        this.CONSUME(Except);
      });
      this.SUBRULE(this.nameList);
      this.SUBRULE(this.tableClauses);
    });

    readonly deriveStatement = this.statementRule('deriveStatement', () => {
      this.CONSUME(Derive);
      this.AT_LEAST_ONE_SEP({
        SEP: Comma,
        DEF: () => this.SUBRULE(this.assignment),
      });
      this.SUBRULE(this.tableClauses);
    });

    readonly assignment = this.RULE('assignment', () => {
      this.SUBRULE(this.name);
      this.CONSUME(Equal);
      this.SUBRULE(this.expression);
    });

    readonly sampleStatement = this.statementRule('sampleStatement', () => {
      this.CONSUME(Sample);
      this.CONSUME(NumberLiteral);
      this.OPTION(() => this.CONSUME(Percent));
      this.MANY(() => this.OR([
        {
          ALT: () => {
            this.CONSUME(With);
            this.CONSUME(Replacement);
          },
        },
        { ALT: () => this.SUBRULE(this.onClause) },
        { ALT: () => this.SUBRULE(this.asClause) },
      ]));
    });

    readonly joinStatement = this.statementRule('joinStatement', () => {
      this.CONSUME(Join);
      this.OPTION({
        GATE: () => this.LA(2).tokenType !== Using,
        DEF: () => this.OR([
          { ALT: () => this.CONSUME(Inner) },
          { ALT: () => this.CONSUME(Left) },
          { ALT: () => this.CONSUME(Right) },
          { ALT: () => this.CONSUME(Full) },
        ]),
      });
      this.SUBRULE(this.name, { LABEL: 'right' });
      this.CONSUME(Using);
      this.SUBRULE(this.nameList);
      this.SUBRULE(this.tableClauses);
    });
  };
}

// 4. Builders

/** `on NAME` or a positional table name; both may not be given. */
function withTable<S extends StatementBase>(statement: S, cst: CstNode): S {
  const positional = node(cst, 'table');
  if (!positional) return statement;
  return { ...statement, input: buildName(positional) };
}

/** The `on`/`as` clauses of statements that keep them in tableClauses. */
function baseWithClauses<K extends string>(kind: K, cst: CstNode) {
  const clauses = node(cst, 'tableClauses');
  const outer = base(kind, cst);
  if (!clauses) return outer;
  const inner = base(kind, clauses);
  return {
    ...outer,
    ...(inner.input ? { input: inner.input } : {}),
    ...(inner.output ? { output: inner.output } : {}),
  };
}

function formatOf(cst: CstNode): Name | undefined {
  const clause = node(cst, 'formatClause');
  return clause ? buildName(node(clause, 'name')!) : undefined;
}

defineBuilder('seedStatement', (cst) => {
  const number = token(cst, 'NumberLiteral')!;
  return { ...base('seed', cst), value: Number(number.image),
    valueSpan: spanOfToken(number) };
});

defineBuilder('loadStatement', (cst) => {
  const path = token(cst, 'StringLiteral')!;
  const format = formatOf(cst);
  const types = node(cst, 'typesClause');
  return {
    ...base('load', cst),
    path: stringValue(path),
    pathSpan: spanOfToken(path),
    ...(format ? { format } : {}),
    ...(types ? { types: buildMapping(node(types, 'mapping')!) } : {}),
  };
});

defineBuilder('saveStatement', (cst) => {
  const path = token(cst, 'StringLiteral')!;
  const format = formatOf(cst);
  return withTable({
    ...base('save', cst),
    path: stringValue(path),
    pathSpan: spanOfToken(path),
    ...(format ? { format } : {}),
  }, cst);
});

defineBuilder('useStatement', (cst) => ({
  ...base('use', cst),
  table: buildName(node(cst, 'name')!),
}));

defineBuilder('showStatement', (cst) => {
  const number = token(cst, 'NumberLiteral');
  const all = token(cst, 'KwAll');
  const limitToken = number ?? all;
  return withTable({
    ...base('show', cst),
    ...(number ? { limit: Number(number.image) } : {}),
    ...(all ? { limit: Infinity } : {}),
    ...(limitToken ? { limitSpan: spanOfToken(limitToken) } : {}),
  }, cst);
});

defineBuilder('describeStatement', (cst) =>
  withTable(base('describe', cst), cst));

defineBuilder('whereStatement', (cst) => ({
  ...baseWithClauses('where', cst),
  condition: buildExpression(node(cst, 'expression')!),
}));

defineBuilder('selectStatement', (cst) => ({
  ...baseWithClauses('select', cst),
  columns: buildNameList(node(cst, 'nameList')!),
  except: has(cst, 'KwExcept'),
}));

defineBuilder('deriveStatement', (cst) => ({
  ...baseWithClauses('derive', cst),
  assignments: nodes(cst, 'assignment').map((assignment) => ({
    name: buildName(node(assignment, 'name')!),
    value: buildExpression(node(assignment, 'expression')!),
  })),
}));

defineBuilder('sampleStatement', (cst) => {
  const number = token(cst, 'NumberLiteral')!;
  return {
    ...base('sample', cst),
    size: Number(number.image),
    percent: has(cst, 'Percent'),
    sizeSpan: spanOfToken(number),
    replace: has(cst, 'KwReplacement'),
  };
});

defineBuilder('joinStatement', (cst) => {
  const how: JoinHow = has(cst, 'KwLeft') ? 'left'
    : has(cst, 'KwRight') ? 'right'
      : has(cst, 'KwFull') ? 'full'
        : 'inner';
  return {
    ...baseWithClauses('join', cst),
    how,
    right: buildName(node(cst, 'right')!),
    keys: buildNameList(node(cst, 'nameList')!),
  };
});

// 5. Checks

const typeWords: Record<string, ValueType> = {
  number: 'number',
  text: 'string',
  string: 'string',
  boolean: 'boolean',
};

defineChecker('seed', (statement, scope) => {
  const value = statement.value;
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    scope.report(
      problems.badNumber('a seed', 'a whole number from 0 to 4294967295',
        String(value)),
      statement.valueSpan,
    );
  }
});

/** The format a statement asks for, else the one its file name implies. */
export function resolveFormat(
  path: string,
  format: Name | undefined,
  scope: Scope,
  pathSpan: Span,
): string | undefined {
  if (format) {
    if (isTableFormat(format.name)) return format.name;
    scope.report(problems.unknownFormat(format.name, tableFormats),
      format.span);
    return undefined;
  }
  const implied = formatFromPath(path);
  if (!implied) {
    scope.report(problems.formatFromExtension(path, tableFormats), pathSpan);
  }
  return implied;
}

defineChecker('load', (statement, scope) => {
  const { env } = scope;
  const name = statement.output?.name ?? tableNameFromPath(statement.path);
  const format = resolveFormat(statement.path, statement.format, scope,
    statement.pathSpan);
  const resolved = env.files.resolve(statement.path);

  let schema: Schema | undefined;
  if (env.written.has(resolved)) {
    // Written by an earlier statement: its columns are known only then.
    schema = undefined;
  } else if (!env.files.exists(resolved)) {
    scope.report(problems.fileNotFound(statement.path, resolved),
      statement.pathSpan);
  } else if (format) {
    schema = env.files.schema(resolved, format);
  }

  if (schema && statement.types) {
    schema = applyTypes(schema, statement.types, scope, name);
  } else if (statement.types) {
    checkTypeWords(statement.types, scope);
  }

  env.inputs.add(resolved);
  scope.produce(name, { ...(schema ? { schema } : {}), file: resolved });
});

function checkTypeWords(types: readonly MappingEntry[], scope: Scope): void {
  for (const entry of types) {
    if (!typeWords[String(entry.value)]) {
      scope.report(
        problems.wrongType(`the type of column ${entry.key}`,
          'number, text or boolean', JSON.stringify(entry.value)),
        entry.valueSpan,
      );
    }
  }
}

function applyTypes(
  schema: Schema,
  types: readonly MappingEntry[],
  scope: Scope,
  table: string,
): Schema {
  checkTypeWords(types, scope);
  const next = new Map(schema);
  for (const entry of types) {
    const type = typeWords[String(entry.value)];
    if (!schema.has(entry.key)) {
      scope.column({ name: table, facts: { schema }, span: entry.keySpan },
        { name: entry.key, span: entry.keySpan });
    } else if (type) {
      next.set(entry.key, type);
    }
  }
  return next;
}

defineChecker('save', (statement, scope) => {
  const { env } = scope;
  scope.inputTable(statement.input);
  resolveFormat(statement.path, statement.format, scope, statement.pathSpan);

  const resolved = env.files.resolve(statement.path);
  if (env.inputs.has(resolved)) {
    scope.report(problems.saveOverInput(statement.path), statement.pathSpan);
  }
  env.written.add(resolved);
});

defineChecker('use', (statement, scope) => {
  const table = scope.inputTable(statement.table);
  if (table) scope.env.current = table.name;
});

defineChecker('show', (statement, scope) => {
  scope.inputTable(statement.input);
  const limit = statement.limit;
  if (limit !== undefined && limit !== Infinity &&
      (!Number.isInteger(limit) || limit < 1)) {
    scope.report(problems.badNumber('the number of rows to show',
      'a whole number of at least 1', String(limit)), statement.limitSpan);
  }
});

/** The columns of the table `describe` yields, one row per column. */
export const describeSchema: Schema = new Map<string, ValueType>([
  ['column', 'string'], ['type', 'string'], ['count', 'number'],
  ['missing', 'number'], ['distinct', 'number'], ['min', 'number'],
  ['max', 'number'], ['mean', 'number'], ['std', 'number'],
  ['top', 'string'],
]);

defineChecker('describe', (statement, scope) => {
  scope.inputTable(statement.input);
  if (statement.output) {
    scope.produce(statement.output.name, { schema: describeSchema }, false);
  }
});

/** Where a transforming statement's result goes, with a schema. */
function produceFrom(
  scope: Scope,
  input: InputTable | undefined,
  schema: Schema | undefined,
): void {
  const name = scope.outputName(input);
  if (!name) return;
  scope.produce(name, schema ? { schema } : {});
}

defineChecker('where', (statement, scope) => {
  const table = scope.inputTable(statement.input);
  if (!table) return;
  scope.expectType(statement.condition, table, 'boolean',
    'the condition of where');
  produceFrom(scope, table, table.facts.schema);
});

defineChecker('select', (statement, scope) => {
  const table = scope.inputTable(statement.input);
  if (!table) return;
  scope.columns(table, statement.columns);

  const schema = table.facts.schema;
  if (!schema) {
    produceFrom(scope, table, undefined);
    return;
  }

  // An unknown column stays in the output as unknown, so that later uses
  // of it are not reported a second time.
  const listed = new Set(statement.columns.map((c) => c.name));
  const kept = statement.except
    ? [...schema.keys()].filter((name) => !listed.has(name))
    : statement.columns.map((c) => c.name);
  if (statement.except && kept.length === 0) {
    scope.report(problems.badNumber('the columns kept', 'at least one',
      'none'), statement.span);
  }
  produceFrom(scope, table,
    new Map(kept.map((name) => [name, schema.get(name) ?? 'unknown'])));
});

defineChecker('derive', (statement, scope) => {
  const table = scope.inputTable(statement.input);
  if (!table) return;

  // Each new column is visible to the assignments after it.
  const schema = table.facts.schema ? new Map(table.facts.schema) : undefined;
  const working: InputTable = {
    ...table,
    facts: { ...table.facts, ...(schema ? { schema } : {}) },
  };
  const seen = new Set<string>();
  for (const { name, value } of statement.assignments) {
    if (seen.has(name.name)) {
      scope.report(problems.duplicateColumn(name.name), name.span);
    }
    seen.add(name.name);
    const type = scope.typeOf(value, working) ?? 'unknown';
    schema?.set(name.name, type);
  }
  produceFrom(scope, table, schema);
});

defineChecker('sample', (statement, scope) => {
  const table = scope.inputTable(statement.input);
  const { size, percent } = statement;
  if (percent && !(size > 0 && size <= 100)) {
    scope.report(problems.badNumber('a sample percentage',
      'above 0 and at most 100', `${size}%`), statement.sizeSpan);
  } else if (!percent && (!Number.isInteger(size) || size < 1)) {
    scope.report(problems.badNumber('a sample size',
      'a whole number of rows, at least 1', String(size)),
    statement.sizeSpan);
  }
  produceFrom(scope, table, table?.facts.schema);
});

/** Right-hand columns that clash with left ones get the right's name. */
export function joinedColumnName(
  column: string,
  leftColumns: ReadonlySet<string>,
  rightTable: string,
): string {
  return leftColumns.has(column) ? `${column}_${rightTable}` : column;
}

defineChecker('join', (statement, scope) => {
  const left = scope.inputTable(statement.input);
  const rightFacts = scope.env.tables.get(statement.right.name);
  let right: InputTable | undefined;
  if (rightFacts) {
    right = { name: statement.right.name, facts: rightFacts,
      span: statement.right.span };
  } else {
    scope.inputTable(statement.right);
    if (left) scope.step.input = left.name;
  }
  if (!left || !right) return;

  for (const key of statement.keys) {
    const leftType = scope.column(left, key);
    const rightType = scope.column(right, key);
    if (leftType && rightType && leftType !== 'unknown' &&
        rightType !== 'unknown' && leftType !== rightType) {
      scope.report(problems.joinKeyType(key.name, leftType, rightType),
        key.span);
    }
  }

  const leftSchema = left.facts.schema;
  const rightSchema = right.facts.schema;
  if (!leftSchema || !rightSchema) {
    produceFrom(scope, left, undefined);
    return;
  }

  const keys = new Set(statement.keys.map((k) => k.name));
  const leftNames = new Set(leftSchema.keys());
  const schema = new Map(leftSchema);
  for (const [column, type] of rightSchema) {
    if (keys.has(column)) continue;
    schema.set(joinedColumnName(column, leftNames, right.name), type);
  }
  produceFrom(scope, left, schema);
});
