// Running the image statements: load images, augment, train cnn and
// train resnet18, and `show` on an image table. The pixel work lives in
// src/runtime/images/; this file reads tables, calls it and words results.

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { contactSheetChart } from '../../charts/images.js';
import { defineChart } from '../../charts/registry.js';
import { fail, problems } from '../../lang/diagnostics.js';
import {
  imageProblems, imageTrainDefaults, isIdxPath, siblingLabels,
  type AugmentOperation, type AugmentStatement, type TrainImagesStatement,
} from '../../lang/statements/images.js';
import { modelShape } from '../../lang/statements/model.js';
import { compileExpression } from '../expr.js';
import { groupRows } from '../groups.js';
import { augmentRows } from '../images/augment.js';
import { readImageFolder } from '../images/folder.js';
import {
  appendCopies, balanceRows, jitterColumns, repeatRows, type SourcePlan,
} from '../images/grow.js';
import { isIdxFile, readIdxImages, readIdxLabels } from '../images/idx.js';
import { initialParameters } from '../images/layers.js';
import {
  loadImageTf, measureImages, parameterSpecs, tableImages, type ImageModel,
} from '../images/model.js';
import {
  contactSheetPng, inlineImage, inlineProtocol, sampleRows, sheetImages,
  thumbnails,
} from '../images/sheet.js';
import {
  describeShape, imageColumn, imageRefs, type ImageRef, type PixelStore,
} from '../images/store.js';
import { fitImageNetwork } from '../images/train.js';
import { writeFileAtomic } from '../io/files.js';
import { classLabel, learnTarget, targetLabels } from '../model/features.js';
import { factsOf, type Place } from '../model/model.js';
import { defineTextRenderer, formatNumber, renderDefault }
  from '../render/text.js';
import { count, plural, type Result } from '../result.js';
import {
  columnNames, makeTable, rowCount, type Column, type Table,
} from '../table.js';
import { outputOptionsOf } from './output.js';
import { runProblems } from '../model/problems.js';
import {
  rowWeights, trainingFigures, trainingHistory,
} from './model.js';
import { defineExecutor, executorFor } from './registry.js';
// `show` is extended below for image tables: the data family's executor
// must be registered first.
import './data.js';

const quote = (text: string) => JSON.stringify(text);

/** " → name" when a statement's output has a new name. */
function arrow(step: { input?: string; output?: string }): string {
  return step.output && step.output !== step.input ? ` → ${step.output}` : '';
}

/** Per-label counts: label, n, share. */
function labelCounts(table: Table): { columns: string[];
  rows: Record<string, unknown>[] } | undefined {
  if (!columnNames(table).includes('label')) return undefined;
  const total = rowCount(table);
  const grouping = groupRows(table, ['label']);
  return {
    columns: ['label', 'n', 'share'],
    rows: grouping.groups.map((g) => ({ label: g.values[0] ?? null,
      n: g.rows.length, share: g.rows.length / Math.max(1, total) })),
  };
}

// load images ----------------------------------------------------------------

defineExecutor('load_images', async ({ session, step, statement }) => {
  const resolved = session.resolvePath(statement.path);
  const display = session.displayPath(statement.path);
  const name = step.output!;
  const folder = statSync(resolved).isDirectory();
  if (!folder && !isIdxPath(statement.path) && !isIdxFile(resolved)) {
    fail(imageProblems.notImages(display), statement.pathSpan);
  }

  let store: PixelStore;
  const columns: [string, Column][] = [];
  const notes: string[] = [];
  let labelsDisplay: string | undefined;

  if (folder) {
    const labels = statement.labels
      ? { path: session.resolvePath(statement.labels.path),
        display: session.displayPath(statement.labels.path) }
      : undefined;
    const progress = session.progress.start(`decoding images in ${display}`);
    try {
      const read = await readImageFolder(resolved, display, labels,
        progress);
      store = read.store;
      columns.push(...read.columns);
      notes.push(...read.notes);
    } finally {
      progress.done();
    }
    labelsDisplay = labels?.display ??
      (columns.some(([c]) => c === 'label') ? 'sub-folder names' : undefined);
  } else {
    store = readIdxImages(resolved, display);
    columns.push(['id', Float64Array.from({ length: store.count },
      (_, i) => i)]);
    const sibling = siblingLabels(statement.path);
    const labelsPath = statement.labels?.path ??
      (sibling && existsSync(session.resolvePath(sibling)) ? sibling
        : undefined);
    if (labelsPath) {
      labelsDisplay = session.displayPath(labelsPath);
      const labels = readIdxLabels(session.resolvePath(labelsPath),
        labelsDisplay);
      if (labels.length !== store.count) {
        fail(imageProblems.countMismatch(store.count, labels.length,
          labelsDisplay), statement.labels?.span ?? statement.pathSpan,
        { file: labelsDisplay });
      }
      columns.push(['label', labels]);
    }
  }

  const table = makeTable([...columns, [imageColumn, store.refs()]]);
  session.setTable(name, table);
  const counts = labelCounts(table);
  const classes = counts?.rows.length ?? 0;
  return {
    kind: 'load_images',
    table: name,
    message: `${name}: ${plural(store.count, 'image')} of ` +
      `${describeShape(store)} from ${display} ` +
      `(${folder ? 'folder' : 'IDX'})` +
      (labelsDisplay ? `, labels from ${labelsDisplay} ` +
        `(${plural(classes, 'class', 'classes')})` : ', no labels'),
    summary: {
      rows: store.count, width: store.width, height: store.height,
      channels: store.channels, classes, file: display,
      labels: labelsDisplay ?? null,
      columns: columnNames(table),
    },
    ...(counts ? { columns: counts.columns, rows: counts.rows } : {}),
    thumbnails: thumbnails(table, sampleRows(table), store.refs()),
    ...(notes.length ? { notes } : {}),
  };
});

// augment --------------------------------------------------------------------

function describeOperation(operation: AugmentOperation): string {
  const amount = operation.amount;
  const value = amount
    ? amount.range ? `${amount.low}..${amount.high}` : `${amount.low}`
    : operation.axis ?? '';
  const columns = operation.columns?.length
    ? ` ${operation.columns.map((c) => c.name).join(', ')}` : '';
  const chance = operation.probability
    ? ` p ${operation.probability.value}` : '';
  return `${operation.op} ${value}${columns}${chance}`;
}

/** Rows the statement may copy: those matching `where`, or all. */
function sourceCandidates(table: Table, statement: AugmentStatement):
number[] {
  const rows = rowCount(table);
  if (!statement.condition) return Array.from({ length: rows }, (_, i) => i);
  const condition = compileExpression(statement.condition, table);
  const kept: number[] = [];
  for (let row = 0; row < rows; row++) {
    if (condition(row) === true) kept.push(row);
  }
  return kept;
}

defineExecutor('augment', ({ session, step, statement }) => {
  const tableName = step.input!;
  const table = session.table(tableName);
  const operations = statement.operations;
  const jitter = operations.every((o) => o.op === 'jitter');
  const refs = imageRefs(table);
  if (!jitter && !refs) {
    fail(imageProblems.notImageTable(tableName, operations[0]!.op),
      operations[0]!.span);
  }
  if (jitter && refs) {
    fail(imageProblems.jitterOnImages(tableName), operations[0]!.span);
  }

  // 1. Which rows to copy, and how often.
  const candidates = sourceCandidates(table, statement);
  let by: string[] = [];
  let plan: SourcePlan;
  if (statement.balanced) {
    by = statement.balanced.by.map((b) => b.name);
    if (!by.length) {
      if (!columnNames(table).includes('label')) {
        fail(imageProblems.balancedWithoutGroups(tableName),
          statement.balanced.span);
      }
      by = ['label'];
    }
    plan = balanceRows(table, candidates, by, session.random);
  } else {
    plan = repeatRows(candidates, statement.times?.value ?? 1);
  }

  // 2. The new rows' changed values: images, or jittered numbers.
  const replace = new Map<string, Column>();
  let shownRefs: ImageRef[] | undefined;
  if (refs) {
    const made = augmentRows(refs, plan.sources, operations, session.random,
      tableName, statement.span);
    replace.set(imageColumn, made);
    shownRefs = made;
  } else {
    for (const [column, values] of jitterColumns(table, tableName, plan,
      operations, by, session.random)) {
      replace.set(column, values);
    }
  }

  const grown = appendCopies(table, plan.sources, replace);
  session.setTable(step.output!, grown);
  return augmentResult(statement, step, table, grown, plan, by, shownRefs);
});

function augmentResult(
  statement: AugmentStatement,
  step: { input?: string; output?: string },
  before: Table,
  after: Table,
  plan: SourcePlan,
  by: readonly string[],
  made: ImageRef[] | undefined,
): Result {
  const added = plan.sources.length;
  const sources = new Set(plan.sources).size;
  const what = made ? 'image' : 'row';
  const how = statement.balanced
    ? `until balanced by ${by.join(', ')}`
    : `${statement.times?.value ?? 1} per source row`;
  const notes: string[] = [];
  if (plan.unreachable.length) {
    notes.push(`no row of ${plan.unreachable.map(quote).join(', ')} ` +
      'matches the where condition, so ' +
      (plan.unreachable.length === 1 ? 'it stays' : 'they stay') +
      ' short of the largest group');
  }
  if (added === 0) {
    notes.push(statement.balanced
      ? 'the groups are already balanced: nothing to add'
      : 'no row matches the where condition: nothing to add');
  }

  const rows = plan.groups?.map((g) => ({
    ...Object.fromEntries(by.map((column, i) => [column, g.values[i]])),
    before: g.before, added: g.added, after: g.after,
  }));
  return {
    kind: 'augment',
    table: step.output!,
    message: `augmented ${step.input}: ${plural(added, `new ${what}`)} ` +
      `from ${plural(sources, 'source row')} ` +
      `(${statement.operations.map(describeOperation).join(', ')}) ` +
      `${how}; ${plural(rowCount(after), 'row')}${arrow(step)}`,
    summary: {
      rows_before: rowCount(before),
      rows_after: rowCount(after),
      added,
      source_rows: sources,
      operations: statement.operations.map(describeOperation),
    },
    ...(rows ? { columns: [...by, 'before', 'added', 'after'], rows } : {}),
    ...(made && made.length
      ? { thumbnails: thumbnails(after, Array.from(
        { length: Math.min(sheetImages, made.length) },
        (_, i) => rowCount(before) + i), imageRefs(after)!) }
      : {}),
    ...(notes.length ? { notes } : {}),
  };
}

// train cnn, train resnet18 --------------------------------------------------

defineExecutor('train_images', async ({ session, step, statement }) => {
  const tableName = step.input!;
  const table = session.table(tableName);
  const name = statement.output?.name ?? imageTrainDefaults.modelName;
  const place: Place = { table: tableName, span: statement.span };
  const { refs, shape } = tableImages(table, tableName, statement.model,
    statement.span);
  if (refs.length === 0) {
    fail(imageProblems.emptyTable(tableName, `train ${statement.model} on`),
      statement.span);
  }

  // 1. What to predict.
  const target = learnTarget(table, statement.target!.name,
    statement.positive?.value, place);
  const labels = targetLabels(table, target, place);
  const classes = target.classes.length;
  const weights = rowWeights(table, statement, tableName, labels, classes);

  // 2. The settings, with their defaults.
  const defaults = imageTrainDefaults[statement.model];
  const cnn = statement.model === 'cnn'
    ? { widths: statement.widths.length
      ? statement.widths.map((w) => w.value)
      : [...imageTrainDefaults.cnn.widths],
    dense: imageTrainDefaults.cnn.dense }
    : undefined;
  const settings = {
    epochs: statement.epochs?.value ?? defaults.epochs,
    batch: statement.batch?.value ?? defaults.batch,
    rate: statement.rate?.value ?? defaults.rate,
    optimizer: (statement.optimizer?.name ?? imageTrainDefaults.optimizer) as
      'adam' | 'sgd',
    decay: statement.decay?.value ?? imageTrainDefaults.decay,
    validation: statement.validation?.value ?? 0,
    patience: imageTrainDefaults.patience,
  };

  // 3. Fit.
  const loaded = await loadImageTf(session);
  const normalisation = measureImages(refs,
    Array.from({ length: refs.length }, (_, i) => i), shape);
  const network = { type: statement.model, ...(cnn ? { cnn } : {}) };
  const specs = parameterSpecs(statement.model, shape, classes, cnn);
  const start = initialParameters(specs, session.random);
  const progress = session.progress.start(`training ${name}`);
  let fitted;
  try {
    fitted = await fitImageNetwork(loaded, session.random, network, specs,
      start, { refs, shape, labels, classes, normalisation,
        ...(weights ? { weights } : {}) }, settings, progress);
  } finally {
    progress.done();
  }
  if (settings.validation > 0 &&
      (fitted.validationRows === 0 || fitted.trainingRows === 0)) {
    fail(runProblems.emptySplit(fitted.validationRows === 0
      ? 'no rows to validate on' : 'no rows to train on', refs.length),
    statement.validation?.span);
  }

  // 4. Keep the model.
  const model: ImageModel = {
    type: statement.model,
    target,
    features: [imageColumn],
    threshold: 0.5,
    training: { table: tableName, rows: refs.length,
      backend: loaded.backend, seed: session.seed,
      epochs: fitted.history.length },
    input: shape,
    normalisation,
    ...(cnn ? { cnn } : {}),
    parameters: fitted.parameters,
  };
  session.setObject(name, { shape: modelShape, facts: factsOf(model),
    value: model });
  return trainResult(statement, name, tableName, model, fitted, settings,
    loaded, session.seed);
});

function trainResult(
  statement: TrainImagesStatement,
  name: string,
  tableName: string,
  model: ImageModel,
  fitted: Awaited<ReturnType<typeof fitImageNetwork>>,
  settings: { epochs: number; batch: number; rate: number;
    optimizer: string; decay: number; validation: number; patience: number },
  loaded: { backend: string; description: string; notes: string[] },
  seed: number,
): Result {
  const last = fitted.history[fitted.bestEpoch - 1]!;
  const notes = [...loaded.notes];
  if (fitted.stoppedEarly) {
    notes.push(`stopped early after epoch ${fitted.history.length}: the ` +
      `validation loss had not improved for ${settings.patience} epochs; ` +
      `kept the weights of epoch ${fitted.bestEpoch}`);
  } else if (settings.validation > 0 &&
      fitted.bestEpoch < fitted.history.length) {
    notes.push(`kept the weights of epoch ${fitted.bestEpoch}, the best ` +
      'on the validation rows');
  }
  const target = model.target;
  const positive = target.binary ? classLabel(target, 1) : null;
  if (positive !== null) {
    notes.push(`positive class: ${quote(positive)} (score = its ` +
      'probability)');
  }
  const kind = statement.model === 'cnn'
    ? `cnn (${model.cnn!.widths.join(', ')})` : 'resnet18';
  const parameters = model.parameters.reduce((sum, p) =>
    sum + p.values.length, 0);
  return {
    kind: 'train',
    table: tableName,
    model: name,
    message: `trained ${kind} ${quote(name)} on ${tableName} ` +
      `(${plural(fitted.trainingRows, 'image')} of ` +
      `${describeShape(model.input)}) with the ${loaded.backend} backend: ` +
      `${plural(fitted.history.length, 'epoch')}, loss ` +
      `${formatNumber(last.loss)}, accuracy ${formatNumber(last.accuracy)}` +
      (last.validation_accuracy !== undefined
        ? `, validation accuracy ${formatNumber(last.validation_accuracy)}`
        : '') +
      ` (${count(Math.round(fitted.imagesPerSecond))} images/s)`,
    summary: {
      model: name,
      type: statement.model,
      backend: loaded.backend,
      backend_description: loaded.description,
      features: 1,
      inputs: model.input.width * model.input.height * model.input.channels,
      parameters,
      classes: target.classes.map((_, i) => classLabel(target, i)),
      positive,
      ...trainingFigures(fitted, settings),
      seed,
      images_per_second: fitted.imagesPerSecond,
    },
    ...trainingHistory(fitted, settings),
    ...(notes.length ? { notes } : {}),
  };
}

// show on an image table -----------------------------------------------------

const inlineKey = Symbol('inline image');

/** The data family's `show`, which this one extends for images. */
const baseShow = executorFor('show');

defineExecutor('show', async (context) => {
  const result = await baseShow(context);
  const { session, step, statement } = context;
  const table = session.table(step.input!);
  const refs = imageRefs(table);
  if (!refs || refs.length === 0) return result;

  // A grid of the rows shown, as a chart and as a picture.
  const shown = Math.min(rowCount(table), statement.limit ?? 10, 100);
  const rows = Array.from({ length: shown }, (_, i) => i);
  const sheet: Result = {
    ...result,
    // Cells say what the image is, rather than its JSON form.
    ...(result.rows ? { rows: result.rows.map((row) => ({ ...row,
      [imageColumn]: String(row[imageColumn]) })) } : {}),
    thumbnails: thumbnails(table, rows, refs),
  };
  const png = await contactSheetPng(sheet);
  if (!png) return sheet;

  const protocol = inlineProtocol(
    outputOptionsOf(session).script !== undefined);
  if (protocol) {
    Object.defineProperty(sheet, inlineKey, { value: inlineImage(png,
      protocol), enumerable: false });
    return sheet;
  }
  const folder = outputOptionsOf(session).chartFolder ?? session.cwd;
  const path = join(folder, `${step.input}-contact-sheet.png`);
  const display = session.displayPath(path);
  if (session.inputs.has(path)) {
    fail(problems.saveOverInput(display), statement.span);
  }
  writeFileAtomic(path, png, display);
  return {
    ...sheet,
    message: `${sheet.message}; contact sheet of ${plural(shown, 'image')} ` +
      `in ${display}`,
    contact_sheet: display,
  };
});

defineTextRenderer('show', (result, options) => {
  const text = renderDefault(result, options);
  const inline = (result as unknown as Record<symbol, unknown>)[inlineKey];
  return typeof inline === 'string' ? `${text}\n${inline}` : text;
});

defineChart('load_images', contactSheetChart);
defineChart('augment', contactSheetChart);
defineChart('show', contactSheetChart);
