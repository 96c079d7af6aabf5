// How reliable each worker is, judged against the aggregate labels:
//
//   agreement     the share of the worker's ratings equal to the item's
//                 aggregate label
//   kappa         Cohen's kappa between the worker and the aggregate over
//                 the worker's ratings: agreement beyond what the worker's
//                 own label frequencies would reach by chance
//   below chance  kappa < 0: the worker agrees with the aggregate less
//                 often than labelling at random with their own label
//                 frequencies would
//   accuracy      from a Dawid-Skene fit: the probability that the worker
//                 gives the true label, sum over c of prior(c) Pr(c | c)

import type { Fit } from './aggregate.js';
import type { Ratings } from './ratings.js';

export interface WorkerQuality {
  worker: number;
  items: number;
  ratings: number;
  agreement: number;
  kappa: number | null;
  accuracy: number | null;
  belowChance: boolean;
}

export function workerQuality(
  ratings: Ratings,
  chosen: Int32Array,
  fit: Fit | undefined,
): WorkerQuality[] {
  const classes = ratings.labels.length;
  const workers = ratings.workers.length;

  // Per worker: a contingency table of their label against the aggregate.
  const tables = new Float64Array(workers * classes * classes);
  const counts = new Int32Array(workers);
  const seen = new Set<number>();
  const items = new Int32Array(workers);
  for (let r = 0; r < ratings.item.length; r++) {
    const w = ratings.worker[r]!;
    const u = ratings.item[r]!;
    tables[(w * classes + ratings.label[r]!) * classes + chosen[u]!]!++;
    counts[w]!++;
    const key = w * ratings.items.length + u;
    if (!seen.has(key)) {
      seen.add(key);
      items[w]!++;
    }
  }

  return Array.from({ length: workers }, (_, w) => {
    const n = counts[w]!;
    let agreeing = 0;
    let chance = 0;
    for (let k = 0; k < classes; k++) {
      let given = 0;
      let aggregate = 0;
      for (let c = 0; c < classes; c++) {
        given += tables[(w * classes + k) * classes + c]!;
        aggregate += tables[(w * classes + c) * classes + k]!;
      }
      agreeing += tables[(w * classes + k) * classes + k]!;
      chance += (given / n) * (aggregate / n);
    }
    const agreement = agreeing / n;
    const kappa = chance < 1 ? (agreement - chance) / (1 - chance) : null;
    return {
      worker: w,
      items: items[w]!,
      ratings: n,
      agreement,
      kappa,
      accuracy: fit ? estimatedAccuracy(fit, w) : null,
      belowChance: kappa !== null && kappa < 0,
    };
  });
}

/** sum over c of prior(c) Pr(answer c | truth c), from an EM fit. */
function estimatedAccuracy(fit: Fit, worker: number): number | null {
  if (!fit.priors || !fit.errors) return null;
  const classes = fit.classes;
  let accuracy = 0;
  for (let c = 0; c < classes; c++) {
    accuracy += fit.priors[c]! *
      fit.errors[(worker * classes + c) * classes + c]!;
  }
  return accuracy;
}

/**
 * A worker's estimated confusion matrix, rows the true label and columns
 * the label given: matrix[truth][answer] = Pr(answer | truth).
 */
export function confusionMatrix(fit: Fit, worker: number): number[][] {
  const classes = fit.classes;
  const errors = fit.errors!;
  return Array.from({ length: classes }, (_, truth) =>
    Array.from({ length: classes }, (_, answer) =>
      errors[(worker * classes + answer) * classes + truth]!));
}
