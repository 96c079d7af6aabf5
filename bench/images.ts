// Training speed of `train cnn` and `train resnet18`, in images per
// second, beside PyTorch (Debian's python3-torch) training the same
// networks on the same machine in the same run:
//
//   1. cnn        Fashion-MNIST, 28x28 grey, batch 128: conv 3x3 (32) +
//                 ReLU + max-pool, conv 3x3 (64) + ReLU + max-pool,
//                 dense 128 + ReLU, dense 10; Adam
//   2. resnet18   random 32x32 colour images, batch 64: the CIFAR
//                 ResNet-18 (3x3 stem, no max-pool); Adam
//
// Both sides time whole training steps (forward, backward, update) over
// the same number of images after warming up; loading is not timed.
// Fair reports the backend it picked (`set backend auto`: the fastest that
// loads). The ratio is PyTorch's speed over Fair's.
//
// Run: node --import tsx bench/images.ts [cnn images] [resnet images]
// The machine should be quiet: the load average is printed with the
// figures.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { Random } from '../src/runtime/random.js';
import { Session } from '../src/runtime/session.js';

const cnnImages = Number(process.argv[2] ?? 3840);
const resnetImages = Number(process.argv[3] ?? 192);
const here = resolve(import.meta.dirname);
const data = join(here, '.data');
mkdirSync(data, { recursive: true });
const python = '/usr/bin/python3';
const fashion = '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz';

// 1. Random colour images as IDX files, for ResNet-18 ------------------------

function idx(path: string, dims: number[], body: Uint8Array): void {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(0x0800 + dims.length, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  writeFileSync(path, Buffer.concat([header, body]));
}

function colourImages(count: number): string {
  const images = join(data, `random${count}-images-idx4-ubyte`);
  const labels = join(data, `random${count}-labels-idx1-ubyte`);
  if (existsSync(images) && existsSync(labels)) return images;
  const random = new Random(11);
  const pixels = new Uint8Array(count * 32 * 32 * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = random.int(0, 255);
  idx(images, [count, 32, 32, 3], pixels);
  idx(labels, [count], Uint8Array.from({ length: count },
    () => random.int(0, 9)));
  return images;
}

// 2. Fair --------------------------------------------------------------------

async function fair(model: 'cnn' | 'resnet18', path: string, images: number,
  batch: number): Promise<{ speed: number; backend: string }> {
  const session = new Session();
  const report = await session.run(`seed 1
set backend auto
load images "${path}" as pictures
where id < ${images}
train ${model} target label epochs 1 batch ${batch} as net`);
  if (report.failed) throw new Error(report.diagnostics[0]!.message);
  const summary = report.outcomes.at(-1)!.result.summary!;
  return { speed: summary['images_per_second'] as number,
    backend: String(summary['backend_description']) };
}

// 3. PyTorch -----------------------------------------------------------------

const torchProgram = `
import gzip, json, os, sys, time
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F

model_name, path = sys.argv[1], sys.argv[2]
images, batch, threads = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
torch.set_num_threads(threads)
torch.manual_seed(1)

def read_idx(path):
    raw = open(path, 'rb').read()
    if raw[:2] == b'\\x1f\\x8b':
        raw = gzip.decompress(raw)
    rank = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], 'big')
            for i in range(rank)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * rank).reshape(dims)

pixels = read_idx(path)[:images]
if pixels.ndim == 3:
    pixels = pixels[..., None]
x_all = torch.tensor(pixels, dtype=torch.float32).permute(0, 3, 1, 2) / 255
y_all = torch.randint(0, 10, (len(x_all),))

class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.hidden = nn.Linear(7 * 7 * 64, 128)
        self.output = nn.Linear(128, 10)
    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.output(F.relu(self.hidden(x.flatten(1))))

class Block(nn.Module):
    def __init__(self, i, o, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(i, o, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(o)
        self.conv2 = nn.Conv2d(o, o, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(o)
        self.shortcut = nn.Sequential()
        if stride != 1 or i != o:
            self.shortcut = nn.Sequential(
                nn.Conv2d(i, o, 1, stride, bias=False), nn.BatchNorm2d(o))
    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(y)) + self.shortcut(x))

class ResNet18(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        blocks, i = [], 64
        for o, stride in [(64, 1), (128, 2), (256, 2), (512, 2)]:
            blocks += [Block(i, o, stride), Block(o, o, 1)]
            i = o
        self.blocks = nn.Sequential(*blocks)
        self.linear = nn.Linear(512, 10)
    def forward(self, x):
        x = self.blocks(F.relu(self.bn1(self.conv1(x))))
        return self.linear(F.adaptive_avg_pool2d(x, 1).flatten(1))

model = Cnn() if model_name == 'cnn' else ResNet18()
optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
model.train()

def step(start):
    x, y = x_all[start:start + batch], y_all[start:start + batch]
    optimizer.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()

for start in range(0, min(2 * batch, len(x_all)), batch):
    step(start)
began = time.perf_counter()
for start in range(0, len(x_all), batch):
    step(start)
seconds = time.perf_counter() - began
print(json.dumps({"speed": len(x_all) / seconds,
                  "threads": torch.get_num_threads(),
                  "version": torch.__version__}))
`;

function torch(model: 'cnn' | 'resnet18', path: string, images: number,
  batch: number, threads: number):
  { speed: number; threads: number; version: string } {
  const output = execFileSync(python, ['-c', torchProgram, model, path,
    String(images), String(batch), String(threads)], { encoding: 'utf8' });
  return JSON.parse(output);
}

// 4. Side by side ------------------------------------------------------------

const load = loadavg().map((l) => l.toFixed(2)).join(', ');
console.log(`load average at start: ${load} (${cpus().length} cores)`);

const colour = colourImages(Math.max(resnetImages, 64 * 4));
const cases = [
  { model: 'cnn' as const, path: fashion, images: cnnImages, batch: 128,
    what: 'Fashion-MNIST 28x28x1' },
  { model: 'resnet18' as const, path: colour, images: resnetImages,
    batch: 64, what: 'random 32x32x3' },
];
for (const c of cases) {
  // PyTorch measures more images: it is fast enough for a steadier
  // figure. It runs on one thread (as Fair's wasm backend does) and on
  // every core.
  const single = torch(c.model, c.path, c.images * 4, c.batch, 1);
  const all = torch(c.model, c.path, c.images * 4, c.batch, cpus().length);
  const ours = await fair(c.model, c.path, c.images, c.batch);
  console.log(`${c.model} (${c.what}, batch ${c.batch}):`);
  console.log(`  Fair     ${ours.speed.toFixed(1).padStart(8)} images/s ` +
    `on ${ours.backend}`);
  for (const peer of [single, all]) {
    console.log(`  PyTorch  ${peer.speed.toFixed(1).padStart(8)} images/s ` +
      `(torch ${peer.version}, ${peer.threads} thread` +
      `${peer.threads === 1 ? '' : 's'}): PyTorch / Fair = ` +
      `${(peer.speed / ours.speed).toFixed(1)}`);
  }
}
console.log(`load average at end: ${loadavg().map((l) => l.toFixed(2))
  .join(', ')}`);
