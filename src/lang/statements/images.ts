// The image statements: load images, augment, and train cnn / resnet18.
// Grammar, AST, builders, checks and the problems they report.
//
//   load images "data/train-images-idx3-ubyte.gz" as train
//   load images "photos" labels "photos/labels.csv" as photos
//   augment flip horizontal, rotate -15..15 p 0.5 where label = 6 times 2
//   augment noise 0.05, cutout 8 until balanced by label as grown
//   augment jitter 0.1 income, debt until balanced by group
//   train cnn on grown target label epochs 2 batch 128 as net
//   train resnet18 on grown target label rate 0.001 as deep
//
// `train cnn` and `train resnet18` take the clauses of tabular `train`
// (src/lang/statements/model.ts): the clause rules are the model family's,
// reused here so that both spell every option the same way.

import type { CstNode, IToken, TokenType } from 'chevrotain';
import type { Expr, Name, StatementBase } from '../ast.js';
import {
  base, buildExpression, buildLiteral, buildName, buildNameList,
  defineBuilder, has, node, nodes, stringValue, token, tokens,
} from '../build.js';
import { defineChecker, type InputTable, type Scope } from '../check.js';
import { problems, type ProblemEntry } from '../diagnostics.js';
import type { ParserBase } from '../grammar.js';
import { joinSpans, spanOfToken, type Span } from '../span.js';
import {
  By, Comma, DotDot, keyword, Minus, NumberLiteral,
  StringLiteral, Where,
} from '../tokens.js';
import type { Schema, ValueType } from '../types.js';
import {
  checkNumber, checkTrainingOptions, modelProblems, modelShape, wholeFrom,
  type ModelFacts, type NumberArgument, type ValueArgument,
} from './model.js';

// 1. Words

const Load = keyword('load');
const Images = keyword('images');
const Labels = keyword('labels');
const Augment = keyword('augment');
const Flip = keyword('flip');
const Horizontal = keyword('horizontal');
const Vertical = keyword('vertical');
const Rotate = keyword('rotate');
const Crop = keyword('crop');
const Pad = keyword('pad');
const Translate = keyword('translate');
const Noise = keyword('noise');
const Brightness = keyword('brightness');
const Contrast = keyword('contrast');
const Cutout = keyword('cutout');
const Jitter = keyword('jitter');
const P = keyword('p');
const Times = keyword('times');
const Until = keyword('until');
const Balanced = keyword('balanced');
const Train = keyword('train');
const Cnn = keyword('cnn');
const Resnet18 = keyword('resnet18');

/** Words that start an augment operation. */
const operationWords = new Set<TokenType>([Flip, Rotate, Crop, Pad,
  Translate, Noise, Brightness, Contrast, Cutout, Jitter]);

/** Words that end a list of jitter columns. */
const clauseWords = new Set<TokenType>([Times, Until, P]);

/** Defaults the checker and the runtime share; grammar.md lists them. */
export const imageTrainDefaults = {
  cnn: { epochs: 3, batch: 64, rate: 0.001, widths: [32, 64], dense: 128 },
  resnet18: { epochs: 3, batch: 64, rate: 0.001 },
  optimizer: 'adam',
  decay: 0,
  patience: 5,
  modelName: 'model',
} as const;

// 2. Syntax tree

export interface LoadImagesStatement extends StatementBase {
  kind: 'load_images';
  path: string;
  pathSpan: Span;
  /** A labels file: IDX labels, or a CSV for a folder of images. */
  labels?: { path: string; span: Span };
}

/** A number, or a range `low..high` drawn from uniformly. */
export interface Amount {
  low: number;
  high: number;
  range: boolean;
  span: Span;
}

export type AugmentOp =
  | 'flip' | 'rotate' | 'crop' | 'pad' | 'translate' | 'noise'
  | 'brightness' | 'contrast' | 'cutout' | 'jitter';

export interface AugmentOperation {
  op: AugmentOp;
  span: Span;
  /** flip: which way. */
  axis?: 'horizontal' | 'vertical';
  /** Every other operation's number or range. */
  amount?: Amount;
  /** The chance that the operation applies to an image (default 1). */
  probability?: NumberArgument;
  /** jitter: the number columns to perturb (default: all but by). */
  columns?: Name[];
}

export interface AugmentStatement extends StatementBase {
  kind: 'augment';
  operations: AugmentOperation[];
  /** Only rows where this holds are copied. */
  condition?: Expr;
  /** New rows per source row. */
  times?: NumberArgument;
  /** `until balanced [by COLS]`: rows until every group is as large. */
  balanced?: { by: Name[]; span: Span };
}

export type ImageModelType = 'cnn' | 'resnet18';

export interface TrainImagesStatement extends StatementBase {
  kind: 'train_images';
  model: ImageModelType;
  modelSpan: Span;
  /** `train cnn 16, 32`: channels of the convolution blocks. */
  widths: NumberArgument[];
  target?: Name;
  positive?: ValueArgument;
  epochs?: NumberArgument;
  batch?: NumberArgument;
  rate?: NumberArgument;
  optimizer?: Name;
  decay?: NumberArgument;
  weight?: Name;
  classWeights: boolean;
  validation?: NumberArgument;
}

declare module '../ast.js' {
  interface StatementKinds {
    load_images: LoadImagesStatement;
    augment: AugmentStatement;
    train_images: TrainImagesStatement;
  }
}

/** What the checker marks an image table with. */
export const imagesShape = 'images';

// 3. Grammar

/** The model family's clause rules, which `train cnn` reuses. */
interface ModelClauses {
  modelLayers: () => CstNode;
  modelTargetClause: () => CstNode;
  modelEpochsClause: () => CstNode;
  modelBatchClause: () => CstNode;
  modelRateClause: () => CstNode;
  modelOptimizerClause: () => CstNode;
  modelDecayClause: () => CstNode;
  modelWeightClause: () => CstNode;
  modelClassWeightsClause: () => CstNode;
  modelValidationClause: () => CstNode;
}

export function imagesGrammar<B extends ParserBase>(Base: B): B {
  return class ImagesGrammar extends Base {
    readonly loadImagesStatement = this.statementRule('loadImagesStatement',
      () => {
        this.CONSUME(Load);
        this.CONSUME(Images);
        this.CONSUME(StringLiteral);
        this.MANY(() => this.OR([
          { ALT: () => this.SUBRULE(this.imagesLabelsClause) },
          { ALT: () => this.SUBRULE(this.asClause) },
        ]));
      });

    readonly imagesLabelsClause = this.RULE('imagesLabelsClause', () => {
      this.CONSUME(Labels);
      this.CONSUME(StringLiteral);
    });

    readonly augmentStatement = this.statementRule('augmentStatement', () => {
      this.CONSUME(Augment);
      this.OPTION({
        GATE: () => !operationWords.has(this.LA(1).tokenType),
        DEF: () => this.SUBRULE(this.name, { LABEL: 'table' }),
      });
      this.AT_LEAST_ONE_SEP({
        SEP: Comma,
        DEF: () => this.SUBRULE(this.augmentOperation),
      });
      this.MANY(() => this.OR([
        {
          ALT: () => {
            this.CONSUME(Where);
            this.SUBRULE(this.expression);
          },
        },
        {
          ALT: () => {
            this.CONSUME(Times);
            this.CONSUME(NumberLiteral);
          },
        },
        { ALT: () => this.SUBRULE(this.augmentBalancedClause) },
        { ALT: () => this.SUBRULE(this.onClause) },
        { ALT: () => this.SUBRULE(this.asClause) },
      ]));
    });

    readonly augmentBalancedClause = this.RULE('augmentBalancedClause',
      () => {
        this.CONSUME(Until);
        this.CONSUME(Balanced);
        this.OPTION(() => {
          this.CONSUME(By);
          this.SUBRULE(this.nameList);
        });
      });

    readonly augmentOperation = this.RULE('augmentOperation', () => {
      this.OR([
        { ALT: () => this.SUBRULE(this.augmentFlip) },
        { ALT: () => this.SUBRULE(this.augmentAmountOperation) },
        { ALT: () => this.SUBRULE(this.augmentJitter) },
      ]);
      this.OPTION(() => {
        this.CONSUME(P);
        this.CONSUME(NumberLiteral);
      });
    });

    readonly augmentFlip = this.RULE('augmentFlip', () => {
      this.CONSUME(Flip);
      this.OR([
        { ALT: () => this.CONSUME(Horizontal) },
        { ALT: () => this.CONSUME(Vertical) },
      ]);
    });

    /** rotate, crop, pad, translate, noise, brightness, contrast, cutout. */
    readonly augmentAmountOperation = this.RULE('augmentAmountOperation',
      () => {
        this.OR([
          { ALT: () => this.CONSUME(Rotate) },
          { ALT: () => this.CONSUME(Crop) },
          { ALT: () => this.CONSUME(Pad) },
          { ALT: () => this.CONSUME(Translate) },
          { ALT: () => this.CONSUME(Noise) },
          { ALT: () => this.CONSUME(Brightness) },
          { ALT: () => this.CONSUME(Contrast) },
          { ALT: () => this.CONSUME(Cutout) },
        ]);
        this.SUBRULE(this.augmentAmount);
      });

    /** `15`, `-15..15` or `0.8..1.2`. */
    readonly augmentAmount = this.RULE('augmentAmount', () => {
      this.OPTION(() => this.CONSUME(Minus, { LABEL: 'lowSign' }));
      this.CONSUME(NumberLiteral, { LABEL: 'low' });
      this.OPTION2(() => {
        this.CONSUME(DotDot);
        this.OPTION3(() => this.CONSUME2(Minus, { LABEL: 'highSign' }));
        this.CONSUME2(NumberLiteral, { LABEL: 'high' });
      });
    });

    readonly augmentJitter = this.RULE('augmentJitter', () => {
      this.CONSUME(Jitter);
      this.CONSUME(NumberLiteral);
      this.OPTION({
        GATE: () => !clauseWords.has(this.LA(1).tokenType),
        DEF: () => this.SUBRULE(this.augmentColumns),
      });
    });

    /** Columns after jitter; a comma before an operation ends them. */
    readonly augmentColumns = this.RULE('augmentColumns', () => {
      this.SUBRULE(this.name);
      this.MANY({
        GATE: () => !operationWords.has(this.LA(2).tokenType),
        DEF: () => {
          this.CONSUME(Comma);
          this.SUBRULE2(this.name);
        },
      });
    });

    readonly trainImagesStatement = this.statementRule(
      'trainImagesStatement', () => {
        const model = this as unknown as ModelClauses;
        this.CONSUME(Train);
        this.OR([
          {
            ALT: () => {
              this.CONSUME(Cnn);
              this.OPTION(() => this.SUBRULE(model.modelLayers));
            },
          },
          { ALT: () => this.CONSUME(Resnet18) },
        ]);
        this.MANY(() => this.OR2([
          { ALT: () => this.SUBRULE(model.modelTargetClause) },
          { ALT: () => this.SUBRULE(model.modelEpochsClause) },
          { ALT: () => this.SUBRULE(model.modelBatchClause) },
          { ALT: () => this.SUBRULE(model.modelRateClause) },
          { ALT: () => this.SUBRULE(model.modelOptimizerClause) },
          { ALT: () => this.SUBRULE(model.modelDecayClause) },
          { ALT: () => this.SUBRULE(model.modelWeightClause) },
          { ALT: () => this.SUBRULE(model.modelClassWeightsClause) },
          { ALT: () => this.SUBRULE(model.modelValidationClause) },
          { ALT: () => this.SUBRULE(this.onClause) },
          { ALT: () => this.SUBRULE(this.asClause) },
        ]));
      });
  };
}

// 4. Builders

defineBuilder('loadImagesStatement', (cst) => {
  const path = token(cst, 'StringLiteral')!;
  const labels = node(cst, 'imagesLabelsClause');
  const labelsToken = labels ? token(labels, 'StringLiteral') : undefined;
  return {
    ...base('load_images', cst),
    path: stringValue(path),
    pathSpan: spanOfToken(path),
    ...(labelsToken
      ? { labels: { path: stringValue(labelsToken),
        span: spanOfToken(labelsToken) } }
      : {}),
  };
});

function buildAmount(cst: CstNode): Amount {
  const signed = (numberKey: string, signKey: string) => {
    const number = token(cst, numberKey)!;
    return (has(cst, signKey) ? -1 : 1) * Number(number.image);
  };
  const low = signed('low', 'lowSign');
  const range = has(cst, 'DotDot');
  const high = range ? signed('high', 'highSign') : low;
  const first = token(cst, 'lowSign') ?? token(cst, 'low')!;
  const last = token(cst, 'high') ?? token(cst, 'low')!;
  return { low, high, range,
    span: joinSpans(spanOfToken(first), spanOfToken(last)) };
}

function numberToken(number: IToken): NumberArgument {
  return { value: Number(number.image), span: spanOfToken(number) };
}

function operationSpan(cst: CstNode): Span {
  const all: IToken[] = [];
  const collect = (n: CstNode) => {
    for (const children of Object.values(n.children)) {
      for (const child of children) {
        if ('image' in child) all.push(child);
        else collect(child);
      }
    }
  };
  collect(cst);
  all.sort((a, b) => a.startOffset - b.startOffset);
  return joinSpans(spanOfToken(all[0]!), spanOfToken(all[all.length - 1]!));
}

function buildOperation(cst: CstNode): AugmentOperation {
  const span = operationSpan(cst);
  const chance = token(cst, 'NumberLiteral');
  const probability = chance ? { probability: numberToken(chance) } : {};

  const flip = node(cst, 'augmentFlip');
  if (flip) {
    return { op: 'flip', span,
      axis: has(flip, 'KwVertical') ? 'vertical' : 'horizontal',
      ...probability };
  }
  const jitter = node(cst, 'augmentJitter');
  if (jitter) {
    const columns = node(jitter, 'augmentColumns');
    const sigma = numberToken(token(jitter, 'NumberLiteral')!);
    return {
      op: 'jitter', span,
      amount: { low: sigma.value, high: sigma.value, range: false,
        span: sigma.span },
      ...(columns ? { columns: nodes(columns, 'name').map(buildName) } : {}),
      ...probability,
    };
  }
  const amounted = node(cst, 'augmentAmountOperation')!;
  const word = Object.keys(amounted.children).find((key) =>
    key.startsWith('Kw'))!;
  return {
    op: word.slice(2).toLowerCase() as AugmentOp,
    span,
    amount: buildAmount(node(amounted, 'augmentAmount')!),
    ...probability,
  };
}

defineBuilder('augmentStatement', (cst) => {
  const table = node(cst, 'table');
  const condition = node(cst, 'expression');
  const times = has(cst, 'KwTimes')
    ? numberToken(token(cst, 'NumberLiteral')!) : undefined;
  const balanced = node(cst, 'augmentBalancedClause');
  const by = balanced ? node(balanced, 'nameList') : undefined;
  return {
    ...base('augment', cst),
    ...(table ? { input: buildName(table) } : {}),
    operations: nodes(cst, 'augmentOperation').map(buildOperation),
    ...(condition ? { condition: buildExpression(condition) } : {}),
    ...(times ? { times } : {}),
    ...(balanced
      ? { balanced: { by: by ? buildNameList(by) : [],
        span: spanOfToken(token(balanced, 'KwUntil')!) } }
      : {}),
  };
});

function numberIn(cst: CstNode, clause: string): NumberArgument | undefined {
  const found = node(cst, clause);
  const number = found ? token(found, 'NumberLiteral') : undefined;
  return number ? numberToken(number) : undefined;
}

function nameIn(cst: CstNode, clause: string): Name | undefined {
  const found = node(cst, clause);
  return found ? buildName(node(found, 'name')!) : undefined;
}

defineBuilder('trainImagesStatement', (cst) => {
  const resnet = has(cst, 'KwResnet18');
  const modelToken = token(cst, resnet ? 'KwResnet18' : 'KwCnn')!;
  const layers = node(cst, 'modelLayers');
  const target = node(cst, 'modelTargetClause');
  const positive = target ? node(target, 'literal') : undefined;
  const fields = {
    target: target ? buildName(node(target, 'name')!) : undefined,
    positive: positive ? buildLiteral(positive) : undefined,
    epochs: numberIn(cst, 'modelEpochsClause'),
    batch: numberIn(cst, 'modelBatchClause'),
    rate: numberIn(cst, 'modelRateClause'),
    optimizer: nameIn(cst, 'modelOptimizerClause'),
    decay: numberIn(cst, 'modelDecayClause'),
    weight: nameIn(cst, 'modelWeightClause'),
    validation: numberIn(cst, 'modelValidationClause'),
  };
  return {
    ...base('train_images', cst),
    model: resnet ? 'resnet18' : 'cnn',
    modelSpan: spanOfToken(modelToken),
    widths: layers ? tokens(layers, 'NumberLiteral').map(numberToken) : [],
    classWeights: has(cst, 'modelClassWeightsClause'),
    ...Object.fromEntries(Object.entries(fields)
      .filter(([, value]) => value !== undefined)),
  };
});

// 5. Problems

const quote = (text: string) => JSON.stringify(text);

export const imageProblems = {
  badIdx: (file: string, detail: string): ProblemEntry => ({
    code: 'bad-idx',
    message: `${file} is not an IDX file Fair can read: ${detail}`,
    hints: ['IDX files are the MNIST format: a 4-byte header (0, 0, type, ' +
      'dimensions), one 4-byte size per dimension, then the values'],
  }),
  countMismatch: (images: number, labels: number, file: string):
  ProblemEntry => ({
    code: 'label-count',
    message: `${file} has ${labels} labels for ${images} images`,
    hints: ['use the labels file that belongs with the images file ' +
      '(train with train, t10k with t10k)'],
  }),
  noImages: (folder: string, others: number): ProblemEntry => ({
    code: 'no-images',
    message: `folder ${quote(folder)} has no PNG or JPEG images` +
      (others ? ` (it has ${others} other file${others === 1 ? '' : 's'})`
        : ''),
    hints: ['images are files ending in .png, .jpg or .jpeg, in the ' +
      'folder or in one sub-folder per class'],
  }),
  notImages: (path: string): ProblemEntry => ({
    code: 'not-images',
    message: `${quote(path)} is neither a folder of images nor an IDX file`,
    hints: ['give a folder of PNG or JPEG files, or an IDX file such as ' +
      'train-images-idx3-ubyte.gz'],
  }),
  badImage: (file: string, detail: string): ProblemEntry => ({
    code: 'bad-image',
    message: `cannot decode image ${file}: ${detail}`,
    hints: ['remove the file or replace it with a valid PNG or JPEG'],
  }),
  wrongSize: (file: string, found: string, expected: string,
    first: string): ProblemEntry => ({
    code: 'image-size',
    message: `image ${file} is ${found}, but the other images are ` +
      `${expected} (like ${first})`,
    hints: ['all images of a data set must have the same size: resize ' +
      'them first (for example with ImageMagick: mogrify -resize WxH! *.png)'],
  }),
  noFileColumn: (file: string, columns: readonly string[]): ProblemEntry => ({
    code: 'labels-file-column',
    message: `${file} has no column naming the image files`,
    hints: [`name it file, path, filename or image; its columns are ` +
      `${columns.map(quote).join(', ')}`],
  }),
  missingFiles: (csv: string, missing: readonly { row: number;
    file: string }[], folder: string): ProblemEntry => ({
    code: 'labels-missing-files',
    message: `${csv} names ${missing.length} file` +
      `${missing.length === 1 ? '' : 's'} not in folder ${quote(folder)}: ` +
      missing.slice(0, 3).map((m) => `${quote(m.file)} (row ${m.row})`)
        .join(', ') + (missing.length > 3 ? ', ...' : ''),
    hints: ['file names in the labels file are relative to the images ' +
      'folder; fix the names or remove those rows'],
  }),
  duplicateFile: (csv: string, file: string, row: number): ProblemEntry => ({
    code: 'labels-duplicate-file',
    message: `${csv} names ${quote(file)} twice (again in row ${row})`,
    hints: ['each image gets one row in the labels file'],
  }),
  notImageTable: (table: string, op: string): ProblemEntry => ({
    code: 'not-image-table',
    message: `${op} works on images, but table ${quote(table)} has no ` +
      'image column',
    hints: ['load images with load images "FOLDER" or an IDX file; for ' +
      'number columns use jitter SIGMA'],
  }),
  jitterOnImages: (table: string): ProblemEntry => ({
    code: 'jitter-on-images',
    message: `jitter perturbs number columns, but table ${quote(table)} ` +
      'holds images',
    hints: ['for pixels use noise SIGMA'],
  }),
  mixedOperations: (): ProblemEntry => ({
    code: 'mixed-augment',
    message: 'jitter (for number columns) cannot be combined with image ' +
      'operations in one augment',
    hints: ['use two augment statements'],
  }),
  timesAndBalanced: (): ProblemEntry => ({
    code: 'times-and-balanced',
    message: 'augment takes times N or until balanced, not both',
    hints: ['times N makes N new rows per row; until balanced makes just ' +
      'enough rows for every group to reach the largest'],
  }),
  balancedWithoutGroups: (table: string): ProblemEntry => ({
    code: 'balanced-without-by',
    message: `until balanced needs the columns that make the groups; ` +
      `table ${quote(table)} has no label column`,
    hints: ['name them: until balanced by COLUMN'],
  }),
  notNumberColumn: (column: string, found: string): ProblemEntry => ({
    code: 'jitter-column-type',
    message: `jitter perturbs number columns; ${quote(column)} is ${found}`,
  }),
  noJitterColumns: (table: string): ProblemEntry => ({
    code: 'no-jitter-columns',
    message: `table ${quote(table)} has no number column to jitter besides ` +
      'the group columns',
  }),
  tooLarge: (op: string, size: number, shape: string): ProblemEntry => ({
    code: 'augment-too-large',
    message: `${op} ${size} does not fit images of ${shape}`,
    hints: ['use a size smaller than the images'],
  }),
  notImagesForTraining: (table: string, model: string): ProblemEntry => ({
    code: 'not-image-table',
    message: `train ${model} learns from images, but table ${quote(table)} ` +
      'has no image column',
    hints: ['for tables of numbers and categories use train logistic or ' +
      'train mlp'],
  }),
  mixedShapes: (table: string, first: string, other: string, row: number):
  ProblemEntry => ({
    code: 'image-size',
    message: `table ${quote(table)} mixes image sizes: ${first} and ` +
      `${other} (row ${row})`,
    hints: ['a network takes images of one size; keep one size with where'],
  }),
  modelShape: (model: string, expected: string, found: string):
  ProblemEntry => ({
    code: 'image-size',
    message: `model ${quote(model)} was trained on images of ${expected}, ` +
      `not ${found}`,
    hints: ['evaluate it on images of the size it was trained on'],
  }),
  emptyTable: (table: string, what: string): ProblemEntry => ({
    code: 'empty-table',
    message: `table ${quote(table)} has no rows to ${what}`,
  }),
};

// 6. Checks

/** A name for the table of `load images PATH`. */
export function imageTableName(path: string): string {
  const file = path.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? path;
  const stem = file.replace(/\.gz$/i, '')
    .replace(/-?idx\d-ubyte$/i, '').replace(/\.[^.]*$/, '');
  const cleaned = stem.replace(/[^A-Za-z0-9_]/g, '_') || 'images';
  return /^[0-9]/.test(cleaned) ? `t_${cleaned}` : cleaned;
}

/** True when a path names an IDX file rather than a folder. */
export function isIdxPath(path: string): boolean {
  return /idx\d-ubyte(\.gz)?$/i.test(path) || /\.idx\d?(\.gz)?$/i.test(path);
}

/** The labels file that usually sits beside an MNIST images file. */
export function siblingLabels(path: string): string | undefined {
  if (!/images-idx[34]-ubyte/i.test(path)) return undefined;
  return path.replace(/images-idx[34]-ubyte/i, 'labels-idx1-ubyte');
}

defineChecker('load_images', (statement, scope) => {
  const { env } = scope;
  const name = statement.output?.name ?? imageTableName(statement.path);
  const resolved = env.files.resolve(statement.path);
  if (!env.files.exists(resolved)) {
    scope.report(problems.fileNotFound(statement.path, resolved),
      statement.pathSpan);
  }
  env.inputs.add(resolved);

  let labelled = false;
  if (statement.labels) {
    const labels = env.files.resolve(statement.labels.path);
    if (!env.files.exists(labels)) {
      scope.report(problems.fileNotFound(statement.labels.path, labels),
        statement.labels.span);
    }
    env.inputs.add(labels);
    labelled = true;
  } else {
    const sibling = siblingLabels(statement.path);
    if (sibling && env.files.exists(env.files.resolve(sibling))) {
      env.inputs.add(env.files.resolve(sibling));
      labelled = true;
    }
  }

  // An IDX file's columns are known now; a folder's only once it is read.
  const schema: Schema | undefined = isIdxPath(statement.path)
    ? new Map<string, ValueType>([['id', 'number'],
      ...(labelled ? [['label', 'number'] as const] : []),
      ['image', 'unknown']])
    : undefined;
  scope.produce(name, { ...(schema ? { schema } : {}), file: resolved,
    shape: imagesShape });
});

const whole = wholeFrom;

/** What each operation's number must be. */
const amountRules: Record<Exclude<AugmentOp, 'flip'>, {
  what: string; rule: string; ok: (value: number) => boolean;
  range: boolean;
}> = {
  rotate: { what: 'a rotation in degrees', rule: 'a number',
    ok: () => true, range: true },
  crop: { what: 'the crop size', rule: 'a whole number of pixels, at ' +
    'least 1', ok: whole(1), range: false },
  pad: { what: 'the padding', rule: 'a whole number of pixels, at least 1',
    ok: whole(1), range: false },
  translate: { what: 'the shift', rule: 'a whole number of pixels',
    ok: (v) => Number.isInteger(v), range: true },
  noise: { what: 'the noise level', rule: '0 or more (on the 0-1 scale ' +
    'of pixel values)', ok: (v) => v >= 0, range: true },
  brightness: { what: 'the brightness factor', rule: '0 or more (1 keeps ' +
    'the image as it is)', ok: (v) => v >= 0, range: true },
  contrast: { what: 'the contrast factor', rule: '0 or more (1 keeps the ' +
    'image as it is)', ok: (v) => v >= 0, range: true },
  cutout: { what: 'the cutout size', rule: 'a whole number of pixels, at ' +
    'least 1', ok: whole(1), range: false },
  jitter: { what: 'the jitter', rule: 'above 0 (a multiple of each ' +
    'column\'s standard deviation)', ok: (v) => v > 0, range: false },
};

function checkOperation(scope: Scope, operation: AugmentOperation): void {
  checkNumber(scope, operation.probability, 'a probability',
    'above 0 and at most 1', (v) => v > 0 && v <= 1);
  if (operation.op === 'flip' || !operation.amount) return;

  const rule = amountRules[operation.op];
  const { amount } = operation;
  if (amount.range && !rule.range) {
    scope.report(problems.badNumber(rule.what, `${rule.rule}, not a range`,
      `${amount.low}..${amount.high}`), amount.span);
    return;
  }
  for (const value of amount.range ? [amount.low, amount.high]
    : [amount.low]) {
    checkNumber(scope, { value, span: amount.span }, rule.what, rule.rule,
      rule.ok);
  }
  if (amount.range && amount.low > amount.high) {
    scope.report(problems.badNumber(`the range of ${operation.op}`,
      'written low..high', `${amount.low}..${amount.high}`), amount.span);
  }
}

/** Whether a table holds images, as far as the checker can tell. */
function holdsImages(table: InputTable): boolean | undefined {
  if (table.facts.shape === imagesShape) return true;
  const schema = table.facts.schema;
  if (!schema) return undefined;
  // Images survive where, sample and split under the name `image`; their
  // type reads as unknown because no text, number or boolean holds them.
  if (schema.get('image') === 'unknown') return undefined;
  return false;
}

defineChecker('augment', (statement, scope) => {
  const table = scope.inputTable(statement.input);
  for (const operation of statement.operations) {
    checkOperation(scope, operation);
  }
  const jitters = statement.operations.filter((o) => o.op === 'jitter');
  if (jitters.length && jitters.length < statement.operations.length) {
    scope.report(imageProblems.mixedOperations(), jitters[0]!.span);
  }
  checkNumber(scope, statement.times, 'times', 'a whole number of at ' +
    'least 1', whole(1));
  if (statement.times && statement.balanced) {
    scope.report(imageProblems.timesAndBalanced(), statement.balanced.span);
  }
  if (!table) return;

  // 1. Image operations need images; jitter needs number columns.
  const images = holdsImages(table);
  if (images === false && !jitters.length) {
    scope.report(imageProblems.notImageTable(table.name,
      statement.operations[0]!.op), statement.operations[0]!.span);
  }
  if (images === true && jitters.length) {
    scope.report(imageProblems.jitterOnImages(table.name), jitters[0]!.span);
  }
  for (const column of jitters.flatMap((j) => j.columns ?? [])) {
    const type = scope.column(table, column);
    if (type && type !== 'number' && type !== 'unknown') {
      scope.report(imageProblems.notNumberColumn(column.name,
        type === 'string' ? 'text' : type), column.span);
    }
  }

  // 2. Which rows, and how many.
  if (statement.condition) {
    scope.expectType(statement.condition, table, 'boolean',
      'the condition of augment');
  }
  if (statement.balanced) {
    scope.columns(table, statement.balanced.by);
    const schema = table.facts.schema;
    if (!statement.balanced.by.length && schema && !schema.has('label')) {
      scope.report(imageProblems.balancedWithoutGroups(table.name),
        statement.balanced.span);
    }
  }

  // 3. The output: the same columns, and two that mark the new rows.
  const name = scope.outputName(table);
  if (!name) return;
  const schema = table.facts.schema;
  scope.produce(name, {
    ...(schema
      ? { schema: new Map<string, ValueType>([...schema,
        ['augmented', 'boolean'], ['source', schema.get('id') ?? 'number']]) }
      : {}),
    ...(table.facts.shape ? { shape: table.facts.shape } : {}),
  });
});

defineChecker('train_images', (statement, scope) => {
  const name = statement.output?.name ?? imageTrainDefaults.modelName;
  const table = scope.inputTable(statement.input);
  const declare = (facts: ModelFacts) =>
    scope.env.objects.set(name, { shape: modelShape, facts });
  declare({ type: statement.model, features: ['image'] });
  if (scope.env.tables.has(name)) {
    scope.report(modelProblems.nameTaken(name),
      statement.output?.span ?? statement.span);
  }

  // 1. Numbers in range.
  for (const width of statement.widths) {
    checkNumber(scope, width, 'a convolution width',
      'a whole number of at least 1', whole(1));
  }
  checkTrainingOptions(statement, scope);

  // 2. Columns: images, a target, maybe a weight.
  if (!table) return;
  if (holdsImages(table) === false) {
    scope.report(imageProblems.notImagesForTraining(table.name,
      statement.model), table.span);
  }
  const targetType = statement.target
    ? scope.column(table, statement.target) : undefined;
  if (statement.positive && targetType && targetType !== 'unknown') {
    const value = statement.positive.value;
    const type = typeof value === 'number' ? 'number'
      : typeof value === 'boolean' ? 'boolean' : 'string';
    if (type !== targetType) {
      scope.report(problems.wrongType(
        `the target value of ${statement.target!.name}`,
        targetType === 'string' ? 'text' : targetType,
        JSON.stringify(value)), statement.positive.span);
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
  declare({
    type: statement.model,
    features: ['image'],
    ...(statement.target ? { target: statement.target.name } : {}),
    ...(statement.positive ? { binary: true } : {}),
  });
});
