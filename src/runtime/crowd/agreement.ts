// How far workers agree beyond chance: percent agreement, Cohen's kappa
// for each pair of workers, Fleiss' kappa, and Krippendorff's alpha.
//
// Every statistic starts from the vote counts n[u][c] (ratings of item u
// with label c). A worker who rated an item several times counts once
// per rating in the item-level statistics (percent agreement, Fleiss,
// Krippendorff); in Cohen's kappa each worker's ratings of an item are
// averaged, so that the item still counts once for the pair.

import type { AgreementLevel } from '../../lang/statements/crowd.js';
import { ratingsPerItem, voteCounts, type Ratings } from './ratings.js';

// 1. Interpretation bands, named with their source

export interface Scale {
  source: string;
  bands: { from: number; label: string }[];
}

/** Landis & Koch (1977), for kappa statistics. */
export const landisKoch: Scale = {
  source: 'Landis & Koch (1977)',
  bands: [
    { from: -Infinity, label: 'poor' },
    { from: 0, label: 'slight' },
    { from: 0.205, label: 'fair' },
    { from: 0.405, label: 'moderate' },
    { from: 0.605, label: 'substantial' },
    { from: 0.805, label: 'almost perfect' },
  ],
};

/** Krippendorff (2004): rely on alpha >= .800, tentatively on >= .667. */
export const krippendorffScale: Scale = {
  source: 'Krippendorff (2004)',
  bands: [
    { from: -Infinity, label: 'unreliable' },
    { from: 0.667, label: 'tentative' },
    { from: 0.8, label: 'reliable' },
  ],
};

/**
 * The band a value falls in. Landis & Koch give their bands to two
 * decimals (0.21-0.40 is "fair"), so a kappa is read as rounded to two
 * places: 0.204 is slight, 0.205 fair.
 */
export function band(value: number | null, scale: Scale): string | null {
  if (value === null || !Number.isFinite(value)) return null;
  let label: string | null = null;
  for (const step of scale.bands) if (value >= step.from) label = step.label;
  return label;
}

// 2. Item-level statistics

/** Vote counts and ratings per item, shared by the item statistics. */
export interface ItemCounts {
  counts: Float64Array;
  perItem: Int32Array;
  classes: number;
}

export function itemCounts(ratings: Ratings): ItemCounts {
  return {
    counts: voteCounts(ratings),
    perItem: ratingsPerItem(ratings),
    classes: ratings.labels.length,
  };
}

/**
 * The share of agreeing pairs among the pairs of ratings of each item,
 * averaged over the items rated at least twice.
 */
export function percentAgreement({ counts, perItem, classes }: ItemCounts):
number | null {
  let sum = 0;
  let items = 0;
  for (let u = 0; u < perItem.length; u++) {
    const m = perItem[u]!;
    if (m < 2) continue;
    let agreeing = 0;
    for (let c = 0; c < classes; c++) {
      const n = counts[u * classes + c]!;
      agreeing += n * (n - 1);
    }
    sum += agreeing / (m * (m - 1));
    items++;
  }
  return items ? sum / items : null;
}

export interface CategoryKappa {
  kappa: number | null;
  se: number;
  z: number | null;
  share: number;
}

export type FleissKappa =
  | {
    kappa: number | null;
    /** Standard error under no agreement beyond chance (Fleiss, Nee &
     *  Landis 1979), as R's irr::kappam.fleiss reports it. */
    se: number | null;
    z: number | null;
    items: number;
    raters: number;
    categories: CategoryKappa[];
  }
  | { unavailable: string };

/**
 * Fleiss' kappa (Fleiss 1971) with per-category kappas. It assumes every
 * item has the same number of ratings; when they differ it is not given
 * and the reason is returned instead.
 */
export function fleissKappa({ counts, perItem, classes }: ItemCounts):
FleissKappa {
  const items = perItem.length;
  const raters = perItem[0]!;
  let fewest = raters;
  let most = raters;
  for (const m of perItem) {
    fewest = Math.min(fewest, m);
    most = Math.max(most, m);
  }
  if (fewest !== most) {
    return {
      unavailable: `items have from ${fewest} to ${most} ratings and ` +
        "Fleiss' kappa needs the same number for every item; " +
        "Krippendorff's alpha allows missing ratings",
    };
  }
  if (raters < 2) return { unavailable: 'every item has a single rating' };

  // Shares of each category, and each item's agreement P_i.
  const share = new Float64Array(classes);
  let meanAgreement = 0;
  for (let u = 0; u < items; u++) {
    let squares = 0;
    for (let c = 0; c < classes; c++) {
      const n = counts[u * classes + c]!;
      share[c]! += n;
      squares += n * n;
    }
    meanAgreement += (squares - raters) / (raters * (raters - 1));
  }
  meanAgreement /= items;
  for (let c = 0; c < classes; c++) share[c]! /= items * raters;

  let chance = 0;
  let pq = 0;
  let pqSkew = 0;
  for (const p of share) {
    chance += p * p;
    pq += p * (1 - p);
    pqSkew += p * (1 - p) * (1 - 2 * p);
  }
  const kappa = chance < 1 ? (meanAgreement - chance) / (1 - chance) : null;
  const scale = items * raters * (raters - 1);
  const se = pq > 0
    ? Math.sqrt(2) / (pq * Math.sqrt(scale)) *
      Math.sqrt(Math.max(0, pq * pq - pqSkew))
    : null;

  // Per category: 1 - sum_i n_ij (n - n_ij) / (N n (n - 1) p_j q_j).
  const categorySe = Math.sqrt(2 / scale);
  const categories = [...share].map((p, c) => {
    let disagreeing = 0;
    for (let u = 0; u < items; u++) {
      const n = counts[u * classes + c]!;
      disagreeing += n * (raters - n);
    }
    const spread = p * (1 - p);
    const value = spread > 0 ? 1 - disagreeing / (scale * spread) : null;
    return {
      kappa: value,
      se: categorySe,
      z: value === null ? null : value / categorySe,
      share: p,
    };
  });

  return {
    kappa,
    se,
    z: kappa !== null && se ? kappa / se : null,
    items,
    raters,
    categories,
  };
}

export interface Alpha {
  alpha: number | null;
  /** Items with at least two ratings: the only ones alpha can use. */
  items: number;
  /** Values that could be paired (n in Krippendorff's notation). */
  values: number;
}

/**
 * Krippendorff's alpha, 1 - D_o / D_e, from the coincidence matrix of
 * the pairable values (Krippendorff 2011, "Computing Krippendorff's
 * Alpha-Reliability"). Items with one rating are left out, which is how
 * alpha handles missing ratings. `values` are the labels as numbers,
 * needed for the interval level; the ordinal level uses their order.
 */
export function krippendorffAlpha(
  { counts, perItem, classes }: ItemCounts,
  level: AgreementLevel,
  values: readonly number[],
): Alpha {
  // 1. Coincidences o[c][k], and their margins n_c.
  const o = new Float64Array(classes * classes);
  let items = 0;
  for (let u = 0; u < perItem.length; u++) {
    const m = perItem[u]!;
    if (m < 2) continue;
    items++;
    for (let c = 0; c < classes; c++) {
      const nc = counts[u * classes + c]!;
      if (nc === 0) continue;
      for (let k = 0; k < classes; k++) {
        const nk = counts[u * classes + k]!;
        const pairs = c === k ? nc * (nk - 1) : nc * nk;
        o[c * classes + k]! += pairs / (m - 1);
      }
    }
  }
  const margin = new Float64Array(classes);
  for (let c = 0; c < classes; c++) {
    for (let k = 0; k < classes; k++) margin[c]! += o[c * classes + k]!;
  }
  const n = margin.reduce((a, b) => a + b, 0);

  // 2. Observed and expected disagreement under the level's distance.
  const distance = distances(level, margin, values);
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < classes; c++) {
    for (let k = 0; k < classes; k++) {
      const d = distance[c * classes + k]!;
      observed += o[c * classes + k]! * d;
      expected += margin[c]! * margin[k]! * d;
    }
  }
  const alpha = expected > 0 ? 1 - (n - 1) * observed / expected : null;
  return { alpha, items, values: n };
}

/** Squared distances between labels c and k, metric by level. */
function distances(
  level: AgreementLevel,
  margin: Float64Array,
  values: readonly number[],
): Float64Array {
  const classes = margin.length;
  const distance = new Float64Array(classes * classes);
  for (let c = 0; c < classes; c++) {
    for (let k = 0; k < classes; k++) {
      distance[c * classes + k] = level === 'nominal' ? (c === k ? 0 : 1)
        : level === 'interval' ? (values[c]! - values[k]!) ** 2
          : ordinalDistance(margin, c, k);
    }
  }
  return distance;
}

/** (sum of n_g for g from c to k, minus (n_c + n_k) / 2) squared. */
function ordinalDistance(margin: Float64Array, c: number, k: number): number {
  const low = Math.min(c, k);
  const high = Math.max(c, k);
  let between = 0;
  for (let g = low; g <= high; g++) between += margin[g]!;
  return (between - (margin[c]! + margin[k]!) / 2) ** 2;
}

// 3. Pairs of workers

export interface PairKappa {
  a: number;
  b: number;
  items: number;
  /** Observed agreement p_o. */
  agreement: number;
  kappa: number | null;
}

export interface CohenKappa extends PairKappa {
  /** Asymptotic standard error (Fleiss, Cohen & Everitt 1969). */
  se: number | null;
  /** kappa divided by its standard error under no agreement. */
  z: number | null;
  low: number | null;
  high: number | null;
}

/**
 * Each item's ratings grouped by worker: for every item, the workers who
 * rated it (in worker order) and the labels each gave.
 */
function byItemAndWorker(ratings: Ratings): {
  start: Int32Array;
  order: Int32Array;
} {
  const order = Int32Array.from(ratings.item.keys());
  order.sort((x, y) => ratings.item[x]! - ratings.item[y]! ||
    ratings.worker[x]! - ratings.worker[y]! || x - y);
  const start = new Int32Array(ratings.items.length + 1);
  for (const r of order) start[ratings.item[r]! + 1]!++;
  for (let u = 0; u < ratings.items.length; u++) {
    start[u + 1]! += start[u]!;
  }
  return { start, order };
}

/**
 * Visit every pair of workers on every item they share, with the weight
 * 1 / (m_a m_b) for each combination of their labels, so that an item
 * counts once for the pair however often either rated it.
 */
function visitPairs(
  ratings: Ratings,
  visit: (a: number, b: number, la: number, lb: number, w: number,
    first: boolean) => void,
): void {
  const { start, order } = byItemAndWorker(ratings);
  const worker = ratings.worker;
  const label = ratings.label;

  for (let u = 0; u < ratings.items.length; u++) {
    // Segments [s, e) of the item's ratings by one worker.
    const bounds: number[] = [start[u]!];
    for (let i = start[u]! + 1; i < start[u + 1]!; i++) {
      if (worker[order[i]!] !== worker[order[i - 1]!]) bounds.push(i);
    }
    bounds.push(start[u + 1]!);

    for (let x = 0; x + 1 < bounds.length; x++) {
      for (let y = x + 1; y + 1 < bounds.length; y++) {
        const [sa, ea, sb, eb] = [bounds[x]!, bounds[x + 1]!, bounds[y]!,
          bounds[y + 1]!];
        const w = 1 / ((ea - sa) * (eb - sb));
        const a = worker[order[sa]!]!;
        const b = worker[order[sb]!]!;
        let first = true;
        for (let i = sa; i < ea; i++) {
          for (let j = sb; j < eb; j++) {
            visit(a, b, label[order[i]!]!, label[order[j]!]!, w, first);
            first = false;
          }
        }
      }
    }
  }
}

/** Cohen's kappa for every pair of workers who share an item. */
export function pairKappas(ratings: Ratings): PairKappa[] {
  const classes = ratings.labels.length;
  const workers = ratings.workers.length;
  // Per pair: items, agreeing weight, then a's and b's label margins.
  const pairs = new Map<number, Float64Array>();
  visitPairs(ratings, (a, b, la, lb, w, first) => {
    const key = a * workers + b;
    let sums = pairs.get(key);
    if (!sums) {
      sums = new Float64Array(2 + 2 * classes);
      pairs.set(key, sums);
    }
    if (first) sums[0]!++;
    if (la === lb) sums[1]! += w;
    sums[2 + la]! += w;
    sums[2 + classes + lb]! += w;
  });

  return [...pairs.keys()].sort((x, y) => x - y).map((key) => {
    const sums = pairs.get(key)!;
    const items = sums[0]!;
    let chance = 0;
    for (let c = 0; c < classes; c++) {
      chance += sums[2 + c]! * sums[2 + classes + c]! / (items * items);
    }
    const agreement = sums[1]! / items;
    return {
      a: Math.floor(key / workers),
      b: key % workers,
      items,
      agreement,
      kappa: chance < 1 ? (agreement - chance) / (1 - chance) : null,
    };
  });
}

/**
 * Cohen's kappa for two workers, with its asymptotic standard error and
 * 95% interval and its z under no agreement beyond chance, as statsmodels'
 * cohens_kappa reports them.
 */
export function cohenKappa(ratings: Ratings, a = 0, b = 1): CohenKappa {
  const classes = ratings.labels.length;
  const table = new Float64Array(classes * classes);
  let items = 0;
  visitPairs(ratings, (wa, wb, la, lb, w, first) => {
    if (wa !== a || wb !== b) return;
    if (first) items++;
    table[la * classes + lb]! += w;
  });

  // Shares: p[i][j], rows r (worker a), columns c (worker b).
  const p = table.map((x) => x / items);
  const r = new Float64Array(classes);
  const c = new Float64Array(classes);
  for (let i = 0; i < classes; i++) {
    for (let j = 0; j < classes; j++) {
      r[i]! += p[i * classes + j]!;
      c[j]! += p[i * classes + j]!;
    }
  }
  let agreement = 0;
  let chance = 0;
  for (let i = 0; i < classes; i++) {
    agreement += p[i * classes + i]!;
    chance += r[i]! * c[i]!;
  }
  const base = { a, b, items, agreement };
  if (!(chance < 1) || items === 0) {
    return { ...base, kappa: null, se: null, z: null, low: null, high: null };
  }
  const kappa = (agreement - chance) / (1 - chance);

  // Fleiss, Cohen & Everitt (1969).
  let termA = 0;
  let termB = 0;
  let termC0 = 0;
  for (let i = 0; i < classes; i++) {
    const diagonal = 1 - (r[i]! + c[i]!) * (1 - kappa);
    termA += p[i * classes + i]! * diagonal * diagonal;
    termC0 += c[i]! * r[i]! * (c[i]! + r[i]!);
    for (let j = 0; j < classes; j++) {
      if (i !== j) termB += p[i * classes + j]! * (c[i]! + r[j]!) ** 2;
    }
  }
  termB *= (1 - kappa) ** 2;
  const termC = (kappa - chance * (1 - kappa)) ** 2;
  const spread = (1 - chance) ** 2 * items;
  const variance = (termA + termB - termC) / spread;
  const variance0 = (chance + chance * chance - termC0) / spread;
  const se = variance >= 0 ? Math.sqrt(variance) : null;
  return {
    ...base,
    kappa,
    se,
    z: variance0 > 0 ? kappa / Math.sqrt(variance0) : null,
    low: se === null ? null : kappa - 1.959963984540054 * se,
    high: se === null ? null : kappa + 1.959963984540054 * se,
  };
}
