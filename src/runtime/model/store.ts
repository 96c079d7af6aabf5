// Models to JSON files and back.
//
//   {"format": "fair-model", "version": 1, "model": {...}}
//
// The model is stored as the plain data it is (see model.ts), weights as
// arrays of numbers that read back to the same float32 values. Each model
// type has a codec; the network types (logistic, mlp) register theirs
// here, and another family can register its own with defineModelCodec.

import { fail, type ProblemEntry } from '../../lang/diagnostics.js';
import type { Span } from '../../lang/span.js';
import { readBytes, writeFileAtomic } from '../io/files.js';
import type { Value } from '../table.js';
import type { FeatureEncoder } from './features.js';
import type { Mitigation, Model, TargetSpec } from './model.js';
import type { DenseLayer, NetworkModel } from './network.js';

export const modelFormat = 'fair-model';
export const modelVersion = 1;

export interface ModelCodec {
  /** The model as JSON-ready data. */
  encode(model: Model): unknown;
  /** Back from JSON data; throws a ModelFileError naming what is wrong. */
  decode(data: Record<string, unknown>): Model;
}

const codecs = new Map<string, ModelCodec>();

export function defineModelCodec(type: string, codec: ModelCodec): void {
  codecs.set(type, codec);
}

/** What is wrong in a model file, said in a few words. */
export class ModelFileError extends Error {}

export const storeProblems = {
  badModelFile: (file: string, detail: string): ProblemEntry => ({
    code: 'bad-model-file',
    message: `${file} is not a model file Fair can read: ${detail}`,
    hints: ['model files are written by save model NAME to "FILE.json"'],
  }),
  unsavable: (type: string): ProblemEntry => ({
    code: 'model-not-savable',
    message: `models of type ${JSON.stringify(type)} cannot be saved yet`,
  }),
};

export function encodeModel(model: Model, span?: Span): string {
  const codec = codecs.get(model.type);
  if (!codec) fail(storeProblems.unsavable(model.type), span);
  return JSON.stringify({ format: modelFormat, version: modelVersion,
    model: codec.encode(model) }) + '\n';
}

export function saveModel(
  model: Model,
  path: string,
  display: string,
  span?: Span,
): number {
  const text = encodeModel(model, span);
  writeFileAtomic(path, text, display);
  return Buffer.byteLength(text);
}

export function loadModel(path: string, display: string, span?: Span): Model {
  const bytes = readBytes(path, display);
  try {
    return decodeModel(Buffer.from(bytes).toString('utf8'));
  } catch (cause) {
    if (cause instanceof ModelFileError || cause instanceof SyntaxError) {
      fail(storeProblems.badModelFile(display, cause.message), span,
        { file: display });
    }
    throw cause;
  }
}

export function decodeModel(text: string): Model {
  const file = record(JSON.parse(text), 'the file');
  if (file.format !== modelFormat) {
    throw new ModelFileError(`"format" is ${JSON.stringify(file.format)}, ` +
      `not "${modelFormat}"`);
  }
  if (file.version !== modelVersion) {
    throw new ModelFileError(`version ${JSON.stringify(file.version)} is ` +
      `not one this Fair reads (${modelVersion})`);
  }
  const model = record(file.model, '"model"');
  const type = text_(model.type, '"model.type"');
  const codec = codecs.get(type);
  if (!codec) throw new ModelFileError(`unknown model type "${type}"`);
  return codec.decode(model);
}

// Checked reading of JSON data -----------------------------------------------

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ModelFileError(`${what} must be an object`);
  }
  return value as Record<string, unknown>;
}

function text_(value: unknown, what: string): string {
  if (typeof value !== 'string') {
    throw new ModelFileError(`${what} must be text`);
  }
  return value;
}

function number(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ModelFileError(`${what} must be a number`);
  }
  return value;
}

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new ModelFileError(`${what} must be a list`);
  return value;
}

function scalar(value: unknown, what: string): Value {
  if (value === null || ['string', 'number', 'boolean'].includes(
    typeof value)) {
    return value as Value;
  }
  throw new ModelFileError(`${what} must be text, a number or true/false`);
}

function numbers(value: unknown, what: string, length: number): Float32Array {
  const values = list(value, what);
  if (values.length !== length) {
    throw new ModelFileError(`${what} has ${values.length} numbers, ` +
      `expected ${length}`);
  }
  return Float32Array.from(values, (v, i) => number(v, `${what}[${i}]`));
}

// The network codec ----------------------------------------------------------

function decodeTarget(value: unknown): TargetSpec {
  const target = record(value, '"model.target"');
  const classes = list(target.classes, '"target.classes"').map((c, i) =>
    scalar(c, `"target.classes[${i}]"`));
  const prediction = target.prediction === 'boolean' ? 'boolean' : 'class';
  return {
    column: text_(target.column, '"target.column"'),
    classes,
    binary: classes.length === 2,
    ...(target.value !== undefined
      ? { value: scalar(target.value, '"target.value"') } : {}),
    prediction,
  };
}

function decodeEncoder(value: unknown, i: number): FeatureEncoder {
  const encoder = record(value, `"encoders[${i}]"`);
  const column = text_(encoder.column, `"encoders[${i}].column"`);
  if (encoder.kind === 'number') {
    return { column, kind: 'number',
      mean: number(encoder.mean, `"encoders[${i}].mean"`),
      scale: number(encoder.scale, `"encoders[${i}].scale"`) };
  }
  if (encoder.kind === 'category') {
    return { column, kind: 'category',
      categories: list(encoder.categories, `"encoders[${i}].categories"`)
        .map((c, j) => scalar(c, `"encoders[${i}].categories[${j}]"`)) };
  }
  throw new ModelFileError(`"encoders[${i}].kind" must be "number" or ` +
    '"category"');
}

/** Per-group thresholds stored with a model, read back and checked. */
export function decodeMitigation(value: unknown): Mitigation | undefined {
  if (value === undefined || value === null) return undefined;
  const m = record(value, '"model.mitigation"');
  return {
    goal: text_(m.goal, '"mitigation.goal"'),
    columns: list(m.columns, '"mitigation.columns"').map((c, i) =>
      text_(c, `"mitigation.columns[${i}]"`)),
    thresholds: list(m.thresholds, '"mitigation.thresholds"').map((t, i) => {
      const entry = record(t, `"mitigation.thresholds[${i}]"`);
      return {
        label: text_(entry.label, `"thresholds[${i}].label"`),
        values: list(entry.values, `"thresholds[${i}].values"`).map((v, j) =>
          scalar(v, `"thresholds[${i}].values[${j}]"`)),
        threshold: number(entry.threshold, `"thresholds[${i}].threshold"`),
      };
    }),
    table: text_(m.table, '"mitigation.table"'),
    accuracyBefore: number(m.accuracyBefore, '"mitigation.accuracyBefore"'),
    accuracyAfter: number(m.accuracyAfter, '"mitigation.accuracyAfter"'),
    tolerance: number(m.tolerance, '"mitigation.tolerance"'),
  };
}

const networkCodec: ModelCodec = {
  encode(model) {
    const network = model as NetworkModel;
    return {
      ...network,
      layers: network.layers.map((layer) => ({
        inputs: layer.inputs,
        outputs: layer.outputs,
        weights: Array.from(layer.weights),
        bias: Array.from(layer.bias),
      })),
    };
  },

  decode(data) {
    const type = data.type === 'mlp' ? 'mlp' : 'logistic';
    const target = decodeTarget(data.target);
    const encoding = record(data.encoding, '"model.encoding"');
    const encoders = list(encoding.encoders, '"encoding.encoders"')
      .map(decodeEncoder);
    const inputs = list(encoding.inputs, '"encoding.inputs"').map((c, i) =>
      text_(c, `"encoding.inputs[${i}]"`));
    const layers: DenseLayer[] = list(data.layers, '"model.layers"')
      .map((value, i) => {
        const layer = record(value, `"layers[${i}]"`);
        const fanIn = number(layer.inputs, `"layers[${i}].inputs"`);
        const fanOut = number(layer.outputs, `"layers[${i}].outputs"`);
        return {
          inputs: fanIn,
          outputs: fanOut,
          weights: numbers(layer.weights, `"layers[${i}].weights"`,
            fanIn * fanOut),
          bias: numbers(layer.bias, `"layers[${i}].bias"`, fanOut),
        };
      });

    // The shapes must chain from the inputs to the classes.
    const widths = [inputs.length, ...layers.map((l) => l.outputs)];
    layers.forEach((layer, i) => {
      if (layer.inputs !== widths[i]) {
        throw new ModelFileError(`layer ${i + 1} takes ${layer.inputs} ` +
          `inputs but receives ${widths[i]}`);
      }
    });
    const classes = target.classes.length;
    if (layers.length === 0 ||
        widths[widths.length - 1] !== (classes === 2 ? 1 : classes)) {
      throw new ModelFileError(`the last layer does not give one output ` +
        `per class (${classes} classes)`);
    }

    const training = record(data.training, '"model.training"');
    const mitigation = decodeMitigation(data.mitigation);
    const model: NetworkModel = {
      type,
      target,
      features: encoders.map((e) => e.column),
      threshold: number(data.threshold, '"model.threshold"'),
      training: {
        table: text_(training.table, '"training.table"'),
        rows: number(training.rows, '"training.rows"'),
        backend: text_(training.backend, '"training.backend"'),
        seed: number(training.seed, '"training.seed"'),
        epochs: number(training.epochs, '"training.epochs"'),
      },
      hidden: list(data.hidden, '"model.hidden"').map((h, i) =>
        number(h, `"hidden[${i}]"`)),
      encoding: { encoders, inputs },
      layers,
      ...(mitigation ? { mitigation } : {}),
    };
    return model;
  },
};

defineModelCodec('logistic', networkCodec);
defineModelCodec('mlp', networkCodec);
