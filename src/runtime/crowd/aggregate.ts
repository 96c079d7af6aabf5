// The best estimate of each item's true label from several workers'
// ratings:
//
//   majority      each rating is one vote (a worker who rated an item
//                 three times votes three times); confidence is the
//                 winning label's share of the votes
//   weighted      crowd-kit's Wawa: majority vote, then each worker's
//                 skill is their agreement with it, then a vote weighted
//                 by skill; confidence is the winner's share of weight
//   dawid-skene   Dawid & Skene (1979): a confusion matrix per worker and
//                 class priors, fitted by expectation-maximisation from
//                 the majority vote's shares, as crowd-kit's DawidSkene
//   one-coin      the same with one skill per worker (right with
//                 probability s, else any other label alike), as
//                 crowd-kit's OneCoinDawidSkene
//
// Every method returns a posterior (or vote share) per item and label;
// choosing one label per item, and breaking ties, is done by the caller
// with the session's random generator.

import type { AggregateMethod } from '../../lang/statements/crowd.js';
import { voteCounts, type Ratings } from './ratings.js';

/** crowd-kit's floor for confusion-matrix entries. */
const floor = 1e-10;

export interface EmOptions {
  /** Most EM iterations (crowd-kit's n_iter). */
  iterations: number;
  /** Stop when the evidence lower bound per rating gains less. */
  tolerance: number;
  /** For each item, its gold label's code, or -1. */
  gold?: Int32Array;
  /** Called after each iteration, for progress bars. */
  onIteration?: (iteration: number) => void;
}

export const defaultEm = { iterations: 100, tolerance: 1e-5 } as const;

export interface Fit {
  method: AggregateMethod;
  /** posterior[item * K + label]: a probability or a share of votes. */
  posterior: Float64Array;
  classes: number;
  /** For the EM methods: class priors, errors, skills and convergence. */
  priors?: Float64Array;
  /** errors[(worker * K + answer) * K + truth] = Pr(answer | truth). */
  errors?: Float64Array;
  /** Per worker: one-coin skill, or the weight of a weighted vote. */
  skills?: Float64Array;
  iterations?: number;
  converged?: boolean;
  /** The evidence lower bound per rating after each iteration. */
  elbo?: number[];
}

/** Overwrite the posterior of gold items with their gold label. */
function fixGold(posterior: Float64Array, classes: number,
  gold: Int32Array | undefined): void {
  if (!gold) return;
  for (let u = 0; u < gold.length; u++) {
    const label = gold[u]!;
    if (label < 0) continue;
    posterior.fill(0, u * classes, (u + 1) * classes);
    posterior[u * classes + label] = 1;
  }
}

/** Each label's share of an item's votes. */
export function voteShares(ratings: Ratings, gold?: Int32Array):
Float64Array {
  const classes = ratings.labels.length;
  const shares = voteCounts(ratings);
  for (let u = 0; u < ratings.items.length; u++) {
    let total = 0;
    for (let c = 0; c < classes; c++) total += shares[u * classes + c]!;
    for (let c = 0; c < classes; c++) shares[u * classes + c]! /= total;
  }
  fixGold(shares, classes, gold);
  return shares;
}

export function majority(ratings: Ratings, gold?: Int32Array): Fit {
  return {
    method: 'majority',
    posterior: voteShares(ratings, gold),
    classes: ratings.labels.length,
  };
}

/**
 * Weighted majority (crowd-kit's Wawa). A worker's skill is the share of
 * their ratings that match the majority label; where the majority is tied
 * between t labels, a rating for one of them counts 1/t, so that skills
 * need no random choice.
 */
export function weighted(ratings: Ratings, gold?: Int32Array): Fit {
  const classes = ratings.labels.length;
  const shares = voteShares(ratings, gold);
  const credit = topCredit(shares, ratings.items.length, classes);

  const workers = ratings.workers.length;
  const hits = new Float64Array(workers);
  const counts = new Float64Array(workers);
  for (let r = 0; r < ratings.item.length; r++) {
    const w = ratings.worker[r]!;
    hits[w]! += credit[ratings.item[r]! * classes + ratings.label[r]!]!;
    counts[w]!++;
  }
  const skills = hits.map((h, w) => h / counts[w]!);

  // Votes weighted by skill; an item whose voters all have skill 0 falls
  // back to plain shares rather than to nothing.
  const posterior = new Float64Array(ratings.items.length * classes);
  for (let r = 0; r < ratings.item.length; r++) {
    posterior[ratings.item[r]! * classes + ratings.label[r]!]! +=
      skills[ratings.worker[r]!]!;
  }
  for (let u = 0; u < ratings.items.length; u++) {
    let total = 0;
    for (let c = 0; c < classes; c++) total += posterior[u * classes + c]!;
    for (let c = 0; c < classes; c++) {
      posterior[u * classes + c] = total > 0
        ? posterior[u * classes + c]! / total
        : shares[u * classes + c]!;
    }
  }
  fixGold(posterior, classes, gold);
  return { method: 'weighted', posterior, classes, skills };
}

/** 1/t for each of an item's t top labels, 0 for the others. */
function topCredit(shares: Float64Array, items: number, classes: number):
Float64Array {
  const credit = new Float64Array(items * classes);
  for (let u = 0; u < items; u++) {
    const top = topLabels(shares, u, classes);
    for (const c of top) credit[u * classes + c] = 1 / top.length;
  }
  return credit;
}

/** Labels whose posterior equals the item's highest, in label order. */
export function topLabels(
  posterior: Float64Array,
  item: number,
  classes: number,
): number[] {
  let best = -Infinity;
  for (let c = 0; c < classes; c++) {
    best = Math.max(best, posterior[item * classes + c]!);
  }
  // Equal up to rounding: sums of the same terms in another order.
  const tied: number[] = [];
  for (let c = 0; c < classes; c++) {
    if (best - posterior[item * classes + c]! <= 1e-12) tied.push(c);
  }
  return tied;
}

// Expectation-maximisation ---------------------------------------------------

/**
 * Dawid-Skene or one-coin by EM, as crowd-kit describes it:
 *
 *   1. start from the majority vote's shares; priors are their means
 *   2. M-step: confusion matrices (or skills) from the posteriors
 *   3. repeat up to `iterations` times: E-step (posteriors from priors and
 *      confusions, in logs with each item's maximum shifted to 0), priors,
 *      M-step, then the evidence lower bound per rating; stop when it
 *      gains less than `tolerance`
 *
 * Gold items keep their gold label throughout.
 */
export function expectationMaximisation(
  ratings: Ratings,
  method: 'dawid-skene' | 'one-coin',
  options: EmOptions,
): Fit {
  const classes = ratings.labels.length;
  const items = ratings.items.length;
  const workers = ratings.workers.length;
  const { item, worker, label } = ratings;
  const ratingCount = item.length;

  // A worker's confusion rows exist only for labels they gave.
  const used = new Uint8Array(workers * classes);
  for (let r = 0; r < ratingCount; r++) {
    used[worker[r]! * classes + label[r]!] = 1;
  }
  const perWorker = new Float64Array(workers);
  for (let r = 0; r < ratingCount; r++) perWorker[worker[r]!]!++;

  // Where each rating reads and writes: its confusion row and its item's
  // posterior, computed once for all iterations.
  const errorAt = new Int32Array(ratingCount);
  const itemAt = new Int32Array(ratingCount);
  for (let r = 0; r < ratingCount; r++) {
    errorAt[r] = (worker[r]! * classes + label[r]!) * classes;
    itemAt[r] = item[r]! * classes;
  }

  const errors = new Float64Array(workers * classes * classes);
  const logErrors = new Float64Array(errors.length);
  const skills = new Float64Array(workers);
  const priors = new Float64Array(classes);
  const logPriors = new Float64Array(classes);
  const joint = new Float64Array(items * classes);

  const mStep = (posterior: Float64Array) => {
    priors.fill(0);
    for (let u = 0; u < items; u++) {
      for (let c = 0; c < classes; c++) {
        priors[c]! += posterior[u * classes + c]!;
      }
    }
    for (let c = 0; c < classes; c++) {
      priors[c]! /= items;
      logPriors[c] = Math.log(priors[c]!);
    }
    if (method === 'dawid-skene') {
      confusionStep(posterior);
    } else {
      oneCoinStep(posterior);
    }
    for (let i = 0; i < errors.length; i++) {
      logErrors[i] = Math.log(errors[i]!);
    }
  };

  // errors[w][k][c] = sum of posterior[j][c] over w's ratings k of j,
  // floored where w gave k at all, normalised over k for each c.
  const confusionStep = (posterior: Float64Array) => {
    errors.fill(0);
    for (let r = 0; r < ratingCount; r++) {
      const row = errorAt[r]!;
      const p = itemAt[r]!;
      for (let c = 0; c < classes; c++) errors[row + c]! += posterior[p + c]!;
    }
    for (let w = 0; w < workers; w++) {
      for (let k = 0; k < classes; k++) {
        if (!used[w * classes + k]) continue;
        const row = (w * classes + k) * classes;
        for (let c = 0; c < classes; c++) {
          errors[row + c] = Math.max(errors[row + c]!, floor);
        }
      }
      for (let c = 0; c < classes; c++) {
        let total = 0;
        for (let k = 0; k < classes; k++) {
          total += errors[(w * classes + k) * classes + c]!;
        }
        for (let k = 0; k < classes; k++) {
          errors[(w * classes + k) * classes + c]! /= total;
        }
      }
    }
  };

  // skill[w] = mean posterior of the label w gave; errors from it.
  const oneCoinStep = (posterior: Float64Array) => {
    skills.fill(0);
    for (let r = 0; r < ratingCount; r++) {
      skills[worker[r]!]! += posterior[itemAt[r]! + label[r]!]!;
    }
    for (let w = 0; w < workers; w++) {
      const skill = skills[w]! / perWorker[w]!;
      skills[w] = skill;
      const wrong = classes > 1 ? (1 - skill) / (classes - 1) : 0;
      const clip = (x: number) => Math.min(1 - floor, Math.max(floor, x));
      for (let k = 0; k < classes; k++) {
        for (let c = 0; c < classes; c++) {
          errors[(w * classes + k) * classes + c] =
            clip(k === c ? skill : wrong);
        }
      }
    }
  };

  // log p(z = c) + sum over the item's ratings of log Pr(answer | c).
  const logJoint = () => {
    for (let u = 0; u < items; u++) joint.set(logPriors, u * classes);
    for (let r = 0; r < ratingCount; r++) {
      const row = errorAt[r]!;
      const p = itemAt[r]!;
      for (let c = 0; c < classes; c++) joint[p + c]! += logErrors[row + c]!;
    }
  };

  const eStep = (posterior: Float64Array) => {
    logJoint();
    for (let u = 0; u < items; u++) {
      const p = u * classes;
      let top = -Infinity;
      for (let c = 0; c < classes; c++) top = Math.max(top, joint[p + c]!);
      let total = 0;
      for (let c = 0; c < classes; c++) {
        const value = Math.exp(joint[p + c]! - top);
        posterior[p + c] = value;
        total += value;
      }
      for (let c = 0; c < classes; c++) posterior[p + c]! /= total;
    }
    fixGold(posterior, classes, options.gold);
  };

  // E_T[log p(y, z)] + H(T), per rating; terms with T = 0 add nothing.
  const evidence = (posterior: Float64Array) => {
    logJoint();
    let sum = 0;
    for (let i = 0; i < posterior.length; i++) {
      const t = posterior[i]!;
      if (t > 0) sum += t * (joint[i]! - Math.log(t));
    }
    return sum / ratingCount;
  };

  // 1-2. Start from majority vote.
  const posterior = voteShares(ratings, options.gold);
  mStep(posterior);

  // 3. Iterate.
  const elbo: number[] = [];
  let previous = -Infinity;
  let converged = false;
  for (let iteration = 1; iteration <= options.iterations; iteration++) {
    eStep(posterior);
    mStep(posterior);
    const current = evidence(posterior);
    elbo.push(current);
    options.onIteration?.(iteration);
    if (current - previous < options.tolerance) {
      converged = true;
      break;
    }
    previous = current;
  }

  return {
    method,
    posterior,
    classes,
    priors,
    errors,
    ...(method === 'one-coin' ? { skills } : {}),
    iterations: elbo.length,
    converged,
    elbo,
  };
}
