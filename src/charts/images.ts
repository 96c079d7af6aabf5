// Image tables: a contact sheet, a grid of small images with their
// labels, so that a reader sees what the rows hold: a few images of
// each class, in the table's order.
//
// A Result is plain data and holds no tensors, so an image statement puts
// its thumbnails on the result (`thumbnails`, from thumbnailUrl below) and
// registers contactSheetChart for its kind: src/runtime/verbs/images.ts
// does so for load images, augment and show.

import { deflateSync } from 'node:zlib';
import type { TopLevelSpec } from 'vega-lite';
import type { Result } from '../runtime/result.js';

export interface Thumbnail {
  /** The image's label (its class), shown under it. */
  label: string;
  /** A data: URL of a PNG, as thumbnailUrl makes. */
  url: string;
  width: number;
  height: number;
}

// 1. Pixels to a PNG data URL, synchronously (builders are synchronous)

const crcTable = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * An 8-bit grey (1 channel) or RGB (3 channels) image, row by row, as a
 * PNG data URL.
 */
export function thumbnailUrl(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: 1 | 3 = 1,
): string {
  if (pixels.length !== width * height * channels) {
    throw new Error(`expected ${width * height * channels} pixel values, ` +
      `found ${pixels.length}`);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = channels === 1 ? 0 : 2;
  // Each row starts with filter type 0 (none).
  const stride = width * channels;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw.set(pixels.subarray(y * stride, (y + 1) * stride),
      y * (stride + 1) + 1);
  }
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
  return `data:image/png;base64,${png.toString('base64')}`;
}

// 2. The sheet

/** Images per row of the sheet. */
const perRow = 10;

export function contactSheetChart(result: Result): TopLevelSpec | undefined {
  const thumbnails = result['thumbnails'];
  if (!Array.isArray(thumbnails) || thumbnails.length === 0) return undefined;
  const images = thumbnails as Thumbnail[];
  const size = Math.max(...images.map((t) => Math.max(t.width, t.height)));
  const scale = size < 48 ? 2 : 1;
  const cell = size * scale + 8;
  const label = 14;

  const values = images.map((image, i) => ({
    ...image,
    column: i % perRow,
    row: Math.floor(i / perRow),
  }));
  const rows = Math.ceil(images.length / perRow);
  const columns = Math.min(perRow, images.length);
  const x = { field: 'column', type: 'quantitative', axis: null,
    scale: { domain: [-0.5, columns - 0.5] } } as const;
  const table = typeof result.table === 'string' ? ` from ${result.table}`
    : '';

  return {
    title: { text: `${images.length} images${table}`,
      subtitle: ['Labels under each image'] },
    data: { values },
    width: columns * cell,
    height: rows * (cell + label),
    layer: [
      {
        name: 'image',
        mark: { type: 'image', width: size * scale, height: size * scale,
          aspect: true },
        encoding: {
          x,
          y: { field: 'row', type: 'quantitative', axis: null,
            scale: { domain: [-0.4, rows - 0.4], reverse: true } },
          url: { field: 'url', type: 'nominal' },
          tooltip: [{ field: 'label', title: 'label' }],
        },
      },
      {
        name: 'image_label',
        mark: { type: 'text', fontSize: 10, baseline: 'top',
          dy: size * scale / 2 + 2 },
        encoding: {
          x,
          y: { field: 'row', type: 'quantitative',
            scale: { domain: [-0.4, rows - 0.4], reverse: true } },
          text: { field: 'label' },
        },
      },
    ],
    config: { view: { stroke: null } },
    // The spec is checked against Vega-Lite's schema in the tests; its
    // TypeScript types reject the frameless view (stroke: null).
  } as unknown as TopLevelSpec;
}
