// Where an image table keeps its pixels.
//
// An image data set is a table like any other: one row per image, with
// its id, label and metadata columns. Its `image` column holds one small
// reference per row (a store and an index into it); the pixels themselves
// sit in one Uint8Array per data set, image after image, each image row
// by row with its channels interleaved (height x width x channels):
//
//   PixelStore  pixels: Uint8Array   [image 0 | image 1 | ...]
//   ImageRef    { store, index }     one per table row
//
// So `where`, `sample`, `split` or `join` copy references, never pixels,
// and a table of 60,000 Fashion-MNIST images holds 47 MB of bytes, not
// 47 million JavaScript numbers. Augmented images go into a new store of
// their own; a table may mix references into several stores.

import {
  columnNames, columnOf, rowCount, type Column, type Table,
} from '../table.js';

/** The name of the column that holds the images. */
export const imageColumn = 'image';

export interface ImageShape {
  width: number;
  height: number;
  /** 1 for grey levels, 3 for red, green, blue. */
  channels: number;
}

export class PixelStore implements ImageShape {
  /** Bytes per image. */
  readonly size: number;

  constructor(
    readonly pixels: Uint8Array,
    readonly count: number,
    readonly width: number,
    readonly height: number,
    readonly channels: number,
  ) {
    this.size = width * height * channels;
    if (pixels.length !== count * this.size) {
      throw new Error(`a store of ${count} images of ${width}x${height}x` +
        `${channels} needs ${count * this.size} bytes, not ${pixels.length}`);
    }
  }

  /** The pixels of one image, without copying. */
  image(index: number): Uint8Array {
    return this.pixels.subarray(index * this.size, (index + 1) * this.size);
  }

  /** References to every image, in order. */
  refs(): ImageRef[] {
    const refs = new Array<ImageRef>(this.count);
    for (let i = 0; i < this.count; i++) refs[i] = new ImageRef(this, i);
    return refs;
  }
}

/** One table cell of an image column: an image in a store. */
export class ImageRef {
  constructor(readonly store: PixelStore, readonly index: number) {}

  get width(): number {
    return this.store.width;
  }

  get height(): number {
    return this.store.height;
  }

  get channels(): number {
    return this.store.channels;
  }

  pixels(): Uint8Array {
    return this.store.image(this.index);
  }

  /** How a table cell shows it, in text and in JSON output. */
  toString(): string {
    return `${this.width}×${this.height}` +
      (this.channels === 3 ? ' colour' : ' grey');
  }

  toJSON(): string {
    return this.toString();
  }
}

export function describeShape(shape: ImageShape): string {
  return `${shape.width}×${shape.height} ` +
    (shape.channels === 3 ? 'colour' : 'grey');
}

/** The image column of a table, when it has one holding images. */
export function imageRefs(table: Table): ImageRef[] | undefined {
  if (!columnNames(table).includes(imageColumn)) return undefined;
  const column = columnOf(table, imageColumn) as Column;
  if (column instanceof Float64Array) return undefined;
  const refs = column as unknown[];
  const rows = rowCount(table);
  for (let row = 0; row < rows; row++) {
    if (!(refs[row] instanceof ImageRef)) {
      // An empty image table is still an image table; a column of other
      // values (a column that happens to be called "image") is not.
      return undefined;
    }
  }
  return refs as ImageRef[];
}

/** True when a table has an image column. */
export function isImageTable(table: Table): boolean {
  return imageRefs(table) !== undefined;
}

/**
 * The one shape all images share, or a description of the first two
 * that differ.
 */
export function commonShape(
  refs: readonly ImageRef[],
): { shape: ImageShape } | { first: ImageRef; other: ImageRef; row: number } {
  const first = refs[0];
  if (!first) return { shape: { width: 0, height: 0, channels: 1 } };
  for (let row = 1; row < refs.length; row++) {
    const ref = refs[row]!;
    if (ref.store === first.store) continue;
    if (ref.width !== first.width || ref.height !== first.height ||
        ref.channels !== first.channels) {
      return { first, other: ref, row };
    }
  }
  return { shape: { width: first.width, height: first.height,
    channels: first.channels } };
}
