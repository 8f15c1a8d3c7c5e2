// Loads the TensorFlow.js WebAssembly backend in Node, from any working directory,
// optionally with XNNPACK's thread pool running on several cores.
//
// Two things stop the stock package from using threads in Node, and both are worked
// around here only for the moment the module is instantiated:
//  1. The threaded build starts its pthreads from a worker script that it hands to
//     `new Worker()` as a `blob:` URL, which Node refuses (ERR_WORKER_PATH). We write
//     the same worker script to a CommonJS file and hand that path out instead.
//  2. The C++ side caps the pool at `logical cores / 2` (it assumes two hyper-threads
//     per core), so on a 2-core machine it always falls back to one thread. We report
//     twice the requested thread count as logical cores while the module starts.
// The pool's workers are also started without the parent's Node flags (a TypeScript
// loader, `--input-type`, `-e`), which they neither need nor accept.
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import workerThreads from 'node:worker_threads';

const require = createRequire(import.meta.url);

/** The largest pool the threaded build pre-creates workers for. */
export const MAX_WASM_THREADS = 8;

export interface WasmModuleApi {
  setWasmPaths(prefix: string): void;
  setThreadsCount(n: number): void;
  getThreadsCount(): number;
  version_wasm: string;
}

export interface WasmLoadResult {
  threads: number;
  simd: boolean;
  version: string;
}

/** Root folder of the installed @tensorflow/tfjs-backend-wasm package. */
export function wasmPackageRoot(): string {
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
}

/** Folder holding the three .wasm binaries, with a trailing separator. */
export function wasmBinaryFolder(): string {
  return path.join(wasmPackageRoot(), 'dist') + path.sep;
}

let loadedModule: WasmModuleApi | undefined;

/** Imports the wasm backend package (registers the 'wasm' backend and its kernels). */
export async function importWasmModule(): Promise<WasmModuleApi> {
  if (loadedModule === undefined) {
    const specifier = '@tensorflow/tfjs-backend-wasm';
    const mod = (await import(specifier)) as Partial<WasmModuleApi> & { default?: Partial<WasmModuleApi> };
    const api = (typeof mod.setWasmPaths === 'function' ? mod : mod.default) as WasmModuleApi | undefined;
    if (api === undefined || typeof api.setWasmPaths !== 'function') {
      throw new Error('@tensorflow/tfjs-backend-wasm does not export setWasmPaths: unsupported version');
    }
    loadedModule = api;
  }
  return loadedModule;
}

/** Writes (once per package version) the pthread worker script Node can start. */
function writePthreadWorkerScript(): string {
  const root = wasmPackageRoot();
  const gluePath = path.join(root, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
  const workerModule = path.join(root, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js');
  const { wasmWorkerContents } = require(workerModule) as { wasmWorkerContents: string };
  // The stock script loads the module factory from a Blob it receives by message;
  // in Node we load the factory from the package file and skip that step.
  const blobImport =
    'if(typeof e.data.urlOrBlob=="string"){importScripts(e.data.urlOrBlob)}else{var objectUrl=URL.createObjectURL(e.data.urlOrBlob);importScripts(objectUrl);URL.revokeObjectURL(objectUrl)}';
  if (!wasmWorkerContents.includes(blobImport)) {
    throw new Error('unrecognised pthread worker script in @tensorflow/tfjs-backend-wasm');
  }
  const body =
    `globalThis.WasmBackendModuleThreadedSimd = require(${JSON.stringify(gluePath)});\n` +
    wasmWorkerContents.replace(blobImport, '').replace(/\n/g, '\\n');
  const hash = crypto.createHash('sha256').update(body).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), `eft-wasm-pthread-${hash}`);
  const file = path.join(dir, 'worker.cjs');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(partial, body);
    fs.renameSync(partial, file);
  }
  return file;
}

function isWasmInitialised(): boolean {
  const registry = tf.engine().registry as Record<string, unknown>;
  return registry['wasm'] !== undefined;
}

/**
 * Initialises the 'wasm' backend with the given number of XNNPACK threads and makes
 * it the active backend. Returns what was really obtained: if the backend had been
 * initialised earlier, its existing thread count is kept and reported.
 */
export async function loadWasmBackend(requestedThreads: number): Promise<WasmLoadResult> {
  if (!Number.isInteger(requestedThreads) || requestedThreads < 1) {
    throw new Error(`wasm threads must be a positive integer, got ${requestedThreads}`);
  }
  const threads = Math.min(requestedThreads, MAX_WASM_THREADS);
  const api = await importWasmModule();
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
  if (isWasmInitialised()) {
    await activate('wasm');
    return { threads: api.getThreadsCount(), simd, version: api.version_wasm };
  }
  api.setWasmPaths(wasmBinaryFolder());
  if (threads === 1) {
    api.setThreadsCount(1);
    await activate('wasm');
    return { threads: api.getThreadsCount(), simd, version: api.version_wasm };
  }
  const workerScript = writePthreadWorkerScript();
  const originalCreateObjectURL = URL.createObjectURL;
  const originalCpus = os.cpus;
  const OriginalWorker = workerThreads.Worker;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  api.setThreadsCount(threads);
  URL.createObjectURL = () => workerScript;
  (os as { cpus: typeof os.cpus }).cpus = () => {
    const cpus = originalCpus();
    const wanted = Math.max(2 * threads, cpus.length);
    return Array.from({ length: wanted }, (_, i) => cpus[i % cpus.length]!);
  };
  (workerThreads as { Worker: typeof workerThreads.Worker }).Worker = class extends OriginalWorker {
    constructor(filename: string | URL, options?: workerThreads.WorkerOptions) {
      super(filename, { ...options, execArgv: [] });
    }
  };
  try {
    await activate('wasm');
  } finally {
    URL.createObjectURL = originalCreateObjectURL;
    (os as { cpus: typeof os.cpus }).cpus = originalCpus;
    (workerThreads as { Worker: typeof workerThreads.Worker }).Worker = OriginalWorker;
  }
  letProcessExitWithPoolRunning();
  return { threads: api.getThreadsCount(), simd, version: api.version_wasm };
}

interface PthreadRegistry {
  runningWorkers?: { unref(): void }[];
  unusedWorkers?: { unref(): void }[];
}

/**
 * The pool's threads wait for work forever and emscripten keeps their workers
 * referenced, so Node would never exit. The main thread blocks while they compute,
 * so unreferencing them changes nothing but that.
 */
function letProcessExitWithPoolRunning(): void {
  const backend = tf.backend() as unknown as { wasm?: { PThread?: PthreadRegistry } };
  const registry = backend.wasm?.PThread;
  for (const worker of [...(registry?.runningWorkers ?? []), ...(registry?.unusedWorkers ?? [])]) worker.unref();
}

async function activate(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`the ${name} backend failed to initialise`);
}
