// Image models (cnn, resnet18) as models the model family knows: they
// register a predictor, so `evaluate`, `predict` and `mitigate` work on
// them as on tabular models, and a codec, so `save model` writes them.
//
// A model is data: the image shape it takes, the per-channel mean and
// standard deviation its inputs are scaled by, and its named parameters.

import type * as Tf from '@tensorflow/tfjs';
import { fail } from '../../lang/diagnostics.js';
import {
  imageProblems, type ImageModelType,
} from '../../lang/statements/images.js';
import type { TfModule } from '../model/backend.js';
import { loadTf } from '../model/backend.js';
import {
  definePredictor, type Model, type Place, type Scores, type TargetSpec,
} from '../model/model.js';
import {
  decodeMitigation, defineModelCodec, ModelFileError,
} from '../model/store.js';
import type { Session } from '../session.js';
import type { Table, Value } from '../table.js';
import { cnnLogits, cnnParameters, type CnnShape } from './cnn.js';
import type { Parameter, ParameterSpec, ParameterTensors, Pass }
  from './layers.js';
import { resnetLogits, resnetParameters } from './resnet18.js';
import {
  commonShape, describeShape, imageRefs, type ImageRef, type ImageShape,
} from './store.js';
import { installWasmTraining } from './wasm-conv-grad.js';

export interface Normalisation {
  /** Per channel, on the 0-1 scale. */
  mean: number[];
  sd: number[];
}

export interface ImageModel extends Model {
  type: ImageModelType;
  input: ImageShape;
  normalisation: Normalisation;
  /** The cnn's widths; absent for resnet18. */
  cnn?: CnnShape;
  parameters: Parameter[];
}

/** The parameters a network of this kind and size has. */
export function parameterSpecs(
  type: ImageModelType,
  input: ImageShape,
  classes: number,
  cnn?: CnnShape,
): ParameterSpec[] {
  return type === 'cnn'
    ? cnnParameters(input, classes, cnn!)
    : resnetParameters(input, classes);
}

export function logits(
  tf: TfModule,
  model: Pick<ImageModel, 'type' | 'cnn'>,
  parameters: ParameterTensors,
  x: Tf.Tensor4D,
  pass: Pass,
): Tf.Tensor2D {
  return model.type === 'cnn'
    ? cnnLogits(tf, parameters, x, model.cnn!, pass)
    : resnetLogits(tf, parameters, x, pass);
}

/** TensorFlow.js with the session's backend, able to train convolutions. */
export async function loadImageTf(session: Session) {
  const loaded = await loadTf(session);
  if (loaded.backend === 'wasm') installWasmTraining(loaded.tf);
  return loaded;
}

/** Per-channel mean and standard deviation of images, on the 0-1 scale. */
export function measureImages(
  refs: readonly ImageRef[],
  rows: ArrayLike<number>,
  shape: ImageShape,
): Normalisation {
  const { channels } = shape;
  const sums = new Float64Array(channels);
  const squares = new Float64Array(channels);
  let count = 0;
  for (let i = 0; i < rows.length; i++) {
    const pixels = refs[rows[i]!]!.pixels();
    for (let j = 0; j < pixels.length; j++) {
      const value = pixels[j]! / 255;
      sums[j % channels]! += value;
      squares[j % channels]! += value * value;
    }
    count += pixels.length / channels;
  }
  const mean = Array.from(sums, (s) => s / Math.max(1, count));
  const sd = Array.from(squares, (s, c) =>
    Math.sqrt(Math.max(0, s / Math.max(1, count) - mean[c]! ** 2)) || 1);
  return { mean, sd };
}

/** Images of the given rows as scaled floats, batch x height x width x c. */
export function fillBatch(
  buffer: Float32Array,
  refs: readonly ImageRef[],
  rows: ArrayLike<number>,
  normalisation: Normalisation,
): Float32Array {
  const { mean, sd } = normalisation;
  const channels = mean.length;
  const scale = mean.map((_, c) => 1 / (255 * sd[c]!));
  const shift = mean.map((m, c) => m / sd[c]!);
  let at = 0;
  for (let i = 0; i < rows.length; i++) {
    const pixels = refs[rows[i]!]!.pixels();
    for (let j = 0; j < pixels.length; j++) {
      const c = j % channels;
      buffer[at++] = pixels[j]! * scale[c]! - shift[c]!;
    }
  }
  return buffer.subarray(0, at);
}

/** The images of a table, all of one shape, or a clear error. */
export function tableImages(
  table: Table,
  tableName: string,
  what: string,
  span?: Place['span'],
): { refs: ImageRef[]; shape: ImageShape } {
  const refs = imageRefs(table);
  if (!refs) fail(imageProblems.notImagesForTraining(tableName, what), span);
  const common = commonShape(refs);
  if (!('shape' in common)) {
    fail(imageProblems.mixedShapes(tableName, describeShape(common.first),
      describeShape(common.other), common.row + 1), span);
  }
  return { refs, shape: common.shape };
}

/** Images pushed through a network at once when predicting. */
const predictionChunk = 256;

/** Class probabilities for every row of a table, row-major. */
export async function imageProbabilities(
  session: Session,
  model: ImageModel,
  table: Table,
  place: Place,
): Promise<Scores> {
  const { refs, shape } = tableImages(table, place.table, model.type,
    place.span);
  const expected = model.input;
  if (refs.length && (shape.width !== expected.width ||
      shape.height !== expected.height ||
      shape.channels !== expected.channels)) {
    fail(imageProblems.modelShape(model.type, describeShape(expected),
      describeShape(shape)), place.span);
  }

  const { tf } = await loadImageTf(session);
  const classes = model.target.classes.length;
  const parameters = new Map(model.parameters.map((p) =>
    [p.name, tf.tensor(p.values, p.shape)] as const));
  const rows = refs.length;
  const size = expected.width * expected.height * expected.channels;
  const buffer = new Float32Array(predictionChunk * size);
  const probabilities = new Float64Array(rows * classes);
  const order = new Uint32Array(predictionChunk);

  try {
    for (let start = 0; start < rows; start += predictionChunk) {
      const count = Math.min(predictionChunk, rows - start);
      for (let i = 0; i < count; i++) order[i] = start + i;
      const x = fillBatch(buffer, refs, order.subarray(0, count),
        model.normalisation);
      const values = tf.tidy(() => tf.softmax(logits(tf, model, parameters,
        tf.tensor4d(x, [count, expected.height, expected.width,
          expected.channels]), { training: false })));
      probabilities.set(values.dataSync(), start * classes);
      values.dispose();
    }
  } finally {
    tf.dispose([...parameters.values()]);
  }
  return { classes, probabilities, notes: [] };
}

definePredictor('cnn', (session, model, table, place) =>
  imageProbabilities(session, model as ImageModel, table, place));
definePredictor('resnet18', (session, model, table, place) =>
  imageProbabilities(session, model as ImageModel, table, place));

// Saving and loading ---------------------------------------------------------

function floatsToBase64(values: Float32Array): string {
  const bytes = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) bytes.writeFloatLE(values[i]!, i * 4);
  return bytes.toString('base64');
}

function base64ToFloats(text: unknown, what: string, length: number):
Float32Array {
  if (typeof text !== 'string') {
    throw new ModelFileError(`${what} must be base64 text`);
  }
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== length * 4) {
    throw new ModelFileError(`${what} holds ${bytes.length / 4} numbers, ` +
      `expected ${length}`);
  }
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) values[i] = bytes.readFloatLE(i * 4);
  return values;
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ModelFileError(`${what} must be an object`);
  }
  return value as Record<string, unknown>;
}

function numbers(value: unknown, what: string): number[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'number')) {
    throw new ModelFileError(`${what} must be a list of numbers`);
  }
  return value as number[];
}

const imageCodec = {
  encode(model: Model): unknown {
    const image = model as ImageModel;
    return {
      ...image,
      parameters: image.parameters.map((p) => ({ name: p.name,
        shape: p.shape, values: floatsToBase64(p.values) })),
    };
  },

  decode(data: Record<string, unknown>): Model {
    const type = data.type === 'resnet18' ? 'resnet18' : 'cnn';
    const target = record(data.target, '"model.target"');
    const classes = Array.isArray(target.classes)
      ? target.classes as Value[] : [];
    const input = record(data.input, '"model.input"');
    const shape: ImageShape = {
      width: Number(input.width), height: Number(input.height),
      channels: Number(input.channels),
    };
    const normalisation = record(data.normalisation,
      '"model.normalisation"');
    const cnn = data.cnn === undefined ? undefined
      : record(data.cnn, '"model.cnn"');
    const cnnShape = cnn ? { widths: numbers(cnn.widths, '"cnn.widths"'),
      dense: Number(cnn.dense) } : undefined;

    // The parameters must be exactly those the network needs.
    const specs = parameterSpecs(type, shape, classes.length, cnnShape);
    const stored = new Map((Array.isArray(data.parameters)
      ? data.parameters : []).map((p, i) => {
      const entry = record(p, `"parameters[${i}]"`);
      return [String(entry.name), entry] as const;
    }));
    const parameters = specs.map((spec) => {
      const entry = stored.get(spec.name);
      if (!entry) {
        throw new ModelFileError(`parameter "${spec.name}" is missing`);
      }
      const size = spec.shape.reduce((a, b) => a * b, 1);
      return { name: spec.name, shape: spec.shape,
        values: base64ToFloats(entry.values, `"${spec.name}"`, size) };
    });

    const training = record(data.training, '"model.training"');
    const model: ImageModel = {
      type,
      target: {
        column: String(target.column),
        classes,
        binary: classes.length === 2,
        ...(target.value !== undefined ? { value: target.value as Value }
          : {}),
        prediction: target.prediction === 'boolean' ? 'boolean' : 'class',
      } as TargetSpec,
      features: ['image'],
      threshold: Number(data.threshold ?? 0.5),
      training: {
        table: String(training.table), rows: Number(training.rows),
        backend: String(training.backend), seed: Number(training.seed),
        epochs: Number(training.epochs),
      },
      input: shape,
      normalisation: {
        mean: numbers(normalisation.mean, '"normalisation.mean"'),
        sd: numbers(normalisation.sd, '"normalisation.sd"'),
      },
      parameters,
    };
    if (cnnShape) model.cnn = cnnShape;
    const mitigation = decodeMitigation(data.mitigation);
    if (mitigation) model.mitigation = mitigation;
    return model;
  },
};

defineModelCodec('cnn', imageCodec);
defineModelCodec('resnet18', imageCodec);
