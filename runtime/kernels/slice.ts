// Slice, Unpack (unstack) and SplitV (split) without copies of the whole input.
// The stock wasm Slice starts with readSync(x), which copies all of x out of the heap
// into a new JS buffer on every call: unstacking the [3, B, heads, N, d] q/k/v tensor
// of an attention layer copied it three times (and fed the garbage collector).
import * as tf from '@tensorflow/tfjs';
import { asWasmBackend, sizeOf, type WasmBackend } from './wasm-heap.js';

/** A view of the whole heap in the element width of the dtype (4-byte or 1-byte). */
function heapOf(backend: WasmBackend, info: tf.TensorInfo): { heap: Int32Array | Uint8Array; base: number } {
  const view = backend.typedArrayFromHeap(info);
  if (view.BYTES_PER_ELEMENT === 4) return { heap: new Int32Array(view.buffer), base: view.byteOffset >> 2 };
  return { heap: new Uint8Array(view.buffer), base: view.byteOffset };
}

/** Copies x[begin : begin + size] (row-major) into a new tensor. */
export function sliceTensor(backend: WasmBackend, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  const count = sizeOf(size);
  if (count === 0) return out;
  const rank = x.shape.length;
  const strides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) strides[i] = strides[i + 1]! * x.shape[i + 1]!;
  // Trailing axes taken whole extend the contiguous run of the first partial axis.
  let runAxis = rank - 1;
  while (runAxis > 0 && size[runAxis] === x.shape[runAxis]) runAxis--;
  const run = sizeOf(size.slice(runAxis));
  const src = heapOf(backend, x);
  const dst = heapOf(backend, out);
  const heap = src.heap;
  let from = src.base;
  for (let i = 0; i < rank; i++) from += begin[i]! * strides[i]!;
  const counter = new Array<number>(runAxis).fill(0);
  let to = dst.base;
  for (;;) {
    if (run >= 16) heap.copyWithin(to, from, from + run);
    else for (let i = 0; i < run; i++) heap[to + i] = heap[from + i]!;
    to += run;
    let k = runAxis - 1;
    for (; k >= 0; k--) {
      from += strides[k]!;
      if (++counter[k]! < size[k]!) break;
      from -= strides[k]! * size[k]!;
      counter[k] = 0;
    }
    if (k < 0) return out;
  }
}

export function sliceKernel(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = args.inputs['x'] as tf.TensorInfo;
    if (x.dtype === 'string' || x.dtype === 'complex64') return original(args);
    const { begin, size } = args.attrs as { begin: number | number[]; size?: number | number[] };
    const [begin_, size_] = tf.slice_util.parseSliceParams(x, begin, size);
    return sliceTensor(asWasmBackend(args.backend), x, begin_, size_);
  };
}

export function unpackKernel(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const value = args.inputs['value'] as tf.TensorInfo;
    if (value.dtype === 'string' || value.dtype === 'complex64') return original(args);
    const rank = value.shape.length;
    const axis = ((args.attrs as { axis: number }).axis + rank) % rank;
    const outShape = value.shape.filter((_, i) => i !== axis);
    const size = value.shape.slice();
    size[axis] = 1;
    const begin = new Array<number>(rank).fill(0);
    const backend = asWasmBackend(args.backend);
    return Array.from({ length: value.shape[axis]! }, (_, i) => {
      begin[axis] = i;
      const piece = sliceTensor(backend, value, begin, size);
      return { dataId: piece.dataId, dtype: piece.dtype, shape: outShape };
    });
  };
}

export function splitKernel(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = args.inputs['x'] as tf.TensorInfo;
    if (x.dtype === 'string' || x.dtype === 'complex64') return original(args);
    const { numOrSizeSplits, axis } = args.attrs as { numOrSizeSplits: number | number[]; axis: number };
    const $axis = tf.util.parseAxisParam(axis, x.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, $axis);
    const begin = new Array<number>(x.shape.length).fill(0);
    const backend = asWasmBackend(args.backend);
    return sizes.map((s) => {
      const size = x.shape.slice();
      size[$axis] = s;
      const piece = sliceTensor(backend, x, begin, size);
      begin[$axis]! += s;
      return piece;
    });
  };
}
