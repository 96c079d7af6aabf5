// The compute backend behind every model: TensorFlow.js, loaded the first
// time a statement needs it, so that `fair check` and the REPL start fast.
//
// The fastest backend that loads wins, in this order:
//
//   gpu    @tensorflow/tfjs-node-gpu   native TensorFlow with CUDA
//   node   @tensorflow/tfjs-node       native TensorFlow on the CPU
//   wasm   @tensorflow/tfjs-backend-wasm  WebAssembly (SIMD, one thread)
//   cpu    the plain JavaScript backend inside @tensorflow/tfjs
//
// The two native packages are optional dependencies: their install fetches
// a library from outside the package registry and fails on machines
// without that access. Their absence is normal and silent; a package that
// is installed but fails to load is reported in a note.
//
// Use from any model code (the CNN family too):
//
//   const { tf, backend } = await loadTf(session);
//
// `set backend NAME` asks for one backend for a session (requestBackend).

import { createRequire } from 'node:module';
import type * as Tf from '@tensorflow/tfjs';

export type TfModule = typeof Tf;

export type BackendName = 'gpu' | 'node' | 'wasm' | 'cpu';
export type BackendChoice = BackendName | 'auto';

/** The words `set backend` accepts, fastest first. */
export const backendChoices: readonly BackendChoice[] =
  ['auto', 'gpu', 'node', 'wasm', 'cpu'];

export const backendOrder: readonly BackendName[] =
  ['gpu', 'node', 'wasm', 'cpu'];

export interface LoadedTf {
  tf: TfModule;
  backend: BackendName;
  /** For people: "wasm (TensorFlow.js 4.22.0, WebAssembly with SIMD)". */
  description: string;
  /** Why faster backends were passed over, when that is worth saying. */
  notes: string[];
}

/** Why one backend could not be used. */
export interface BackendFailure {
  backend: BackendName;
  /** True when its package is simply not installed. */
  absent: boolean;
  reason: string;
}

export class BackendUnavailable extends Error {
  constructor(readonly failure: BackendFailure) {
    super(failure.reason);
  }
}

const nativePackages: Record<'gpu' | 'node', string> = {
  gpu: '@tensorflow/tfjs-node-gpu',
  node: '@tensorflow/tfjs-node',
};

// The engine is one per process; what each session asked for is kept here
// so that the Session class needs no field for it.
const requested = new WeakMap<object, BackendChoice>();

/** Remember the backend a session asked for with `set backend`. */
export function requestBackend(session: object, choice: BackendChoice): void {
  requested.set(session, choice);
}

export function requestedBackend(session: object | undefined): BackendChoice {
  return (session && requested.get(session)) ?? 'auto';
}

// Loading a backend is slow the first time and cheap after; remember the
// outcome of every attempt for the life of the process.
const attempts = new Map<BackendName, Promise<LoadedTf>>();

/**
 * TensorFlow.js with the session's backend active: the one it asked for,
 * else the fastest that loads. Throws BackendUnavailable when a backend
 * that was asked for by name cannot be used.
 */
export async function loadTf(session?: object): Promise<LoadedTf> {
  const choice = requestedBackend(session);
  if (choice !== 'auto') return activate(await attempt(choice));

  const passedOver: BackendFailure[] = [];
  for (const backend of backendOrder) {
    try {
      const loaded = await attempt(backend);
      return activate({
        ...loaded,
        notes: passedOver.filter((f) => !f.absent).map((f) =>
          `backend ${f.backend} is installed but could not be used: ` +
          f.reason),
      });
    } catch (cause) {
      if (!(cause instanceof BackendUnavailable)) throw cause;
      passedOver.push(cause.failure);
    }
  }
  // The plain CPU backend ships inside @tensorflow/tfjs: reaching this
  // line means the main dependency itself is broken.
  throw new Error('no TensorFlow.js backend could be loaded: ' +
    passedOver.map((f) => `${f.backend}: ${f.reason}`).join('; '));
}

function attempt(backend: BackendName): Promise<LoadedTf> {
  let pending = attempts.get(backend);
  if (!pending) {
    pending = load(backend);
    attempts.set(backend, pending);
  }
  return pending;
}

/** Make a loaded backend the engine's active one (another may be). */
async function activate(loaded: LoadedTf): Promise<LoadedTf> {
  const { tf } = loaded;
  const engineName = loaded.backend === 'gpu' || loaded.backend === 'node'
    ? 'tensorflow'
    : loaded.backend;
  if (tf.getBackend() !== engineName) {
    await tf.setBackend(engineName);
    await tf.ready();
  }
  return loaded;
}

async function load(backend: BackendName): Promise<LoadedTf> {
  switch (backend) {
    case 'gpu':
    case 'node':
      return loadNative(backend);
    case 'wasm':
      return loadWasm();
    case 'cpu':
      return loadCpu();
  }
}

async function core(): Promise<TfModule> {
  const tf = await import('@tensorflow/tfjs');
  quiet(tf);
  return tf;
}

/**
 * TensorFlow.js prints advice ("install tfjs-node") on first use; Fair's
 * output is its results only, and says itself which backend ran.
 */
function quiet(tf: TfModule): void {
  tf.env().set('PROD', true);
}

async function loadNative(backend: 'gpu' | 'node'): Promise<LoadedTf> {
  const name = nativePackages[backend];
  let module: unknown;
  try {
    // A variable specifier: TypeScript must not look for the optional
    // package's types, which are absent wherever it is not installed.
    const specifier: string = name;
    module = await import(specifier);
  } catch (cause) {
    throw new BackendUnavailable({
      backend,
      absent: isMissingPackage(cause, name),
      reason: isMissingPackage(cause, name)
        ? `${name} is not installed`
        : `${name} failed to load: ${firstLine(cause)}`,
    });
  }

  const tf = module as TfModule;
  quiet(tf);
  try {
    await tf.setBackend('tensorflow');
    await tf.ready();
  } catch (cause) {
    throw new BackendUnavailable({ backend, absent: false,
      reason: `${name} loaded but its backend did not start: ` +
        firstLine(cause) });
  }

  // tfjs-node-gpu starts on the CPU when it finds no CUDA device.
  const engine = tf.backend() as unknown as { isUsingGpuDevice?: boolean };
  const device = backend === 'gpu'
    ? engine.isUsingGpuDevice ? 'native TensorFlow on the GPU (CUDA)'
      : 'native TensorFlow; no GPU found, running on the CPU'
    : 'native TensorFlow on the CPU';
  return {
    tf,
    backend,
    description: `${backend} (TensorFlow.js ${tf.version.tfjs}, ${device})`,
    notes: [],
  };
}

async function loadWasm(): Promise<LoadedTf> {
  const tf = await core();
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    const started = await tf.setBackend('wasm');
    if (!started) throw new Error('the backend did not initialise');
    await tf.ready();
  } catch (cause) {
    throw new BackendUnavailable({ backend: 'wasm',
      absent: isMissingPackage(cause, '@tensorflow/tfjs-backend-wasm'),
      reason: `@tensorflow/tfjs-backend-wasm: ${firstLine(cause)}` });
  }
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return {
    tf,
    backend: 'wasm',
    description: `wasm (TensorFlow.js ${tf.version.tfjs}, WebAssembly` +
      `${simd ? ' with SIMD' : ''}, one thread)`,
    notes: [],
  };
}

async function loadCpu(): Promise<LoadedTf> {
  const tf = await core();
  await tf.setBackend('cpu');
  await tf.ready();
  return {
    tf,
    backend: 'cpu',
    description: `cpu (TensorFlow.js ${tf.version.tfjs}, plain JavaScript)`,
    notes: [],
  };
}

function isMissingPackage(cause: unknown, name: string): boolean {
  const error = cause as NodeJS.ErrnoException;
  const missing = error?.code === 'ERR_MODULE_NOT_FOUND' ||
    error?.code === 'MODULE_NOT_FOUND';
  // A package that is there but lacks one of its own dependencies is
  // broken, not absent: only its own name counts.
  return missing && String(error.message).includes(`'${name}'`);
}

function firstLine(cause: unknown): string {
  const text = cause instanceof Error ? cause.message : String(cause);
  return text.split('\n')[0]!.slice(0, 200);
}

/**
 * The backend `loadTf` would try first, judged only by which packages are
 * installed: nothing is imported, so this is cheap enough for statements
 * that must stay fast (`seed`, the REPL's banner). A native package that
 * is installed but broken is still named; loadTf then falls back.
 */
export function likelyBackend(session?: object): BackendName {
  const choice = requestedBackend(session);
  if (choice !== 'auto') return choice;
  const require = createRequire(import.meta.url);
  for (const backend of ['gpu', 'node'] as const) {
    try {
      require.resolve(nativePackages[backend]);
      return backend;
    } catch {
      // Not installed: the usual case.
    }
  }
  return 'wasm';
}

/** Which backends load here, fastest first (loads each one it tries). */
export async function backendAvailability(): Promise<
  { backend: BackendName; available: boolean; reason?: string }[]
> {
  const report = [];
  for (const backend of backendOrder) {
    try {
      await attempt(backend);
      report.push({ backend, available: true });
    } catch (cause) {
      if (!(cause instanceof BackendUnavailable)) throw cause;
      report.push({ backend, available: false, reason: cause.message });
    }
  }
  return report;
}
