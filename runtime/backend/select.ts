// Chooses the TensorFlow.js backend a run executes on and says what it got.
import * as tf from '@tensorflow/tfjs';
import os from 'node:os';
import { registerFastKernels } from '../kernels/index.js';
import { loadWasmBackend } from './wasm-loader.js';

export const BACKEND_NAMES = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export type BackendChoice = 'auto' | BackendName;

export interface BackendOptions {
  /** 'auto' (default) takes the first available of BACKEND_NAMES, in that order. */
  backend?: BackendChoice;
  /** XNNPACK threads for the wasm backend; 'auto' uses every core. Default 1. */
  threads?: number | 'auto';
  /** Register the fast wasm kernels of runtime/kernels (default true). */
  fastKernels?: boolean;
}

export interface BackendDescription {
  name: BackendName;
  /** The name TensorFlow.js knows the backend by ('tensorflow', 'wasm', 'cpu'). */
  tfBackend: string;
  simd: boolean;
  threads: number;
  version: string;
  /** Kernels replaced or added by registerFastKernels (wasm only). */
  fastKernels: string[];
  /** Backends tried before this one under 'auto', with the reason each was skipped. */
  skipped: { name: BackendName; reason: string }[];
}

export class BackendUnavailableError extends Error {
  constructor(
    readonly backend: BackendName,
    readonly reason: string,
  ) {
    super(`backend '${backend}' is not available: ${reason}`);
    this.name = 'BackendUnavailableError';
  }
}

const NATIVE_PACKAGES: Record<'tfjs-node-gpu' | 'tfjs-node', string> = {
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
  'tfjs-node': '@tensorflow/tfjs-node',
};

/** Cores this process may use. */
export function coreCount(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

function resolveThreads(threads: number | 'auto' | undefined): number {
  if (threads === undefined) return 1;
  if (threads === 'auto') return coreCount();
  if (!Number.isInteger(threads) || threads < 1) {
    throw new Error(`threads must be a positive integer or 'auto', got ${String(threads)}`);
  }
  return threads;
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}

async function activateNative(name: 'tfjs-node-gpu' | 'tfjs-node'): Promise<Omit<BackendDescription, 'skipped'>> {
  const specifier = NATIVE_PACKAGES[name];
  let mod: { version?: Record<string, string> };
  try {
    mod = (await import(specifier)) as typeof mod;
  } catch (err) {
    throw new BackendUnavailableError(name, `the package ${specifier} cannot be loaded (${errorText(err)})`);
  }
  const ok = await tf.setBackend('tensorflow').catch(() => false);
  if (!ok) throw new BackendUnavailableError(name, `${specifier} loaded but its 'tensorflow' backend did not start`);
  return {
    name,
    tfBackend: 'tensorflow',
    simd: true,
    threads: coreCount(),
    version: mod.version?.[name] ?? tf.version_core,
    fastKernels: [],
  };
}

async function activateWasm(options: BackendOptions): Promise<Omit<BackendDescription, 'skipped'>> {
  let loaded;
  try {
    loaded = await loadWasmBackend(resolveThreads(options.threads));
  } catch (err) {
    throw new BackendUnavailableError('wasm', errorText(err));
  }
  const fastKernels = options.fastKernels === false ? [] : registerFastKernels();
  return { name: 'wasm', tfBackend: 'wasm', simd: loaded.simd, threads: loaded.threads, version: loaded.version, fastKernels };
}

async function activateCpu(): Promise<Omit<BackendDescription, 'skipped'>> {
  const ok = await tf.setBackend('cpu');
  if (!ok) throw new BackendUnavailableError('cpu', 'the pure-JS backend did not start');
  return { name: 'cpu', tfBackend: 'cpu', simd: false, threads: 1, version: tf.version_core, fastKernels: [] };
}

function activate(name: BackendName, options: BackendOptions): Promise<Omit<BackendDescription, 'skipped'>> {
  switch (name) {
    case 'tfjs-node-gpu':
    case 'tfjs-node':
      return activateNative(name);
    case 'wasm':
      return activateWasm(options);
    case 'cpu':
      return activateCpu();
  }
}

/** Makes the chosen (or fastest available) backend the active one and describes it. */
export async function selectBackend(options: BackendOptions = {}): Promise<BackendDescription> {
  const choice = options.backend ?? 'auto';
  if (choice !== 'auto' && !(BACKEND_NAMES as readonly string[]).includes(choice)) {
    throw new Error(`unknown backend '${String(choice)}': expected auto, ${BACKEND_NAMES.join(', ')}`);
  }
  if (choice !== 'auto') {
    return { ...(await activate(choice, options)), skipped: [] };
  }
  const skipped: BackendDescription['skipped'] = [];
  for (const name of BACKEND_NAMES) {
    try {
      return { ...(await activate(name, options)), skipped };
    } catch (err) {
      if (!(err instanceof BackendUnavailableError)) throw err;
      skipped.push({ name, reason: err.reason });
    }
  }
  throw new Error(`no TensorFlow.js backend could start: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}

/** One line for logs, e.g. "backend wasm (SIMD on, 1 thread)". */
export function describeBackend(d: Pick<BackendDescription, 'name' | 'simd' | 'threads'>): string {
  const threads = `${d.threads} thread${d.threads === 1 ? '' : 's'}`;
  switch (d.name) {
    case 'wasm':
      return `backend wasm (SIMD ${d.simd ? 'on' : 'off'}, ${threads})`;
    case 'cpu':
      return `backend cpu (pure JavaScript, ${threads})`;
    default:
      return `backend ${d.name} (native TensorFlow, ${threads})`;
  }
}
