// Running the model statements: set backend, train, evaluate, predict,
// mitigate, save model and load model. The arithmetic lives in
// src/runtime/model/; this file reads tables, calls it and words results.

import { fail } from '../../lang/diagnostics.js';
import {
  evaluateDefaults, mitigateDefaults, modelNameFromPath, modelShape,
  trainDefaults, trainFeatures, type TrainStatement,
} from '../../lang/statements/model.js';
import { groupRows, valueLabel } from '../groups.js';
import {
  backendAvailability, BackendUnavailable, loadTf, requestBackend,
  requestedBackend, type BackendChoice,
} from '../model/backend.js';
import {
  bootstrap, figures, makePlan, type Figure, type Intervals,
} from '../model/evaluation.js';
import {
  classLabel, encode, learnEncoding, learnTarget, targetLabels,
} from '../model/features.js';
import {
  fitThresholds, predictWithThresholds, type MitigationGoal,
} from '../model/mitigate.js';
import {
  factsOf, modelNamed, type Mitigation, type Model, type Place,
} from '../model/model.js';
import {
  initialLayers, outputUnits, type NetworkModel,
} from '../model/network.js';
import {
  modelOutcomes, predictionOutcomes, predictRows, referenceGroup,
} from '../model/outcomes.js';
import { runProblems } from '../model/problems.js';
import { evaluateResult } from '../model/report.js';
import { loadModel, saveModel } from '../model/store.js';
import { fitNetwork } from '../model/train.js';
import { formatNumber } from '../render/text.js';
import { bytes, count, plural, type Row } from '../result.js';
import {
  columnOf, rowCount, schemaOf, toColumn, type Table, type Value, valueAt,
} from '../table.js';
import { withColumn } from './data.js';
import { defineExecutor } from './registry.js';

const quote = (text: string) => JSON.stringify(text);

// set backend ----------------------------------------------------------------

defineExecutor('set_backend', async ({ session, statement }) => {
  const choice = statement.backend.name as BackendChoice;
  const previous = requestedBackend(session);
  requestBackend(session, choice);

  let loaded;
  try {
    loaded = await loadTf(session);
  } catch (cause) {
    requestBackend(session, previous);
    if (cause instanceof BackendUnavailable) {
      fail(runProblems.backendUnavailable(choice, cause.message),
        statement.backend.span);
    }
    throw cause;
  }

  // Which backends this machine offers, fastest first.
  const available = await backendAvailability();
  await loadTf(session);
  return {
    kind: 'set_backend',
    message: `backend ${loaded.description}` +
      (choice === 'auto' ? ', the fastest that loads' : ''),
    summary: { backend: loaded.backend, requested: choice },
    columns: ['backend', 'available', 'reason'],
    rows: available.map((b) => ({ backend: b.backend,
      available: b.available, reason: b.reason ?? null })),
    ...(loaded.notes.length ? { notes: loaded.notes } : {}),
  };
});

// train ----------------------------------------------------------------------

/** Sample weights times balanced class weights; undefined when neither. */
interface Fitted {
  trainingRows: number;
  validationRows: number;
  bestEpoch: number;
  history: { loss: number; accuracy: number; validation_loss?: number;
    validation_accuracy?: number }[];
}

interface TrainingSettings {
  batch: number;
  rate: number;
  optimizer: string;
  decay: number;
  validation: number;
}

/** The figures every train result reports, tabular or image. */
export function trainingFigures(fitted: Fitted, settings: TrainingSettings) {
  const last = fitted.history[fitted.history.length - 1]!;
  return {
    rows: fitted.trainingRows,
    validation_rows: fitted.validationRows,
    epochs: fitted.history.length,
    best_epoch: fitted.bestEpoch,
    loss: last.loss,
    accuracy: last.accuracy,
    validation_loss: last.validation_loss ?? null,
    validation_accuracy: last.validation_accuracy ?? null,
    batch: settings.batch,
    rate: settings.rate,
    optimizer: settings.optimizer,
    decay: settings.decay,
  };
}

/** The loss curve as result rows, one per epoch. */
export function trainingHistory(fitted: Fitted, settings: TrainingSettings) {
  return {
    columns: ['epoch', 'loss', 'accuracy',
      ...(settings.validation > 0
        ? ['validation_loss', 'validation_accuracy'] : [])],
    rows: fitted.history.map((record) => ({ ...record })),
  };
}

/** Per-row training weights from `weight COL` and `class weights`. */
export function rowWeights(
  table: Table,
  statement: Pick<TrainStatement, 'weight' | 'classWeights'>,
  tableName: string,
  labels: Int32Array,
  classes: number,
): Float64Array | undefined {
  if (!statement.weight && !statement.classWeights) return undefined;
  const rows = labels.length;
  const weights = new Float64Array(rows).fill(1);

  if (statement.weight) {
    const column = columnOf(table, statement.weight.name);
    for (let row = 0; row < rows; row++) {
      const value = valueAt(column, row);
      if (typeof value !== 'number' || !(value >= 0) ||
          !Number.isFinite(value)) {
        fail(runProblems.badWeights(statement.weight.name, tableName,
          row + 1, value === null ? 'a missing value' : String(value)),
        statement.weight.span);
      }
      weights[row] = value;
    }
  }

  // scikit-learn's "balanced": n / (classes * rows of the class).
  if (statement.classWeights) {
    const counts = new Float64Array(classes);
    for (const label of labels) counts[label]!++;
    for (let row = 0; row < rows; row++) {
      weights[row]! *= rows / (classes * counts[labels[row]!]!);
    }
  }
  return weights;
}

defineExecutor('train', async ({ session, step, statement }) => {
  const tableName = step.input!;
  const table = session.table(tableName);
  const name = statement.output?.name ?? trainDefaults.modelName;
  const place: Place = { table: tableName, span: statement.span };
  const features = trainFeatures(statement, schemaOf(table))!;
  const notes: string[] = [];
  if ((!statement.features || statement.featuresExcept) &&
      statement.weight?.name !== 'weight' &&
      table.columnNames().includes('weight') &&
      !statement.features?.some((f) => f.name === 'weight')) {
    notes.push('column "weight" is left out of the features; to train ' +
      'with it as sample weights, add: weight weight');
  }

  // 1. What to predict, from what.
  const target = learnTarget(table, statement.target!.name,
    statement.positive?.value, place);
  const labels = targetLabels(table, target, place);
  const encoding = learnEncoding(table, features, place);
  const encoded = encode(table, encoding, place);
  const classes = target.classes.length;
  const weights = rowWeights(table, statement, tableName, labels, classes);
  for (const encoder of encoding.encoders) {
    if (encoder.kind === 'category' && encoder.categories.length > 50) {
      notes.push(`feature ${quote(encoder.column)} has ` +
        `${encoder.categories.length} categories, one input each`);
    }
  }

  // 2. The settings, with their defaults.
  const hidden = statement.model === 'mlp'
    ? statement.hidden.length ? statement.hidden.map((h) => h.value)
      : [...trainDefaults.hidden]
    : [];
  const settings = {
    epochs: statement.epochs?.value ?? trainDefaults.epochs,
    batch: statement.batch?.value ?? trainDefaults.batch,
    rate: statement.rate?.value ?? trainDefaults.rate,
    optimizer: (statement.optimizer?.name ?? trainDefaults.optimizer) as
      'adam' | 'sgd',
    decay: statement.decay?.value ?? trainDefaults.decay,
    validation: statement.validation?.value ?? 0,
    patience: trainDefaults.patience,
  };

  // 3. Fit, with the validation rows held out as train.ts will choose them.
  if (settings.validation > 0) {
    const counts = new Array<number>(classes).fill(0);
    for (const label of labels) counts[label]!++;
    const held = counts.reduce((sum, n) =>
      sum + Math.round(n * settings.validation), 0);
    if (held === 0 || held === encoded.rows) {
      fail(runProblems.emptySplit(held === 0 ? 'no rows to validate on'
        : 'no rows to train on', encoded.rows), statement.validation?.span);
    }
  }
  const loaded = await loadTf(session);
  notes.push(...loaded.notes);
  const start = initialLayers(session.random, encoded.width, hidden,
    outputUnits(classes));
  const progress = session.progress.start(`training ${name}`);
  let fitted;
  try {
    fitted = await fitNetwork(loaded, session.random, start, {
      x: encoded.matrix, rows: encoded.rows, width: encoded.width, labels,
      classes, ...(weights ? { weights } : {}),
    }, settings, progress);
  } finally {
    progress.done();
  }

  // 4. Keep the model.
  const model: NetworkModel = {
    type: statement.model,
    target,
    features,
    threshold: evaluateDefaults.threshold,
    training: {
      table: tableName,
      rows: encoded.rows,
      backend: loaded.backend,
      seed: session.seed,
      epochs: fitted.history.length,
    },
    hidden,
    encoding,
    layers: fitted.layers,
  };
  session.setObject(name, { shape: modelShape, facts: factsOf(model),
    value: model });

  const last = fitted.history[fitted.bestEpoch - 1]!;
  if (fitted.stoppedEarly) {
    notes.push(`stopped early after epoch ${fitted.history.length}: the ` +
      `validation loss had not improved for ${settings.patience} epochs; ` +
      `kept the weights of epoch ${fitted.bestEpoch}`);
  } else if (settings.validation > 0 &&
      fitted.bestEpoch < fitted.history.length) {
    notes.push(`kept the weights of epoch ${fitted.bestEpoch}, the best ` +
      'on the validation rows');
  }
  const kind = statement.model === 'logistic'
    ? 'logistic regression'
    : `mlp (${hidden.join(', ')})`;
  const positive = target.binary ? classLabel(target, 1) : null;
  return {
    kind: 'train',
    table: tableName,
    model: name,
    message: `trained ${kind} ${quote(name)} on ${tableName} ` +
      `(${plural(fitted.trainingRows, 'row')}, ${plural(encoding.inputs.length,
        'input')} from ${plural(features.length, 'column')}) with the ` +
      `${loaded.backend} backend: ${plural(fitted.history.length, 'epoch')}, ` +
      `loss ${formatNumber(last.loss)}, accuracy ` +
      `${formatNumber(last.accuracy)}` +
      (last.validation_loss !== undefined
        ? `, validation accuracy ${formatNumber(last.validation_accuracy!)}`
        : ''),
    summary: {
      model: name,
      type: statement.model,
      backend: loaded.backend,
      backend_description: loaded.description,
      features: features.length,
      inputs: encoding.inputs.length,
      classes: target.classes.map((_, i) => classLabel(target, i)),
      positive,
      ...trainingFigures(fitted, settings),
      seed: session.seed,
    },
    ...trainingHistory(fitted, settings),
    notes: [
      ...(positive !== null
        ? [`positive class: ${quote(positive)} (score = its probability)`]
        : []),
      ...notes,
    ],
  };
});

// evaluate -------------------------------------------------------------------

defineExecutor('evaluate', async ({ session, step, statement }) => {
  const tableName = step.input!;
  const table = session.table(tableName);
  const place: Place = { table: tableName, span: statement.span };
  if (rowCount(table) === 0) {
    fail(runProblems.emptyTable(tableName), statement.span);
  }

  // 1. Predictions and truth.
  const evaluated = statement.model
    ? await modelOutcomes(session, statement, table, place)
    : predictionOutcomes(statement, table);

  // 2. Groups, and the privileged one.
  const by = statement.by.map((b) => b.name);
  const grouping = by.length ? groupRows(table, by) : undefined;
  const groups = grouping?.groups.map((g) => ({ label: g.label,
    rows: Uint32Array.from(g.rows) })) ?? [];
  const groupOf = grouping?.groupOf ?? new Uint32Array(rowCount(table));
  const privileged = grouping ? referenceGroup(grouping, statement)
    : undefined;
  const plan = makePlan(evaluated.outcomes, groups, groupOf, privileged);

  // 3. Figures, and their intervals.
  const estimate = figures(plan);
  const resamples = statement.bootstrap?.value ?? evaluateDefaults.bootstrap;
  let intervals: Intervals | undefined;
  if (resamples > 0) {
    const progress = session.progress.start(
      `bootstrap (${count(resamples)} resamples)`);
    try {
      intervals = bootstrap(plan, session.random, resamples, 0.95,
        (f) => progress.update(f));
    } finally {
      progress.done();
    }
  }

  return evaluateResult(session, statement, step.input!, table, {
    evaluated, grouping, plan, estimate,
    ...(intervals ? { intervals } : {}),
  });
});

// predict --------------------------------------------------------------------

defineExecutor('predict', async ({ session, step, statement }) => {
  const tableName = step.input!;
  const table = session.table(tableName);
  const model = modelNamed(session, statement.model.name);
  const place: Place = { table: tableName, span: statement.span };
  const made = await predictRows(session, model, table, place,
    statement.threshold?.value);
  const rows = rowCount(table);

  // score: the positive class's probability (binary) or the predicted
  // class's (more classes); prediction: the class value itself.
  const score = new Float64Array(rows);
  for (let row = 0; row < rows; row++) {
    score[row] = made.positive ? made.positive[row]!
      : made.scores.probabilities[row * made.scores.classes +
        made.predicted[row]!]!;
  }
  const target = model.target;
  const values: Value[] = Array.from(made.predicted, (k) =>
    target.prediction === 'boolean' ? k === 1 : target.classes[k]!);
  const type = target.prediction === 'boolean' ? 'boolean'
    : typeof target.classes[0] === 'number' ? 'number'
      : typeof target.classes[0] === 'boolean' ? 'boolean' : 'string';
  const notes = [...made.notes];
  const existing = table.columnNames().filter((c) =>
    c === 'score' || c === 'prediction');
  if (existing.length) {
    notes.push(`replaced the existing column${existing.length > 1 ? 's'
      : ''} ${existing.join(' and ')}`);
  }

  let output = withColumn(table, 'score', score);
  output = withColumn(output, 'prediction', toColumn(values, type));
  session.setTable(step.output!, output);

  const counts = new Array<number>(target.classes.length).fill(0);
  for (const k of made.predicted) counts[k]!++;
  const shares = counts.map((c, k) => `${quote(classLabel(target, k))} ` +
    `${count(c)} (${(100 * c / Math.max(1, rows)).toFixed(1)} %)`);
  const threshold = model.mitigation ? 'thresholds per group from mitigate'
    : model.target.binary
      ? `threshold ${statement.threshold?.value ?? model.threshold}` : null;
  return {
    kind: 'predict',
    table: step.output!,
    message: `predicted ${target.column} for ${plural(rows, 'row')} of ` +
      `${tableName} with model ${quote(statement.model.name)}` +
      `${threshold ? ` (${threshold})` : ''}: ${shares.join(', ')}` +
      (step.output !== tableName ? ` → ${step.output}` : ''),
    summary: {
      model: statement.model.name,
      rows,
      ...Object.fromEntries(counts.map((c, k) =>
        [`predicted_${classLabel(target, k)}`, c])),
      ...(model.target.binary && !model.mitigation
        ? { threshold: statement.threshold?.value ?? model.threshold } : {}),
    },
    ...(notes.length ? { notes } : {}),
  };
});

// mitigate -------------------------------------------------------------------

defineExecutor('mitigate', async ({ session, step, statement }) => {
  const tableName = step.input!;
  const table = session.table(tableName);
  const model = modelNamed(session, statement.model.name);
  const place: Place = { table: tableName, span: statement.span };
  const goal = statement.goal!.name as MitigationGoal;
  const tolerance = statement.tolerance?.value ?? mitigateDefaults.tolerance;
  const name = statement.output?.name ?? `${statement.model.name}_mitigated`;
  const by = statement.by.map((b) => b.name);

  // 1. Scores and truth on the fitting table.
  const made = await predictRows(session, model, table, place, undefined);
  const truth = Uint8Array.from(targetLabels(table, model.target, place));
  const positive = made.positive!;
  const grouping = groupRows(table, by);
  const groups = grouping.groups.map((g) => Uint32Array.from(g.rows));

  // 2. Thresholds, and what they change.
  const fit = fitThresholds(groups, positive, truth, goal, tolerance);
  const before = Uint8Array.from(made.predicted);
  const after = predictWithThresholds(positive, (row) =>
    fit.thresholds[grouping.groupOf[row]!]!);
  const measure = (predicted: Uint8Array) => figures(makePlan(
    { kind: 'binary', inputs: { truth, predicted } },
    grouping.groups.map((g, i) => ({ label: g.label, rows: groups[i]! })),
    grouping.groupOf));
  const was = measure(before);
  const now = measure(after);
  const gapName = goal === 'demographic_parity'
    ? 'demographic_parity_difference'
    : goal === 'equal_opportunity' ? 'equal_opportunity_difference'
      : 'equalized_odds_difference';

  const mitigation: Mitigation = {
    goal,
    columns: by,
    thresholds: grouping.groups.map((g, i) => ({ label: g.label,
      values: g.values, threshold: fit.thresholds[i]! })),
    table: tableName,
    accuracyBefore: was.overall.accuracy ?? 0,
    accuracyAfter: now.overall.accuracy ?? 0,
    tolerance,
  };
  const mitigated: Model = { ...model, mitigation };
  session.setObject(name, { shape: modelShape, facts: factsOf(mitigated),
    value: mitigated });

  // 3. The result: one row per group, before and after.
  const rows: Row[] = grouping.groups.map((g, i) => ({
    ...Object.fromEntries(by.map((c, j) => [c, valueLabel(g.values[j]!)])),
    n: g.rows.length,
    threshold: fit.thresholds[i]!,
    selection_rate_before: was.groups[i]!.selection_rate ?? null,
    selection_rate_after: now.groups[i]!.selection_rate ?? null,
    recall_before: was.groups[i]!.recall ?? null,
    recall_after: now.groups[i]!.recall ?? null,
    fpr_before: was.groups[i]!.fpr ?? null,
    fpr_after: now.groups[i]!.fpr ?? null,
  }));
  const accuracyBefore = was.overall.accuracy ?? null;
  const accuracyAfter = now.overall.accuracy ?? null;
  const cost = accuracyBefore !== null && accuracyAfter !== null
    ? accuracyBefore - accuracyAfter : null;
  const notes = [
    ...made.notes,
    'one threshold per group, the same for every run (Fairlearn\'s ' +
      'ThresholdOptimizer randomises between two instead); the goal is met ' +
      `within ${tolerance} on ${tableName}`,
  ];
  if (fit.trivial) {
    notes.push('only trivial thresholds (no one or everyone selected in ' +
      'each group) meet the goal within the tolerance; try a larger ' +
      'tolerance, or another goal');
  }
  return {
    kind: 'mitigate',
    table: tableName,
    model: name,
    message: `fitted thresholds for ${goal.replace(/_/g, ' ')} by ` +
      `${by.join(', ')} on ${tableName}: ${gapName.replace(/_/g, ' ')} ` +
      `${formatGap(was.summary[gapName])} → ` +
      `${formatGap(now.summary[gapName])}, ` +
      `accuracy ${formatGap(accuracyBefore)} → ${formatGap(accuracyAfter)}` +
      ` (cost ${formatGap(cost)}); model ${quote(name)}`,
    summary: {
      model: name,
      goal,
      tolerance,
      [`${gapName}_before`]: was.summary[gapName] ?? null,
      [`${gapName}_after`]: now.summary[gapName] ?? null,
      accuracy_before: accuracyBefore,
      accuracy_after: accuracyAfter,
      accuracy_cost: cost,
    },
    columns: Object.keys(rows[0] ?? {}),
    rows,
    notes,
  };
});

function formatGap(value: Figure | undefined): string {
  return value === null || value === undefined ? 'undefined'
    : formatNumber(value);
}

// save model, load model -----------------------------------------------------

defineExecutor('save_model', ({ session, statement }) => {
  const model = modelNamed(session, statement.model.name);
  const resolved = session.resolvePath(statement.path);
  const display = session.displayPath(statement.path);
  if (session.inputs.has(resolved)) {
    fail({ code: 'save-over-input', message: `refusing to write ` +
      `${quote(statement.path)}: it was loaded as input`,
    hints: ['Fair never replaces an input file; save to another path'] },
    statement.pathSpan);
  }
  const size = saveModel(model, resolved, display, statement.span);
  return {
    kind: 'save_model',
    message: `saved model ${quote(statement.model.name)} to ${display} ` +
      `(${bytes(size)})`,
    summary: { model: statement.model.name, file: display, bytes: size },
  };
});

defineExecutor('load_model', ({ session, statement }) => {
  const resolved = session.resolvePath(statement.path);
  const display = session.displayPath(statement.path);
  const model = loadModel(resolved, display, statement.pathSpan);
  const name = statement.output?.name ?? modelNameFromPath(statement.path);
  session.setObject(name, { shape: modelShape, facts: factsOf(model),
    value: model });
  const classes = model.target.classes.map((_, i) =>
    classLabel(model.target, i));
  return {
    kind: 'load_model',
    message: `loaded ${model.type} model ${quote(name)} from ${display}: ` +
      `predicts ${model.target.column} (${classes.map(quote).join(', ')}) ` +
      `from ${plural(model.features.length, 'column')}` +
      (model.mitigation ? `, with thresholds per ${model.mitigation.columns
        .join(', ')} for ${model.mitigation.goal}` : ''),
    summary: { model: name, type: model.type, file: display,
      target: model.target.column, features: model.features.length,
      mitigated: model.mitigation !== undefined },
  };
});
