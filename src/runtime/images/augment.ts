// Image augmentation: each operation changes one image's pixels.
//
// An image is worked on as float values on the 0-255 scale, row by row
// with channels interleaved, and rounded back to bytes at the end, so a
// pipeline of operations loses precision once, not at every step. Places
// outside the image (after a rotation or a shift) become 0, black.
//
//   flip horizontal|vertical   mirror left-right or top-bottom
//   rotate DEG                 counter-clockwise about the centre,
//                              bilinear; multiples of 90 move pixels
//                              exactly
//   crop SIZE                  a random SIZE x SIZE window, scaled back to
//                              the image's size
//   pad N                      pad N pixels of 0 on each side, then take a
//                              random window of the image's size (a random
//                              shift of up to N pixels, as in CIFAR
//                              training)
//   translate PX               shift by whole pixels, each direction drawn
//                              from -PX..PX (or from the range given)
//   noise SIGMA                add Gaussian noise; SIGMA on the 0-1 scale
//   brightness F               multiply every value by F
//   contrast F                 scale the distance from the image's mean
//   cutout SIZE                a SIZE x SIZE square of 0 at a random place
//                              (it may reach past the border)
//
// A number means that amount; a range `low..high` draws one per image.
// Each operation applies with its probability (1 unless `p` says). All
// random draws come from the session's generator, in a fixed order, so a
// seeded pipeline gives the same pixels every run.

import { fail } from '../../lang/diagnostics.js';
import type { Span } from '../../lang/span.js';
import {
  imageProblems, type AugmentOp, type AugmentOperation,
} from '../../lang/statements/images.js';
import type { Random } from '../random.js';
import {
  describeShape, PixelStore, type ImageRef, type ImageShape,
} from './store.js';

export interface ImageOperation {
  op: Exclude<AugmentOp, 'jitter'>;
  axis?: 'horizontal' | 'vertical';
  low: number;
  high: number;
  range: boolean;
  probability: number;
}

/**
 * Apply the operations in order to one image's bytes, writing the result
 * into `out` (which may not be `source`).
 */
export function augmentImage(
  source: Uint8Array,
  out: Uint8Array,
  shape: ImageShape,
  operations: readonly ImageOperation[],
  random: Random,
  work: Float32Array = new Float32Array(source.length),
  spare: Float32Array = new Float32Array(source.length),
): void {
  let image = work;
  let other = spare;
  for (let i = 0; i < source.length; i++) image[i] = source[i]!;

  for (const operation of operations) {
    if (operation.probability < 1 && random.float() >= operation.probability) {
      continue;
    }
    // Operations that move pixels write into the other buffer.
    if (apply(operation, image, other, shape, random)) {
      const swap = image;
      image = other;
      other = swap;
    }
  }

  for (let i = 0; i < out.length; i++) {
    const value = Math.round(image[i]!);
    out[i] = value < 0 ? 0 : value > 255 ? 255 : value;
  }
}

/** Draw an operation's amount: the number, or uniformly from the range. */
function amount(operation: ImageOperation, random: Random): number {
  if (!operation.range) return operation.low;
  return operation.low + (operation.high - operation.low) * random.float();
}

/** One operation; returns true when it wrote into `to`. */
function apply(
  operation: ImageOperation,
  from: Float32Array,
  to: Float32Array,
  shape: ImageShape,
  random: Random,
): boolean {
  switch (operation.op) {
    case 'flip':
      if (operation.axis === 'vertical') flipVertical(from, to, shape);
      else flipHorizontal(from, to, shape);
      return true;
    case 'rotate':
      rotate(from, to, shape, amount(operation, random));
      return true;
    case 'crop':
      cropAndScale(from, to, shape, operation.low, random);
      return true;
    case 'pad': {
      const n = operation.low;
      shift(from, to, shape, random.int(-n, n), random.int(-n, n));
      return true;
    }
    case 'translate': {
      const [low, high] = operation.range
        ? [Math.ceil(operation.low), Math.floor(operation.high)]
        : [-Math.abs(operation.low), Math.abs(operation.low)];
      const dx = random.int(low, high);
      const dy = random.int(low, high);
      shift(from, to, shape, dx, dy);
      return true;
    }
    case 'noise': {
      const sigma = amount(operation, random) * 255;
      for (let i = 0; i < from.length; i++) {
        from[i] = from[i]! + sigma * random.normal();
      }
      return false;
    }
    case 'brightness': {
      const factor = amount(operation, random);
      for (let i = 0; i < from.length; i++) from[i] = from[i]! * factor;
      return false;
    }
    case 'contrast': {
      const factor = amount(operation, random);
      let mean = 0;
      for (let i = 0; i < from.length; i++) mean += from[i]!;
      mean /= from.length;
      for (let i = 0; i < from.length; i++) {
        from[i] = mean + (from[i]! - mean) * factor;
      }
      return false;
    }
    case 'cutout':
      cutout(from, shape, operation.low, random);
      return false;
  }
}

export function flipHorizontal(
  from: ArrayLike<number>,
  to: { [i: number]: number },
  { width, height, channels }: ImageShape,
): void {
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const a = (y * width + x) * channels;
      const b = (y * width + (width - 1 - x)) * channels;
      for (let c = 0; c < channels; c++) to[b + c] = from[a + c]!;
    }
  }
}

export function flipVertical(
  from: ArrayLike<number>,
  to: { [i: number]: number },
  { width, height, channels }: ImageShape,
): void {
  const row = width * channels;
  for (let y = 0; y < height; y++) {
    const a = y * row;
    const b = (height - 1 - y) * row;
    for (let i = 0; i < row; i++) to[b + i] = from[a + i]!;
  }
}

/**
 * Rotate counter-clockwise (as seen on screen) by `degrees` about the
 * image's centre. Each output pixel looks up where it came from:
 *
 *   source = centre + R(-angle) (pixel - centre), y pointing down
 *
 * Whole quarter turns of a square image move pixels exactly.
 */
export function rotate(
  from: Float32Array,
  to: Float32Array,
  shape: ImageShape,
  degrees: number,
): void {
  const { width, height, channels } = shape;
  const turns = ((Math.round(degrees / 90) % 4) + 4) % 4;
  const exact = Math.abs(degrees - Math.round(degrees / 90) * 90) < 1e-9 &&
    (width === height || turns % 2 === 0);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;

  if (exact) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const [sx, sy] = turns === 0 ? [x, y]
          : turns === 1 ? [width - 1 - y, x]
            : turns === 2 ? [width - 1 - x, height - 1 - y]
              : [y, height - 1 - x];
        const a = (sy * width + sx) * channels;
        const b = (y * width + x) * channels;
        for (let c = 0; c < channels; c++) to[b + c] = from[a + c]!;
      }
    }
    return;
  }

  const angle = degrees * Math.PI / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = x - cx;
      const dy = y - cy;
      sample(from, to, shape, cx + dx * cos - dy * sin,
        cy + dx * sin + dy * cos, (y * width + x) * channels);
    }
  }
}

/** Bilinear value at a fractional place; 0 outside the image. */
function sample(
  from: Float32Array,
  to: Float32Array,
  { width, height, channels }: ImageShape,
  sx: number,
  sy: number,
  at: number,
): void {
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  const fx = sx - x0;
  const fy = sy - y0;
  for (let c = 0; c < channels; c++) {
    const value = (x: number, y: number) =>
      x < 0 || y < 0 || x >= width || y >= height ? 0
        : from[(y * width + x) * channels + c]!;
    to[at + c] =
      value(x0, y0) * (1 - fx) * (1 - fy) +
      value(x0 + 1, y0) * fx * (1 - fy) +
      value(x0, y0 + 1) * (1 - fx) * fy +
      value(x0 + 1, y0 + 1) * fx * fy;
  }
}

/** A random size x size window, scaled back to the whole image. */
function cropAndScale(
  from: Float32Array,
  to: Float32Array,
  shape: ImageShape,
  size: number,
  random: Random,
): void {
  const { width, height, channels } = shape;
  const left = random.int(0, width - size);
  const top = random.int(0, height - size);
  const scaleX = size / width;
  const scaleY = size / height;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Pixel centres map to pixel centres, and stay inside the window.
      const sx = Math.min(size - 1, Math.max(0, (x + 0.5) * scaleX - 0.5));
      const sy = Math.min(size - 1, Math.max(0, (y + 0.5) * scaleY - 0.5));
      sample(from, to, shape, left + sx, top + sy,
        (y * width + x) * channels);
    }
  }
}

/** Move the image right by dx and down by dy pixels. */
function shift(
  from: Float32Array,
  to: Float32Array,
  { width, height, channels }: ImageShape,
  dx: number,
  dy: number,
): void {
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = x - dx;
      const sy = y - dy;
      const b = (y * width + x) * channels;
      const inside = sx >= 0 && sy >= 0 && sx < width && sy < height;
      const a = (sy * width + sx) * channels;
      for (let c = 0; c < channels; c++) to[b + c] = inside ? from[a + c]! : 0;
    }
  }
}

/** Zero a size x size square centred on a random pixel. */
function cutout(
  image: Float32Array,
  { width, height, channels }: ImageShape,
  size: number,
  random: Random,
): void {
  const cx = random.int(0, width - 1);
  const cy = random.int(0, height - 1);
  const x0 = Math.max(0, cx - Math.floor(size / 2));
  const y0 = Math.max(0, cy - Math.floor(size / 2));
  const x1 = Math.min(width, cx - Math.floor(size / 2) + size);
  const y1 = Math.min(height, cy - Math.floor(size / 2) + size);
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const at = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) image[at + c] = 0;
    }
  }
}

/** An augment operation as written, as the pixel code takes it. */
function imageOperation(operation: AugmentOperation): ImageOperation {
  return {
    op: operation.op as ImageOperation['op'],
    ...(operation.axis ? { axis: operation.axis } : {}),
    low: operation.amount?.low ?? 0,
    high: operation.amount?.high ?? 0,
    range: operation.amount?.range ?? false,
    probability: operation.probability?.value ?? 1,
  };
}

/**
 * New images for the given source rows, in one new pixel store: each the
 * source image with the operations applied.
 */
export function augmentRows(
  refs: readonly ImageRef[],
  sources: readonly number[],
  operations: readonly AugmentOperation[],
  random: Random,
  tableName: string,
  span: Span,
): ImageRef[] {
  if (sources.length === 0) return [];
  const first = refs[sources[0]!]!;
  const shape = { width: first.width, height: first.height,
    channels: first.channels };
  for (const row of sources) {
    const ref = refs[row]!;
    if (ref.width !== shape.width || ref.height !== shape.height ||
        ref.channels !== shape.channels) {
      fail(imageProblems.mixedShapes(tableName, describeShape(shape),
        describeShape(ref), row + 1), span);
    }
  }
  const smaller = Math.min(shape.width, shape.height);
  for (const operation of operations) {
    if ((operation.op === 'crop' || operation.op === 'cutout') &&
        operation.amount!.low > smaller) {
      fail(imageProblems.tooLarge(operation.op, operation.amount!.low,
        describeShape(shape)), operation.amount!.span);
    }
  }

  const steps = operations.map(imageOperation);
  const size = shape.width * shape.height * shape.channels;
  const pixels = new Uint8Array(sources.length * size);
  const work = new Float32Array(size);
  const spare = new Float32Array(size);
  sources.forEach((row, k) => {
    augmentImage(refs[row]!.pixels(), pixels.subarray(k * size,
      (k + 1) * size), shape, steps, random, work, spare);
  });
  return new PixelStore(pixels, sources.length, shape.width, shape.height,
    shape.channels).refs();
}
