// Image data sets as tables: loading (IDX and folders), the pixel store
// surviving table verbs, augment, show, and bad input.
//
// Expected figures come from the data set's own documentation (Zalando's
// Fashion-MNIST README, repeated in ../shared/data/README.md: 60,000 and
// 10,000 images, 6,000 and 1,000 per class) or are computed in the test
// from the pixels themselves.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { imageRefs } from '../../src/runtime/images/store.js';
import { renderText } from '../../src/runtime/render/text.js';
import { configureOutput } from '../../src/runtime/verbs/output.js';
import { Session } from '../../src/runtime/session.js';
import { columnOf, rowCount, rowObjects } from '../../src/runtime/table.js';
import { run, runFailing, scratch, tabular } from '../helpers/index.js';

const fashion = '/usr/share/datasets/fashion-mnist';
const trainImages = `${fashion}/train-images-idx3-ubyte.gz`;
const testImages = `${fashion}/t10k-images-idx3-ubyte.gz`;

/** One session with Fashion-MNIST loaded, shared by the tests below. */
const loaded = (async () => {
  const session = new Session({ cwd: scratch() });
  const report = await session.run(`seed 7
load images "${trainImages}" as train
load images "${testImages}" as test`);
  assert.equal(report.failed, false, JSON.stringify(report.diagnostics));
  return { session, results: report.outcomes.map((o) => o.result) };
})();

async function more(source: string) {
  const { session } = await loaded;
  const report = await session.run(source);
  assert.equal(report.failed, false, JSON.stringify(report.diagnostics));
  return report.outcomes.map((o) => o.result);
}

function pixelsOf(session: Session, table: string, row: number) {
  return Array.from(imageRefs(session.table(table))![row]!.pixels());
}

test('Fashion-MNIST: 60,000 and 10,000 images, 6,000 and 1,000 a class',
  async () => {
    const { session, results } = await loaded;
    const [, train, t10k] = results;
    assert.equal(rowCount(session.table('train')), 60000);
    assert.equal(rowCount(session.table('test')), 10000);
    assert.deepEqual(train!.rows!.map((r) => [r['label'], r['n']]),
      Array.from({ length: 10 }, (_, k) => [k, 6000]));
    assert.deepEqual(t10k!.rows!.map((r) => r['n']),
      new Array(10).fill(1000));
    assert.deepEqual(train!.summary!['columns'], ['id', 'label', 'image']);
    assert.equal(train!.summary!['width'], 28);
    assert.equal(train!.summary!['channels'], 1);
    // One typed array holds every pixel: 60,000 x 784 bytes.
    const refs = imageRefs(session.table('train'))!;
    assert.equal(refs[0]!.store, refs[59999]!.store);
    assert.equal(refs[0]!.store.pixels.length, 60000 * 784);
  });

test('where and sample keep each row with its own image', async () => {
  const { session } = await loaded;
  await more('where label = 9 on train as boots\n' +
    'sample 50 on boots as few');
  const few = session.table('few');
  assert.equal(rowCount(few), 50);
  const ids = columnOf(few, 'id') as Float64Array;
  for (const row of [0, 17, 49]) {
    assert.equal(columnOf(few, 'label')[row], 9);
    assert.deepEqual(pixelsOf(session, 'few', row),
      pixelsOf(session, 'train', ids[row]!));
  }
});

test('audit and split work on an image table like on any table', async () => {
  const { session } = await loaded;
  const [audit, split] = await more('audit train by label\n' +
    'split test 80/20 stratify by label into fit, held');
  assert.equal(audit!.kind, 'audit');
  assert.deepEqual(audit!.rows!.map((r) => r['n']), new Array(10).fill(6000));
  assert.equal(split!.kind, 'split');
  assert.equal(rowCount(session.table('fit')), 8000);
  assert.equal(rowCount(session.table('held')), 2000);
  const held = session.table('held');
  const ids = columnOf(held, 'id') as Float64Array;
  assert.deepEqual(pixelsOf(session, 'held', 5),
    pixelsOf(session, 'test', ids[5]!));
});

test('balance oversamples image rows with their own images', async () => {
  const { session } = await loaded;
  await more('where id < 40 on test as forty\n' +
    'balance forty by label method oversample as even');
  const even = session.table('even');
  const counts = new Map<number, number>();
  for (const label of columnOf(even, 'label') as Float64Array) {
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  assert.equal(new Set(counts.values()).size, 1);
  const ids = columnOf(even, 'id') as Float64Array;
  for (let row = 0; row < rowCount(even); row += 7) {
    assert.deepEqual(pixelsOf(session, 'even', row),
      pixelsOf(session, 'test', ids[row]!));
  }
});

test('join brings metadata to an image table, images intact', async () => {
  const { session } = await loaded;
  writeFileSync(join(session.cwd, 'sites.csv'),
    'id,site\n0,north\n1,south\n3,north\n');
  await more('load "sites.csv" as sites\n' +
    'where id < 4 on train as four\n' +
    'join left sites using id on four as placed');
  const rows = rowObjects(session.table('placed'));
  assert.deepEqual(rows.map((r) => [r['id'], r['site']]),
    [[0, 'north'], [1, 'south'], [2, null], [3, 'north']]);
  for (let row = 0; row < 4; row++) {
    assert.deepEqual(pixelsOf(session, 'placed', row),
      pixelsOf(session, 'train', row));
  }
});

test('flip horizontal mirrors every row of pixels exactly', async () => {
  const { session } = await loaded;
  await more('where id < 5 on train as first\n' +
    'augment first flip horizontal as flipped');
  const flipped = session.table('flipped');
  assert.equal(rowCount(flipped), 10);
  for (let k = 0; k < 5; k++) {
    const source = pixelsOf(session, 'train', k);
    const made = pixelsOf(session, 'flipped', 5 + k);
    for (let y = 0; y < 28; y++) {
      assert.deepEqual(made.slice(y * 28, y * 28 + 28),
        source.slice(y * 28, y * 28 + 28).reverse());
    }
  }
  const rows = rowObjects(flipped);
  assert.deepEqual(rows.map((r) => r['augmented']),
    [false, false, false, false, false, true, true, true, true, true]);
  assert.deepEqual(rows.slice(5).map((r) => r['source']), [0, 1, 2, 3, 4]);
  assert.deepEqual(rows.slice(5).map((r) => r['id']),
    [5, 6, 7, 8, 9]);
  assert.deepEqual(rows.slice(5).map((r) => r['label']),
    rows.slice(0, 5).map((r) => r['label']));
});

test('rotate 90 equals a transpose then a vertical flip', async () => {
  const { session } = await loaded;
  await more('augment first rotate 90 as turned');
  for (let k = 0; k < 5; k++) {
    const source = pixelsOf(session, 'train', k);
    const transposed = new Array<number>(784);
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) transposed[y * 28 + x] = source[x * 28 + y]!;
    }
    const expected = new Array<number>(784);
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        expected[y * 28 + x] = transposed[(27 - y) * 28 + x]!;
      }
    }
    assert.deepEqual(pixelsOf(session, 'turned', 5 + k), expected);
  }
});

test('operations that should change nothing change nothing', async () => {
  const { session } = await loaded;
  await more('augment first crop 28, translate 0, brightness 1, ' +
    'contrast 1, rotate 360, noise 0 as same');
  for (let k = 0; k < 5; k++) {
    assert.deepEqual(pixelsOf(session, 'same', 5 + k),
      pixelsOf(session, 'train', k));
  }
  await more('augment first brightness 0 as dark\n' +
    'augment first cutout 10 as cut');
  assert.ok(pixelsOf(session, 'dark', 5).every((v) => v === 0));

  // Cutout zeroes pixels inside one 10 x 10 square and nowhere else.
  for (let k = 0; k < 5; k++) {
    const source = pixelsOf(session, 'train', k);
    const made = pixelsOf(session, 'cut', 5 + k);
    const changed = made.flatMap((v, i) => (v !== source[i] ? [i] : []));
    assert.ok(changed.every((i) => made[i] === 0));
    const xs = changed.map((i) => i % 28);
    const ys = changed.map((i) => Math.floor(i / 28));
    assert.ok(Math.max(...xs) - Math.min(...xs) < 10);
    assert.ok(Math.max(...ys) - Math.min(...ys) < 10);
  }
});

test('a seeded pipeline gives the same pixels twice, another seed others',
  async () => {
    const script = (seed: number) => `seed ${seed}
load images "${testImages}" as t
where id < 20
augment rotate -20..20 p 0.7, crop 24, pad 3, translate -2..2, ` +
      `noise 0.02..0.08, brightness 0.8..1.2, contrast 0.7..1.3, ` +
      `cutout 6 p 0.5, flip vertical p 0.5 times 3`;
    const pixels = async (seed: number) => {
      const { session } = await run(script(seed), scratch());
      const refs = imageRefs(session.table('t'))!;
      return Buffer.concat(refs.slice(20).map((r) => r.pixels()));
    };
    const first = await pixels(11);
    const again = await pixels(11);
    const other = await pixels(12);
    assert.equal(first.length, 60 * 784);
    assert.ok(first.equals(again));
    assert.ok(!first.equals(other));
  });

test('until balanced by label: every class reaches the largest', async () => {
  const { session } = await loaded;
  const [, , balanced] = await more(
    'where label in (0, 2, 6) and id < 3000 on train as three\n' +
    'where label = 0 or id < 1200 on three as skewed\n' +
    'augment skewed flip horizontal, rotate -10..10 where label in (2, 6) ' +
    'until balanced as even');
  const before = new Map(balanced!.rows!.map((r) =>
    [r['label'], r['before'] as number]));
  const largest = Math.max(...before.values());
  assert.deepEqual(balanced!.rows!.map((r) => r['after']),
    [largest, largest, largest]);
  assert.deepEqual(balanced!.rows!.map((r) => r['added']),
    [0, largest - before.get(2)!, largest - before.get(6)!]);
  const even = session.table('even');
  assert.equal(rowCount(even), 3 * largest);
  // Each new row copies a source of its own class.
  const rows = rowObjects(even);
  const byId = new Map(rows.map((r) => [r['id'], r]));
  for (const row of rows.filter((r) => r['augmented'])) {
    assert.equal(byId.get(row['source'])!['label'], row['label']);
    assert.notEqual(row['label'], 0);
  }
});

test('tabular jitter: new rows keep their group, numbers move a little',
  async () => {
    const { session, results } = await run(`seed 3
load "${tabular('hmda.csv')}" as loans
augment jitter 0.1 pirat, hirat until balanced by afam`, scratch());
    const rows = rowObjects(session.table('loans'));
    const made = rows.filter((r) => r['augmented']);
    assert.deepEqual(results[2]!.rows!.map((r) => r['after']), [2041, 2041]);
    // hmda.csv: 2041 rows with afam "no", 339 with "yes" (its README).
    assert.equal(made.length, 2041 - 339);

    // Without ids, source is the row number of the row copied.
    const sd = (values: number[]) => {
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) /
        values.length);
    };
    const original = rows.filter((r) => !r['augmented']);
    const shifts: number[] = [];
    for (const row of made) {
      const source = original[(row['source'] as number) - 1]!;
      assert.equal(row['afam'], 'yes');
      assert.equal(source['afam'], 'yes');
      assert.equal(row['deny'], source['deny']);
      assert.equal(row['lvr'], source['lvr']);
      shifts.push((row['pirat'] as number) - (source['pirat'] as number));
    }
    // The shifts are normal with sd 0.1 x sd(pirat): within 10 %.
    const expected = 0.1 * sd(original.map((r) => r['pirat'] as number));
    assert.ok(Math.abs(sd(shifts) / expected - 1) < 0.1,
      `sd of shifts ${sd(shifts)}, expected about ${expected}`);
  });

// Folders of images ----------------------------------------------------------

/** A grey image whose pixels encode its class and number. */
function greyPixels(label: number, k: number, width = 6, height = 4) {
  return Buffer.from(Array.from({ length: width * height },
    (_, i) => (label * 60 + k * 7 + i) % 256));
}

async function writeGrey(path: string, pixels: Buffer, width = 6,
  height = 4) {
  await sharp(pixels, { raw: { width, height, channels: 1 } })
    .toColourspace('b-w').png().toFile(path);
}

test('a folder with one sub-folder per class: labels from the names',
  async () => {
    const folder = scratch();
    for (const [label, name] of [[0, 'boot'], [1, 'shirt']] as const) {
      mkdirSync(join(folder, 'photos', name), { recursive: true });
      for (let k = 0; k < 3; k++) {
        await writeGrey(join(folder, 'photos', name, `${k}.png`),
          greyPixels(label, k));
      }
    }
    writeFileSync(join(folder, 'photos', 'notes.txt'), 'not an image');
    const { session, results } = await run('load images "photos"', folder);
    const rows = rowObjects(session.table('photos'));
    assert.deepEqual(rows.map((r) => r['id']), ['boot/0.png', 'boot/1.png',
      'boot/2.png', 'shirt/0.png', 'shirt/1.png', 'shirt/2.png']);
    assert.deepEqual(rows.map((r) => r['label']),
      ['boot', 'boot', 'boot', 'shirt', 'shirt', 'shirt']);
    assert.deepEqual(pixelsOf(session, 'photos', 4),
      Array.from(greyPixels(1, 1)));
    assert.equal(results[0]!.summary!['channels'], 1);
  });

test('a labels CSV gives labels and group columns, in its own order',
  async () => {
    const folder = scratch();
    mkdirSync(join(folder, 'scans'));
    for (let k = 0; k < 4; k++) {
      await writeGrey(join(folder, 'scans', `s${k}.png`), greyPixels(k, k));
    }
    // A colour image makes the whole set RGB.
    await sharp(Buffer.alloc(6 * 4 * 3, 200), { raw: { width: 6, height: 4,
      channels: 3 } }).png().toFile(join(folder, 'scans', 'colour.png'));
    writeFileSync(join(folder, 'labels.csv'), 'file,label,site,age\n' +
      's2.png,1,north,40\ns0.png,0,south,61\ncolour.png,1,north,52\n');
    const { session, results } = await run(
      'load images "scans" labels "labels.csv" as scans', folder);
    const rows = rowObjects(session.table('scans'));
    assert.deepEqual(rows.map((r) => [r['id'], r['label'], r['site'],
      r['age']]), [['s2.png', 1, 'north', 40], ['s0.png', 0, 'south', 61],
      ['colour.png', 1, 'north', 52]]);
    assert.equal(results[0]!.summary!['channels'], 3);
    // Grey stored as RGB repeats each value three times.
    const grey = Array.from(greyPixels(2, 2));
    assert.deepEqual(pixelsOf(session, 'scans', 0),
      grey.flatMap((v) => [v, v, v]));
    assert.match(results[0]!.notes!.join(' '), /2 images .* left out/);
  });

// Bad input ------------------------------------------------------------------

function idxImages(count: number, rows: number, columns: number): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(0x00000803, 0);
  header.writeUInt32BE(count, 4);
  header.writeUInt32BE(rows, 8);
  header.writeUInt32BE(columns, 12);
  return Buffer.concat([header, Buffer.alloc(count * rows * columns, 9)]);
}

test('a truncated IDX file says how many bytes it promised', async () => {
  const folder = scratch();
  writeFileSync(join(folder, 'cut-images-idx3-ubyte'),
    idxImages(10, 28, 28).subarray(0, 5000));
  const [problem] = await runFailing('load images "cut-images-idx3-ubyte"',
    folder);
  assert.equal(problem!.code, 'bad-idx');
  assert.match(problem!.message, new RegExp('10 × 28 × 28 values ' +
    '\\(7840 bytes\\) but 4984 bytes follow; the file is truncated'));
  assert.equal(problem!.span?.line, 1);
});

test('a truncated gzip IDX file is reported as cut short', async () => {
  const folder = scratch();
  const whole = gzipSync(readFileSync(trainImages).length > 0
    ? idxImages(100, 28, 28) : Buffer.alloc(0));
  writeFileSync(join(folder, 'x-images-idx3-ubyte.gz'),
    whole.subarray(0, whole.length - 40));
  const [problem] = await runFailing('load images "x-images-idx3-ubyte.gz"',
    folder);
  assert.equal(problem!.code, 'bad-idx');
  assert.match(problem!.message, /does not decompress/);
});

test('a corrupt IDX header is refused', async () => {
  const folder = scratch();
  const bytes = idxImages(2, 3, 3);
  bytes[0] = 7;
  writeFileSync(join(folder, 'bad-images-idx3-ubyte'), bytes);
  const [problem] = await runFailing('load images "bad-images-idx3-ubyte"',
    folder);
  assert.equal(problem!.code, 'bad-idx');
  assert.match(problem!.message, /two zero bytes/);
});

test('labels that do not match the images in number are refused',
  async () => {
    const folder = scratch();
    writeFileSync(join(folder, 'a-images-idx3-ubyte'), idxImages(3, 2, 2));
    const labels = Buffer.alloc(8 + 2);
    labels.writeUInt32BE(0x00000801, 0);
    labels.writeUInt32BE(2, 4);
    writeFileSync(join(folder, 'a-labels-idx1-ubyte'), labels);
    const [problem] = await runFailing(
      'load images "a-images-idx3-ubyte"', folder);
    assert.equal(problem!.code, 'label-count');
    assert.match(problem!.message, /2 labels for 3 images/);
  });

test('an image of another size names the file and both sizes', async () => {
  const folder = scratch();
  mkdirSync(join(folder, 'set', 'a'), { recursive: true });
  await writeGrey(join(folder, 'set', 'a', '1.png'), greyPixels(0, 1));
  await writeGrey(join(folder, 'set', 'a', '2.png'),
    Buffer.alloc(7 * 4, 3), 7, 4);
  const [problem] = await runFailing('load images "set"', folder);
  assert.equal(problem!.code, 'image-size');
  assert.match(problem!.message,
    /image set\/a\/2\.png is 7×4, but the other images are 6×4/);
});

test('a folder with no images is refused', async () => {
  const folder = scratch();
  mkdirSync(join(folder, 'empty'));
  writeFileSync(join(folder, 'empty', 'readme.md'), '# nothing');
  const [problem] = await runFailing('load images "empty"', folder);
  assert.equal(problem!.code, 'no-images');
  assert.match(problem!.message,
    /has no PNG or JPEG images \(it has 1 other file\)/);
});

test('a labels CSV naming missing files lists them with their rows',
  async () => {
    const folder = scratch();
    mkdirSync(join(folder, 'pics'));
    await writeGrey(join(folder, 'pics', 'a.png'), greyPixels(0, 0));
    writeFileSync(join(folder, 'l.csv'),
      'file,label\na.png,1\nb.png,0\nc.png,1\n');
    const [problem] = await runFailing(
      'load images "pics" labels "l.csv"', folder);
    assert.equal(problem!.code, 'labels-missing-files');
    assert.match(problem!.message, new RegExp('names 2 files not in ' +
      'folder "pics": "b\\.png" \\(row 2\\), "c\\.png" \\(row 3\\)'));
    assert.deepEqual(problem!.data, { file: 'l.csv', row: 2,
      column: 'file' });
  });

test('a file that is not an image is reported by name', async () => {
  const folder = scratch();
  mkdirSync(join(folder, 'odd'));
  writeFileSync(join(folder, 'odd', 'broken.png'), 'this is no PNG');
  const [problem] = await runFailing('load images "odd"', folder);
  assert.equal(problem!.code, 'bad-image');
  assert.match(problem!.message, /odd\/broken\.png/);
});

test('crop larger than the images is refused at its number', async () => {
  const { session } = await loaded;
  const report = await session.run('augment first crop 40');
  assert.equal(report.failed, true);
  assert.equal(report.diagnostics[0]!.code, 'augment-too-large');
  assert.equal(report.diagnostics[0]!.span?.column, 20);
});

// show -----------------------------------------------------------------------

test('show on an image table saves a contact sheet and says where',
  async () => {
    const folder = scratch();
    const { results } = await run(`load images "${testImages}" as t
show t 12`, folder);
    const shown = results[1]!;
    assert.equal(shown['contact_sheet'], 't-contact-sheet.png');
    assert.match(shown.message!,
      /contact sheet of 12 images in t-contact-sheet\.png/);
    assert.equal((shown['thumbnails'] as unknown[]).length, 12);
    const png = readFileSync(join(folder, 't-contact-sheet.png'));
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    assert.equal(shown.rows![0]!['image'], '28×28 grey');
  });

test('show draws the images inline when fair run prints to kitty',
  async () => {
    const folder = scratch();
    const source = `load images "${testImages}" as t\nshow t 4`;
    const saved = { tty: process.stdout.isTTY, term: process.env['TERM'] };
    Object.defineProperty(process.stdout, 'isTTY', { value: true,
      configurable: true });
    process.env['TERM'] = 'xterm-kitty';
    try {
      const session = new Session({ cwd: folder });
      configureOutput(session, { chartFolder: folder,
        script: { file: 'x.fair', source } });
      const report = await session.run(source);
      const shown = report.outcomes[1]!.result;
      const text = renderText(shown);
      // Kitty's graphics protocol: a PNG (f=100), sent in chunks.
      assert.match(text, /\x1b_Ga=T,f=100,m=[01];iVBORw0KGgo/);
      assert.ok(text.endsWith('\x1b\\'));
      assert.equal(existsSync(join(folder, 't-contact-sheet.png')), false);
      // The escape is for the terminal only, never in JSON output.
      assert.ok(!JSON.stringify(shown).includes('\x1b'));
    } finally {
      Object.defineProperty(process.stdout, 'isTTY', { value: saved.tty,
        configurable: true });
      if (saved.term === undefined) delete process.env['TERM'];
      else process.env['TERM'] = saved.term;
    }
  });
