// Whole numbers of rows from exact shares.
//
// A split of 80/20 over strata asks for n_s x 0.8 rows of each stratum in
// the first part. Rounding each stratum on its own keeps every stratum
// within one row of its share, but the parts' totals can drift by many
// rows. Controlled rounding keeps both: every cell is the floor or the
// ceiling of its exact share, every stratum sums to its size, and every
// part sums to the floor or ceiling of its exact total. Such a rounding
// always exists for a two-way table (Cox, 1987); it is found here as a
// flow from strata to parts.

/** Exact shares within this distance of a whole number count as whole. */
const wholeTolerance = 1e-9;

function floorOf(value: number): number {
  const nearest = Math.round(value);
  return Math.abs(value - nearest) < wholeTolerance ? nearest
    : Math.floor(value);
}

/**
 * Whole numbers summing to `total`, proportional to `weights`, each the
 * floor or ceiling of its exact share (largest remainders first; ties go
 * to the earlier item).
 */
export function largestRemainder(
  weights: readonly number[],
  total: number,
): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (w / sum) * total);
  const counts = exact.map(floorOf);
  let left = total - counts.reduce((a, b) => a + b, 0);

  const order = exact
    .map((value, i) => ({ i, remainder: value - counts[i]! }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    counts[i]!++;
    left--;
  }
  return counts;
}

/**
 * Rows of each stratum for each part: `counts[s][j]`, from stratum sizes
 * and part fractions (which add up to 1).
 */
export function allocateStrata(
  sizes: readonly number[],
  fractions: readonly number[],
): number[][] {
  const parts = fractions.length;
  const exact = sizes.map((n) => fractions.map((f) => n * f));
  const counts = exact.map((row) => row.map(floorOf));

  // 1. What rounding must still place: each stratum's leftover rows, and
  //    each part's lower and upper bound on extra rows.
  const leftover = sizes.map((n, s) =>
    n - counts[s]!.reduce((a, b) => a + b, 0));
  const lower: number[] = [];
  const upper: number[] = [];
  for (let j = 0; j < parts; j++) {
    let total = 0;
    let floors = 0;
    for (let s = 0; s < sizes.length; s++) {
      total += exact[s]![j]!;
      floors += counts[s]![j]!;
    }
    lower.push(floorOf(total) - floors);
    upper.push(Math.ceil(total - wholeTolerance) - floors);
  }

  // 2. Which (stratum, part) cells may take one more row: those whose
  //    exact share is not whole; larger remainders are served first.
  const remainder = exact.map((row, s) =>
    row.map((value, j) => value - counts[s]![j]!));
  const open = remainder.map((row) => row.map((r) => r > wholeTolerance));

  // 3. Fill each part up to its lower bound, then up to its upper bound.
  const flow = new Flow(open, leftover, remainder);
  flow.fill(lower);
  flow.fill(upper);
  flow.force();

  return counts.map((row, s) => row.map((c, j) => c + flow.extra[s]![j]!));
}

/**
 * Augmenting paths in the bipartite graph strata -> parts. A stratum with
 * rows left pushes one row at a time, along a path that may move another
 * stratum's extra row from one part to another.
 */
class Flow {
  readonly extra: number[][];
  private readonly received: number[];
  private readonly remaining: number[];
  private capacity: readonly number[] = [];

  constructor(
    private readonly open: readonly (readonly boolean[])[],
    leftover: readonly number[],
    private readonly remainder: readonly (readonly number[])[],
  ) {
    const parts = open[0]?.length ?? 0;
    this.extra = open.map(() => new Array<number>(parts).fill(0));
    this.received = new Array<number>(parts).fill(0);
    this.remaining = [...leftover];
  }

  fill(capacity: readonly number[]): void {
    this.capacity = capacity;

    // Directly, largest remainder first: the nearest rounding when the
    // bounds allow it.
    const cells: { s: number; j: number; r: number }[] = [];
    this.remainder.forEach((row, s) => row.forEach((r, j) => {
      if (this.open[s]![j]) cells.push({ s, j, r });
    }));
    cells.sort((a, b) => b.r - a.r || a.s - b.s || a.j - b.j);
    for (const { s, j } of cells) {
      if (this.remaining[s]! > 0 && this.extra[s]![j] === 0 &&
          this.received[j]! < capacity[j]!) {
        this.extra[s]![j] = 1;
        this.received[j]!++;
        this.remaining[s]!--;
      }
    }

    // Then along augmenting paths, moving rows placed above.
    for (let s = 0; s < this.remaining.length; s++) {
      while (this.remaining[s]! > 0 && this.augment(s)) this.remaining[s]!--;
    }
  }

  /**
   * Place any row still left, even past a part's bound. The theory says
   * none is left; this keeps every row of a stratum placed regardless.
   */
  force(): void {
    for (let s = 0; s < this.remaining.length; s++) {
      for (let j = 0; this.remaining[s]! > 0 && j < this.received.length;
        j++) {
        if (this.extra[s]![j]! > 0 || !this.open[s]![j]) continue;
        this.extra[s]![j] = 1;
        this.received[j]!++;
        this.remaining[s]!--;
      }
    }
  }

  /** Find a path from stratum `start` to a part with room; apply it. */
  private augment(start: number): boolean {
    const parts = this.received.length;
    const strata = this.open.length;
    const cameFrom = new Map<number, number>();
    // Nodes: strata 0..S-1, parts S..S+P-1.
    const queue = [start];
    cameFrom.set(start, -1);

    while (queue.length) {
      const at = queue.shift()!;
      if (at < strata) {
        for (let j = 0; j < parts; j++) {
          const part = strata + j;
          if (!this.open[at]![j] || this.extra[at]![j]! > 0) continue;
          if (cameFrom.has(part)) continue;
          cameFrom.set(part, at);
          if (this.received[j]! < this.capacity[j]!) {
            this.apply(part, cameFrom, strata);
            return true;
          }
          queue.push(part);
        }
      } else {
        const j = at - strata;
        for (let s = 0; s < strata; s++) {
          if (this.extra[s]![j]! === 0 || cameFrom.has(s)) continue;
          cameFrom.set(s, at);
          queue.push(s);
        }
      }
    }
    return false;
  }

  private apply(
    end: number,
    cameFrom: ReadonlyMap<number, number>,
    strata: number,
  ): void {
    this.received[end - strata]!++;
    let node = end;
    while (cameFrom.get(node)! !== -1) {
      const previous = cameFrom.get(node)!;
      if (node >= strata) this.extra[previous]![node - strata] = 1;
      else this.extra[node]![previous - strata] = 0;
      node = previous;
    }
  }
}
