// IDX files, the format of MNIST and Fashion-MNIST, plain or gzipped:
//
//   bytes 0-1   zero
//   byte  2     the value type: 0x08 unsigned byte, 0x09 signed byte,
//               0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64
//   byte  3     the number of dimensions
//   then        one big-endian uint32 per dimension
//   then        the values, big-endian, last dimension fastest
//
// Images are a 3-dimensional file (count x rows x columns) of unsigned
// bytes, or 4-dimensional with a last dimension of 1 or 3 channels;
// labels are 1-dimensional.

import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fail, problems } from '../../lang/diagnostics.js';
import { imageProblems } from '../../lang/statements/images.js';
import { PixelStore } from './store.js';

interface IdxType {
  code: number;
  name: string;
  bytes: number;
  read: (view: DataView, offset: number) => number;
}

const types: IdxType[] = [
  { code: 0x08, name: 'unsigned bytes', bytes: 1,
    read: (v, o) => v.getUint8(o) },
  { code: 0x09, name: 'signed bytes', bytes: 1,
    read: (v, o) => v.getInt8(o) },
  { code: 0x0b, name: '16-bit integers', bytes: 2,
    read: (v, o) => v.getInt16(o) },
  { code: 0x0c, name: '32-bit integers', bytes: 4,
    read: (v, o) => v.getInt32(o) },
  { code: 0x0d, name: '32-bit floats', bytes: 4,
    read: (v, o) => v.getFloat32(o) },
  { code: 0x0e, name: '64-bit floats', bytes: 8,
    read: (v, o) => v.getFloat64(o) },
];

export interface IdxFile {
  type: IdxType;
  dims: number[];
  /** The values, after the header. */
  body: Uint8Array;
}

function bad(display: string, detail: string): never {
  return fail(imageProblems.badIdx(display, detail), undefined,
    { file: display });
}

/** The bytes of an IDX file, gunzipped when they start as gzip does. */
function readRaw(path: string, display: string): Uint8Array {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    const error = cause as NodeJS.ErrnoException;
    return fail(problems.readFailed(display, error.code === 'EISDIR'
      ? 'it is a folder, not a file' : error.message), undefined,
    { file: display });
  }
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (cause) {
    return bad(display, `it starts as gzip but does not decompress ` +
      `(${(cause as Error).message}); the file may be cut short`);
  }
}

export function readIdx(path: string, display: string): IdxFile {
  const bytes = readRaw(path, display);
  if (bytes.length < 4) {
    bad(display, `it has ${bytes.length} bytes, fewer than a header needs`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    bad(display, 'it does not start with two zero bytes');
  }
  const type = types.find((t) => t.code === bytes[2]);
  if (!type) {
    bad(display, `value type 0x${bytes[2]!.toString(16)} is not one of ` +
      'the IDX types');
  }
  const rank = bytes[3]!;
  if (rank < 1 || rank > 4) {
    bad(display, `it claims ${rank} dimensions; images have 3 or 4 and ` +
      'labels 1');
  }
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) {
    bad(display, 'the header is cut short');
  }

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i));
  const expected = dims.reduce((a, b) => a * b, 1) * type.bytes;
  const found = bytes.length - headerLength;
  if (found !== expected) {
    bad(display, `its header promises ${dims.join(' × ')} values ` +
      `(${expected} bytes) but ${found} bytes follow` +
      (found < expected ? '; the file is truncated' : ''));
  }
  return { type, dims, body: bytes.subarray(headerLength) };
}

/** An IDX file of images as a pixel store. */
export function readIdxImages(path: string, display: string): PixelStore {
  const file = readIdx(path, display);
  const { dims } = file;
  if (file.type.code !== 0x08) {
    bad(display, `it holds ${file.type.name}; image files hold unsigned ` +
      'bytes (0-255)');
  }
  if (dims.length !== 3 && !(dims.length === 4 &&
      (dims[3] === 1 || dims[3] === 3))) {
    bad(display, `it has ${dims.length} dimensions (${dims.join(' × ')}); ` +
      'images have 3 (count × rows × columns) or 4 with 1 or 3 channels' +
      (dims.length === 1 ? ' — is this a labels file?' : ''));
  }
  const [count, height, width] = dims as [number, number, number];
  const channels = dims[3] ?? 1;
  // A copy, so that the gunzipped buffer can be freed.
  return new PixelStore(Uint8Array.from(file.body), count, width, height,
    channels);
}

/** An IDX file of labels, one number per image. */
export function readIdxLabels(path: string, display: string): Float64Array {
  const file = readIdx(path, display);
  if (file.dims.length !== 1) {
    bad(display, `it has ${file.dims.length} dimensions ` +
      `(${file.dims.join(' × ')}); a labels file has 1` +
      (file.dims.length >= 3 ? ' — is this an images file?' : ''));
  }
  const labels = new Float64Array(file.dims[0]!);
  const view = new DataView(file.body.buffer, file.body.byteOffset,
    file.body.length);
  for (let i = 0; i < labels.length; i++) {
    labels[i] = file.type.read(view, i * file.type.bytes);
  }
  return labels;
}

/** An IDX file not named like one: its first bytes say so. */
export function isIdxFile(path: string): boolean {
  try {
    const bytes = readStart(path);
    return (bytes[0] === 0 && bytes[1] === 0 && bytes[3]! >= 1 &&
      bytes[3]! <= 4) || (bytes[0] === 0x1f && bytes[1] === 0x8b);
  } catch {
    return false;
  }
}

function readStart(path: string): Uint8Array {
  const buffer = Buffer.alloc(4);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buffer, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  return buffer;
}
