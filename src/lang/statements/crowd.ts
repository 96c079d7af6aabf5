// The crowd statements: ratings from several people, how far they agree,
// the best estimate of each item's label, and how reliable each person is.
//
//   load annotations "r.csv" item patient worker doctor label rating
//   agreement [TABLE] [ordinal | interval]
//   aggregate [TABLE] using majority | weighted | dawid-skene | one-coin
//             [gold TABLE] [iterations N] [tolerance X] [as NAME]
//   workers [TABLE] [as NAME]
//
// An annotations table is an ordinary table, one row per rating, whose
// facts remember which columns hold the item, the worker and the label.

import type { CstNode } from 'chevrotain';
import type { Name, StatementBase } from '../ast.js';
import {
  base, buildMapping, buildName, defineBuilder, node, stringValue, token,
  tokens, type MappingEntry,
} from '../build.js';
import { defineChecker, type InputTable, type Scope } from '../check.js';
import { problems, type ProblemEntry } from '../diagnostics.js';
import { tableNameFromPath } from '../formats.js';
import type { ParserBase } from '../grammar.js';
import { joinSpans, spanOfToken, type Span } from '../span.js';
import { closest } from '../suggest.js';
import {
  Identifier, keyword, Minus, NumberLiteral, StringLiteral, Using,
} from '../tokens.js';
import type { Schema, ValueType } from '../types.js';
import { resolveFormat } from './data.js';

// 1. Words

const Load = keyword('load');
const Annotations = keyword('annotations');
const Item = keyword('item');
const Worker = keyword('worker');
const Label = keyword('label');
const Types = keyword('types');
const Agreement = keyword('agreement');
const Ordinal = keyword('ordinal');
const Interval = keyword('interval');
const Aggregate = keyword('aggregate');
const Gold = keyword('gold');
const Iterations = keyword('iterations');
const Tolerance = keyword('tolerance');
const Workers = keyword('workers');

// 2. Syntax tree

/** Which columns of an annotations table play which part. */
export interface AnnotationRoles {
  item: string;
  worker: string;
  label: string;
}

export type AgreementLevel = 'nominal' | 'ordinal' | 'interval';

export const aggregateMethods = [
  'majority', 'weighted', 'dawid-skene', 'one-coin',
] as const;
export type AggregateMethod = (typeof aggregateMethods)[number];

/** The methods fitted by expectation-maximisation. */
export const iterativeMethods: readonly AggregateMethod[] = [
  'dawid-skene', 'one-coin',
];

export interface LoadAnnotationsStatement extends StatementBase {
  kind: 'load-annotations';
  path: string;
  pathSpan: Span;
  item?: Name;
  worker?: Name;
  label?: Name;
  types?: MappingEntry[];
}

export interface AgreementStatement extends StatementBase {
  kind: 'agreement';
  level?: Exclude<AgreementLevel, 'nominal'>;
  levelSpan?: Span;
}

export interface NumberOption {
  value: number;
  span: Span;
}

export interface AggregateStatement extends StatementBase {
  kind: 'aggregate';
  /** As written, `dawid-skene`; checked against aggregateMethods. */
  method: string;
  methodSpan: Span;
  gold?: Name;
  iterations?: NumberOption;
  tolerance?: NumberOption;
}

export interface WorkersStatement extends StatementBase {
  kind: 'workers';
}

/** The gold table's columns, as the checker resolved them. */
export interface GoldPlan {
  table: string;
  item: string;
  label: string;
}

/** What the checker decided for the runtime. */
export interface CrowdPlan {
  roles: AnnotationRoles;
  gold?: GoldPlan;
}

declare module '../ast.js' {
  interface StatementKinds {
    'load-annotations': LoadAnnotationsStatement;
    agreement: AgreementStatement;
    aggregate: AggregateStatement;
    workers: WorkersStatement;
  }
}

declare module '../check.js' {
  interface TableFacts {
    /** Set on tables of ratings made by `load annotations`. */
    annotations?: AnnotationRoles;
  }
  interface Step {
    /** The crowd statements' resolved columns. */
    crowd?: CrowdPlan;
  }
}

// 3. Grammar

export function crowdGrammar<B extends ParserBase>(Base: B): B {
  return class CrowdGrammar extends Base {
    // `load annotations` shares its first word with `load "file"`; the
    // second token (a keyword, not a quoted path) tells them apart.
    readonly crowdLoadStatement = this.statementRule('crowdLoadStatement',
      () => {
        this.CONSUME(Load);
        this.CONSUME(Annotations);
        this.CONSUME(StringLiteral);
        this.MANY(() => this.OR([
          { ALT: () => this.SUBRULE(this.crowdItemClause) },
          { ALT: () => this.SUBRULE(this.crowdWorkerClause) },
          { ALT: () => this.SUBRULE(this.crowdLabelClause) },
          { ALT: () => this.SUBRULE(this.crowdTypesClause) },
          { ALT: () => this.SUBRULE(this.asClause) },
        ]));
      });

    readonly crowdItemClause = this.RULE('crowdItemClause', () => {
      this.CONSUME(Item);
      this.SUBRULE(this.name);
    });

    readonly crowdWorkerClause = this.RULE('crowdWorkerClause', () => {
      this.CONSUME(Worker);
      this.SUBRULE(this.name);
    });

    readonly crowdLabelClause = this.RULE('crowdLabelClause', () => {
      this.CONSUME(Label);
      this.SUBRULE(this.name);
    });

    readonly crowdTypesClause = this.RULE('crowdTypesClause', () => {
      this.CONSUME(Types);
      this.SUBRULE(this.mapping);
    });

    readonly crowdAgreementStatement = this.statementRule(
      'crowdAgreementStatement', () => {
        this.CONSUME(Agreement);
        this.OPTION({
          GATE: () => this.LA(1).tokenType !== Ordinal &&
            this.LA(1).tokenType !== Interval,
          DEF: () => this.SUBRULE(this.name, { LABEL: 'table' }),
        });
        this.OPTION2(() => this.OR([
          { ALT: () => this.CONSUME(Ordinal) },
          { ALT: () => this.CONSUME(Interval) },
        ]));
        this.MANY(() => this.OR2([
          { ALT: () => this.SUBRULE(this.onClause) },
          { ALT: () => this.SUBRULE(this.asClause) },
        ]));
      });

    readonly crowdAggregateStatement = this.statementRule(
      'crowdAggregateStatement', () => {
        this.CONSUME(Aggregate);
        this.OPTION(() => this.SUBRULE(this.name, { LABEL: 'table' }));
        this.CONSUME(Using);
        this.SUBRULE(this.crowdMethod);
        this.MANY(() => this.OR([
          { ALT: () => this.SUBRULE(this.crowdGoldClause) },
          { ALT: () => this.SUBRULE(this.crowdIterationsClause) },
          { ALT: () => this.SUBRULE(this.crowdToleranceClause) },
          { ALT: () => this.SUBRULE(this.onClause) },
          { ALT: () => this.SUBRULE(this.asClause) },
        ]));
      });

    /** A method name, possibly hyphenated: `dawid-skene`, `one-coin`. */
    readonly crowdMethod = this.RULE('crowdMethod', () => {
      this.CONSUME(Identifier);
      this.MANY(() => {
        this.CONSUME(Minus);
        this.CONSUME2(Identifier);
      });
    });

    readonly crowdGoldClause = this.RULE('crowdGoldClause', () => {
      this.CONSUME(Gold);
      this.SUBRULE(this.name);
    });

    readonly crowdIterationsClause = this.RULE('crowdIterationsClause',
      () => {
        this.CONSUME(Iterations);
        this.CONSUME(NumberLiteral);
      });

    readonly crowdToleranceClause = this.RULE('crowdToleranceClause', () => {
      this.CONSUME(Tolerance);
      this.CONSUME(NumberLiteral);
    });

    readonly crowdWorkersStatement = this.statementRule(
      'crowdWorkersStatement', () => {
        this.CONSUME(Workers);
        this.OPTION(() => this.SUBRULE(this.name, { LABEL: 'table' }));
        this.MANY(() => this.OR([
          { ALT: () => this.SUBRULE(this.onClause) },
          { ALT: () => this.SUBRULE(this.asClause) },
        ]));
      });
  };
}

// 4. Builders

/** The statement base; a positional table name stands for `on NAME`. */
function crowdBase<K extends string>(kind: K, cst: CstNode) {
  const statement = base(kind, cst);
  const positional = node(cst, 'table');
  return positional
    ? { ...statement, input: buildName(positional) }
    : statement;
}

function clauseName(cst: CstNode, clause: string): Name | undefined {
  const found = node(cst, clause);
  return found ? buildName(node(found, 'name')!) : undefined;
}

function numberOption(cst: CstNode, clause: string): NumberOption | undefined {
  const found = node(cst, clause);
  const number = found ? token(found, 'NumberLiteral') : undefined;
  return number
    ? { value: Number(number.image), span: spanOfToken(number) }
    : undefined;
}

defineBuilder('crowdLoadStatement', (cst) => {
  const path = token(cst, 'StringLiteral')!;
  const item = clauseName(cst, 'crowdItemClause');
  const worker = clauseName(cst, 'crowdWorkerClause');
  const label = clauseName(cst, 'crowdLabelClause');
  const types = node(cst, 'crowdTypesClause');
  return {
    ...base('load-annotations', cst),
    path: stringValue(path),
    pathSpan: spanOfToken(path),
    ...(item ? { item } : {}),
    ...(worker ? { worker } : {}),
    ...(label ? { label } : {}),
    ...(types ? { types: buildMapping(node(types, 'mapping')!) } : {}),
  };
});

defineBuilder('crowdAgreementStatement', (cst) => {
  const level = token(cst, 'KwOrdinal') ?? token(cst, 'KwInterval');
  return {
    ...crowdBase('agreement', cst),
    ...(level
      ? {
        level: level.image.toLowerCase() as 'ordinal' | 'interval',
        levelSpan: spanOfToken(level),
      }
      : {}),
  };
});

defineBuilder('crowdAggregateStatement', (cst) => {
  const method = node(cst, 'crowdMethod')!;
  const words = tokens(method, 'Identifier');
  const gold = clauseName(cst, 'crowdGoldClause');
  const iterations = numberOption(cst, 'crowdIterationsClause');
  const tolerance = numberOption(cst, 'crowdToleranceClause');
  return {
    ...crowdBase('aggregate', cst),
    method: words.map((word) => word.image.toLowerCase()).join('-'),
    methodSpan: joinSpans(spanOfToken(words[0]!),
      spanOfToken(words[words.length - 1]!)),
    ...(gold ? { gold } : {}),
    ...(iterations ? { iterations } : {}),
    ...(tolerance ? { tolerance } : {}),
  };
});

defineBuilder('crowdWorkersStatement', (cst) => crowdBase('workers', cst));

// 5. Problems

const quote = (text: string) => JSON.stringify(text);

const roleWords: Record<keyof AnnotationRoles, string> = {
  item: 'the thing rated (an image, a sentence, a patient)',
  worker: 'the person who gave the rating',
  label: 'the rating itself',
};

const loadExample =
  'load annotations "ratings.csv" item patient worker doctor label rating';

export const crowdProblems = {
  missingRole: (role: keyof AnnotationRoles): ProblemEntry => ({
    code: 'annotations-role-missing',
    message: `load annotations needs "${role} COLUMN", the column that ` +
      `holds ${roleWords[role]}`,
    hints: [`for example: ${loadExample}`],
  }),
  roleClash: (column: string, roles: readonly string[]): ProblemEntry => ({
    code: 'annotations-role-clash',
    message: `column ${quote(column)} is named as both ${roles.join(' and ')}`,
    hints: ['the item, worker and label must be three different columns'],
  }),
  notAnnotations: (table: string): ProblemEntry => ({
    code: 'not-annotations',
    message: `table ${quote(table)} is not a table of ratings: Fair does ` +
      'not know which columns hold the item, the worker and the label',
    hints: [
      `load it with ${loadExample}`,
      'or give it columns named item, worker and label',
    ],
  }),
  levelNeedsNumbers: (
    level: string,
    table: string,
    column: string,
    found: string,
  ): ProblemEntry => ({
    code: 'agreement-level-type',
    message: `${level} agreement needs labels that are numbers, but column ` +
      `${quote(column)} of ${quote(table)} holds ${found}`,
    hints: ['leave out the level for nominal agreement, or recode the ' +
      'labels as numbers in their order (derive)'],
  }),
  unknownMethod: (found: string, suggestion: string | undefined):
  ProblemEntry => ({
    code: 'unknown-aggregate-method',
    message: `${quote(found)} is not a way to aggregate labels; expected ` +
      aggregateMethods.join(', '),
    hints: suggestion ? [`did you mean ${quote(suggestion)}?`] : [],
  }),
  optionNotForMethod: (option: string, method: string): ProblemEntry => ({
    code: 'aggregate-option',
    message: `"${option}" applies to dawid-skene and one-coin, which are ` +
      `fitted step by step; ${method} is computed in one pass`,
    hints: [`remove "${option} ..." or use dawid-skene`],
  }),
  goldColumns: (
    table: string,
    item: string,
    label: string,
    columns: readonly string[],
  ): ProblemEntry => ({
    code: 'gold-columns',
    message: `gold table ${quote(table)} needs a column ${quote(item)} ` +
      `naming the items and a column ${quote(label)} or "gold" with their ` +
      `true labels; its columns are ${columns.map(quote).join(', ')}`,
    hints: ['rename its columns with derive and select'],
  }),
  goldUnknownItem: (
    place: string,
    item: string,
    table: string,
    count: number,
  ): ProblemEntry => ({
    code: 'gold-unknown-item',
    message: `${place}: gold item ${quote(item)} is not rated in ` +
      `${quote(table)}` + (count > 1
      ? ` (${count} gold items are not rated there)`
      : ''),
    hints: ['the gold table must name items that the ratings cover; ' +
      `keep only those with: join ${table} using ... or where`],
  }),
  goldUnknownLabel: (
    place: string,
    label: string,
    known: readonly string[],
  ): ProblemEntry => ({
    code: 'gold-unknown-label',
    message: `${place}: gold label ${quote(label)} is not a label any ` +
      `worker gave; the labels are ${known.map(quote).join(', ')}`,
    hints: ['Fair estimates only labels that appear in the ratings; check ' +
      'that the gold labels are written the same way'],
  }),
  goldConflict: (place: string, item: string): ProblemEntry => ({
    code: 'gold-conflict',
    message: `${place}: item ${quote(item)} has two different gold labels`,
    hints: ['give each item one gold label'],
  }),
  mixedLabels: (
    place: string,
    column: string,
    first: string,
    odd: string,
  ): ProblemEntry => ({
    code: 'mixed-labels',
    message: `${place}, column ${quote(column)}: labels of mixed types: ` +
      `the first label ${first} but this one ${odd}`,
    hints: ['labels must be all numbers, all text or all true/false; fix ' +
      'the odd values (a typo?) or recode them with derive'],
  }),
  missingKey: (place: string, column: string, role: string): ProblemEntry => ({
    code: 'annotations-missing-key',
    message: `${place}, column ${quote(column)}: the ${role} is missing`,
    hints: [`every rating needs its ${role}; drop such rows with ` +
      `where ${column} is not missing`],
  }),
  noRatings: (table: string): ProblemEntry => ({
    code: 'no-ratings',
    message: `table ${quote(table)} holds no ratings (every label is ` +
      'missing, or the table is empty)',
  }),
  oneWorker: (verb: string, worker: string): ProblemEntry => ({
    code: 'one-worker',
    message: `${verb} needs ratings from at least two workers; every ` +
      `rating is by ${quote(worker)}`,
    hints: ['agreement and aggregation compare workers; with one worker ' +
      'there is nothing to compare'],
  }),
  singleRatings: (verb: string, items: number): ProblemEntry => ({
    code: 'single-ratings',
    message: `${verb} needs items rated more than once; each of the ` +
      `${items} items has a single rating`,
    hints: ['agreement is measured between ratings of the same item; ' +
      'check that the item column identifies items, not ratings'],
  }),
};

// 6. Checks

/** Where an annotations table's roles come from when it has no facts. */
const defaultRoles: AnnotationRoles = {
  item: 'item', worker: 'worker', label: 'label',
};

/**
 * The roles of a table's columns: remembered by `load annotations`, or
 * else columns called item, worker and label.
 */
export function annotationRoles(
  table: InputTable,
  scope: Scope,
): AnnotationRoles | undefined {
  const remembered = table.facts.annotations;
  const schema = table.facts.schema;
  if (remembered) return remembered;
  if (!schema) return defaultRoles;

  const hasAll = Object.values(defaultRoles).every((c) => schema.has(c));
  if (hasAll) return defaultRoles;
  scope.report(crowdProblems.notAnnotations(table.name), table.span);
  return undefined;
}

const typeWords: Record<string, ValueType> = {
  number: 'number', text: 'string', string: 'string', boolean: 'boolean',
};

defineChecker('load-annotations', (statement, scope) => {
  const { env } = scope;
  const name = statement.output?.name ?? tableNameFromPath(statement.path);
  const resolved = env.files.resolve(statement.path);
  let schema = readableSchema(statement, scope, resolved);

  for (const entry of statement.types ?? []) {
    const type = typeWords[String(entry.value)];
    if (!type) {
      scope.report(problems.wrongType(`the type of column ${entry.key}`,
        'number, text or boolean', JSON.stringify(entry.value)),
      entry.valueSpan);
    } else if (schema?.has(entry.key)) {
      schema = new Map(schema).set(entry.key, type);
    } else if (schema) {
      scope.column({ name, facts: { schema }, span: entry.keySpan },
        { name: entry.key, span: entry.keySpan });
    }
  }

  // Each role names a column of the file, and no column plays two roles.
  const roles: Partial<AnnotationRoles> = {};
  const seen = new Map<string, string[]>();
  for (const role of ['item', 'worker', 'label'] as const) {
    const column = statement[role];
    if (!column) {
      scope.report(crowdProblems.missingRole(role), statement.span);
      continue;
    }
    roles[role] = column.name;
    seen.set(column.name, [...(seen.get(column.name) ?? []), role]);
    if (schema) {
      scope.column({ name, facts: { schema }, span: column.span }, column);
    }
  }
  for (const [column, playing] of seen) {
    if (playing.length > 1) {
      scope.report(crowdProblems.roleClash(column, playing),
        statement[playing[1] as keyof AnnotationRoles]!.span);
    }
  }

  env.inputs.add(resolved);
  const complete = roles.item && roles.worker && roles.label;
  scope.produce(name, {
    ...(schema ? { schema } : {}),
    file: resolved,
    shape: 'annotations',
    ...(complete ? { annotations: roles as AnnotationRoles } : {}),
  });
  if (complete) scope.step.crowd = { roles: roles as AnnotationRoles };
});

function readableSchema(
  statement: LoadAnnotationsStatement,
  scope: Scope,
  resolved: string,
): Schema | undefined {
  const { env } = scope;
  const format = resolveFormat(statement.path, undefined, scope,
    statement.pathSpan);
  // Written by an earlier statement: its columns are known only then.
  if (env.written.has(resolved)) return undefined;
  if (!env.files.exists(resolved)) {
    scope.report(problems.fileNotFound(statement.path, resolved),
      statement.pathSpan);
    return undefined;
  }
  return format ? env.files.schema(resolved, format) : undefined;
}

/** The input table and its roles, recorded in the plan. */
function ratingsInput(
  scope: Scope,
  named: Name | undefined,
): { table: InputTable; roles: AnnotationRoles } | undefined {
  const table = scope.inputTable(named);
  if (!table) return undefined;
  const roles = annotationRoles(table, scope);
  if (!roles) return undefined;

  const schema = table.facts.schema;
  if (schema) {
    for (const column of Object.values(roles)) {
      scope.column(table, { name: column, span: table.span });
    }
  }
  scope.step.crowd = { roles };
  return { table, roles };
}

/** The columns of the table `agreement ... as NAME` keeps. */
export const agreementSchema: Schema = new Map<string, ValueType>([
  ['measure', 'string'], ['value', 'number'], ['se', 'number'],
  ['z', 'number'], ['items', 'number'], ['band', 'string'],
  ['scale', 'string'],
]);

defineChecker('agreement', (statement, scope) => {
  const input = ratingsInput(scope, statement.input);
  if (!input) return;

  const labelType = input.table.facts.schema?.get(input.roles.label);
  if (statement.level && labelType && labelType !== 'number' &&
      labelType !== 'unknown') {
    scope.report(crowdProblems.levelNeedsNumbers(statement.level,
      input.table.name, input.roles.label,
      labelType === 'string' ? 'text' : 'true/false values'),
    statement.levelSpan);
  }
  if (statement.output) {
    scope.produce(statement.output.name, { schema: agreementSchema }, false);
  }
});

/** The columns of an aggregate table: one row per item. */
export function aggregateSchema(
  itemColumn: string,
  itemType: ValueType,
  labelType: ValueType,
): Schema {
  return new Map<string, ValueType>([
    [itemColumn, itemType], ['label', labelType], ['confidence', 'number'],
    ['votes', 'number'], ['tie', 'boolean'], ['from_gold', 'boolean'],
  ]);
}

/** The name of an aggregate table's item column: the ratings' own. */
export function aggregateItemColumn(roles: AnnotationRoles): string {
  const taken = ['label', 'confidence', 'votes', 'tie', 'from_gold'];
  return taken.includes(roles.item) ? 'item' : roles.item;
}

defineChecker('aggregate', (statement, scope) => {
  const input = ratingsInput(scope, statement.input);
  checkMethod(statement, scope);
  if (!input) return;

  const { table, roles } = input;
  if (statement.gold) {
    const gold = goldPlan(statement.gold, roles, scope);
    if (gold) scope.step.crowd = { roles, gold };
  }

  const schema = table.facts.schema;
  const name = statement.output?.name ?? `${table.name}_labels`;
  scope.produce(name, {
    schema: aggregateSchema(aggregateItemColumn(roles),
      schema?.get(roles.item) ?? 'unknown',
      schema?.get(roles.label) ?? 'unknown'),
  }, false);
});

function checkMethod(statement: AggregateStatement, scope: Scope): void {
  const method = statement.method;
  const known = aggregateMethods as readonly string[];
  if (!known.includes(method)) {
    scope.report(crowdProblems.unknownMethod(method,
      closest(method, aggregateMethods)), statement.methodSpan);
    return;
  }

  const iterative = iterativeMethods.includes(method as AggregateMethod);
  const { iterations, tolerance } = statement;
  if (iterations) {
    if (!iterative) {
      scope.report(crowdProblems.optionNotForMethod('iterations', method),
        iterations.span);
    } else if (!Number.isInteger(iterations.value) || iterations.value < 1 ||
        iterations.value > 100000) {
      scope.report(problems.badNumber('the iteration limit',
        'a whole number from 1 to 100000', String(iterations.value)),
      iterations.span);
    }
  }
  if (tolerance) {
    if (!iterative) {
      scope.report(crowdProblems.optionNotForMethod('tolerance', method),
        tolerance.span);
    } else if (!(tolerance.value > 0 && tolerance.value < 1)) {
      scope.report(problems.badNumber('the tolerance',
        'above 0 and below 1, such as 1e-5', String(tolerance.value)),
      tolerance.span);
    }
  }
}

/**
 * The gold table's columns: the ratings' item column, and for the label
 * the ratings' label column, else one called gold, else the only other.
 */
function goldPlan(
  gold: Name,
  roles: AnnotationRoles,
  scope: Scope,
): GoldPlan | undefined {
  const facts = scope.env.tables.get(gold.name);
  if (!facts) {
    const known = [...scope.env.tables.keys()];
    scope.report(problems.unknownTable(gold.name, known,
      closest(gold.name, known)), gold.span);
    return undefined;
  }

  const schema = facts.schema;
  if (!schema) return { table: gold.name, item: roles.item, label: 'gold' };
  const columns = [...schema.keys()];
  const others = columns.filter((c) => c !== roles.item);
  const label = schema.has(roles.label) ? roles.label
    : schema.has('gold') ? 'gold'
      : others.length === 1 ? others[0] : undefined;
  if (!schema.has(roles.item) || !label) {
    scope.report(crowdProblems.goldColumns(gold.name, roles.item,
      roles.label, columns), gold.span);
    return undefined;
  }
  return { table: gold.name, item: roles.item, label };
}

/** The columns of the table `workers ... as NAME` keeps. */
export function workersSchema(workerType: ValueType): Schema {
  return new Map<string, ValueType>([
    ['worker', workerType], ['items', 'number'], ['ratings', 'number'],
    ['agreement', 'number'], ['kappa', 'number'], ['accuracy', 'number'],
    ['below_chance', 'boolean'],
  ]);
}

defineChecker('workers', (statement, scope) => {
  const input = ratingsInput(scope, statement.input);
  if (!input || !statement.output) return;
  const workerType = input.table.facts.schema?.get(input.roles.worker);
  scope.produce(statement.output.name,
    { schema: workersSchema(workerType ?? 'unknown') }, false);
});
