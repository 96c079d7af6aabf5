// Exact k nearest neighbours with a k-d tree, for SMOTE.
//
// Points are rows of a row-major Float64Array. The tree splits on the
// dimension of widest spread at the median, and keeps every node's
// bounding box, so a search skips any box farther than the k-th best
// point found so far. Distances are squared Euclidean plus an optional
// extra term per pair (SMOTE-NC's penalty for differing categories); the
// extra term is never negative, so the distance to a box is still a lower
// bound and the search stays exact. Ties are broken by row index, so the
// same data always gives the same neighbours.
//
// Nodes live in flat typed arrays rather than objects: the search is the
// hot loop of SMOTE, and flat arrays keep it fast.

const leafSize = 32;

export type PairDistance = (a: number, b: number) => number;

export class KdTree {
  private readonly order: Uint32Array;
  // Per node: its range of `order`, split dimension (-1 for a leaf),
  // children, and bounding box (low, high: nodes x dimensions).
  private start: Uint32Array;
  private end: Uint32Array;
  private dimension: Int32Array;
  private left: Uint32Array;
  private right: Uint32Array;
  private low: Float64Array;
  private high: Float64Array;
  private nodes = 0;
  private readonly stack: Uint32Array;
  /** The points again, in tree order: a leaf's points sit together. */
  private readonly packed: Float64Array;

  constructor(
    private readonly points: Float64Array,
    private readonly count: number,
    private readonly dimensions: number,
    private readonly extra?: PairDistance,
  ) {
    this.order = new Uint32Array(count);
    for (let i = 0; i < count; i++) this.order[i] = i;

    // A node of more than leafSize points splits in halves, so leaves hold
    // at least leafSize / 2 points: at most 2n / (leafSize / 2) nodes.
    const capacity = 2 * Math.ceil(count / (leafSize >> 1)) + 1;
    this.start = new Uint32Array(capacity);
    this.end = new Uint32Array(capacity);
    this.dimension = new Int32Array(capacity);
    this.left = new Uint32Array(capacity);
    this.right = new Uint32Array(capacity);
    this.low = new Float64Array(capacity * dimensions);
    this.high = new Float64Array(capacity * dimensions);
    this.build(0, count);
    this.stack = new Uint32Array(this.nodes + 1);

    this.packed = new Float64Array(count * dimensions);
    for (let i = 0; i < count; i++) {
      const from = this.order[i]! * dimensions;
      for (let k = 0; k < dimensions; k++) {
        this.packed[i * dimensions + k] = points[from + k]!;
      }
    }
  }

  private build(start: number, end: number): number {
    const node = this.nodes++;
    const d = this.dimensions;
    this.start[node] = start;
    this.end[node] = end;

    const base = node * d;
    for (let k = 0; k < d; k++) {
      this.low[base + k] = Infinity;
      this.high[base + k] = -Infinity;
    }
    for (let i = start; i < end; i++) {
      const offset = this.order[i]! * d;
      for (let k = 0; k < d; k++) {
        const value = this.points[offset + k]!;
        if (value < this.low[base + k]!) this.low[base + k] = value;
        if (value > this.high[base + k]!) this.high[base + k] = value;
      }
    }

    let dimension = -1;
    let widest = 0;
    for (let k = 0; k < d; k++) {
      const spread = this.high[base + k]! - this.low[base + k]!;
      if (spread > widest) {
        widest = spread;
        dimension = k;
      }
    }
    if (end - start <= leafSize || dimension < 0) {
      this.dimension[node] = -1;
      return node;
    }

    const middle = (start + end) >> 1;
    this.select(start, end - 1, middle, dimension);
    this.dimension[node] = dimension;
    this.left[node] = this.build(start, middle);
    this.right[node] = this.build(middle, end);
    return node;
  }

  /** Quickselect: order[k] gets the k-th smallest along `dimension`. */
  private select(left: number, right: number, k: number, dimension: number):
  void {
    const order = this.order;
    const d = this.dimensions;
    const at = (i: number) => this.points[order[i]! * d + dimension]!;
    while (right > left) {
      const pivot = at((left + right) >> 1);
      let i = left;
      let j = right;
      while (i <= j) {
        while (at(i) < pivot) i++;
        while (at(j) > pivot) j--;
        if (i <= j) {
          const swap = order[i]!;
          order[i] = order[j]!;
          order[j] = swap;
          i++;
          j--;
        }
      }
      if (k <= j) right = j;
      else if (k >= i) left = i;
      else return;
    }
  }

  /** Squared distance from point `query` to a node's box (0 inside). */
  private boxDistance(node: number, offset: number, limit: number): number {
    const d = this.dimensions;
    const base = node * d;
    let distance = 0;
    for (let k = 0; k < d && distance <= limit; k++) {
      const value = this.points[offset + k]!;
      const low = this.low[base + k]!;
      const high = this.high[base + k]!;
      const diff = value < low ? low - value : value > high ? value - high : 0;
      distance += diff * diff;
    }
    return distance;
  }

  /**
   * The k nearest neighbours of every point marked in `wanted`, found in
   * tree order so that consecutive searches touch the same memory.
   */
  nearestOf(wanted: Uint8Array, k: number): (Uint32Array | undefined)[] {
    const lists = new Array<Uint32Array | undefined>(this.count);
    for (let i = 0; i < this.count; i++) {
      const point = this.order[i]!;
      if (wanted[point]) lists[point] = this.nearest(point, k);
    }
    return lists;
  }

  /**
   * The k nearest points to point `query`, nearest first, leaving out the
   * query itself (another point at distance 0 is kept: a duplicate row is
   * a neighbour, as in imbalanced-learn).
   */
  nearest(query: number, k: number): Uint32Array {
    const best = new Neighbours(k);
    const d = this.dimensions;
    const points = this.points;
    const offset = query * d;
    const stack = this.stack;
    let top = 0;
    stack[top++] = 0;

    while (top > 0) {
      const node = stack[--top]!;
      const worst = best.worst();
      if (this.boxDistance(node, offset, worst) > worst) continue;

      const split = this.dimension[node]!;
      if (split >= 0) {
        // Push the far child first, so the near one is searched first.
        const left = this.left[node]!;
        const right = this.right[node]!;
        const value = points[offset + split]!;
        const nearLeft = value < this.high[left * d + split]! ||
          value - this.high[left * d + split]! <
            this.low[right * d + split]! - value;
        stack[top++] = nearLeft ? right : left;
        stack[top++] = nearLeft ? left : right;
        continue;
      }

      const packed = this.packed;
      for (let i = this.start[node]!; i < this.end[node]!; i++) {
        const point = this.order[i]!;
        if (point === query) continue;
        // Stop adding once the point is surely farther than the k-th.
        const limit = best.worst();
        const other = i * d;
        let distance = 0;
        for (let c = 0; c < d && distance <= limit; c++) {
          const diff = packed[other + c]! - points[offset + c]!;
          distance += diff * diff;
        }
        if (distance > limit) continue;
        if (this.extra) distance += this.extra(query, point);
        best.offer(point, distance);
      }
    }
    return best.indices();
  }
}

/** The k best candidates so far, kept sorted by (distance, index). */
class Neighbours {
  private readonly index: Uint32Array;
  private readonly distance: Float64Array;
  private size = 0;

  constructor(private readonly k: number) {
    this.index = new Uint32Array(k);
    this.distance = new Float64Array(k);
  }

  worst(): number {
    return this.size < this.k ? Infinity : this.distance[this.k - 1]!;
  }

  offer(point: number, distance: number): void {
    if (this.size === this.k) {
      const last = this.k - 1;
      if (distance > this.distance[last]! ||
          (distance === this.distance[last]! && point > this.index[last]!)) {
        return;
      }
    } else {
      this.size++;
    }
    let i = this.size - 1;
    while (i > 0 && (this.distance[i - 1]! > distance ||
        (this.distance[i - 1]! === distance && this.index[i - 1]! > point))) {
      this.index[i] = this.index[i - 1]!;
      this.distance[i] = this.distance[i - 1]!;
      i--;
    }
    this.index[i] = point;
    this.distance[i] = distance;
  }

  indices(): Uint32Array {
    return this.index.slice(0, this.size);
  }
}
