// The model statements: train, evaluate, predict, mitigate, save model,
// load model and set backend. Grammar, AST, builders, checks and the
// problems they report.
//
//   train logistic on train target deny = "yes" epochs 30 as model
//   train mlp 64, 32 on train target deny features all except afam
//   evaluate model on test by afam reference "no"
//   evaluate predictions guess against truth scores p by group
//   predict model on test as scored
//   mitigate model on train by afam for demographic_parity as fair
//   save model fair to "out/fair.json"
//   load model "out/fair.json" as fair
//   set backend wasm

import type { CstNode } from 'chevrotain';
import type { Name, StatementBase } from '../ast.js';
import {
  base, buildLiteral, buildName, buildNameList, defineBuilder, has, node,
  nodes, stringValue, token, tokens, type LiteralValue,
} from '../build.js';
import { defineChecker, type InputTable, type Scope } from '../check.js';
import { problems, type ProblemEntry } from '../diagnostics.js';
import type { ParserBase } from '../grammar.js';
import { spanOfToken, type Span } from '../span.js';
import { closest } from '../suggest.js';
import {
  By, Comma, DoubleEqual, Equal, keyword, NumberLiteral, StringLiteral, To,
} from '../tokens.js';
import type { Schema, ValueType } from '../types.js';

// 1. Words

const Train = keyword('train');
const Logistic = keyword('logistic');
const Mlp = keyword('mlp');
const Target = keyword('target');
const Features = keyword('features');
const All = keyword('all');
const Except = keyword('except');
const Epochs = keyword('epochs');
const Batch = keyword('batch');
const Rate = keyword('rate');
const Optimizer = keyword('optimizer');
const Decay = keyword('decay');
const Weight = keyword('weight');
const Class = keyword('class');
const Weights = keyword('weights');
const Balanced = keyword('balanced');
const Validation = keyword('validation');
const Evaluate = keyword('evaluate');
const Predictions = keyword('predictions');
const Against = keyword('against');
const Scores = keyword('scores');
const Positive = keyword('positive');
const Threshold = keyword('threshold');
const Reference = keyword('reference');
const Bootstrap = keyword('bootstrap');
const Predict = keyword('predict');
const Mitigate = keyword('mitigate');
const For = keyword('for');
const Tolerance = keyword('tolerance');
const Save = keyword('save');
const Load = keyword('load');
const Model = keyword('model');
const SetWord = keyword('set');
const Backend = keyword('backend');

/** The choices some clauses take, checked with "did you mean". */
export const optimizerNames = ['adam', 'sgd'] as const;
export const goalNames = [
  'demographic_parity', 'equal_opportunity', 'equalized_odds',
] as const;
export const backendWords = ['auto', 'gpu', 'node', 'wasm', 'cpu'] as const;

/** Defaults the checker and the runtime share; grammar.md lists them. */
export const trainDefaults = {
  epochs: 20,
  batch: 32,
  rate: 0.01,
  optimizer: 'adam',
  decay: 0,
  patience: 5,
  hidden: [32],
  modelName: 'model',
} as const;

export const evaluateDefaults = {
  threshold: 0.5,
  bootstrap: 1000,
} as const;

export const mitigateDefaults = {
  tolerance: 0.01,
} as const;

// 2. Syntax tree

export interface NumberArgument {
  value: number;
  span: Span;
}

export interface ValueArgument {
  value: LiteralValue;
  span: Span;
}

export interface TrainStatement extends StatementBase {
  kind: 'train';
  model: 'logistic' | 'mlp';
  modelSpan: Span;
  /** Hidden layer widths as written after `mlp`. */
  hidden: NumberArgument[];
  target?: Name;
  /** `target COL = VALUE`: the positive class. */
  positive?: ValueArgument;
  features?: Name[];
  /** `features all except ...`. */
  featuresExcept: boolean;
  epochs?: NumberArgument;
  batch?: NumberArgument;
  rate?: NumberArgument;
  optimizer?: Name;
  decay?: NumberArgument;
  weight?: Name;
  classWeights: boolean;
  validation?: NumberArgument;
}

/** The clauses evaluate's two forms share. */
interface EvaluateClauses {
  by: Name[];
  threshold?: NumberArgument;
  /** The privileged group: one value per `by` column. */
  reference?: ValueArgument[];
  referenceSpan?: Span;
  bootstrap?: NumberArgument;
  /** Only with `evaluate predictions`. */
  scores?: Name;
  positive?: ValueArgument;
}

export interface EvaluateStatement extends StatementBase, EvaluateClauses {
  kind: 'evaluate';
  /** The model evaluated; absent for `evaluate predictions`. */
  model?: Name;
  /** `evaluate predictions COL against COL`. */
  predictions?: { predicted: Name; truth: Name };
}

export interface PredictStatement extends StatementBase {
  kind: 'predict';
  model: Name;
  threshold?: NumberArgument;
}

export interface MitigateStatement extends StatementBase {
  kind: 'mitigate';
  model: Name;
  by: Name[];
  goal?: Name;
  tolerance?: NumberArgument;
}

export interface SaveModelStatement extends StatementBase {
  kind: 'save_model';
  model: Name;
  path: string;
  pathSpan: Span;
}

export interface LoadModelStatement extends StatementBase {
  kind: 'load_model';
  path: string;
  pathSpan: Span;
}

export interface SetBackendStatement extends StatementBase {
  kind: 'set_backend';
  backend: Name;
}

declare module '../ast.js' {
  interface StatementKinds {
    train: TrainStatement;
    evaluate: EvaluateStatement;
    predict: PredictStatement;
    mitigate: MitigateStatement;
    save_model: SaveModelStatement;
    load_model: LoadModelStatement;
    set_backend: SetBackendStatement;
  }
}

/** What the checker keeps about a model in `env.objects`. */
export interface ModelFacts extends Record<string, unknown> {
  type?: string;
  features?: string[];
  target?: string;
  binary?: boolean;
  mitigated?: boolean;
  groupColumns?: string[];
}

export const modelShape = 'model';

// 3. Grammar

export function modelGrammar<B extends ParserBase>(Base: B): B {
  return class ModelGrammar extends Base {
    readonly trainStatement = this.statementRule('trainStatement', () => {
      this.CONSUME(Train);
      this.OR([
        { ALT: () => this.CONSUME(Logistic) },
        {
          ALT: () => {
            this.CONSUME(Mlp);
            this.OPTION(() => this.SUBRULE(this.modelLayers));
          },
        },
      ]);
      this.MANY(() => this.OR2([
        { ALT: () => this.SUBRULE(this.modelTargetClause) },
        { ALT: () => this.SUBRULE(this.modelFeaturesClause) },
        { ALT: () => this.SUBRULE(this.modelEpochsClause) },
        { ALT: () => this.SUBRULE(this.modelBatchClause) },
        { ALT: () => this.SUBRULE(this.modelRateClause) },
        { ALT: () => this.SUBRULE(this.modelOptimizerClause) },
        { ALT: () => this.SUBRULE(this.modelDecayClause) },
        { ALT: () => this.SUBRULE(this.modelWeightClause) },
        { ALT: () => this.SUBRULE(this.modelClassWeightsClause) },
        { ALT: () => this.SUBRULE(this.modelValidationClause) },
        { ALT: () => this.SUBRULE(this.onClause) },
        { ALT: () => this.SUBRULE(this.asClause) },
      ]));
    });

    /** `64, 32`: the widths of the hidden layers. */
    readonly modelLayers = this.RULE('modelLayers', () => {
      this.AT_LEAST_ONE_SEP({
        SEP: Comma,
        DEF: () => this.CONSUME(NumberLiteral),
      });
    });

    readonly modelTargetClause = this.RULE('modelTargetClause', () => {
      this.CONSUME(Target);
      this.SUBRULE(this.name);
      this.OPTION(() => {
        this.OR([
          { ALT: () => this.CONSUME(Equal) },
          { ALT: () => this.CONSUME(DoubleEqual) },
        ]);
        this.SUBRULE(this.literal);
      });
    });

    readonly modelFeaturesClause = this.RULE('modelFeaturesClause', () => {
      this.CONSUME(Features);
      this.OPTION(() => {
        this.CONSUME(All);
        this.CONSUME(Except);
      });
      this.SUBRULE(this.nameList);
    });

    readonly modelEpochsClause = this.RULE('modelEpochsClause', () => {
      this.CONSUME(Epochs);
      this.CONSUME(NumberLiteral);
    });

    readonly modelBatchClause = this.RULE('modelBatchClause', () => {
      this.CONSUME(Batch);
      this.CONSUME(NumberLiteral);
    });

    readonly modelRateClause = this.RULE('modelRateClause', () => {
      this.CONSUME(Rate);
      this.CONSUME(NumberLiteral);
    });

    readonly modelOptimizerClause = this.RULE('modelOptimizerClause', () => {
      this.CONSUME(Optimizer);
      this.SUBRULE(this.name);
    });

    readonly modelDecayClause = this.RULE('modelDecayClause', () => {
      this.CONSUME(Decay);
      this.CONSUME(NumberLiteral);
    });

    readonly modelWeightClause = this.RULE('modelWeightClause', () => {
      this.CONSUME(Weight);
      this.SUBRULE(this.name);
    });

    readonly modelClassWeightsClause = this.RULE('modelClassWeightsClause',
      () => {
        this.CONSUME(Class);
        this.CONSUME(Weights);
        this.CONSUME(Balanced);
      });

    readonly modelValidationClause = this.RULE('modelValidationClause',
      () => {
        this.CONSUME(Validation);
        this.CONSUME(NumberLiteral);
      });

    readonly evaluateStatement = this.statementRule('evaluateStatement',
      () => {
        this.CONSUME(Evaluate);
        this.OR([
          {
            // `evaluate predictions p against y`; a model that happens to
            // be called "predictions" is evaluated by the other branch.
            GATE: () => this.LA(3).tokenType === Against,
            ALT: () => {
              this.CONSUME(Predictions);
              this.SUBRULE(this.name, { LABEL: 'predicted' });
              this.CONSUME(Against);
              this.SUBRULE2(this.name, { LABEL: 'truth' });
            },
            IGNORE_AMBIGUITIES: true,
          },
          { ALT: () => this.SUBRULE3(this.name, { LABEL: 'model' }) },
        ]);
        this.MANY(() => this.OR2([
          { ALT: () => this.SUBRULE(this.modelByClause) },
          { ALT: () => this.SUBRULE(this.modelThresholdClause) },
          { ALT: () => this.SUBRULE(this.modelReferenceClause) },
          { ALT: () => this.SUBRULE(this.modelBootstrapClause) },
          { ALT: () => this.SUBRULE(this.modelScoresClause) },
          { ALT: () => this.SUBRULE(this.modelPositiveClause) },
          { ALT: () => this.SUBRULE(this.onClause) },
          { ALT: () => this.SUBRULE(this.asClause) },
        ]));
      });

    readonly modelByClause = this.RULE('modelByClause', () => {
      this.CONSUME(By);
      this.SUBRULE(this.nameList);
    });

    readonly modelThresholdClause = this.RULE('modelThresholdClause', () => {
      this.CONSUME(Threshold);
      this.SUBRULE(this.literal);
    });

    readonly modelReferenceClause = this.RULE('modelReferenceClause', () => {
      this.CONSUME(Reference);
      this.AT_LEAST_ONE_SEP({
        SEP: Comma,
        DEF: () => this.SUBRULE(this.literal),
      });
    });

    readonly modelBootstrapClause = this.RULE('modelBootstrapClause', () => {
      this.CONSUME(Bootstrap);
      this.CONSUME(NumberLiteral);
    });

    readonly modelScoresClause = this.RULE('modelScoresClause', () => {
      this.CONSUME(Scores);
      this.SUBRULE(this.name);
    });

    readonly modelPositiveClause = this.RULE('modelPositiveClause', () => {
      this.CONSUME(Positive);
      this.SUBRULE(this.literal);
    });

    readonly predictStatement = this.statementRule('predictStatement', () => {
      this.CONSUME(Predict);
      this.SUBRULE(this.name, { LABEL: 'model' });
      this.MANY(() => this.OR([
        { ALT: () => this.SUBRULE(this.modelThresholdClause) },
        { ALT: () => this.SUBRULE(this.onClause) },
        { ALT: () => this.SUBRULE(this.asClause) },
      ]));
    });

    readonly mitigateStatement = this.statementRule('mitigateStatement',
      () => {
        this.CONSUME(Mitigate);
        this.SUBRULE(this.name, { LABEL: 'model' });
        this.MANY(() => this.OR([
          { ALT: () => this.SUBRULE(this.modelByClause) },
          { ALT: () => this.SUBRULE(this.modelGoalClause) },
          { ALT: () => this.SUBRULE(this.modelToleranceClause) },
          { ALT: () => this.SUBRULE(this.onClause) },
          { ALT: () => this.SUBRULE(this.asClause) },
        ]));
      });

    readonly modelGoalClause = this.RULE('modelGoalClause', () => {
      this.CONSUME(For);
      this.SUBRULE(this.name);
    });

    readonly modelToleranceClause = this.RULE('modelToleranceClause', () => {
      this.CONSUME(Tolerance);
      this.CONSUME(NumberLiteral);
    });

    readonly saveModelStatement = this.statementRule('saveModelStatement',
      () => {
        this.CONSUME(Save);
        this.CONSUME(Model);
        this.SUBRULE(this.name, { LABEL: 'model' });
        this.CONSUME(To);
        this.CONSUME(StringLiteral);
      });

    readonly loadModelStatement = this.statementRule('loadModelStatement',
      () => {
        this.CONSUME(Load);
        this.CONSUME(Model);
        this.CONSUME(StringLiteral);
        this.OPTION(() => this.SUBRULE(this.asClause));
      });

    readonly setBackendStatement = this.statementRule('setBackendStatement',
      () => {
        this.CONSUME(SetWord);
        this.CONSUME(Backend);
        this.SUBRULE(this.name);
      });
  };
}

// 4. Builders

function numberArgument(cst: CstNode | undefined): NumberArgument | undefined {
  const number = cst ? token(cst, 'NumberLiteral') : undefined;
  return number
    ? { value: Number(number.image), span: spanOfToken(number) }
    : undefined;
}

function nameIn(cst: CstNode, clause: string): Name | undefined {
  const found = node(cst, clause);
  return found ? buildName(node(found, 'name')!) : undefined;
}

/** Put optional fields in only when present (exactOptionalPropertyTypes). */
function present<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields)
    .filter(([, value]) => value !== undefined)) as Partial<T>;
}

defineBuilder('trainStatement', (cst) => {
  const mlp = has(cst, 'KwMlp');
  const modelToken = token(cst, mlp ? 'KwMlp' : 'KwLogistic')!;
  const layers = node(cst, 'modelLayers');
  const target = node(cst, 'modelTargetClause');
  const positive = target ? node(target, 'literal') : undefined;
  const features = node(cst, 'modelFeaturesClause');
  return {
    ...base('train', cst),
    model: mlp ? 'mlp' : 'logistic',
    modelSpan: spanOfToken(modelToken),
    hidden: layers
      ? tokens(layers, 'NumberLiteral').map((number) => ({
        value: Number(number.image), span: spanOfToken(number),
      }))
      : [],
    featuresExcept: features ? has(features, 'KwExcept') : false,
    classWeights: has(cst, 'modelClassWeightsClause'),
    ...present({
      target: target ? buildName(node(target, 'name')!) : undefined,
      positive: positive ? buildLiteral(positive) : undefined,
      features: features
        ? buildNameList(node(features, 'nameList')!) : undefined,
      epochs: numberArgument(node(cst, 'modelEpochsClause')),
      batch: numberArgument(node(cst, 'modelBatchClause')),
      rate: numberArgument(node(cst, 'modelRateClause')),
      optimizer: nameIn(cst, 'modelOptimizerClause'),
      decay: numberArgument(node(cst, 'modelDecayClause')),
      weight: nameIn(cst, 'modelWeightClause'),
      validation: numberArgument(node(cst, 'modelValidationClause')),
    }),
  };
});

function thresholdOf(cst: CstNode): NumberArgument | undefined {
  const clause = node(cst, 'modelThresholdClause');
  if (!clause) return undefined;
  const literal = buildLiteral(node(clause, 'literal')!);
  // A threshold that is not a number is kept as NaN for the checker.
  return { value: typeof literal.value === 'number' ? literal.value : NaN,
    span: literal.span };
}

defineBuilder('evaluateStatement', (cst) => {
  const by = node(cst, 'modelByClause');
  const reference = node(cst, 'modelReferenceClause');
  const positive = node(cst, 'modelPositiveClause');
  const predicted = node(cst, 'predicted');
  return {
    ...base('evaluate', cst),
    by: by ? buildNameList(node(by, 'nameList')!) : [],
    ...present({
      model: predicted ? undefined : buildName(node(cst, 'model')!),
      predictions: predicted
        ? { predicted: buildName(predicted),
          truth: buildName(node(cst, 'truth')!) }
        : undefined,
      threshold: thresholdOf(cst),
      reference: reference
        ? nodes(reference, 'literal').map(buildLiteral) : undefined,
      referenceSpan: reference
        ? spanOfToken(token(reference, 'KwReference')!) : undefined,
      bootstrap: numberArgument(node(cst, 'modelBootstrapClause')),
      scores: nameIn(cst, 'modelScoresClause'),
      positive: positive
        ? buildLiteral(node(positive, 'literal')!) : undefined,
    }),
  };
});

defineBuilder('predictStatement', (cst) => ({
  ...base('predict', cst),
  model: buildName(node(cst, 'model')!),
  ...present({ threshold: thresholdOf(cst) }),
}));

defineBuilder('mitigateStatement', (cst) => {
  const by = node(cst, 'modelByClause');
  return {
    ...base('mitigate', cst),
    model: buildName(node(cst, 'model')!),
    by: by ? buildNameList(node(by, 'nameList')!) : [],
    ...present({
      goal: nameIn(cst, 'modelGoalClause'),
      tolerance: numberArgument(node(cst, 'modelToleranceClause')),
    }),
  };
});

defineBuilder('saveModelStatement', (cst) => {
  const path = token(cst, 'StringLiteral')!;
  return {
    ...base('save_model', cst),
    model: buildName(node(cst, 'model')!),
    path: stringValue(path),
    pathSpan: spanOfToken(path),
  };
});

defineBuilder('loadModelStatement', (cst) => {
  const path = token(cst, 'StringLiteral')!;
  return {
    ...base('load_model', cst),
    path: stringValue(path),
    pathSpan: spanOfToken(path),
  };
});

defineBuilder('setBackendStatement', (cst) => ({
  ...base('set_backend', cst),
  backend: buildName(node(cst, 'name')!),
}));

// 5. Problems

const quote = (text: string) => JSON.stringify(text);

function listSome(names: readonly string[], limit = 6): string {
  const shown = names.slice(0, limit).map(quote).join(', ');
  const more = names.length - limit;
  return more > 0 ? `${shown} and ${more} more` : shown;
}

export const modelProblems = {
  noTarget: (): ProblemEntry => ({
    code: 'missing-target',
    message: 'train needs a target: the column the model learns to predict',
    hints: ['add target COLUMN, e.g. train logistic on train target deny'],
  }),
  targetIsFeature: (column: string): ProblemEntry => ({
    code: 'target-is-feature',
    message: `column ${quote(column)} is the target, so it cannot also be ` +
      'a feature',
    hints: ['leave it out of the features list'],
  }),
  noFeatures: (table: string): ProblemEntry => ({
    code: 'no-features',
    message: `no feature columns are left in table ${quote(table)} once ` +
      'the target and the weight are set aside',
    hints: ['name the features: features COLUMN, COLUMN'],
  }),
  unknownModel: (
    name: string,
    models: readonly string[],
    suggestion: string | undefined,
    isTable: boolean,
  ): ProblemEntry => ({
    code: 'unknown-model',
    message: isTable
      ? `${quote(name)} is a table, not a model`
      : `there is no model named ${quote(name)}`,
    hints: isTable
      ? ['train one first: train logistic on ' + name + ' target COLUMN',
        'for predictions already in a table: evaluate predictions COLUMN ' +
          'against COLUMN by COLUMN']
      : suggestion ? [`did you mean ${quote(suggestion)}?`]
        : models.length
          ? [`the models are ${models.map(quote).join(', ')}`]
          : ['train one first: train logistic target COLUMN as NAME'],
  }),
  nameTaken: (name: string): ProblemEntry => ({
    code: 'model-name-taken',
    message: `${quote(name)} already names a table; a model needs a name ` +
      'of its own',
    hints: [`name the model with as, e.g. as ${name}_model`],
  }),
  missingColumns: (
    columns: readonly string[],
    table: string,
    model: string,
    role: string,
  ): ProblemEntry => ({
    code: 'missing-model-column',
    message: `table ${quote(table)} has no column` +
      `${columns.length === 1 ? '' : 's'} ${listSome(columns)}, ` +
      `which model ${quote(model)} reads as ${role}`,
    hints: ['use a table with the columns the model was trained on'],
  }),
  unknownChoice: (
    what: string,
    found: string,
    choices: readonly string[],
  ): ProblemEntry => {
    const suggestion = closest(found, choices);
    return {
      code: `unknown-${what}`,
      message: `unknown ${what} ${quote(found)}`,
      hints: suggestion
        ? [`did you mean ${quote(suggestion)}?`]
        : [`use one of ${choices.join(', ')}`],
    };
  },
  notHere: (clause: string, where: string, hint: string): ProblemEntry => ({
    code: 'clause-not-allowed',
    message: `"${clause}" does not apply to ${where}`,
    hints: [hint],
  }),
  referenceWithoutBy: (): ProblemEntry => ({
    code: 'reference-without-by',
    message: 'reference names the privileged group of the by columns, but ' +
      'there is no by',
    hints: ['add the group columns: by COLUMN reference VALUE'],
  }),
  referenceCount: (values: number, columns: number): ProblemEntry => ({
    code: 'reference-count',
    message: `reference gives ${values} value${values === 1 ? '' : 's'} ` +
      `for ${columns} by column${columns === 1 ? '' : 's'}`,
    hints: ['give one value per by column, in the same order: ' +
      'by race, sex reference "white", "male"'],
  }),
  mitigatedThreshold: (model: string): ProblemEntry => ({
    code: 'mitigated-threshold',
    message: `model ${quote(model)} has a threshold per group from ` +
      'mitigate; a single threshold would undo them',
    hints: ['leave out threshold, or use the model before mitigate'],
  }),
  notBinary: (model: string, what: string): ProblemEntry => ({
    code: 'binary-model-needed',
    message: `${what} needs a model with two classes; model ${quote(model)} ` +
      'predicts more',
    hints: ['train with target COLUMN = VALUE for VALUE against the rest'],
  }),
  noGoal: (): ProblemEntry => ({
    code: 'missing-goal',
    message: 'mitigate needs a goal: for demographic_parity, ' +
      'equal_opportunity or equalized_odds',
    hints: ['add, e.g., for demographic_parity'],
  }),
  noGroups: (): ProblemEntry => ({
    code: 'missing-by',
    message: 'mitigate needs the group columns whose thresholds it fits',
    hints: ['add by COLUMN, e.g. by afam'],
  }),
};

// 6. Checks

/** Report a number outside its range. */
export function checkNumber(
  scope: Scope,
  argument: NumberArgument | undefined,
  what: string,
  rule: string,
  ok: (value: number) => boolean,
): void {
  if (argument && !(Number.isFinite(argument.value) && ok(argument.value))) {
    scope.report(problems.badNumber(what, rule,
      Number.isNaN(argument.value) ? 'something else' : String(argument.value)),
    argument.span);
  }
}

export const wholeFrom = (min: number) => (value: number) =>
  Number.isInteger(value) && value >= min;

/**
 * The options every `train` shares: numbers in range, a known optimizer,
 * a target. Image training checks the same ones.
 */
export function checkTrainingOptions(
  statement: Pick<TrainStatement, 'epochs' | 'batch' | 'rate' | 'decay' |
    'validation' | 'optimizer' | 'target' | 'span'>,
  scope: Scope,
): void {
  checkNumber(scope, statement.epochs, 'epochs',
    'a whole number of at least 1', wholeFrom(1));
  checkNumber(scope, statement.batch, 'the batch size',
    'a whole number of at least 1', wholeFrom(1));
  checkNumber(scope, statement.rate, 'the learning rate', 'above 0',
    (v) => v > 0);
  checkNumber(scope, statement.decay, 'the weight decay', '0 or more',
    (v) => v >= 0);
  checkNumber(scope, statement.validation, 'the validation share',
    'above 0 and below 1 (0.2 holds out a fifth of the rows)',
    (v) => v > 0 && v < 1);
  if (statement.optimizer &&
      !(optimizerNames as readonly string[]).includes(
        statement.optimizer.name)) {
    scope.report(modelProblems.unknownChoice('optimizer',
      statement.optimizer.name, optimizerNames), statement.optimizer.span);
  }
  if (!statement.target) {
    scope.report(modelProblems.noTarget(), statement.span);
  }
}

/** A model's facts, or undefined after reporting that there is none. */
export function modelFacts(
  scope: Scope,
  name: Name,
): ModelFacts | undefined {
  const object = scope.env.objects.get(name.name);
  if (object?.shape === modelShape) return (object.facts ?? {}) as ModelFacts;

  const models = [...scope.env.objects].filter(([, o]) =>
    o.shape === modelShape).map(([n]) => n);
  scope.report(modelProblems.unknownModel(name.name, models,
    closest(name.name, models), scope.env.tables.has(name.name)), name.span);
  return undefined;
}

/** Record a model the statement makes, so later statements can use it. */
function declareModel(scope: Scope, name: string, facts: ModelFacts): void {
  scope.env.objects.set(name, { shape: modelShape, facts });
}

function literalType(value: LiteralValue): ValueType {
  return typeof value === 'number' ? 'number'
    : typeof value === 'boolean' ? 'boolean' : 'string';
}

function checkValueType(
  scope: Scope,
  value: ValueArgument,
  columnType: ValueType | undefined,
  what: string,
): void {
  if (!columnType || columnType === 'unknown') return;
  const type = literalType(value.value);
  if (type !== columnType) {
    scope.report(problems.wrongType(what,
      columnType === 'string' ? 'text' : columnType === 'boolean'
        ? 'true or false' : 'a number',
      JSON.stringify(value.value)), value.span);
  }
}

/** The feature columns a train statement will use, when knowable. */
export function trainFeatures(
  statement: TrainStatement,
  schema: Schema | undefined,
): string[] | undefined {
  const target = statement.target?.name;
  const weight = statement.weight?.name;
  if (statement.features && !statement.featuresExcept) {
    return statement.features.map((f) => f.name);
  }
  if (!schema) return undefined;
  const excluded = new Set(statement.features?.map((f) => f.name) ?? []);
  return [...schema.keys()].filter((column) =>
    column !== target && column !== weight && !excluded.has(column) &&
    // A weight column from reweigh is a weight, never a feature, unless
    // listed as one.
    column !== 'weight');
}

defineChecker('train', (statement, scope) => {
  const name = statement.output?.name ?? trainDefaults.modelName;
  const table = scope.inputTable(statement.input);
  declareModel(scope, name, { type: statement.model });
  if (scope.env.tables.has(name)) {
    scope.report(modelProblems.nameTaken(name),
      statement.output?.span ?? statement.span);
  }

  // 1. Numbers in range.
  for (const layer of statement.hidden) {
    checkNumber(scope, layer, 'a hidden layer width',
      'a whole number of at least 1', wholeFrom(1));
  }
  checkTrainingOptions(statement, scope);

  // 2. Columns.
  if (!table) return;
  const targetType = statement.target
    ? scope.column(table, statement.target) : undefined;
  if (statement.positive) {
    checkValueType(scope, statement.positive, targetType,
      `the target value of ${statement.target?.name}`);
  }
  if (statement.features) scope.columns(table, statement.features);
  for (const feature of statement.features ?? []) {
    if (feature.name === statement.target?.name && !statement.featuresExcept) {
      scope.report(modelProblems.targetIsFeature(feature.name), feature.span);
    }
  }
  if (statement.weight) {
    const type = scope.column(table, statement.weight);
    if (type && type !== 'number' && type !== 'unknown') {
      scope.report(problems.wrongType(`weight column ${statement.weight.name}`,
        'a number column', type === 'string' ? 'text' : type),
      statement.weight.span);
    }
  }

  const features = trainFeatures(statement, table.facts.schema);
  if (features && features.length === 0) {
    scope.report(modelProblems.noFeatures(table.name), statement.span);
  }
  declareModel(scope, name, {
    type: statement.model,
    ...(features ? { features } : {}),
    ...(statement.target ? { target: statement.target.name } : {}),
    ...(statement.positive ? { binary: true } : {}),
  });
});

/** Check that a table has the columns a model reads. */
function checkModelColumns(
  scope: Scope,
  table: InputTable,
  model: Name,
  facts: ModelFacts,
  needsTarget: boolean,
): void {
  const schema = table.facts.schema;
  if (!schema) return;
  const need = (columns: readonly string[], one: string, many: string) => {
    const missing = columns.filter((column) => !schema.has(column));
    if (missing.length) {
      scope.report(modelProblems.missingColumns(missing, table.name,
        model.name, missing.length === 1 ? one : many), table.span);
    }
  };
  need(facts.features ?? [], 'a feature', 'features');
  if (needsTarget && facts.target) {
    need([facts.target], 'its target', 'its target');
  }
  need(facts.groupColumns ?? [], 'the group of its thresholds',
    'the groups of its thresholds');
}

function checkThreshold(scope: Scope, threshold?: NumberArgument): void {
  checkNumber(scope, threshold, 'a threshold', 'a number from 0 to 1',
    (v) => v >= 0 && v <= 1);
}

/** The by columns and the reference group, which must name one value each. */
function checkGroups(
  scope: Scope,
  table: InputTable,
  by: readonly Name[],
  reference: readonly ValueArgument[] | undefined,
  referenceSpan: Span | undefined,
): void {
  scope.columns(table, by);
  if (!reference) return;
  if (by.length === 0) {
    scope.report(modelProblems.referenceWithoutBy(), referenceSpan);
    return;
  }
  if (reference.length !== by.length) {
    scope.report(modelProblems.referenceCount(reference.length, by.length),
      referenceSpan);
    return;
  }
  reference.forEach((value, i) => {
    const type = table.facts.schema?.get(by[i]!.name);
    checkValueType(scope, value, type, `the reference value of ${by[i]!.name}`);
  });
}

/** The columns of the table `evaluate ... as NAME` keeps. */
export function evaluateSchema(by: readonly Name[]): Schema {
  const columns = new Map<string, ValueType>(
    by.map((column) => [column.name, 'string']));
  for (const metric of ['n', 'accuracy', 'balanced_accuracy', 'precision',
    'recall', 'fpr', 'fnr', 'f1', 'selection_rate', 'auc', 'tp', 'fp', 'tn',
    'fn']) {
    columns.set(metric, 'number');
  }
  return columns;
}

defineChecker('evaluate', (statement, scope) => {
  const table = scope.inputTable(statement.input);
  checkNumber(scope, statement.bootstrap, 'the number of bootstrap ' +
    'resamples', 'a whole number (0 for no intervals)', wholeFrom(0));
  checkThreshold(scope, statement.threshold);

  if (statement.model) {
    const facts = modelFacts(scope, statement.model);
    if (statement.scores) {
      scope.report(modelProblems.notHere('scores', 'a model',
        'a model gives its own scores'), statement.scores.span);
    }
    if (statement.positive) {
      scope.report(modelProblems.notHere('positive', 'a model',
        'the model knows its positive class from train'),
      statement.positive.span);
    }
    if (facts?.mitigated && statement.threshold) {
      scope.report(modelProblems.mitigatedThreshold(statement.model.name),
        statement.threshold.span);
    }
    if (facts?.binary === false && statement.threshold) {
      scope.report(modelProblems.notBinary(statement.model.name,
        'a threshold'), statement.threshold.span);
    }
    if (table && facts) {
      checkModelColumns(scope, table, statement.model, facts, true);
    }
  } else if (statement.predictions) {
    if (statement.threshold) {
      scope.report(modelProblems.notHere('threshold', 'predictions made ' +
        'elsewhere', 'the predictions are already decided; evaluate a ' +
        'model to choose its threshold'), statement.threshold.span);
    }
    if (table) {
      const { predicted, truth } = statement.predictions;
      const predictedType = scope.column(table, predicted);
      const truthType = scope.column(table, truth);
      if (predictedType && truthType && predictedType !== 'unknown' &&
          truthType !== 'unknown' && predictedType !== truthType) {
        scope.report(problems.typeMismatch('compare',
          `predictions ${predicted.name} (${predictedType})`,
          `truth ${truth.name} (${truthType})`), predicted.span);
      }
      if (statement.scores) {
        const type = scope.column(table, statement.scores);
        if (type && type !== 'number' && type !== 'unknown') {
          scope.report(problems.wrongType(`scores ${statement.scores.name}`,
            'a number column', type === 'string' ? 'text' : type),
          statement.scores.span);
        }
      }
      if (statement.positive) {
        checkValueType(scope, statement.positive, truthType,
          'the positive value');
      }
    }
  }

  if (table) {
    checkGroups(scope, table, statement.by, statement.reference,
      statement.referenceSpan);
  }
  if (statement.output) {
    scope.produce(statement.output.name,
      { schema: evaluateSchema(statement.by) }, false);
  }
});

defineChecker('predict', (statement, scope) => {
  const table = scope.inputTable(statement.input);
  const facts = modelFacts(scope, statement.model);
  checkThreshold(scope, statement.threshold);
  if (facts?.mitigated && statement.threshold) {
    scope.report(modelProblems.mitigatedThreshold(statement.model.name),
      statement.threshold.span);
  }
  if (facts?.binary === false && statement.threshold) {
    scope.report(modelProblems.notBinary(statement.model.name,
      'a threshold'), statement.threshold.span);
  }
  if (!table) return;
  if (facts) checkModelColumns(scope, table, statement.model, facts, false);

  const output = scope.outputName(table);
  if (!output) return;
  const schema = table.facts.schema;
  scope.produce(output, schema
    ? { schema: new Map([...schema, ['score', 'number'],
      ['prediction', 'unknown']]) }
    : {});
});

defineChecker('mitigate', (statement, scope) => {
  const table = scope.inputTable(statement.input);
  const facts = modelFacts(scope, statement.model);
  const name = statement.output?.name ?? `${statement.model.name}_mitigated`;
  declareModel(scope, name, { ...(facts ?? {}), mitigated: true,
    groupColumns: statement.by.map((b) => b.name) });
  if (scope.env.tables.has(name)) {
    scope.report(modelProblems.nameTaken(name),
      statement.output?.span ?? statement.span);
  }

  if (!statement.goal) scope.report(modelProblems.noGoal(), statement.span);
  else if (!(goalNames as readonly string[]).includes(statement.goal.name)) {
    scope.report(modelProblems.unknownChoice('goal', statement.goal.name,
      goalNames), statement.goal.span);
  }
  if (statement.by.length === 0) {
    scope.report(modelProblems.noGroups(), statement.span);
  }
  checkNumber(scope, statement.tolerance, 'the tolerance',
    'above 0 and below 1', (v) => v > 0 && v < 1);
  if (facts?.binary === false) {
    scope.report(modelProblems.notBinary(statement.model.name, 'mitigate'),
      statement.model.span);
  }
  if (facts?.mitigated) {
    scope.report(modelProblems.notHere('mitigate', 'a model that is ' +
      'already mitigated', 'mitigate the original model again instead'),
    statement.model.span);
  }
  if (table && facts) {
    checkModelColumns(scope, table, statement.model, facts, true);
    scope.columns(table, statement.by);
  }
});

defineChecker('save_model', (statement, scope) => {
  modelFacts(scope, statement.model);
  const resolved = scope.env.files.resolve(statement.path);
  if (scope.env.inputs.has(resolved)) {
    scope.report(problems.saveOverInput(statement.path), statement.pathSpan);
  }
  scope.env.written.add(resolved);
});

/** `load model "out/fair.json"` names the model `fair`. */
export function modelNameFromPath(path: string): string {
  const file = path.split(/[\\/]/).pop() ?? path;
  const stem = file.replace(/\.json(\.gz)?$/i, '').replace(/\.[^.]*$/, '');
  const name = stem.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(name) ? name : `model_${name}`;
}

defineChecker('load_model', (statement, scope) => {
  const { env } = scope;
  const name = statement.output?.name ?? modelNameFromPath(statement.path);
  const resolved = env.files.resolve(statement.path);
  if (!env.written.has(resolved) && !env.files.exists(resolved)) {
    scope.report(problems.fileNotFound(statement.path, resolved),
      statement.pathSpan);
  }
  env.inputs.add(resolved);
  if (env.tables.has(name)) {
    scope.report(modelProblems.nameTaken(name),
      statement.output?.span ?? statement.pathSpan);
  }
  // What the file holds is known only once it is read.
  declareModel(scope, name, {});
});

defineChecker('set_backend', (statement, scope) => {
  if (!(backendWords as readonly string[]).includes(statement.backend.name)) {
    scope.report(modelProblems.unknownChoice('backend',
      statement.backend.name, backendWords), statement.backend.span);
  }
});
