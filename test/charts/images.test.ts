// The contact sheet for image tables, on Fashion-MNIST test images read
// straight from Debian's IDX files, so that the pixels drawn can be
// compared with the file's own (every-kind.test.ts draws the sheets of
// load images and augment).

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import sharp from 'sharp';
import {
  contactSheetChart, thumbnailUrl,
} from '../../src/charts/images.js';
import { buildChart, defineChart } from '../../src/charts/registry.js';
import { renderPng } from '../../src/runtime/render/png.js';
import { renderSvgWithWarnings } from '../../src/runtime/render/svg.js';
import { marks, readPng } from './marks.js';
import { schemaErrors } from './schema.js';

const folder = '/usr/share/datasets/fashion-mnist';
const classes = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
  'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

function fashion(count: number) {
  const images = gunzipSync(readFileSync(
    `${folder}/t10k-images-idx3-ubyte.gz`));
  const labels = gunzipSync(readFileSync(
    `${folder}/t10k-labels-idx1-ubyte.gz`));
  // IDX: a 16-byte header for images, 8 for labels, then the bytes.
  return Array.from({ length: count }, (_, i) => ({
    pixels: images.subarray(16 + i * 784, 16 + (i + 1) * 784),
    label: classes[labels[8 + i]!]!,
  }));
}

const skip = existsSync(folder) ? false
  : 'dataset-fashion-mnist is not installed';

test('a thumbnail is a PNG with the image\'s own pixels', { skip },
  async () => {
    const [first] = fashion(1);
    const url = thumbnailUrl(first!.pixels, 28, 28);
    const png = Buffer.from(url.replace(/^data:image\/png;base64,/, ''),
      'base64');
    const metadata = await sharp(png).metadata();
    assert.equal(metadata.width, 28);
    assert.equal(metadata.channels, 1, 'stored as grey');
    const data = await sharp(png).extractChannel(0).raw().toBuffer();
    assert.deepEqual([...data], [...first!.pixels]);
    assert.throws(() => thumbnailUrl(first!.pixels, 27, 28),
      /expected 756 pixel values, found 784/);
  });

test('a contact sheet shows each image with its label', { skip },
  async () => {
    const images = fashion(20);
    const thumbnails = images.map((image) => ({
      label: image.label, width: 28, height: 28,
      url: thumbnailUrl(image.pixels, 28, 28),
    }));
    // What an image statement would do to give its results a chart.
    defineChart('images', contactSheetChart);
    const spec = buildChart({ kind: 'images', table: 'clothes',
      thumbnails })!;
    assert.deepEqual(schemaErrors(JSON.parse(JSON.stringify(spec))), []);

    const { svg, warnings } = await renderSvgWithWarnings(spec);
    assert.deepEqual(warnings, []);
    const drawn = marks(svg, 'image');
    assert.equal(drawn.length, 20);
    assert.deepEqual(marks(svg, 'image_label').map((m) => m.text),
      images.map((image) => image.label));

    // The first test image is an ankle boot: its thumbnail is not blank.
    const png = await readPng(renderPng(svg));
    assert.ok(png.pixels('#000000') > 20 * 28 * 28,
      'the images\' black backgrounds are drawn');
  });
