// Classification metrics, per group and overall, and the fairness
// summaries built from them. Pure arithmetic: no TensorFlow.js here.
//
// Every count is a sum of row multiplicities, so the same code gives the
// point estimates (each row counted once) and each bootstrap resample
// (each row counted as often as it was drawn).
//
// Conventions (grammar.md repeats them for users):
//   precision, recall, fpr, fnr, f1, balanced accuracy and auc are missing
//   (null) when undefined: no predicted positives, no positives, no
//   negatives. scikit-learn would print a warning and report 0 instead.
//   auc counts a tie between a positive and a negative score as one half.
//   Fairlearn summaries compare every group: difference = max - min,
//   ratio = min / max, over the groups where the metric is defined.
//   AIF360 forms are signed, unprivileged - privileged, where the
//   unprivileged side pools every row outside the privileged group.

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface BinaryMetrics extends Confusion {
  n: number;
  accuracy: number | null;
  balanced_accuracy: number | null;
  precision: number | null;
  recall: number | null;
  fpr: number | null;
  fnr: number | null;
  f1: number | null;
  selection_rate: number | null;
  auc: number | null;
}

export const binaryMetricNames = [
  'n', 'accuracy', 'balanced_accuracy', 'precision', 'recall', 'fpr', 'fnr',
  'f1', 'selection_rate', 'auc', 'tp', 'fp', 'tn', 'fn',
] as const;

/** The metrics given intervals: the rates, not the counts. */
export const intervalMetricNames = [
  'accuracy', 'balanced_accuracy', 'precision', 'recall', 'fpr', 'fnr',
  'f1', 'selection_rate', 'auc',
] as const;

/** Binary labels and predictions, 1 = positive, and optional scores. */
export interface BinaryInputs {
  truth: Uint8Array;
  predicted: Uint8Array;
  scores?: Float64Array;
}

const ratio = (a: number, b: number): number | null => b > 0 ? a / b : null;

/** Confusion counts over some rows, each counted `weight[row]` times. */
export function confusion(
  rows: ArrayLike<number>,
  inputs: BinaryInputs,
  weight?: ArrayLike<number>,
): Confusion {
  const counts = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const w = weight ? weight[row]! : 1;
    if (w === 0) continue;
    if (inputs.truth[row]) {
      if (inputs.predicted[row]) counts.tp += w;
      else counts.fn += w;
    } else if (inputs.predicted[row]) counts.fp += w;
    else counts.tn += w;
  }
  return counts;
}

export function metricsFrom(c: Confusion, auc: number | null): BinaryMetrics {
  const n = c.tp + c.fp + c.tn + c.fn;
  const positives = c.tp + c.fn;
  const negatives = c.fp + c.tn;
  const recall = ratio(c.tp, positives);
  const specificity = ratio(c.tn, negatives);
  const precision = ratio(c.tp, c.tp + c.fp);
  const f1 = precision === null || recall === null
    ? null
    : precision + recall > 0 ? 2 * precision * recall / (precision + recall)
      : 0;
  return {
    n,
    accuracy: ratio(c.tp + c.tn, n),
    balanced_accuracy: recall === null || specificity === null
      ? null : (recall + specificity) / 2,
    precision,
    recall,
    fpr: ratio(c.fp, negatives),
    fnr: ratio(c.fn, positives),
    f1,
    selection_rate: ratio(c.tp + c.fp, n),
    auc,
    ...c,
  };
}

/** Rows in increasing order of score, for auc. */
export function sortByScore(
  rows: ArrayLike<number>,
  scores: Float64Array,
): Uint32Array {
  return Uint32Array.from(rows).sort((a, b) =>
    scores[a]! - scores[b]! || a - b);
}

/**
 * The area under the ROC curve (the Mann-Whitney statistic): the chance
 * that a random positive scores above a random negative, ties counting
 * one half. `sorted` holds rows in increasing score order.
 */
export function auc(
  sorted: Uint32Array,
  inputs: BinaryInputs,
  weight?: ArrayLike<number>,
): number | null {
  const scores = inputs.scores;
  if (!scores) return null;
  let negativesBelow = 0;
  let positives = 0;
  let area = 0;
  let i = 0;
  while (i < sorted.length) {
    // One block of equal scores.
    const score = scores[sorted[i]!]!;
    let blockPositives = 0;
    let blockNegatives = 0;
    for (; i < sorted.length && scores[sorted[i]!] === score; i++) {
      const row = sorted[i]!;
      const w = weight ? weight[row]! : 1;
      if (inputs.truth[row]) blockPositives += w;
      else blockNegatives += w;
    }
    area += blockPositives * (negativesBelow + blockNegatives / 2);
    negativesBelow += blockNegatives;
    positives += blockPositives;
  }
  const pairs = positives * negativesBelow;
  return pairs > 0 ? area / pairs : null;
}

// Fairness summaries ---------------------------------------------------------

export interface FairlearnSummary {
  demographic_parity_difference: number | null;
  demographic_parity_ratio: number | null;
  equalized_odds_difference: number | null;
  equalized_odds_ratio: number | null;
  equal_opportunity_difference: number | null;
}

export const fairlearnNames = [
  'demographic_parity_difference', 'demographic_parity_ratio',
  'equalized_odds_difference', 'equalized_odds_ratio',
  'equal_opportunity_difference',
] as const;

export function spread(values: (number | null)[]): {
  difference: number | null;
  ratio: number | null;
} {
  const defined = values.filter((v): v is number => v !== null);
  if (defined.length === 0) return { difference: null, ratio: null };
  const max = Math.max(...defined);
  const min = Math.min(...defined);
  return { difference: max - min, ratio: max > 0 ? min / max : null };
}

/** Fairlearn's between-groups summaries from per-group metrics. */
export function fairlearnSummary(groups: readonly BinaryMetrics[]):
FairlearnSummary {
  const selection = spread(groups.map((g) => g.selection_rate));
  const tpr = spread(groups.map((g) => g.recall));
  const fpr = spread(groups.map((g) => g.fpr));
  const worst = (a: number | null, b: number | null, pick: typeof Math.max) =>
    a === null ? b : b === null ? a : pick(a, b);
  return {
    demographic_parity_difference: selection.difference,
    demographic_parity_ratio: selection.ratio,
    equalized_odds_difference: worst(tpr.difference, fpr.difference,
      Math.max),
    equalized_odds_ratio: worst(tpr.ratio, fpr.ratio, Math.min),
    equal_opportunity_difference: tpr.difference,
  };
}

export interface Aif360Summary {
  statistical_parity_difference: number | null;
  disparate_impact: number | null;
  average_odds_difference: number | null;
  equal_opportunity_difference: number | null;
}

export const aif360Names = [
  'statistical_parity_difference', 'disparate_impact',
  'average_odds_difference', 'equal_opportunity_difference',
] as const;

const minus = (a: number | null, b: number | null) =>
  a === null || b === null ? null : a - b;

/** AIF360's signed forms: unprivileged - privileged (or over). */
export function aif360Summary(
  unprivileged: BinaryMetrics,
  privileged: BinaryMetrics,
): Aif360Summary {
  const fprGap = minus(unprivileged.fpr, privileged.fpr);
  const tprGap = minus(unprivileged.recall, privileged.recall);
  return {
    statistical_parity_difference: minus(unprivileged.selection_rate,
      privileged.selection_rate),
    disparate_impact: unprivileged.selection_rate === null ||
      privileged.selection_rate === null || privileged.selection_rate === 0
      ? null : unprivileged.selection_rate / privileged.selection_rate,
    average_odds_difference: fprGap === null || tprGap === null
      ? null : (fprGap + tprGap) / 2,
    equal_opportunity_difference: tprGap,
  };
}

// Inequality of benefits (AIF360) --------------------------------------------

/**
 * AIF360's benefit of each row: prediction - truth + 1, so 0 for a false
 * negative, 1 for a correct prediction and 2 for a false positive.
 */
export function benefits(
  rows: ArrayLike<number>,
  inputs: BinaryInputs,
): Float64Array {
  const b = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    b[i] = inputs.predicted[row]! - inputs.truth[row]! + 1;
  }
  return b;
}

/**
 * The generalized entropy index of benefits b with parameter alpha:
 * GE(a) = 1/(n a (a-1)) sum((b/mu)^a - 1); GE(1) (the Theil index) =
 * 1/n sum (b/mu) ln(b/mu), with 0 ln 0 = 0; GE(0) = -1/n sum ln(b/mu).
 * Weighted by multiplicities when given.
 */
export function generalizedEntropy(
  b: ArrayLike<number>,
  alpha: number,
  weight?: ArrayLike<number>,
): number | null {
  let n = 0;
  let total = 0;
  for (let i = 0; i < b.length; i++) {
    const w = weight ? weight[i]! : 1;
    n += w;
    total += w * b[i]!;
  }
  if (n === 0 || total === 0) return null;
  const mu = total / n;

  let sum = 0;
  for (let i = 0; i < b.length; i++) {
    const w = weight ? weight[i]! : 1;
    if (w === 0) continue;
    const r = b[i]! / mu;
    if (alpha === 1) sum += w * (r > 0 ? r * Math.log(r) : 0);
    else if (alpha === 0) sum += w * -Math.log(r);
    else sum += w * (r ** alpha - 1);
  }
  if (alpha === 1 || alpha === 0) return sum / n;
  return sum / (n * alpha * (alpha - 1));
}

export function theilIndex(
  b: ArrayLike<number>,
  weight?: ArrayLike<number>,
): number | null {
  return generalizedEntropy(b, 1, weight);
}

/**
 * The between-group index: each row's benefit replaced by its group's mean
 * benefit, so only the inequality between groups remains.
 */
export function betweenGroupEntropy(
  b: ArrayLike<number>,
  groupOf: ArrayLike<number>,
  groups: number,
  alpha: number,
  weight?: ArrayLike<number>,
): number | null {
  const sums = new Float64Array(groups);
  const counts = new Float64Array(groups);
  for (let i = 0; i < b.length; i++) {
    const w = weight ? weight[i]! : 1;
    sums[groupOf[i]!]! += w * b[i]!;
    counts[groupOf[i]!]! += w;
  }
  const means = new Float64Array(b.length);
  for (let i = 0; i < b.length; i++) {
    const g = groupOf[i]!;
    means[i] = sums[g]! / counts[g]!;
  }
  return generalizedEntropy(means, alpha, weight);
}

// Multi-class ----------------------------------------------------------------

export interface MulticlassMetrics {
  n: number;
  accuracy: number | null;
  balanced_accuracy: number | null;
  /** Per class, in class order. */
  support: number[];
  precision: (number | null)[];
  recall: (number | null)[];
}

export const multiclassMetricNames = [
  'n', 'accuracy', 'balanced_accuracy',
] as const;

/**
 * Accuracy, balanced accuracy (the mean recall over the classes present,
 * as scikit-learn's balanced_accuracy_score) and per-class precision and
 * recall.
 */
export function multiclassMetrics(
  rows: ArrayLike<number>,
  truth: Int32Array,
  predicted: Int32Array,
  classes: number,
  weight?: ArrayLike<number>,
): MulticlassMetrics {
  const support = new Array<number>(classes).fill(0);
  const chosen = new Array<number>(classes).fill(0);
  const hits = new Array<number>(classes).fill(0);
  let n = 0;
  let correct = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const w = weight ? weight[row]! : 1;
    if (w === 0) continue;
    n += w;
    support[truth[row]!]! += w;
    chosen[predicted[row]!]! += w;
    if (truth[row] === predicted[row]) {
      correct += w;
      hits[truth[row]!]! += w;
    }
  }
  const recall = support.map((s, k) => ratio(hits[k]!, s));
  const present = recall.filter((r): r is number => r !== null);
  return {
    n,
    accuracy: ratio(correct, n),
    balanced_accuracy: present.length
      ? present.reduce((a, b) => a + b, 0) / present.length : null,
    support,
    precision: chosen.map((c, k) => ratio(hits[k]!, c)),
    recall,
  };
}
