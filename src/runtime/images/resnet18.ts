// `train resnet18`: ResNet-18 as used for CIFAR-10 (He et al. 2016, the
// variant of kuangliu/pytorch-cifar and most CIFAR papers): a 3x3 stem
// with no max-pool, because the images are small.
//
//   image -> conv 3x3 (64) + BN + ReLU
//         -> 4 stages of 2 basic blocks: 64, 128, 256, 512 channels,
//            stride 1, 2, 2, 2
//         -> global average pool -> dense (classes)
//
//   basic block:  x -> conv 3x3 + BN + ReLU -> conv 3x3 + BN  (+) -> ReLU
//                 x ---------- (1x1 conv + BN when the shape changes) ^
//
// Convolutions before a batch norm have no bias (the norm's shift is one).

import type * as Tf from '@tensorflow/tfjs';
import type { TfModule } from '../model/backend.js';
import {
  conv, convSpecs, dense, denseSpecs, norm, normSpecs, type ParameterSpec,
  type ParameterTensors, type Pass,
} from './layers.js';
import type { ImageShape } from './store.js';

const stages = [
  { channels: 64, stride: 1 },
  { channels: 128, stride: 2 },
  { channels: 256, stride: 2 },
  { channels: 512, stride: 2 },
];
const blocksPerStage = 2;

interface Block {
  name: string;
  inputs: number;
  outputs: number;
  stride: number;
  shortcut: boolean;
}

function blocks(): Block[] {
  const list: Block[] = [];
  let inputs = 64;
  stages.forEach((stage, s) => {
    for (let b = 0; b < blocksPerStage; b++) {
      const stride = b === 0 ? stage.stride : 1;
      list.push({ name: `stage${s + 1}.block${b + 1}`, inputs,
        outputs: stage.channels, stride,
        shortcut: stride !== 1 || inputs !== stage.channels });
      inputs = stage.channels;
    }
  });
  return list;
}

export function resnetParameters(
  input: ImageShape,
  classes: number,
): ParameterSpec[] {
  const specs: ParameterSpec[] = [
    ...convSpecs('stem', 3, input.channels, 64, false),
    ...normSpecs('stem.norm', 64),
  ];
  for (const block of blocks()) {
    specs.push(
      ...convSpecs(`${block.name}.conv1`, 3, block.inputs, block.outputs,
        false),
      ...normSpecs(`${block.name}.norm1`, block.outputs),
      ...convSpecs(`${block.name}.conv2`, 3, block.outputs, block.outputs,
        false),
      ...normSpecs(`${block.name}.norm2`, block.outputs),
    );
    if (block.shortcut) {
      specs.push(
        ...convSpecs(`${block.name}.shortcut`, 1, block.inputs,
          block.outputs, false),
        ...normSpecs(`${block.name}.shortcut.norm`, block.outputs),
      );
    }
  }
  specs.push(...denseSpecs('output', 512, classes, 'glorot'));
  return specs;
}

export function resnetLogits(
  tf: TfModule,
  parameters: ParameterTensors,
  x: Tf.Tensor4D,
  pass: Pass,
): Tf.Tensor2D {
  const training = pass.training;
  let y = tf.relu(norm(tf, parameters, 'stem.norm',
    conv(tf, parameters, 'stem', x, { training }), pass));

  for (const block of blocks()) {
    const first = tf.relu(norm(tf, parameters, `${block.name}.norm1`,
      conv(tf, parameters, `${block.name}.conv1`, y,
        { stride: block.stride, training }), pass));
    const second = norm(tf, parameters, `${block.name}.norm2`,
      conv(tf, parameters, `${block.name}.conv2`, first, { training }), pass);
    const shortcut = block.shortcut
      ? norm(tf, parameters, `${block.name}.shortcut.norm`,
        conv(tf, parameters, `${block.name}.shortcut`, y,
          { stride: block.stride, training }), pass)
      : y;
    y = tf.relu(tf.add(second, shortcut)) as Tf.Tensor4D;
  }

  const pooled = tf.mean(y, [1, 2]) as Tf.Tensor2D;
  return dense(tf, parameters, 'output', pooled, false);
}
