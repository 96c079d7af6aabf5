// The audit statements: `audit` (who is in a table and how differently
// each group is treated) and `compare` (two audits side by side).
// Keywords, syntax tree, grammar, builders, checks and their problems.
//
//   audit [TABLE] by COL[, COL...] [target COL [= VALUE | of TOTAL]]
//         [reference VALUE[, VALUE...]] [weight COL]
//         [against {GROUP: SHARE, ...} | against "shares.csv"]
//         [where CONDITION] [on TABLE] [as NAME]
//   compare A, B by COL[, COL...] [target COL [= VALUE | of TOTAL]]
//         [reference VALUE[, VALUE...]] [weight COL] [as NAME]

import type { CstNode } from 'chevrotain';
import type { Expr, Name, StatementBase } from '../ast.js';
import {
  base, buildExpression, buildLiteral, buildMapping, buildName,
  buildNameList, defineBuilder, node, nodes, stringValue, token,
  type LiteralValue, type MappingEntry,
} from '../build.js';
import { defineChecker, type InputTable, type Scope } from '../check.js';
import { problems, type ProblemEntry } from '../diagnostics.js';
import { formatFromPath, tableFormats } from '../formats.js';
import type { ParserBase } from '../grammar.js';
import { spanOfToken, type Span } from '../span.js';
import {
  By, Comma, DoubleEqual, Equal, keyword, Missing, StringLiteral, Where,
} from '../tokens.js';
import { typeName, type Schema, type ValueType } from '../types.js';

// 1. Words

const Audit = keyword('audit');
const Compare = keyword('compare');
const Target = keyword('target');
const Reference = keyword('reference');
const Weight = keyword('weight');
const Against = keyword('against');
const Of = keyword('of');

// 2. Syntax tree

/** A value naming a group in one group column; null is `missing`. */
export interface GroupValue {
  value: LiteralValue | null;
  span: Span;
}

export interface AuditTarget {
  column: Name;
  /** The outcome counted as positive; absent for a rate per class. */
  positive?: GroupValue;
  /**
   * `target admitted_n of applicants`: an aggregated table whose rows
   * each count TOTAL cases, COLUMN of them positive.
   */
  total?: Name;
}

export type AuditAgainst =
  | { type: 'inline'; entries: MappingEntry[]; span: Span }
  | { type: 'file'; path: string; pathSpan: Span };

/** The clauses `audit` and `compare` share. */
export interface AuditClauses {
  by: Name[];
  target?: AuditTarget;
  /** The reference group: one value per `by` column. */
  reference?: GroupValue[];
  weight?: Name;
}

export interface AuditStatement extends StatementBase, AuditClauses {
  kind: 'audit';
  against?: AuditAgainst;
  /** Rows to audit; the others are left out. */
  condition?: Expr;
}

export interface CompareStatement extends StatementBase, AuditClauses {
  kind: 'compare';
  /** The table before (or the first of the two). */
  first: Name;
  /** The table after (or the second). */
  second: Name;
}

declare module '../ast.js' {
  interface StatementKinds {
    audit: AuditStatement;
    compare: CompareStatement;
  }
}

// 3. Grammar

export function auditGrammar<B extends ParserBase>(Base: B): B {
  return class AuditGrammar extends Base {
    readonly auditStatement = this.statementRule('auditStatement', () => {
      this.CONSUME(Audit);
      this.OPTION(() => this.SUBRULE(this.name, { LABEL: 'table' }));
      this.SUBRULE(this.auditByClause);
      this.MANY(() => this.OR([
        { ALT: () => this.SUBRULE(this.auditTargetClause) },
        { ALT: () => this.SUBRULE(this.auditReferenceClause) },
        { ALT: () => this.SUBRULE(this.auditWeightClause) },
        { ALT: () => this.SUBRULE(this.auditAgainstClause) },
        { ALT: () => this.SUBRULE(this.auditWhereClause) },
        { ALT: () => this.SUBRULE(this.onClause) },
        { ALT: () => this.SUBRULE(this.asClause) },
      ]));
    });

    readonly compareStatement = this.statementRule('compareStatement',
      () => {
        this.CONSUME(Compare);
        this.SUBRULE(this.name, { LABEL: 'first' });
        this.CONSUME(Comma);
        this.SUBRULE2(this.name, { LABEL: 'second' });
        this.SUBRULE(this.auditByClause);
        this.MANY(() => this.OR([
          { ALT: () => this.SUBRULE(this.auditTargetClause) },
          { ALT: () => this.SUBRULE(this.auditReferenceClause) },
          { ALT: () => this.SUBRULE(this.auditWeightClause) },
          { ALT: () => this.SUBRULE(this.asClause) },
        ]));
      });

    readonly auditByClause = this.RULE('auditByClause', () => {
      this.CONSUME(By);
      this.SUBRULE(this.nameList);
    });

    /**
     * `target deny = "yes"`, `target admitted_n of applicants`, or
     * `target label` for a rate per class.
     */
    readonly auditTargetClause = this.RULE('auditTargetClause', () => {
      this.CONSUME(Target);
      this.SUBRULE(this.name);
      this.OPTION(() => this.OR([
        {
          ALT: () => {
            this.OR2([
              { ALT: () => this.CONSUME(Equal) },
              { ALT: () => this.CONSUME(DoubleEqual) },
            ]);
            this.SUBRULE(this.auditGroupValue);
          },
        },
        {
          ALT: () => {
            this.CONSUME(Of);
            this.SUBRULE2(this.name, { LABEL: 'total' });
          },
        },
      ]));
    });

    readonly auditReferenceClause = this.RULE('auditReferenceClause', () => {
      this.CONSUME(Reference);
      this.AT_LEAST_ONE_SEP({
        SEP: Comma,
        DEF: () => this.SUBRULE(this.auditGroupValue),
      });
    });

    readonly auditGroupValue = this.RULE('auditGroupValue', () => {
      this.OR([
        { ALT: () => this.SUBRULE(this.literal) },
        { ALT: () => this.CONSUME(Missing) },
      ]);
    });

    readonly auditWeightClause = this.RULE('auditWeightClause', () => {
      this.CONSUME(Weight);
      this.SUBRULE(this.name);
    });

    readonly auditAgainstClause = this.RULE('auditAgainstClause', () => {
      this.CONSUME(Against);
      this.OR([
        { ALT: () => this.SUBRULE(this.mapping) },
        { ALT: () => this.CONSUME(StringLiteral) },
      ]);
    });

    readonly auditWhereClause = this.RULE('auditWhereClause', () => {
      this.CONSUME(Where);
      this.SUBRULE(this.expression);
    });
  };
}

// 4. Builders

function buildGroupValue(cst: CstNode): GroupValue {
  const literal = node(cst, 'literal');
  if (literal) return buildLiteral(literal);
  return { value: null, span: spanOfToken(token(cst, 'KwMissing')!) };
}

function buildClauses(cst: CstNode): AuditClauses {
  const by = buildNameList(node(node(cst, 'auditByClause')!, 'nameList')!);
  const target = node(cst, 'auditTargetClause');
  const reference = node(cst, 'auditReferenceClause');
  const weight = node(cst, 'auditWeightClause');
  const positive = target ? node(target, 'auditGroupValue') : undefined;
  const total = target ? node(target, 'total') : undefined;
  return {
    by,
    ...(target
      ? {
        target: {
          column: buildName(node(target, 'name')!),
          ...(positive ? { positive: buildGroupValue(positive) } : {}),
          ...(total ? { total: buildName(total) } : {}),
        },
      }
      : {}),
    ...(reference
      ? { reference: nodes(reference, 'auditGroupValue').map(buildGroupValue) }
      : {}),
    ...(weight ? { weight: buildName(node(weight, 'name')!) } : {}),
  };
}

function buildAgainst(cst: CstNode): AuditAgainst {
  const mapping = node(cst, 'mapping');
  if (mapping) {
    return { type: 'inline', entries: buildMapping(mapping),
      span: spanOfToken(token(mapping, 'LBrace')!) };
  }
  const path = token(cst, 'StringLiteral')!;
  return { type: 'file', path: stringValue(path), pathSpan: spanOfToken(path) };
}

defineBuilder('auditStatement', (cst) => {
  const against = node(cst, 'auditAgainstClause');
  const where = node(cst, 'auditWhereClause');
  const positional = node(cst, 'table');
  return {
    ...base('audit', cst),
    ...(positional ? { input: buildName(positional) } : {}),
    ...buildClauses(cst),
    ...(against ? { against: buildAgainst(against) } : {}),
    ...(where
      ? { condition: buildExpression(node(where, 'expression')!) }
      : {}),
  };
});

defineBuilder('compareStatement', (cst) => ({
  ...base('compare', cst),
  first: buildName(node(cst, 'first')!),
  second: buildName(node(cst, 'second')!),
  ...buildClauses(cst),
}));

// 5. Problems

const quote = (text: string) => JSON.stringify(text);

/** "yes" (285), "no" (2,095), ... with at most `limit` shown. */
export function listValues(
  values: readonly { label: string; count: number }[],
  limit = 12,
): string {
  const shown = values.slice(0, limit)
    .map((v) => `${quote(v.label)} (${v.count.toLocaleString('en-US')})`)
    .join(', ');
  const more = values.length - limit;
  return more > 0 ? `${shown} and ${more} more` : shown;
}

export const auditProblems = {
  targetIsGroup: (column: string): ProblemEntry => ({
    code: 'audit-target-is-group',
    message: `column ${quote(column)} is both a group column and the ` +
      'target, so every group would have a rate of 0 or 1',
    hints: ['audit by the sensitive columns (who) and target the outcome ' +
      '(what happened to them)'],
  }),
  referenceWithoutTarget: (): ProblemEntry => ({
    code: 'audit-reference-without-target',
    message: 'a reference group compares positive rates, but this audit ' +
      'has no target',
    hints: ['add a target, as in: target deny = "yes"', 'or leave out ' +
      'the reference clause for representation only'],
  }),
  referenceArity: (columns: readonly string[], found: number):
  ProblemEntry => ({
    code: 'audit-reference-arity',
    message: `the reference group needs one value for each group column ` +
      `(${columns.map(quote).join(', ')}), found ${found}`,
    hints: [`write them in the order of "by", as in: reference ` +
      columns.map((c) => `<${c}>`).join(', ')],
  }),
  countsNotNumbers: (column: string, found: ValueType): ProblemEntry => ({
    code: 'audit-count-type',
    message: `"target ... of" counts cases, so column ${quote(column)} ` +
      `must hold numbers, found ${typeName(found)}`,
    hints: ['target COUNT of TOTAL reads an aggregated table: each row ' +
      'has TOTAL cases, COUNT of them positive'],
  }),
  weightAndTotal: (total: string): ProblemEntry => ({
    code: 'audit-weight-and-total',
    message: `"of ${total}" already counts each row ${total} times, so ` +
      'a weight clause cannot be added',
    hints: ['leave out the weight clause, or multiply the columns with ' +
      'derive first'],
  }),
  badCount: (
    column: string,
    total: string,
    table: string,
    row: number,
    found: string,
  ): ProblemEntry => ({
    code: 'audit-bad-count',
    message: `row ${row} of table ${quote(table)} has ${found}; the ` +
      `positives in ${quote(column)} must be between 0 and the total in ` +
      quote(total),
    hints: ['check that the count and total columns are the right way ' +
      'round: target COUNT of TOTAL'],
  }),
  weightNotNumber: (column: string, found: ValueType): ProblemEntry => ({
    code: 'audit-weight-type',
    message: `the weight column ${quote(column)} must hold numbers, found ` +
      typeName(found),
    hints: ['each row counts as many times as its weight: use a count ' +
      'or a sample weight column'],
  }),
  badWeight: (column: string, table: string, row: number, found: string):
  ProblemEntry => ({
    code: 'audit-bad-weight',
    message: `weight column ${quote(column)} has ${found} in row ${row} ` +
      `of table ${quote(table)}; weights must be numbers of 0 or more`,
    hints: ['drop or fix those rows first, for example: where ' +
      `${column} is not missing and ${column} >= 0`],
  }),
  zeroWeight: (column: string, table: string): ProblemEntry => ({
    code: 'audit-bad-weight',
    message: `every weight in column ${quote(column)} of table ` +
      `${quote(table)} is 0, so no row counts`,
    hints: ['check that the weight column is the one meant'],
  }),
  emptyTable: (table: string, afterWhere: boolean): ProblemEntry => ({
    code: 'audit-empty-table',
    message: afterWhere
      ? `no rows of table ${quote(table)} meet the where condition, so ` +
        'there is nothing to audit'
      : `table ${quote(table)} has no rows, so there is nothing to audit`,
    hints: [afterWhere
      ? 'loosen the condition; show the table to see its values'
      : 'an earlier where or clean step may have removed every row'],
  }),
  targetValueAbsent: (
    column: string,
    value: string,
    occurring: string,
  ): ProblemEntry => ({
    code: 'audit-target-value',
    message: `the target value ${value} never occurs in column ` +
      `${quote(column)}`,
    hints: [`its values are ${occurring}`,
      'text values are matched exactly, upper and lower case included'],
  }),
  targetAllMissing: (column: string): ProblemEntry => ({
    code: 'audit-target-value',
    message: `target column ${quote(column)} has no values in the rows ` +
      'audited',
  }),
  referenceNotFound: (label: string, groups: string): ProblemEntry => ({
    code: 'audit-reference-group',
    message: `there are no rows in the reference group ${quote(label)}`,
    hints: [`the groups with rows are ${groups}`],
  }),
  referenceNoRate: (label: string): ProblemEntry => ({
    code: 'audit-reference-group',
    message: `the reference group ${quote(label)} has no rows with a ` +
      'target value, so there is no rate to compare with',
    hints: ['name another reference group, or leave the clause out to ' +
      'use the group with the highest rate'],
  }),
  againstValue: (key: string, found: string): ProblemEntry => ({
    code: 'audit-against-value',
    message: `the reference share of ${quote(key)} must be a number of 0 ` +
      `or more, found ${found}`,
    hints: ['shares such as 0.13 or counts such as 1300 both work; they ' +
      'are divided by their total'],
  }),
  againstEmpty: (): ProblemEntry => ({
    code: 'audit-against-value',
    message: 'the reference distribution has no share above 0',
    hints: ['give each group its share, as in {Black: 0.13, White: 0.6}'],
  }),
  againstDuplicate: (label: string): ProblemEntry => ({
    code: 'audit-against-duplicate',
    message: `the reference distribution lists group ${quote(label)} twice`,
  }),
  againstArity: (key: string, columns: readonly string[]): ProblemEntry => ({
    code: 'audit-against-arity',
    message: `reference group ${quote(key)} needs one value for each ` +
      `group column (${columns.map(quote).join(', ')})`,
    hints: ['separate the values with a comma inside the quotes, as in ' +
      '{"Black, Male": 0.06}', 'or give the shares in a CSV file with ' +
      'one column per group column and a share column'],
  }),
  againstShareColumn: (file: string, candidates: readonly string[]):
  ProblemEntry => ({
    code: 'audit-against-file',
    message: `cannot tell which column of ${file} holds the reference ` +
      'shares',
    hints: [candidates.length
      ? `name it "share"; the number columns are ` +
        candidates.map(quote).join(', ')
      : 'add a number column named "share"'],
  }),
  againstFileColumn: (file: string, column: string): ProblemEntry => ({
    code: 'audit-against-file',
    message: `the reference file ${file} has no column ${quote(column)}`,
    hints: ['it needs one column per group column, named as in "by", and ' +
      'a number column named "share"'],
  }),
} as const;

// 6. Checks

/** The literal's type, or undefined for `missing`. */
function literalType(value: LiteralValue | null): ValueType | undefined {
  if (value === null) return undefined;
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'string';
}

/** Does a written value fit a column? Bare words are always text. */
function checkValueType(
  scope: Scope,
  value: GroupValue,
  columnType: ValueType | undefined,
  what: string,
): void {
  const type = literalType(value.value);
  if (!type || !columnType || columnType === 'unknown') return;
  if (type === columnType) return;
  scope.report({
    ...problems.wrongType(what, typeName(columnType),
      `${typeName(type)} ${JSON.stringify(value.value)}`),
    hints: columnType === 'string'
      ? ['write text values in quotes, as in "1"']
      : columnType === 'number'
        ? ['write numbers without quotes']
        : ['write true or false without quotes'],
  }, value.span);
}

function checkClauses(
  statement: AuditClauses,
  tables: readonly InputTable[],
  scope: Scope,
  options: { weightInSome?: boolean } = {},
): void {
  const by = statement.by;
  for (const table of tables) scope.columns(table, by);

  const target = statement.target;
  if (target) {
    if (by.some((column) => column.name === target.column.name)) {
      scope.report(auditProblems.targetIsGroup(target.column.name),
        target.column.span);
    }
    for (const table of tables) {
      const type = scope.column(table, target.column);
      if (target.positive) {
        checkValueType(scope, target.positive, type,
          `the target value for column ${target.column.name}`);
      }
      if (target.total) {
        checkCounts(scope, target.column, type);
        checkCounts(scope, target.total, scope.column(table, target.total));
      }
    }
    if (target.total && statement.weight) {
      scope.report(auditProblems.weightAndTotal(target.total.name),
        statement.weight.span);
    }
  }

  const reference = statement.reference;
  if (reference) {
    if (!target) {
      scope.report(auditProblems.referenceWithoutTarget(), reference[0]!.span);
    } else if (reference.length !== by.length) {
      scope.report(auditProblems.referenceArity(by.map((c) => c.name),
        reference.length), reference[0]!.span);
    }
  }

  if (statement.weight) checkWeight(statement.weight, tables, scope, options);
}

function checkCounts(
  scope: Scope,
  column: Name,
  type: ValueType | undefined,
): void {
  if (type && type !== 'unknown' && type !== 'number') {
    scope.report(auditProblems.countsNotNumbers(column.name, type),
      column.span);
  }
}

function checkWeight(
  weight: Name,
  tables: readonly InputTable[],
  scope: Scope,
  options: { weightInSome?: boolean },
): void {
  // compare accepts a weight column that only one table has: reweighing
  // adds weights to the table after, and the table before counts rows.
  const holders = options.weightInSome
    ? tables.filter((t) => !t.facts.schema || t.facts.schema.has(weight.name))
    : tables;
  const checked = holders.length ? holders : tables;
  for (const table of checked) {
    const type = scope.column(table, weight);
    if (type && type !== 'unknown' && type !== 'number') {
      scope.report(auditProblems.weightNotNumber(weight.name, type),
        weight.span);
    }
  }
}

function checkAgainst(
  against: AuditAgainst,
  by: readonly Name[],
  scope: Scope,
): void {
  if (against.type === 'inline') {
    const seen = new Set<string>();
    let valid = true;
    for (const entry of against.entries) {
      const value = entry.value;
      if (typeof value !== 'number' || !(value >= 0) ||
          !Number.isFinite(value)) {
        scope.report(auditProblems.againstValue(entry.key,
          JSON.stringify(value)), entry.valueSpan);
        valid = false;
      }
      const parts = splitGroupKey(entry.key);
      if (parts.length !== by.length) {
        scope.report(auditProblems.againstArity(entry.key,
          by.map((c) => c.name)), entry.keySpan);
      }
      const label = parts.join(' × ');
      if (seen.has(label)) {
        scope.report(auditProblems.againstDuplicate(label), entry.keySpan);
      }
      seen.add(label);
    }
    if (valid && !against.entries.some((e) => (e.value as number) > 0)) {
      scope.report(auditProblems.againstEmpty(), against.span);
    }
    return;
  }

  const { env } = scope;
  const format = formatFromPath(against.path);
  if (!format) {
    scope.report(problems.formatFromExtension(against.path, tableFormats),
      against.pathSpan);
    return;
  }
  const resolved = env.files.resolve(against.path);
  env.inputs.add(resolved);
  if (env.written.has(resolved)) return;
  if (!env.files.exists(resolved)) {
    scope.report(problems.fileNotFound(against.path, resolved),
      against.pathSpan);
    return;
  }
  const schema = env.files.schema(resolved, format);
  if (!schema) return;
  for (const column of by) {
    if (!schema.has(column.name)) {
      scope.report(auditProblems.againstFileColumn(against.path,
        column.name), against.pathSpan);
    }
  }
}

/**
 * A group written as one key: "Black" for one column, "Black, Male" or
 * "Black × Male" for several. `(missing)` names the missing group.
 */
export function splitGroupKey(key: string): string[] {
  return key.split(/\s*[,×]\s*/).map((part) => part.trim());
}

/** The columns of the table an audit keeps with `as NAME`. */
export function auditSchema(
  by: readonly Name[],
  table: InputTable,
  options: { target: boolean; perClass: boolean; weighted: boolean },
): Schema {
  const schema = new Map<string, ValueType>();
  for (const column of by) {
    schema.set(column.name, table.facts.schema?.get(column.name) ??
      'unknown');
  }
  if (options.perClass) schema.set('class', 'unknown');
  if (options.weighted) schema.set('rows', 'number');
  schema.set('n', 'number');
  schema.set('share', 'number');
  if (options.target) {
    for (const name of ['positives', 'positive_rate', 'rate_low',
      'rate_high', 'rate_ratio', 'rate_difference']) {
      schema.set(name, 'number');
    }
    schema.set('small', 'boolean');
  }
  return schema;
}

defineChecker('audit', (statement, scope) => {
  const table = scope.inputTable(statement.input);
  if (!table) return;

  checkClauses(statement, [table], scope);
  if (statement.condition) {
    scope.expectType(statement.condition, table, 'boolean',
      'the condition of where');
  }
  if (statement.against) checkAgainst(statement.against, statement.by, scope);

  if (statement.output) {
    scope.produce(statement.output.name, {
      schema: auditSchema(statement.by, table, {
        target: Boolean(statement.target),
        perClass: Boolean(statement.target && !statement.target.positive &&
          !statement.target.total),
        weighted: Boolean(statement.weight || statement.target?.total),
      }),
    }, false);
  }
});

defineChecker('compare', (statement, scope) => {
  const first = scope.inputTable(statement.first);
  const second = scope.inputTable(statement.second);
  const tables = [first, second].filter(
    (t): t is InputTable => t !== undefined);
  if (first) scope.step.input = first.name;
  checkClauses(statement, tables, scope, { weightInSome: true });

  if (statement.output && first) {
    const schema = new Map<string, ValueType>();
    for (const column of statement.by) {
      schema.set(column.name, first.facts.schema?.get(column.name) ??
        'unknown');
    }
    if (statement.target && !statement.target.positive &&
        !statement.target.total) {
      schema.set('class', 'unknown');
    }
    for (const name of compareColumns(Boolean(statement.target))) {
      schema.set(name, name === 'present' ? 'string' : 'number');
    }
    scope.produce(statement.output.name, { schema }, false);
  }
});

/** The figures of a compare row after the group columns. */
export function compareColumns(target: boolean): string[] {
  const columns = ['present', 'n_before', 'n_after', 'share_before',
    'share_after', 'share_change'];
  if (target) columns.push('rate_before', 'rate_after', 'rate_change');
  return columns;
}
