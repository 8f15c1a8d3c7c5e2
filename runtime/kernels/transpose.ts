// Transpose of any rank. The stock wasm kernel writes with a large stride, which is
// slow when the stride maps to few cache sets (12544x288, 50176x32: 1.5-3x), and it
// falls to a per-element generic loop from rank 5 on (20x). Here the two innermost
// axes go through 2-D tiles in WebAssembly (simd/transpose-tiles.ts).
import type * as tf from '@tensorflow/tfjs';
import { copyRowsFor, type CopyRowsFn } from './simd/copy-rows.js';
import { transposeTilesFor, type TransposeTilesFn } from './simd/transpose-tiles.js';
import { asWasmBackend, heapMemory, sizeOf, type WasmBackend } from './wasm-heap.js';

interface Plan {
  shape: number[];
  perm: number[];
}

/** Drops unit axes and merges input axes that stay adjacent and in order. */
export function simplifyPermutation(shape: readonly number[], perm: readonly number[]): Plan {
  const kept = shape.map((d, i) => (d === 1 ? -1 : i));
  const keptPerm = perm.filter((p) => shape[p] !== 1);
  const renumber = new Map<number, number>();
  kept.filter((i) => i >= 0).forEach((axis, idx) => renumber.set(axis, idx));
  const shape1 = shape.filter((d) => d !== 1);
  const perm1 = keptPerm.map((p) => renumber.get(p)!);
  // Merge runs perm1[j], perm1[j]+1, ... into one axis.
  const groups: number[][] = [];
  for (const p of perm1) {
    const last = groups[groups.length - 1];
    if (last !== undefined && last[last.length - 1]! + 1 === p) last.push(p);
    else groups.push([p]);
  }
  const byFirstInputAxis = [...groups].sort((a, b) => a[0]! - b[0]!);
  const newIndex = new Map<number[], number>();
  byFirstInputAxis.forEach((g, i) => newIndex.set(g, i));
  return {
    shape: byFirstInputAxis.map((g) => g.reduce((n, axis) => n * shape1[axis]!, 1)),
    perm: groups.map((g) => newIndex.get(g)!),
  };
}

function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) strides[i] = strides[i + 1]! * shape[i + 1]!;
  return strides;
}

/**
 * Writes transpose(src, perm) into dst: both are 32-bit word views into the backend
 * heap (same buffer). The two axes that are innermost in src and in dst form 2-D tiles
 * handled by a WebAssembly function; the remaining axes are walked here.
 */
export function transposeInto(
  tiles: TransposeTilesFn,
  src: Int32Array,
  shape: readonly number[],
  perm: readonly number[],
  dst: Int32Array,
): void {
  const size = sizeOf(shape);
  const plan = simplifyPermutation(shape, perm);
  const rank = plan.shape.length;
  if (rank <= 1) {
    dst.set(src.subarray(0, size));
    return;
  }
  const inStrides = stridesOf(plan.shape);
  const outShape = plan.perm.map((p) => plan.shape[p]!);
  const outStrides = stridesOf(outShape);
  // outStrideOfInput[a]: how far dst moves when input axis a moves by one.
  const outStrideOfInput = new Array<number>(rank);
  plan.perm.forEach((p, j) => (outStrideOfInput[p] = outStrides[j]!));

  const inner = rank - 1; // contiguous in src
  const outer = plan.perm[rank - 1]!; // contiguous in dst
  const others: number[] = [];
  for (let a = 0; a < rank; a++) if (a !== inner && a !== outer) others.push(a);
  const counter = new Array<number>(others.length).fill(0);
  const rows = plan.shape[outer]!;
  const cols = plan.shape[inner]!;
  const srcRowStride = inStrides[outer]!;
  const dstColStride = outStrideOfInput[inner]!;
  let srcBase = src.byteOffset;
  let dstBase = dst.byteOffset;
  for (;;) {
    tiles(srcBase, dstBase, rows, cols, srcRowStride, dstColStride);
    let k = others.length - 1;
    for (; k >= 0; k--) {
      const axis = others[k]!;
      srcBase += 4 * inStrides[axis]!;
      dstBase += 4 * outStrideOfInput[axis]!;
      if (++counter[k]! < plan.shape[axis]!) break;
      srcBase -= 4 * inStrides[axis]! * plan.shape[axis]!;
      dstBase -= 4 * outStrideOfInput[axis]! * plan.shape[axis]!;
      counter[k] = 0;
    }
    if (k < 0) return;
  }
}

/**
 * Rows whose length is a multiple of four words: the two innermost output axes go through
 * a WebAssembly loop of 16-byte copies, the others are walked here.
 */
function transposeWholeRows(copyRows: CopyRowsFn, src: Int32Array, plan: Plan, dst: Int32Array): void {
  const rank = plan.shape.length;
  const rowBytes = 4 * plan.shape[rank - 1]!;
  const inStrides = stridesOf(plan.shape);
  const outAxes = plan.perm.slice(0, rank - 1);
  const axisB = outAxes[outAxes.length - 1]!;
  const axisA = outAxes.length >= 2 ? outAxes[outAxes.length - 2]! : -1;
  const countA = axisA >= 0 ? plan.shape[axisA]! : 1;
  const strideA = axisA >= 0 ? 4 * inStrides[axisA]! : 0;
  const countB = plan.shape[axisB]!;
  const strideB = 4 * inStrides[axisB]!;
  const walked = outAxes.slice(0, Math.max(0, outAxes.length - 2));
  const blockBytes = countA * countB * rowBytes;
  const counter = new Array<number>(walked.length).fill(0);
  let srcBase = src.byteOffset;
  let dstBase = dst.byteOffset;
  for (;;) {
    copyRows(srcBase, dstBase, countA, strideA, countB, strideB, rowBytes);
    dstBase += blockBytes;
    let k = walked.length - 1;
    for (; k >= 0; k--) {
      const axis = walked[k]!;
      srcBase += 4 * inStrides[axis]!;
      if (++counter[k]! < plan.shape[axis]!) break;
      srcBase -= 4 * inStrides[axis]! * plan.shape[axis]!;
      counter[k] = 0;
    }
    if (k < 0) return;
  }
}

/** Same as transposeInto when the last axis stays last: copies whole rows. */
function transposeRowsInto(src: Int32Array, plan: Plan, dst: Int32Array): void {
  const rank = plan.shape.length;
  const rowLength = plan.shape[rank - 1]!;
  const inStrides = stridesOf(plan.shape);
  const outAxes = plan.perm.slice(0, rank - 1);
  const counter = new Array<number>(rank - 1).fill(0);
  let srcBase = 0;
  let d = 0;
  for (;;) {
    if (rowLength >= 32) {
      dst.set(src.subarray(srcBase, srcBase + rowLength), d);
      d += rowLength;
    } else {
      for (let i = 0; i < rowLength; i++) dst[d++] = src[srcBase + i]!;
    }
    let k = rank - 2;
    for (; k >= 0; k--) {
      const axis = outAxes[k]!;
      srcBase += inStrides[axis]!;
      if (++counter[k]! < plan.shape[axis]!) break;
      srcBase -= inStrides[axis]! * plan.shape[axis]!;
      counter[k] = 0;
    }
    if (k < 0) return;
  }
}

/** Whether the last axis stays last once unit and adjacent axes are merged. */
export function keepsLastAxis(shape: readonly number[], perm: readonly number[]): boolean {
  const plan = simplifyPermutation(shape, perm);
  return plan.shape.length >= 2 && plan.perm[plan.shape.length - 1] === plan.shape.length - 1;
}

/** transpose(x, perm) into out (a new tensor of the permuted shape), 32-bit data. */
export function transposeTensor(backend: WasmBackend, x: tf.TensorInfo, perm: readonly number[], out: tf.TensorInfo): void {
  if (sizeOf(x.shape) === 0) return;
  transposeWords(backend, wordView(backend, x), x.shape, perm, wordView(backend, out));
}

/** transpose(src, perm) into dst, both 32-bit word views into the backend's heap (whole tensors or parts of them). */
export function transposeWords(backend: WasmBackend, src: Int32Array, shape: readonly number[], perm: readonly number[], dst: Int32Array): void {
  if (keepsLastAxis(shape, perm)) {
    const plan = simplifyPermutation(shape, perm);
    if (plan.shape[plan.shape.length - 1]! % 4 === 0) transposeWholeRows(copyRowsFor(heapMemory(backend)), src, plan, dst);
    else transposeRowsInto(src, plan, dst);
  } else transposeInto(transposeTilesFor(heapMemory(backend)), src, shape, perm, dst);
}

/**
 * Moves raw 32-bit words: float32 and int32 data go through an Int32Array view, so
 * the copy loops see one element type (monomorphic, fast) and NaN payloads survive.
 */
export function wordView(backend: WasmBackend, info: tf.TensorInfo): Int32Array {
  const view = backend.typedArrayFromHeap(info);
  return new Int32Array(view.buffer, view.byteOffset, view.length);
}

/**
 * The stock kernel is kept where it is good: moves that keep the last axis in place,
 * up to rank 4 (its specialised loops). Everything else (2-D transposes, swaps of the
 * last axis, rank 5 and more where it falls to a generic per-element loop) is ours.
 */
export function transposeKernel(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = args.inputs['x'] as tf.TensorInfo;
    const perm = (args.attrs as { perm: number[] }).perm;
    if (x.dtype !== 'float32' && x.dtype !== 'int32') return original(args);
    if (x.shape.length <= 4 && keepsLastAxis(x.shape, perm)) return original(args);
    const backend = asWasmBackend(args.backend);
    const out = backend.makeOutput(
      perm.map((p) => x.shape[p]!),
      x.dtype,
    );
    transposeTensor(backend, x, perm, out);
    return out;
  };
}
