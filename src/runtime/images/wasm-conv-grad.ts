// Training kernels for TensorFlow.js's wasm backend.
//
// The WebAssembly backend has no `Conv2DBackpropFilter` kernel, so
// training any convolution on it fails. Two paths need that kernel:
//
//   tf.conv2d          its registered gradient calls the kernel
//   tf.fused.conv2d    what tf.layers uses; with a linear activation it
//                      stays fused while training, and its gradient is a
//                      closure that calls the kernel directly, out of
//                      reach of tf.registerGradient
//
// Registering the kernel for the wasm backend alone serves both paths and
// leaves every other backend untouched. Three kernels the backend has are
// replaced the same way because training spends most of its time in them
// and they run far below the backend's forward convolution (measured on a
// 14x14x32 layer: 0.5 GFLOP/s against 5):
//
//   Conv2DBackpropInput   the input gradient of a convolution
//   MaxPoolGrad           the gradient of max pooling (15 times the
//                         forward pass; here a loop in JavaScript over
//                         the backend's memory)
//   BatchMatMul           only when an operand is transposed, as in the
//                         gradient of every dense layer
//   Sum                   only over leading axes, as in the gradient of
//                         every bias (a loop in JavaScript)
//
// The convolution gradients are written as forward convolutions, the
// fastest operation the backend has (XNNPACK):
//
//   input gradient   dX = dy, spread out by the stride and padded,
//                    convolved with the filter turned 180 degrees and
//                    its in and out channels swapped
//   filter gradient  dW = the input with batch and channels swapped,
//                    convolved with dy as the filter (batch as its input
//                    channels), dilated by the stride; the output is
//                    [in, kh, kw, out], turned to [kh, kw, in, out]
//
// Only the NHWC layout is computed directly; NCHW tensors are transposed.
// Gradients of dilated convolutions are refused by TensorFlow.js before
// they reach these kernels, as on every backend.

import type * as Tf from '@tensorflow/tfjs';

type TfModule = typeof Tf;
type Padding = 'same' | 'valid' | number | Tf.backend_util.ExplicitPadding;
type Rounding = 'floor' | 'round' | 'ceil';

interface KernelArguments {
  inputs: Record<string, Tf.TensorInfo>;
  backend: Tf.KernelBackend;
  attrs?: Record<string, unknown>;
}

interface GradientSettings {
  strides: number | [number, number];
  pad: Padding;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: Rounding;
}

const installed = new WeakSet<object>();

/**
 * Register the training kernels on the wasm backend. Safe to call again;
 * other backends keep their own kernels.
 */
export function installWasmTraining(tf: TfModule): void {
  if (installed.has(tf)) return;
  installed.add(tf);

  replaceKernel(tf, 'Conv2DBackpropFilter', composite(tf, ({ x, dy }, attrs) =>
    filterGradient(tf, x as Tf.Tensor4D, dy as Tf.Tensor4D, {
      ...(attrs as unknown as GradientSettings),
      filterShape: attrs.filterShape as [number, number, number, number],
    })));
  replaceKernel(tf, 'Conv2DBackpropInput', composite(tf, ({ dy, filter },
    attrs) => inputGradient(tf, dy as Tf.Tensor4D, filter as Tf.Tensor4D, {
    ...(attrs as unknown as GradientSettings),
    inputShape: attrs.inputShape as [number, number, number, number],
  })));
  replaceKernel(tf, 'MaxPoolGrad', (args) => maxPoolGradientKernel(tf, args));

  // A product with a transposed operand (as every matrix product's
  // gradient has) runs 25 to 100 times slower than a plain one on this
  // backend; transposing first and multiplying plainly is far faster.
  const product = tf.getKernel('BatchMatMul', 'wasm');
  if (product) {
    const plain = product.kernelFunc;
    const transposed = composite(tf, ({ a, b }, attrs) => {
      const swapLast = (t: Tf.Tensor) => [...t.shape.keys()].map((i) =>
        i < t.rank - 2 ? i : i === t.rank - 2 ? t.rank - 1 : t.rank - 2);
      return tf.matMul(
        attrs.transposeA ? tf.transpose(a!, swapLast(a!)) : a!,
        attrs.transposeB ? tf.transpose(b!, swapLast(b!)) : b!);
    });
    replaceKernel(tf, 'BatchMatMul', (args) => {
      const attrs = (args as unknown as KernelArguments).attrs ?? {};
      return attrs.transposeA || attrs.transposeB
        ? transposed(args) : plain(args);
    });
  }

  // A sum over the leading axes (a bias's gradient: over batch, rows and
  // columns) transposes the whole tensor first on this backend; a loop
  // down the columns of memory gives the same sums 15 times faster.
  const sum = tf.getKernel('Sum', 'wasm');
  if (sum) {
    const reduce = sum.kernelFunc;
    replaceKernel(tf, 'Sum', (args) =>
      sumLeadingKernel(args) ?? reduce(args) as Tf.TensorInfo);
  }
}

/**
 * How many leading axes a reduction covers, when its axes are exactly
 * 0, 1, ..., k - 1; else 0.
 */
function leadingAxes(shape: readonly number[], axis: unknown): number {
  const rank = shape.length;
  const list = (Array.isArray(axis) ? axis : [axis]) as number[];
  if (axis === undefined || axis === null || list.length === 0) return 0;
  const normal = [...new Set(list.map((a) => (a < 0 ? a + rank : a)))]
    .sort((a, b) => a - b);
  return normal.every((a, i) => a === i) ? normal.length : 0;
}

function replaceKernel(
  tf: TfModule,
  kernelName: string,
  kernelFunc: Tf.KernelFunc,
): void {
  if (tf.getKernel(kernelName, 'wasm')) {
    tf.unregisterKernel(kernelName, 'wasm');
  }
  tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
}

/**
 * A kernel computed with tensor operations. A kernel receives raw tensor
 * records; this wraps them as tensors (taking a reference that is given
 * back on disposal), computes, and hands the result's data to the engine
 * as the kernel's output.
 */
function composite(
  tf: TfModule,
  compute: (inputs: Record<string, Tf.Tensor>,
    attrs: Record<string, unknown>) => Tf.Tensor,
): Tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args as unknown as KernelArguments;
    const tensors: Record<string, Tf.Tensor> = {};
    for (const [name, info] of Object.entries(inputs)) {
      backend.incRef(info.dataId);
      tensors[name] = tf.engine().makeTensorFromTensorInfo(info, backend);
    }

    const result = tf.tidy(() => compute(tensors, attrs ?? {}));
    tf.dispose(Object.values(tensors));

    backend.incRef(result.dataId);
    const output = { dataId: result.dataId, shape: result.shape,
      dtype: result.dtype };
    result.dispose();
    return output as unknown as Tf.TensorInfo;
  };
}

/** NCHW to NHWC, or the tensor itself. */
function channelsLast(
  tf: TfModule,
  tensor: Tf.Tensor4D,
  settings: GradientSettings,
): Tf.Tensor4D {
  return settings.dataFormat === 'NCHW'
    ? tf.transpose(tensor, [0, 2, 3, 1]) : tensor;
}

function shapeLast(
  shape: [number, number, number, number],
  settings: GradientSettings,
): [number, number, number, number] {
  return settings.dataFormat === 'NCHW'
    ? [shape[0], shape[2], shape[3], shape[1]] : shape;
}

/** The gradient of a convolution with respect to its filter. */
export function filterGradient(
  tf: TfModule,
  input: Tf.Tensor4D,
  outputGradient: Tf.Tensor4D,
  settings: GradientSettings & {
    filterShape: [number, number, number, number];
  },
): Tf.Tensor4D {
  const x = channelsLast(tf, input, settings);
  const dy = channelsLast(tf, outputGradient, settings);
  const [kernelHeight, kernelWidth, inChannels, outChannels] =
    settings.filterShape;
  const info = tf.backend_util.computeConv2DInfo(x.shape,
    settings.filterShape, settings.strides, 1, settings.pad,
    settings.dimRoundingMode, false, 'channelsLast');
  const { top, bottom, left, right } = info.padInfo;

  // 1. The input as a batch of one image per channel, each with the
  // original batch as its channels; padded as the forward pass was.
  const byChannel = tf.transpose(x, [3, 1, 2, 0]) as Tf.Tensor4D;
  const padded = top || bottom || left || right
    ? tf.pad(byChannel, [[0, 0], [top, bottom], [left, right], [0, 0]])
    : byChannel;

  // 2. dy as the filter: [outHeight, outWidth, batch, outChannels],
  // its taps as far apart as the forward stride.
  const filter = tf.transpose(dy, [1, 2, 0, 3]) as Tf.Tensor4D;
  const correlated = tf.conv2d(padded, filter, 1, 'valid', 'NHWC',
    [info.strideHeight, info.strideWidth]);

  // 3. Rows past the last full stride belong to no tap: cut them off.
  const taps = tf.slice(correlated, [0, 0, 0, 0],
    [inChannels, kernelHeight, kernelWidth, outChannels]);
  return tf.transpose(taps, [1, 2, 0, 3]) as Tf.Tensor4D;
}

/**
 * turned[kh, kw, out, in] = filter[KH-1-kh, KW-1-kw, in, out], in one
 * pass in JavaScript: the backend's reverse and transpose take ten times
 * as long on the large filters of ResNet's last stage.
 */
function turnFilter(tf: TfModule, filter: Tf.Tensor4D): Tf.Tensor4D {
  const [height, width, inputs, outputs] = filter.shape;
  const values = filter.dataSync() as Float32Array;
  const turned = new Float32Array(values.length);
  const taps = height * width;
  const block = inputs * outputs;
  for (let tap = 0; tap < taps; tap++) {
    const from = (taps - 1 - tap) * block;
    const to = tap * block;
    for (let i = 0; i < inputs; i++) {
      for (let o = 0; o < outputs; o++) {
        turned[to + o * inputs + i] = values[from + i * outputs + o]!;
      }
    }
  }
  return tf.tensor4d(turned, [height, width, outputs, inputs]);
}

/** The gradient of a convolution with respect to its input. */
export function inputGradient(
  tf: TfModule,
  outputGradient: Tf.Tensor4D,
  filter: Tf.Tensor4D,
  settings: GradientSettings & {
    inputShape: [number, number, number, number];
  },
): Tf.Tensor4D {
  const dy = channelsLast(tf, outputGradient, settings);
  const inputShape = shapeLast(settings.inputShape, settings);
  const [batch, height, width] = inputShape;
  const [kernelHeight, kernelWidth, , outChannels] = filter.shape;
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape,
    settings.strides, 1, settings.pad, settings.dimRoundingMode, false,
    'channelsLast');
  const { strideHeight, strideWidth } = info;
  const [, outHeight, outWidth] = dy.shape;

  // 1. Spread dy out by the stride: each value followed by stride - 1
  // zeros in each direction.
  let spread = dy;
  if (strideHeight > 1 || strideWidth > 1) {
    const cells = tf.reshape(dy,
      [batch, outHeight, 1, outWidth, 1, outChannels]);
    const zeros = tf.pad(cells, [[0, 0], [0, 0], [0, strideHeight - 1],
      [0, 0], [0, strideWidth - 1], [0, 0]]);
    spread = tf.reshape(zeros, [batch, outHeight * strideHeight,
      outWidth * strideWidth, outChannels]) as Tf.Tensor4D;
  }

  // 2. Pad so that a valid convolution gives back the input's size;
  // trailing zeros past what the input needs are cut instead.
  const top = kernelHeight - 1 - info.padInfo.top;
  const left = kernelWidth - 1 - info.padInfo.left;
  let bottom = height + info.padInfo.top - spread.shape[1];
  let right = width + info.padInfo.left - spread.shape[2];
  if (bottom < 0 || right < 0) {
    spread = tf.slice(spread, [0, 0, 0, 0], [batch,
      spread.shape[1] + Math.min(0, bottom),
      spread.shape[2] + Math.min(0, right), outChannels]);
    bottom = Math.max(0, bottom);
    right = Math.max(0, right);
  }

  // 3. The filter turned 180 degrees, in and out channels swapped.
  const turned = turnFilter(tf, filter);
  const dx = tf.conv2d(spread, turned, 1,
    [[0, 0], [top, bottom], [left, right], [0, 0]]);
  return settings.dataFormat === 'NCHW'
    ? tf.transpose(dx, [0, 3, 1, 2]) : dx;
}

interface PoolSettings {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: Padding;
  dimRoundingMode?: Rounding;
}

/**
 * Sums over the leading axes of a float tensor, in JavaScript over the
 * backend's memory (accumulated in double precision); undefined for any
 * other reduction.
 */
function sumLeadingKernel(args: Parameters<Tf.KernelFunc>[0]):
Tf.TensorInfo | undefined {
  const { inputs, backend, attrs } = args as unknown as KernelArguments;
  const x = inputs.x!;
  const axes = leadingAxes(x.shape, attrs?.axis);
  if (x.dtype !== 'float32' || axes === 0 || axes >= x.shape.length) {
    return undefined;
  }
  const outer = x.shape.slice(0, axes).reduce((a, b) => a * b, 1);
  const kept = x.shape.slice(axes);
  const inner = kept.reduce((a, b) => a * b, 1);
  const memory = backend as unknown as WasmMemory;

  // Allocate first: growing the heap detaches views made before.
  const output = memory.makeOutput(attrs?.keepDims
    ? [...new Array<number>(axes).fill(1), ...kept] : kept, 'float32');
  const sums = memory.typedArrayFromHeap(output);
  const values = memory.typedArrayFromHeap(x);
  const totals = new Float64Array(inner);
  for (let row = 0, at = 0; row < outer; row++) {
    for (let column = 0; column < inner; column++, at++) {
      totals[column]! += values[at]!;
    }
  }
  sums.set(totals);
  return output;
}

/** What the wasm backend offers for reading and writing its memory. */
interface WasmMemory {
  makeOutput(shape: number[], dtype: 'float32'): Tf.TensorInfo;
  typedArrayFromHeap(info: Tf.TensorInfo): Float32Array;
}

/**
 * The gradient of max pooling, written in JavaScript over the backend's
 * memory: each output's gradient goes to the first input of its window
 * (in reading order) that holds the window's maximum, as TensorFlow's
 * CPU kernel does; overlapping windows add up.
 */
function maxPoolGradientKernel(
  tf: TfModule,
  args: Parameters<Tf.KernelFunc>[0],
): Tf.TensorInfo {
  const { inputs, backend, attrs } = args as unknown as KernelArguments;
  const settings = attrs as unknown as PoolSettings;
  const input = inputs.input!;
  const dyInfo = inputs.dy!;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], settings.filterSize,
    settings.strides, 1, settings.pad, settings.dimRoundingMode);
  const memory = backend as unknown as WasmMemory;

  // Allocate first: growing the heap detaches views made before.
  const output = memory.makeOutput(input.shape, 'float32');
  const dx = memory.typedArrayFromHeap(output);
  const x = memory.typedArrayFromHeap(input);
  const dy = memory.typedArrayFromHeap(dyInfo);
  dx.fill(0);

  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight,
    outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  let at = 0;
  for (let n = 0; n < batchSize; n++) {
    const image = n * inHeight * inWidth * channels;
    for (let oh = 0; oh < outHeight; oh++) {
      const rowStart = oh * strideHeight - top;
      for (let ow = 0; ow < outWidth; ow++) {
        const columnStart = ow * strideWidth - left;
        for (let c = 0; c < channels; c++, at++) {
          let best = -Infinity;
          let where = -1;
          for (let fr = 0; fr < filterHeight; fr++) {
            const r = rowStart + fr;
            if (r < 0 || r >= inHeight) continue;
            for (let fc = 0; fc < filterWidth; fc++) {
              const q = columnStart + fc;
              if (q < 0 || q >= inWidth) continue;
              const index = image + (r * inWidth + q) * channels + c;
              if (x[index]! > best || where < 0) {
                best = x[index]!;
                where = index;
              }
            }
          }
          if (where >= 0) dx[where] = dx[where]! + dy[at]!;
        }
      }
    }
  }
  return output;
}
