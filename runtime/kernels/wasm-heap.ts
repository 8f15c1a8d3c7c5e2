// Direct access to tensor data living in the wasm backend's heap, so kernels written
// in JavaScript can read and write it without copies.
//
// Any allocation on the heap (a new output, or a call into another kernel) may grow
// the wasm memory and detach earlier views: take views only after the last
// allocation of a step.
import type * as tf from '@tensorflow/tfjs';
import { isWasmMemory, type WasmMemory } from './simd/webassembly.js';

export type HeapArray = Float32Array | Int32Array | Uint8Array;

/** The part of BackendWasm (@tensorflow/tfjs-backend-wasm) the kernels rely on. */
export interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  incRef(dataId: object): void;
  typedArrayFromHeap(info: tf.TensorInfo): HeapArray;
  /** The emscripten module; its memory is exported as asm.memory (or wasmMemory). */
  wasm: { asm?: { memory?: unknown }; wasmMemory?: unknown };
}

/** The WebAssembly.Memory holding every tensor of the backend. */
export function heapMemory(backend: WasmBackend): WasmMemory {
  const memory = backend.wasm.asm?.memory ?? backend.wasm.wasmMemory;
  if (!isWasmMemory(memory)) throw new Error('the wasm backend does not expose its memory');
  return memory;
}

/** Byte address of a tensor's data in the heap (stable: wasm memory never moves). */
export function addressOf(backend: WasmBackend, info: tf.TensorInfo): number {
  return backend.typedArrayFromHeap(info).byteOffset;
}

export function asWasmBackend(backend: unknown): WasmBackend {
  const b = backend as Partial<WasmBackend>;
  if (typeof b.makeOutput !== 'function' || typeof b.typedArrayFromHeap !== 'function' || typeof b.incRef !== 'function') {
    throw new Error('fast kernels need the TensorFlow.js wasm backend');
  }
  return b as WasmBackend;
}

export function f32(backend: WasmBackend, info: tf.TensorInfo): Float32Array {
  if (info.dtype !== 'float32') throw new Error(`expected a float32 tensor, got ${info.dtype}`);
  return backend.typedArrayFromHeap(info) as Float32Array;
}

export function i32(backend: WasmBackend, info: tf.TensorInfo): Int32Array {
  if (info.dtype !== 'int32') throw new Error(`expected an int32 tensor, got ${info.dtype}`);
  return backend.typedArrayFromHeap(info) as Int32Array;
}

/** The same data seen with another shape (no copy, no new reference). */
export function withShape(info: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Releases scratch tensors a kernel made for itself. */
export function release(backend: WasmBackend, ...infos: (tf.TensorInfo | undefined)[]): void {
  for (const info of infos) if (info !== undefined) backend.disposeData(info.dataId);
}
