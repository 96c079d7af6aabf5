// The repair statements: sensitive, clean, split, stratify, balance and
// generate. Grammar, AST, builders, checks and the problems they report.
//
// Every repair reports what it did to each group of the table's sensitive
// columns; that part lives in the runtime (src/runtime/repair/impact.ts).

import type { CstNode, IToken, TokenType } from 'chevrotain';
import type { Expr, Name, StatementBase } from '../ast.js';
import {
  base, buildExpression, buildMapping, buildName, buildNameList,
  defineBuilder, has, node, nodes, token, tokens, type MappingEntry,
} from '../build.js';
import { defineChecker, type InputTable, type Scope } from '../check.js';
import { problems, type ProblemEntry } from '../diagnostics.js';
import type { ParserBase } from '../grammar.js';
import { joinSpans, spanOfToken, type Span } from '../span.js';
import {
  By, Comma, In, Into, keyword, Missing, NumberLiteral, On, Slash, To,
  Using, Where,
} from '../tokens.js';
import type { Schema, ValueType } from '../types.js';

// 1. Words

const Sensitive = keyword('sensitive');
const Clean = keyword('clean');
const Drop = keyword('drop');
const Impute = keyword('impute');
const With = keyword('with');
const Mean = keyword('mean');
const Median = keyword('median');
const Mode = keyword('mode');
const Dedupe = keyword('dedupe');
const Within = keyword('within');
const Outliers = keyword('outliers');
const Iqr = keyword('iqr');
const Z = keyword('z');
const Labels = keyword('labels');
const Split = keyword('split');
const Stratify = keyword('stratify');
const Size = keyword('size');
const Fraction = keyword('fraction');
const Equal = keyword('equal');
const Balance = keyword('balance');
const Target = keyword('target');
const Method = keyword('method');
const Oversample = keyword('oversample');
const Undersample = keyword('undersample');
const Reweigh = keyword('reweigh');
const Smote = keyword('smote');
const Ratio = keyword('ratio');
const Generate = keyword('generate');
const Sampler = keyword('sampler');

/** Words that start a clean operation: they end a column list. */
const cleanWords = new Set<TokenType>([Drop, Impute, Dedupe, Outliers, Labels]);

// 2. Syntax tree

export interface SensitiveStatement extends StatementBase {
  kind: 'sensitive';
  columns: Name[];
}

export type ImputeMethod = 'mean' | 'median' | 'mode';
export type OutlierRule = 'iqr' | 'z';

export type CleanOperation =
  | { op: 'drop-missing'; columns: Name[]; span: Span }
  | {
    op: 'impute'; columns: Name[]; method: ImputeMethod; by: Name[];
    span: Span;
  }
  | {
    op: 'dedupe'; columns: Name[]; tolerance?: number; toleranceSpan?: Span;
    span: Span;
  }
  | {
    op: 'outliers'; columns: Name[]; rule: OutlierRule; limit: number;
    limitSpan: Span; span: Span;
  }
  | { op: 'labels'; target: Name; features: Name[]; span: Span };

export interface CleanStatement extends StatementBase {
  kind: 'clean';
  operations: CleanOperation[];
}

export interface SplitStatement extends StatementBase {
  kind: 'split';
  /** The shares as written: 80/20 gives [80, 20]. */
  shares: number[];
  sharesSpan: Span;
  strata: Name[];
  into: Name[];
}

export interface StratifyStatement extends StatementBase {
  kind: 'stratify';
  strata: Name[];
  amount: { type: 'size' | 'fraction'; value: number; span: Span };
  equal: boolean;
}

export type BalanceMethod = 'oversample' | 'undersample' | 'reweigh' | 'smote';

export type BalanceGoal =
  | { type: 'equal'; span?: Span }
  | { type: 'ratio'; ratio: number; span: Span; ratioSpan: Span }
  | { type: 'counts'; counts: MappingEntry[]; span: Span };

export interface BalanceStatement extends StatementBase {
  kind: 'balance';
  groups: Name[];
  target?: Name;
  method: BalanceMethod;
  methodSpan: Span;
  goal: BalanceGoal;
}

export type GenerateMethod = 'smote' | 'sampler';

export interface GenerateStatement extends StatementBase {
  kind: 'generate';
  count: number;
  countSpan: Span;
  condition?: Expr;
  groups: Name[];
  method: GenerateMethod;
  methodSpan: Span;
}

declare module '../ast.js' {
  interface StatementKinds {
    sensitive: SensitiveStatement;
    clean: CleanStatement;
    split: SplitStatement;
    stratify: StratifyStatement;
    balance: BalanceStatement;
    generate: GenerateStatement;
  }
}

// 3. Grammar

export function repairGrammar<B extends ParserBase>(Base: B): B {
  return class RepairGrammar extends Base {
    readonly sensitiveStatement = this.statementRule('sensitiveStatement',
      () => {
        this.CONSUME(Sensitive);
        this.SUBRULE(this.nameList);
        this.OPTION(() => this.SUBRULE(this.onClause));
      });

    /** `on NAME` and `as NAME`, in either order, at a statement's end. */
    repairTableClauses(): void {
      // High indices keep these apart from the calling rule's own.
      this.MANY9(() => this.OR9([
        { ALT: () => this.SUBRULE9(this.onClause) },
        { ALT: () => this.SUBRULE9(this.asClause) },
      ]));
    }

    /**
     * A positional table name right after the verb, as in `clean train
     * drop missing`; not taken when the next word starts what follows.
     */
    positionalTable(stops: (type: TokenType) => boolean): void {
      this.OPTION9({
        GATE: () => !stops(this.LA(1).tokenType),
        DEF: () => this.SUBRULE8(this.name, { LABEL: 'table' }),
      });
    }

    readonly cleanStatement = this.statementRule('cleanStatement', () => {
      this.CONSUME(Clean);
      this.positionalTable((type) => cleanWords.has(type));
      this.AT_LEAST_ONE_SEP({
        SEP: Comma,
        DEF: () => this.SUBRULE(this.cleanOperation),
      });
      this.repairTableClauses();
    });

    /**
     * Columns separated by commas. A comma followed by a clean word
     * belongs to the statement's list of operations instead.
     */
    readonly cleanColumns = this.RULE('cleanColumns', () => {
      this.SUBRULE(this.name);
      this.MANY({
        GATE: () => !cleanWords.has(this.LA(2).tokenType),
        DEF: () => {
          this.CONSUME(Comma);
          this.SUBRULE2(this.name);
        },
      });
    });

    readonly cleanOperation = this.RULE('cleanOperation', () => {
      this.OR([
        { ALT: () => this.SUBRULE(this.cleanDropMissing) },
        { ALT: () => this.SUBRULE(this.cleanImpute) },
        { ALT: () => this.SUBRULE(this.cleanDedupe) },
        { ALT: () => this.SUBRULE(this.cleanOutliers) },
        { ALT: () => this.SUBRULE(this.cleanLabels) },
      ]);
    });

    readonly cleanDropMissing = this.RULE('cleanDropMissing', () => {
      this.CONSUME(Drop);
      this.CONSUME(Missing);
      this.OPTION(() => {
        this.CONSUME(In);
        this.SUBRULE(this.cleanColumns, { LABEL: 'columns' });
      });
    });

    readonly cleanImpute = this.RULE('cleanImpute', () => {
      this.CONSUME(Impute);
      this.SUBRULE(this.cleanColumns, { LABEL: 'columns' });
      this.CONSUME(With);
      this.OR([
        { ALT: () => this.CONSUME(Mean) },
        { ALT: () => this.CONSUME(Median) },
        { ALT: () => this.CONSUME(Mode) },
      ]);
      this.OPTION(() => {
        this.CONSUME(By);
        this.SUBRULE2(this.cleanColumns, { LABEL: 'by' });
      });
    });

    readonly cleanDedupe = this.RULE('cleanDedupe', () => {
      this.CONSUME(Dedupe);
      // `on` after dedupe names columns; a table is named after `clean`.
      this.OPTION(() => {
        this.CONSUME(On);
        this.SUBRULE(this.cleanColumns, { LABEL: 'columns' });
      });
      this.OPTION2(() => {
        this.CONSUME(Within);
        this.CONSUME(NumberLiteral);
      });
    });

    readonly cleanOutliers = this.RULE('cleanOutliers', () => {
      this.CONSUME(Outliers);
      this.SUBRULE(this.cleanColumns, { LABEL: 'columns' });
      this.OR([
        { ALT: () => this.CONSUME(Iqr) },
        { ALT: () => this.CONSUME(Z) },
      ]);
      this.CONSUME(NumberLiteral);
    });

    readonly cleanLabels = this.RULE('cleanLabels', () => {
      this.CONSUME(Labels);
      this.SUBRULE(this.name, { LABEL: 'target' });
      this.OPTION(() => {
        this.CONSUME(Using);
        this.SUBRULE(this.cleanColumns, { LABEL: 'features' });
      });
    });

    readonly splitStatement = this.statementRule('splitStatement', () => {
      this.CONSUME(Split);
      this.positionalTable((type) => type === NumberLiteral);
      this.CONSUME(NumberLiteral);
      this.AT_LEAST_ONE(() => {
        this.CONSUME(Slash);
        this.CONSUME2(NumberLiteral);
      });
      this.OPTION(() => {
        this.CONSUME(Stratify);
        this.CONSUME(By);
        this.SUBRULE(this.nameList, { LABEL: 'strata' });
      });
      this.CONSUME(Into);
      this.SUBRULE2(this.nameList, { LABEL: 'into' });
      this.OPTION2(() => this.SUBRULE(this.onClause));
    });

    readonly stratifyStatement = this.statementRule('stratifyStatement',
      () => {
        this.CONSUME(Stratify);
        this.positionalTable((type) => type === By);
        this.CONSUME(By);
        this.SUBRULE(this.nameList, { LABEL: 'strata' });
        this.OR([
          { ALT: () => this.CONSUME(Size) },
          { ALT: () => this.CONSUME(Fraction) },
        ]);
        this.CONSUME(NumberLiteral);
        this.OPTION(() => this.CONSUME(Equal));
        this.repairTableClauses();
      });

    readonly balanceStatement = this.statementRule('balanceStatement', () => {
      this.CONSUME(Balance);
      this.positionalTable((type) => type === By);
      this.CONSUME(By);
      this.SUBRULE(this.nameList, { LABEL: 'groups' });
      this.OPTION(() => {
        this.CONSUME(Target);
        this.SUBRULE(this.name, { LABEL: 'target' });
      });
      this.CONSUME(Method);
      this.OR([
        { ALT: () => this.CONSUME(Oversample) },
        { ALT: () => this.CONSUME(Undersample) },
        { ALT: () => this.CONSUME(Reweigh) },
        { ALT: () => this.CONSUME(Smote) },
      ]);
      this.OPTION2(() => this.SUBRULE(this.balanceGoal));
      this.repairTableClauses();
    });

    readonly balanceGoal = this.RULE('balanceGoal', () => {
      this.CONSUME(To);
      this.OR([
        { ALT: () => this.CONSUME(Equal) },
        {
          ALT: () => {
            this.CONSUME(Ratio);
            this.CONSUME(NumberLiteral);
          },
        },
        { ALT: () => this.SUBRULE(this.mapping) },
      ]);
    });

    readonly generateStatement = this.statementRule('generateStatement',
      () => {
        this.CONSUME(Generate);
        this.CONSUME(NumberLiteral);
        this.OPTION(() => {
          this.CONSUME(Where);
          this.SUBRULE(this.expression);
        });
        this.OPTION2(() => {
          this.CONSUME(By);
          this.SUBRULE(this.nameList, { LABEL: 'groups' });
        });
        this.CONSUME(Using);
        this.OR([
          { ALT: () => this.CONSUME(Smote) },
          { ALT: () => this.CONSUME(Sampler) },
        ]);
        this.repairTableClauses();
      });
  };
}

// 4. Builders

/** `on NAME`, or a positional table name after the verb. */
function withTable<S extends StatementBase>(statement: S, cst: CstNode): S {
  const positional = node(cst, 'table');
  return positional ? { ...statement, input: buildName(positional) }
    : statement;
}

function columnsOf(cst: CstNode | undefined): Name[] {
  return cst ? nodes(cst, 'name').map(buildName) : [];
}

function spanAcross(first: IToken, last: IToken): Span {
  return joinSpans(spanOfToken(first), spanOfToken(last));
}

function spanOfNode(cst: CstNode): Span {
  const all = allTokens(cst).sort((a, b) => a.startOffset - b.startOffset);
  return spanAcross(all[0]!, all[all.length - 1]!);
}

function allTokens(cst: CstNode): IToken[] {
  const found: IToken[] = [];
  for (const children of Object.values(cst.children)) {
    for (const child of children) {
      if ('image' in child) found.push(child);
      else found.push(...allTokens(child));
    }
  }
  return found;
}

defineBuilder('sensitiveStatement', (cst) => ({
  ...base('sensitive', cst),
  columns: buildNameList(node(cst, 'nameList')!),
}));

function buildCleanOperation(cst: CstNode): CleanOperation {
  const span = spanOfNode(cst);
  const drop = node(cst, 'cleanDropMissing');
  if (drop) {
    return { op: 'drop-missing', columns: columnsOf(node(drop, 'columns')),
      span };
  }

  const impute = node(cst, 'cleanImpute');
  if (impute) {
    const method: ImputeMethod = has(impute, 'KwMean') ? 'mean'
      : has(impute, 'KwMedian') ? 'median' : 'mode';
    return { op: 'impute', columns: columnsOf(node(impute, 'columns')),
      method, by: columnsOf(node(impute, 'by')), span };
  }

  const dedupe = node(cst, 'cleanDedupe');
  if (dedupe) {
    const tolerance = token(dedupe, 'NumberLiteral');
    return {
      op: 'dedupe',
      columns: columnsOf(node(dedupe, 'columns')),
      ...(tolerance ? { tolerance: Number(tolerance.image),
        toleranceSpan: spanOfToken(tolerance) } : {}),
      span,
    };
  }

  const outliers = node(cst, 'cleanOutliers');
  if (outliers) {
    const limit = token(outliers, 'NumberLiteral')!;
    return {
      op: 'outliers',
      columns: columnsOf(node(outliers, 'columns')),
      rule: has(outliers, 'KwIqr') ? 'iqr' : 'z',
      limit: Number(limit.image),
      limitSpan: spanOfToken(limit),
      span,
    };
  }

  const labels = node(cst, 'cleanLabels')!;
  return { op: 'labels', target: buildName(node(labels, 'target')!),
    features: columnsOf(node(labels, 'features')), span };
}

defineBuilder('cleanStatement', (cst) => withTable({
  ...base('clean', cst),
  operations: nodes(cst, 'cleanOperation').map(buildCleanOperation),
}, cst));

defineBuilder('splitStatement', (cst) => {
  const numbers = tokens(cst, 'NumberLiteral');
  const strata = node(cst, 'strata');
  return withTable({
    ...base('split', cst),
    shares: numbers.map((n) => Number(n.image)),
    sharesSpan: spanAcross(numbers[0]!, numbers[numbers.length - 1]!),
    strata: strata ? buildNameList(strata) : [],
    into: buildNameList(node(cst, 'into')!),
  }, cst);
});

defineBuilder('stratifyStatement', (cst) => {
  const number = token(cst, 'NumberLiteral')!;
  return withTable({
    ...base('stratify', cst),
    strata: buildNameList(node(cst, 'strata')!),
    amount: {
      type: has(cst, 'KwSize') ? 'size' : 'fraction',
      value: Number(number.image),
      span: spanOfToken(number),
    },
    equal: has(cst, 'KwEqual'),
  }, cst);
});

function buildGoal(cst: CstNode | undefined): BalanceGoal {
  if (!cst) return { type: 'equal' };
  const span = spanOfNode(cst);
  const ratio = token(cst, 'NumberLiteral');
  if (ratio) {
    return { type: 'ratio', ratio: Number(ratio.image), span,
      ratioSpan: spanOfToken(ratio) };
  }
  const mapping = node(cst, 'mapping');
  if (mapping) return { type: 'counts', counts: buildMapping(mapping), span };
  return { type: 'equal', span };
}

const balanceMethods: BalanceMethod[] =
  ['oversample', 'undersample', 'reweigh', 'smote'];

defineBuilder('balanceStatement', (cst) => {
  const method = balanceMethods.find((m) =>
    has(cst, 'Kw' + m[0]!.toUpperCase() + m.slice(1)))!;
  const methodToken = token(cst, 'Kw' + method[0]!.toUpperCase() +
    method.slice(1))!;
  const target = node(cst, 'target');
  return withTable({
    ...base('balance', cst),
    groups: buildNameList(node(cst, 'groups')!),
    ...(target ? { target: buildName(target) } : {}),
    method,
    methodSpan: spanOfToken(methodToken),
    goal: buildGoal(node(cst, 'balanceGoal')),
  }, cst);
});

defineBuilder('generateStatement', (cst) => {
  const number = token(cst, 'NumberLiteral')!;
  const condition = node(cst, 'expression');
  const groups = node(cst, 'groups');
  const methodToken = token(cst, 'KwSmote') ?? token(cst, 'KwSampler')!;
  return {
    ...base('generate', cst),
    count: Number(number.image),
    countSpan: spanOfToken(number),
    ...(condition ? { condition: buildExpression(condition) } : {}),
    groups: groups ? buildNameList(groups) : [],
    method: methodToken.image === 'smote' ? 'smote' : 'sampler',
    methodSpan: spanOfToken(methodToken),
  };
});

// 5. Problems

const quote = (text: string) => JSON.stringify(text);

/** The problems only repair statements report; codes are stable. */
export const repairProblems = {
  targetAsFeature: (name: string): ProblemEntry => ({
    code: 'target-as-feature',
    message: `${quote(name)} is the label being checked and cannot also ` +
      'be a feature the model learns from',
    hints: [`remove ${name} from the list after "using"`],
  }),
  dedupeOnTable: (name: string): ProblemEntry => ({
    code: 'dedupe-on-table',
    message: `"dedupe on ${name}": after dedupe, "on" names the columns ` +
      `to compare, and ${quote(name)} is a table, not a column`,
    hints: [`to clean another table, name it after clean: ` +
      `clean ${name} dedupe`],
  }),
  sharesCount: (shares: number, names: number): ProblemEntry => ({
    code: 'split-names',
    message: `the split gives ${shares} shares but ${names} table ` +
      `name${names === 1 ? '' : 's'} after "into"`,
    hints: ['name one table per share: split 80/20 into train, test'],
  }),
  sharesSum: (found: number): ProblemEntry => ({
    code: 'split-shares',
    message: `the shares of a split must add up to 100 (or to 1), ` +
      `found ${found}`,
    hints: ['for example split 80/20 or split 70/15/15'],
  }),
  sameName: (name: string): ProblemEntry => ({
    code: 'split-names',
    message: `${quote(name)} is named twice after "into"`,
    hints: ['give each part of the split its own name'],
  }),
  targetInGroups: (name: string): ProblemEntry => ({
    code: 'target-in-groups',
    message: `column ${quote(name)} is both a group column and the target`,
    hints: ['balance by the groups and name the label as target: ' +
      'balance by afam target deny method reweigh'],
  }),
  goalWithReweigh: (): ProblemEntry => ({
    code: 'balance-goal',
    message: 'reweigh sets weights so that every group has the same ' +
      'weight (and, with a target, the same label rate); it takes no ' +
      '"to" goal',
    hints: ['remove the "to" clause, or use oversample, undersample ' +
      'or smote to reach a size'],
  }),
  oneGroup: (columns: string, value: string): ProblemEntry => ({
    code: 'one-group',
    message: `cannot balance by ${columns}: every row is in one group ` +
      `(${value})`,
    hints: ['balance needs at least two groups; check the column, or an ' +
      'earlier where that kept only one group'],
  }),
  oneTargetValue: (column: string, value: string): ProblemEntry => ({
    code: 'one-target-value',
    message: `target ${quote(column)} has only one value (${value}): ` +
      'there are no label rates to balance',
    hints: ['balance by the groups alone, without target'],
  }),
  missingTarget: (column: string, count: number): ProblemEntry => ({
    code: 'missing-target',
    message: `target ${quote(column)} is missing in ${count} ` +
      `row${count === 1 ? '' : 's'}`,
    hints: [`drop them first: clean drop missing in ${column}`],
  }),
  missingFeature: (column: string, count: number, use: string):
  ProblemEntry => ({
    code: 'missing-feature',
    message: `${use} cannot use column ${quote(column)}: ${count} ` +
      `row${count === 1 ? ' has' : 's have'} no value there`,
    hints: [`drop those rows with clean drop missing in ${column}, or ` +
      `fill them with clean impute ${column} with median`],
  }),
  noNumericFeature: (use: string): ProblemEntry => ({
    code: 'no-numeric-feature',
    message: `${use} interpolates numbers, and the table has no number ` +
      'column besides the group and target columns',
    hints: ['use method oversample to copy rows instead'],
  }),
  tooFewRows: (use: string, cell: string, rows: number, needed: number):
  ProblemEntry => ({
    code: 'too-few-rows',
    message: `${use} needs at least ${needed} rows in each group, and ` +
      `${cell} has ${rows}`,
    hints: ['use method oversample for such a small group, or balance ' +
      'by fewer columns'],
  }),
  emptyCell: (cell: string): ProblemEntry => ({
    code: 'empty-cell',
    message: `there are no rows with ${cell}, so no rows can be drawn ` +
      'for it',
    hints: ['balance by fewer columns, or reweigh, which needs only the ' +
      'cells that exist'],
  }),
  unknownCell: (key: string, cells: readonly string[]): ProblemEntry => ({
    code: 'unknown-cell',
    message: `${quote(key)} is not a group of the table`,
    hints: [`the groups are ${cells.map(quote).join(', ')}`],
  }),
  countDirection: (
    cell: string,
    rows: number,
    asked: number,
    method: string,
  ): ProblemEntry => ({
    code: 'balance-count',
    message: `${cell} has ${rows} rows and ${asked} were asked: ` +
      `${method} can only ${method === 'undersample' ? 'remove' : 'add'} ` +
      'rows',
    hints: [method === 'undersample'
      ? 'use oversample or smote to grow a group'
      : 'use undersample to shrink a group'],
  }),
  noRowsMatch: (): ProblemEntry => ({
    code: 'no-rows-match',
    message: 'no row matches the condition, so there is nothing to ' +
      'generate from',
  }),
  noValuesToImpute: (column: string, group?: string): ProblemEntry => ({
    code: 'nothing-to-impute-from',
    message: `column ${quote(column)} has no values` +
      `${group ? ` in group ${group}` : ''} to compute a fill value from`,
    hints: ['drop the column with select, or its rows with ' +
      `clean drop missing in ${column}`],
  }),
  sizeTooLarge: (asked: number, rows: number): ProblemEntry => ({
    code: 'sample-too-large',
    message: `cannot take a stratified sample of ${asked} rows from ` +
      `${rows} rows`,
    hints: ['ask for fewer rows, or a fraction'],
  }),
  noNearDuplicateColumns: (): ProblemEntry => ({
    code: 'dedupe-tolerance',
    message: '"within" compares number columns, and none of the compared ' +
      'columns is a number',
    hints: ['remove "within" for exact duplicates'],
  }),
} as const;

// 6. Checks

function checkWhole(
  scope: Scope,
  value: number,
  span: Span,
  what: string,
  least = 1,
): void {
  if (!Number.isInteger(value) || value < least) {
    scope.report(problems.badNumber(what,
      `a whole number, at least ${least}`, String(value)), span);
  }
}

/** The type of a column, when it is known and the column exists. */
function typeIn(table: InputTable, name: string): ValueType | undefined {
  return table.facts.schema?.get(name);
}

function expectNumbers(
  scope: Scope,
  table: InputTable,
  columns: readonly Name[],
  what: string,
): void {
  for (const column of columns) {
    const type = typeIn(table, column.name);
    if (type && type !== 'number' && type !== 'unknown') {
      scope.report(problems.wrongType(`column ${column.name} ${what}`,
        'a number', type === 'string' ? 'text' : 'true/false'), column.span);
    }
  }
}

/** The current table's schema with extra columns at the end. */
function withColumns(
  schema: Schema | undefined,
  extra: readonly (readonly [string, ValueType])[],
): Schema | undefined {
  if (!schema) return undefined;
  const next = new Map(schema);
  for (const [name, type] of extra) next.set(name, type);
  return next;
}

function produceFrom(
  scope: Scope,
  table: InputTable,
  schema: Schema | undefined,
): void {
  const name = scope.outputName(table);
  if (name) scope.produce(name, schema ? { schema } : {});
}

defineChecker('sensitive', (statement, scope) => {
  const table = scope.inputTable(statement.input);
  if (table) scope.columns(table, statement.columns);
});

defineChecker('clean', (statement, scope) => {
  const table = scope.inputTable(statement.input);
  if (!table) return;

  for (const operation of statement.operations) {
    checkCleanOperation(operation, table, scope);
  }
  produceFrom(scope, table, table.facts.schema);
});

function checkCleanOperation(
  operation: CleanOperation,
  table: InputTable,
  scope: Scope,
): void {
  switch (operation.op) {
    case 'drop-missing':
      scope.columns(table, operation.columns);
      return;

    case 'impute':
      scope.columns(table, operation.columns);
      scope.columns(table, operation.by);
      if (operation.method !== 'mode') {
        expectNumbers(scope, table, operation.columns,
          `for ${operation.method}`);
      }
      return;

    case 'dedupe': {
      const only = operation.columns[0];
      const schema = table.facts.schema;
      if (operation.columns.length === 1 && schema &&
          !schema.has(only!.name) && scope.env.tables.has(only!.name)) {
        scope.report(repairProblems.dedupeOnTable(only!.name), only!.span);
      } else {
        scope.columns(table, operation.columns);
      }
      if (operation.tolerance !== undefined && operation.tolerance < 0) {
        scope.report(problems.badNumber('the tolerance after within',
          'a number of at least 0', String(operation.tolerance)),
        operation.toleranceSpan);
      }
      return;
    }

    case 'outliers':
      scope.columns(table, operation.columns);
      expectNumbers(scope, table, operation.columns, 'for outliers');
      if (!(operation.limit > 0)) {
        scope.report(problems.badNumber(`the ${operation.rule} limit`,
          'above 0', String(operation.limit)), operation.limitSpan);
      }
      return;

    case 'labels':
      scope.column(table, operation.target);
      scope.columns(table, operation.features);
      for (const feature of operation.features) {
        if (feature.name !== operation.target.name) continue;
        scope.report(repairProblems.targetAsFeature(feature.name),
          feature.span);
      }
      return;
  }
}

/** Shares as fractions of 1, or undefined when they do not add up. */
export function shareFractions(shares: readonly number[]):
number[] | undefined {
  const sum = shares.reduce((a, b) => a + b, 0);
  const whole = Math.abs(sum - 100) < 1e-9 ? 100
    : Math.abs(sum - 1) < 1e-9 ? 1 : undefined;
  if (!whole || shares.some((share) => !(share > 0))) return undefined;
  return shares.map((share) => share / whole);
}

defineChecker('split', (statement, scope) => {
  const table = scope.inputTable(statement.input);
  const { shares, into } = statement;

  if (!shareFractions(shares)) {
    scope.report(repairProblems.sharesSum(shares.reduce((a, b) => a + b, 0)),
      statement.sharesSpan);
  }
  if (shares.length !== into.length) {
    scope.report(repairProblems.sharesCount(shares.length, into.length),
      into[0]!.span);
  }
  const seen = new Set<string>();
  for (const name of into) {
    if (seen.has(name.name)) {
      scope.report(repairProblems.sameName(name.name), name.span);
    }
    seen.add(name.name);
  }
  if (!table) return;
  scope.columns(table, statement.strata);

  // The first part (the training set, usually) becomes current.
  const facts = table.facts.schema ? { schema: table.facts.schema } : {};
  for (const name of into.slice(1)) scope.produce(name.name, facts, false);
  scope.produce(into[0]!.name, facts, true);
});

defineChecker('stratify', (statement, scope) => {
  const table = scope.inputTable(statement.input);
  const { amount } = statement;
  if (amount.type === 'size') {
    checkWhole(scope, amount.value, amount.span, 'the sample size');
  } else if (!(amount.value > 0 && amount.value <= 1)) {
    scope.report(problems.badNumber('the fraction to sample',
      'above 0 and at most 1', String(amount.value)), amount.span);
  }
  if (!table) return;
  scope.columns(table, statement.strata);
  produceFrom(scope, table, table.facts.schema);
});

defineChecker('balance', (statement, scope) => {
  const table = scope.inputTable(statement.input);
  const { goal, method, target } = statement;

  if (method === 'reweigh' && goal.span) {
    scope.report(repairProblems.goalWithReweigh(), goal.span);
  }
  if (goal.type === 'ratio' && !(goal.ratio > 0 && goal.ratio <= 1)) {
    scope.report(problems.badNumber('the ratio',
      'above 0 and at most 1 (smallest group over largest)',
      String(goal.ratio)), goal.ratioSpan);
  }
  if (goal.type === 'counts') {
    for (const entry of goal.counts) {
      const value = entry.value;
      if (typeof value !== 'number' || !Number.isInteger(value) ||
          value < 1) {
        scope.report(problems.badNumber(`the size of ${entry.key}`,
          'a whole number of rows, at least 1', String(value)),
        entry.valueSpan);
      }
    }
  }
  if (!table) return;

  scope.columns(table, statement.groups);
  if (target) {
    scope.column(table, target);
    if (statement.groups.some((g) => g.name === target.name)) {
      scope.report(repairProblems.targetInGroups(target.name), target.span);
    }
  }

  const extra: [string, ValueType][] = method === 'reweigh'
    ? [['weight', 'number']]
    : method === 'undersample' ? [] : [['synthetic', 'boolean']];
  produceFrom(scope, table, withColumns(table.facts.schema, extra));
});

defineChecker('generate', (statement, scope) => {
  const table = scope.inputTable(statement.input);
  checkWhole(scope, statement.count, statement.countSpan,
    'the number of rows to generate');
  if (!table) return;

  if (statement.condition) {
    scope.expectType(statement.condition, table, 'boolean',
      'the condition of generate');
  }
  scope.columns(table, statement.groups);
  produceFrom(scope, table,
    withColumns(table.facts.schema, [['synthetic', 'boolean']]));
});
