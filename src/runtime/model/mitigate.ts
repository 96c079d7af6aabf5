// Group-specific thresholds: post-processing in the manner of Fairlearn's
// ThresholdOptimizer, made deterministic.
//
// Fairlearn mixes two thresholds at random for some rows so that a
// constraint holds exactly. Fair picks one threshold per group instead,
// so the same row always gets the same prediction, and asks for the
// constraint to hold within a tolerance:
//
//   demographic_parity   selection rates of all groups within `tolerance`
//   equal_opportunity    true positive rates within `tolerance`
//   equalized_odds       true and false positive rates, each within it
//
// Among the thresholds that meet it on the fitting table, the ones with
// the most correct predictions win. The search slides a window of width
// `tolerance` along the rate (a grid of steps of a quarter of the
// tolerance; for equalized odds a square window on a grid of half-steps)
// and lets each group take its most accurate threshold inside the window.
// Thresholds sit halfway between neighbouring distinct scores, so they
// carry over to rows whose scores fall in between.
//
// Shortcoming: equalized odds with one threshold per group is reachable
// only where the groups' ROC curves come within the tolerance of each
// other; where they do not, the trivial thresholds (everyone or no one
// selected) are all that remain, and the result says so.

export const mitigationGoals = [
  'demographic_parity', 'equal_opportunity', 'equalized_odds',
] as const;
export type MitigationGoal = typeof mitigationGoals[number];

/** One achievable operating point of a group: its threshold and rates. */
interface Candidate {
  threshold: number;
  selection: number;
  tpr: number;
  fpr: number;
  correct: number;
}

export interface Fit {
  thresholds: number[];
  /** Correct predictions with the chosen thresholds, over all rows. */
  correct: number;
  /** The largest gap reached on the goal's rate(s). */
  gap: number;
  /** True when only trivial thresholds met the tolerance. */
  trivial: boolean;
}

/**
 * Each group's operating points, from "no one selected" (threshold above
 * every score) down to "everyone" (threshold 0).
 */
function candidates(
  rows: Uint32Array,
  scores: Float64Array,
  truth: Uint8Array,
): Candidate[] {
  const sorted = Uint32Array.from(rows).sort((a, b) =>
    scores[b]! - scores[a]! || a - b);
  let positives = 0;
  for (const row of sorted) positives += truth[row]!;
  const negatives = sorted.length - positives;
  const rate = (a: number, b: number) => b > 0 ? a / b : 0;

  const top = sorted.length ? scores[sorted[0]!]! : 1;
  const points: Candidate[] = [];
  let tp = 0;
  let fp = 0;
  const push = (threshold: number) => points.push({
    threshold,
    selection: rate(tp + fp, sorted.length),
    tpr: rate(tp, positives),
    fpr: rate(fp, negatives),
    correct: tp + (negatives - fp),
  });
  push(top < 1 ? (top + 1) / 2 : 1);

  let i = 0;
  while (i < sorted.length) {
    const score = scores[sorted[i]!]!;
    for (; i < sorted.length && scores[sorted[i]!] === score; i++) {
      if (truth[sorted[i]!]) tp++;
      else fp++;
    }
    const next = i < sorted.length ? scores[sorted[i]!]! : 0;
    push(i < sorted.length ? (score + next) / 2 : 0);
  }
  return points;
}

/** Fit one threshold per group. */
export function fitThresholds(
  groups: readonly Uint32Array[],
  scores: Float64Array,
  truth: Uint8Array,
  goal: MitigationGoal,
  tolerance: number,
): Fit {
  const points = groups.map((rows) => candidates(rows, scores, truth));
  const half = tolerance / 2;

  // 1. The windows to try: centres on a grid over [0, 1] (or [0, 1]^2).
  const steps = (size: number) => {
    const count = Math.ceil(1 / size);
    return Array.from({ length: count + 1 }, (_, i) => Math.min(1, i * size));
  };
  const centres: [number, number][] = goal === 'equalized_odds'
    ? steps(tolerance / 2).flatMap((t) =>
      steps(tolerance / 2).map((f): [number, number] => [t, f]))
    : steps(tolerance / 4).map((r): [number, number] => [r, 0]);

  const inside = (c: Candidate, [a, b]: [number, number]) => {
    switch (goal) {
      case 'demographic_parity': return Math.abs(c.selection - a) <= half;
      case 'equal_opportunity': return Math.abs(c.tpr - a) <= half;
      case 'equalized_odds':
        return Math.abs(c.tpr - a) <= half && Math.abs(c.fpr - b) <= half;
    }
  };

  // 2. In each window, each group's most accurate point; keep the best.
  let best: { picks: Candidate[]; correct: number } | undefined;
  for (const centre of centres) {
    const picks: Candidate[] = [];
    let correct = 0;
    for (const groupPoints of points) {
      let pick: Candidate | undefined;
      for (const point of groupPoints) {
        if (inside(point, centre) && (!pick || point.correct > pick.correct)) {
          pick = point;
        }
      }
      if (!pick) break;
      picks.push(pick);
      correct += pick.correct;
    }
    if (picks.length === points.length &&
        (!best || correct > best.correct)) {
      best = { picks, correct };
    }
  }

  // The window around "no one selected" always fits every group, so a
  // best exists; the fallback only guards an empty group list.
  const picks = best?.picks ?? points.map((p) => p[0]!);
  return {
    thresholds: picks.map((p) => p.threshold),
    correct: best?.correct ?? 0,
    gap: gapOf(picks, goal),
    trivial: picks.every((p, i) =>
      p === points[i]![0] || p === points[i]![points[i]!.length - 1]),
  };
}

function gapOf(picks: readonly Candidate[], goal: MitigationGoal): number {
  const range = (values: number[]) =>
    values.length ? Math.max(...values) - Math.min(...values) : 0;
  switch (goal) {
    case 'demographic_parity': return range(picks.map((p) => p.selection));
    case 'equal_opportunity': return range(picks.map((p) => p.tpr));
    case 'equalized_odds':
      return Math.max(range(picks.map((p) => p.tpr)),
        range(picks.map((p) => p.fpr)));
  }
}

/** Predictions with a threshold per group. */
export function predictWithThresholds(
  scores: Float64Array,
  groupThreshold: (row: number) => number,
): Uint8Array {
  const predicted = new Uint8Array(scores.length);
  for (let row = 0; row < scores.length; row++) {
    predicted[row] = scores[row]! >= groupThreshold(row) ? 1 : 0;
  }
  return predicted;
}
