// A folder of PNG or JPEG images as an image data set.
//
// Labels come from one of two places:
//
//   photos/cat/001.png, photos/dog/002.jpg    sub-folder names: label
//   labels "photos/labels.csv"                a CSV naming each image in
//                                             a column file (or path,
//                                             filename, image), with any
//                                             other columns: label, groups
//
// Images are decoded with sharp (libvips), in the order of their paths,
// into one pixel store. All must have the same size; they are kept grey
// (one channel) when every one of them is grey, else as RGB.

import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type Sharp from 'sharp';
import { fail } from '../../lang/diagnostics.js';
import { imageProblems } from '../../lang/statements/images.js';
import { readTable } from '../io/files.js';
import type { ProgressHandle } from '../session.js';
import {
  columnNames, columnOf, rowCount, valueAt, type Column, type Table,
} from '../table.js';
import { PixelStore, describeShape } from './store.js';

const imageExtensions = /\.(png|jpe?g)$/i;

/** Column names a labels file may use for the image file names. */
export const fileColumnNames = ['file', 'path', 'filename', 'image'];

/** Images decoded at once; sharp works on its own threads. */
const parallel = 8;

export interface FolderImages {
  store: PixelStore;
  /** The table's columns besides the image column, in order. */
  columns: [string, Column][];
  notes: string[];
}

interface Listing {
  images: string[];
  others: number;
}

/** Image files under a folder, as sorted paths relative to it. */
function listImages(folder: string, display: string): Listing {
  const images: string[] = [];
  let others = 0;
  const walk = (path: string) => {
    let entries;
    try {
      entries = readdirSync(path, { withFileTypes: true });
    } catch (cause) {
      fail({ code: 'read-failed', message: `cannot read folder ` +
        `${display}: ${(cause as Error).message}` }, undefined,
      { file: display });
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (imageExtensions.test(entry.name)) {
        images.push(relative(folder, full).split(sep).join('/'));
      } else {
        others++;
      }
    }
  };
  walk(folder);
  images.sort();
  return { images, others };
}

export interface LabelsFile {
  path: string;
  display: string;
}

export async function readImageFolder(
  folder: string,
  display: string,
  labels: LabelsFile | undefined,
  progress?: ProgressHandle,
): Promise<FolderImages> {
  // 1. Which files, in which order, with which columns.
  const listing = listImages(folder, display);
  if (listing.images.length === 0) {
    fail(imageProblems.noImages(display, listing.others), undefined,
      { file: display });
  }
  const plan = labels
    ? fromLabelsFile(listing, display, labels)
    : fromSubfolders(listing);

  // 2. One size and one colour depth for all. sharp is loaded only now,
  // so that sessions that never read a folder start without it.
  const sharp = (await import('sharp')).default as typeof Sharp;
  const files = plan.files;
  const shapes = await inBatches(files, async (file) => {
    try {
      const meta = await sharp(join(folder, file)).metadata();
      const colours = (meta.channels ?? 1) - (meta.hasAlpha ? 1 : 0);
      return { width: meta.width ?? 0, height: meta.height ?? 0,
        colour: colours >= 3 };
    } catch (cause) {
      return fail(imageProblems.badImage(`${display}/${file}`,
        (cause as Error).message), undefined, { file: `${display}/${file}` });
    }
  });
  const first = shapes[0]!;
  const channels = shapes.some((s) => s.colour) ? 3 : 1;
  shapes.forEach((shape, i) => {
    if (shape.width !== first.width || shape.height !== first.height) {
      fail(imageProblems.wrongSize(`${display}/${files[i]}`,
        `${shape.width}×${shape.height}`, `${first.width}×${first.height}`,
        files[0]!), undefined, { file: `${display}/${files[i]}` });
    }
  });

  // 3. Pixels, each image into its place in the store.
  const size = first.width * first.height * channels;
  const pixels = new Uint8Array(files.length * size);
  let done = 0;
  await inBatches(files, async (file, i) => {
    try {
      const decoded = await sharp(join(folder, file)).removeAlpha()
        .toColourspace(channels === 1 ? 'b-w' : 'srgb').raw()
        .toBuffer({ resolveWithObject: true });
      pixels.set(decoded.data.subarray(0, size), i * size);
    } catch (cause) {
      fail(imageProblems.badImage(`${display}/${file}`,
        (cause as Error).message), undefined, { file: `${display}/${file}` });
    }
    done++;
    if (done % 256 === 0) progress?.update(done / files.length);
  });

  const store = new PixelStore(pixels, files.length, first.width,
    first.height, channels);
  const notes = [...plan.notes];
  if (channels === 3 && shapes.some((s) => !s.colour)) {
    notes.push(`grey images are kept as RGB, like the colour ones ` +
      `(${describeShape(store)})`);
  }
  return { store, columns: plan.columns, notes };
}

/** Run `work` on every item, a few at a time, keeping the order. */
async function inBatches<T, R>(
  items: readonly T[],
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  for (let start = 0; start < items.length; start += parallel) {
    const batch = items.slice(start, start + parallel);
    const done = await Promise.all(batch.map((item, i) =>
      work(item, start + i)));
    done.forEach((result, i) => { results[start + i] = result; });
  }
  return results;
}

interface Plan {
  files: string[];
  columns: [string, Column][];
  notes: string[];
}

/** Labels from the first folder of each path: cat/001.png is a cat. */
function fromSubfolders(listing: Listing): Plan {
  const files = listing.images;
  const folders = files.map((file) =>
    file.includes('/') ? file.slice(0, file.indexOf('/')) : null);
  const columns: [string, Column][] = [['id', files.slice()]];
  const notes: string[] = [];
  const labelled = folders.filter((f) => f !== null).length;

  if (labelled > 0) {
    // Folders named 0, 1, 2 ... are numbers, as MNIST's classes are.
    const numeric = folders.every((f) => f === null ||
      /^-?\d+(\.\d+)?$/.test(f));
    columns.push(['label', numeric
      ? Float64Array.from(folders, (f) => (f === null ? NaN : Number(f)))
      : folders]);
    if (labelled < files.length) {
      notes.push(`${files.length - labelled} images sit outside any ` +
        'sub-folder: their label is missing');
    }
  }
  return { files, columns, notes };
}

/** Labels and group columns from a CSV naming each file. */
function fromLabelsFile(
  listing: Listing,
  folderDisplay: string,
  labels: LabelsFile,
): Plan {
  const table: Table = readTable(labels.path, labels.display, 'csv').table;
  const names = columnNames(table);
  const fileColumn = fileColumnNames.find((name) => names.includes(name));
  if (!fileColumn) {
    fail(imageProblems.noFileColumn(labels.display, names), undefined,
      { file: labels.display });
  }

  // 1. Every named file must be in the folder, once.
  const present = new Set(listing.images);
  const column = columnOf(table, fileColumn);
  const files: string[] = [];
  const seen = new Map<string, number>();
  const missing: { row: number; file: string }[] = [];
  for (let row = 0; row < rowCount(table); row++) {
    const value = valueAt(column, row);
    const file = String(value ?? '').replace(/\\/g, '/').replace(/^\.\//, '');
    if (!present.has(file)) missing.push({ row: row + 1, file });
    if (seen.has(file)) {
      fail(imageProblems.duplicateFile(labels.display, file, row + 1),
        undefined, { file: labels.display, row: row + 1,
          column: fileColumn });
    }
    seen.set(file, row);
    files.push(file);
  }
  if (missing.length) {
    fail(imageProblems.missingFiles(labels.display, missing, folderDisplay),
      undefined, { file: labels.display, row: missing[0]!.row,
        column: fileColumn });
  }

  // 2. The file names are the ids, unless the CSV has ids of its own.
  const rest = names.filter((name) => name !== fileColumn);
  const columns: [string, Column][] = rest.includes('id')
    ? [['file', files]]
    : [['id', files]];
  for (const name of rest) columns.push([name, columnOf(table, name)]);

  const notes: string[] = [];
  const unlisted = listing.images.length - files.length;
  if (unlisted > 0) {
    notes.push(`${unlisted} image${unlisted === 1 ? '' : 's'} in the ` +
      `folder ${unlisted === 1 ? 'is' : 'are'} not in ${labels.display} ` +
      'and left out');
  }
  return { files, columns, notes };
}
