// Matrix products on the wasm backend.
//
// The stock kernel only reaches XNNPACK's fast GEMM (about 30 GFLOP/s on one core)
// for a single matrix pair without transposes; everything else falls to a scalar
// triple loop (about 2 GFLOP/s, worse with transposeA). Every matMul gradient uses a
// transpose, and dense layers on [batch, tokens, dim] inputs are batched. So:
//  - transposes are done explicitly (transpose.ts) before the product;
//  - a batched left operand times one right matrix is folded into a single GEMM;
//  - truly batched products (attention) run in a small SIMD kernel of our own
//    (simd/batched-matmul.ts), after explicit transposes;
//  - Aᵀ·B summed over at least as many rows as the result has on its wider side (weight
//    gradients xᵀ·dy) runs in another (simd/tall-product.ts): no transpose, no packing.
import * as tf from '@tensorflow/tfjs';
import { transposeTensor } from './transpose.js';
import { batchedMatMulFor } from './simd/batched-matmul.js';
import { tallProductChunk, tallProductFor } from './simd/tall-product.js';
import { addressOf, asWasmBackend, heapMemory, release, sizeOf, type WasmBackend, withShape } from './wasm-heap.js';

export interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/** Swaps the last two axes into a new tensor. */
export function transposeLastTwo(backend: WasmBackend, x: tf.TensorInfo): tf.TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank).keys()];
  perm[rank - 1] = rank - 2;
  perm[rank - 2] = rank - 1;
  const out = backend.makeOutput(
    perm.map((p) => x.shape[p]!),
    x.dtype,
  );
  transposeTensor(backend, x, perm, out);
  return out;
}

interface Operands {
  a: tf.TensorInfo;
  b: tf.TensorInfo;
  batchA: number;
  batchB: number;
  m: number;
  k: number;
  n: number;
  outShape: number[];
}

function describeOperands(a: tf.TensorInfo, b: tf.TensorInfo, attrs: MatMulAttrs): Operands | undefined {
  if (a.shape.length < 2 || b.shape.length < 2) return undefined;
  const [aRows, aCols] = a.shape.slice(-2) as [number, number];
  const [bRows, bCols] = b.shape.slice(-2) as [number, number];
  const m = attrs.transposeA ? aCols : aRows;
  const k = attrs.transposeA ? aRows : aCols;
  const kB = attrs.transposeB ? bCols : bRows;
  const n = attrs.transposeB ? bRows : bCols;
  if (k !== kB) return undefined;
  let outer: number[];
  try {
    outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  } catch {
    return undefined;
  }
  return {
    a,
    b,
    batchA: sizeOf(a.shape.slice(0, -2)),
    batchB: sizeOf(b.shape.slice(0, -2)),
    m,
    k,
    n,
    outShape: [...outer, m, n],
  };
}

/**
 * Brings both operands to the no-transpose layout when the right operand is a single
 * matrix, so the product is one [batchA*m, k] x [k, n] GEMM. Returns the 2-D views
 * and the scratch tensors to release, or undefined when the product is truly batched.
 */
function foldToGemm(
  backend: WasmBackend,
  ops: Operands,
  attrs: MatMulAttrs,
): { a2: tf.TensorInfo; b2: tf.TensorInfo; scratch: tf.TensorInfo[] } | undefined {
  if (ops.batchB !== 1) return undefined;
  const scratch: tf.TensorInfo[] = [];
  let a = ops.a;
  if (attrs.transposeA && ops.m > 1 && ops.k > 1) {
    a = transposeLastTwo(backend, ops.a);
    scratch.push(a);
  }
  let b = ops.b;
  if (attrs.transposeB && ops.k > 1 && ops.n > 1) {
    b = transposeLastTwo(backend, ops.b);
    scratch.push(b);
  }
  return {
    // Rank 3 with a batch of one: the shape the stock fused kernel expects.
    a2: withShape(a, [1, ops.batchA * ops.m, ops.k]),
    b2: withShape(b, [1, ops.k, ops.n]),
    scratch,
  };
}

/** Measured cost per element (ns) of our transpose and of XNNPACK packing its right operand. */
const TRANSPOSE_COST = 0.4;
const PACKING_COST = 3;

/**
 * For a single product, whether computing (B^T A^T)^T is cheaper than A B: XNNPACK
 * repacks its right operand on every call (~3 ns per element here), so the smaller
 * operand should be the one on the right. Typical case: weight gradients x^T dy.
 */
function swapIsCheaper(ops: Operands, attrs: MatMulAttrs): boolean {
  if (ops.batchA !== 1 || ops.batchB !== 1) return false;
  const { m, k, n } = ops;
  const direct = ((attrs.transposeA ? m * k : 0) + (attrs.transposeB ? k * n : 0)) * TRANSPOSE_COST + k * n * PACKING_COST;
  const swapped = ((attrs.transposeB ? 0 : k * n) + (attrs.transposeA ? 0 : m * k) + m * n) * TRANSPOSE_COST + m * k * PACKING_COST;
  return swapped < direct;
}

function swappedProduct(original: tf.KernelFunc, backend: WasmBackend, ops: Operands, attrs: MatMulAttrs): tf.TensorInfo {
  const { m, k, n } = ops;
  const bT = attrs.transposeB ? withShape(ops.b, [n, k]) : transposeLastTwo(backend, withShape(ops.b, [k, n]));
  const aT = attrs.transposeA ? withShape(ops.a, [k, m]) : transposeLastTwo(backend, withShape(ops.a, [m, k]));
  const outT = original({
    inputs: { a: withShape(bT, [1, n, k]), b: withShape(aT, [1, k, m]) },
    backend: backend as unknown as tf.KernelBackend,
    attrs: { transposeA: false, transposeB: false },
  }) as tf.TensorInfo;
  const out = transposeLastTwo(backend, withShape(outT, [n, m]));
  release(backend, attrs.transposeB ? undefined : bT, attrs.transposeA ? undefined : aT, outT);
  return withShape(out, ops.outShape);
}

/**
 * Whether Aᵀ·B goes to the tall-product kernel: a single pair, summed over at least as many
 * rows as the wider side of the result. Against the transpose-and-GEMM route it measured
 * 1.3–1.9× faster there (128–6,400 rows, sides 10–1,536); with few rows and wide sides
 * (128 rows, 512 columns) XNNPACK's packed GEMM was up to 2× faster.
 */
function isTallTransposedProduct(ops: Operands, attrs: MatMulAttrs): boolean {
  return attrs.transposeA && !attrs.transposeB && ops.batchA === 1 && ops.batchB === 1 && ops.k >= Math.max(ops.m, ops.n);
}

/** Aᵀ·B with A [k][m] read in place. */
function tallTransposedProduct(backend: WasmBackend, ops: Operands): tf.TensorInfo {
  const out = backend.makeOutput(ops.outShape, 'float32');
  const { k, m, n } = ops;
  tallProductFor(heapMemory(backend))(addressOf(backend, ops.a), addressOf(backend, ops.b), addressOf(backend, out), k, m, n, 4 * m, 4, tallProductChunk(m, n));
  return out;
}

export function batchMatMulKernel(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const a = args.inputs['a'] as tf.TensorInfo;
    const b = args.inputs['b'] as tf.TensorInfo;
    const attrs = args.attrs as unknown as MatMulAttrs;
    const ops = describeOperands(a, b, attrs);
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || ops === undefined) return original(args);
    const backend = asWasmBackend(args.backend);
    if (isTallTransposedProduct(ops, attrs)) return tallTransposedProduct(backend, ops);
    if (swapIsCheaper(ops, attrs)) return swappedProduct(original, backend, ops, attrs);
    const folded = foldToGemm(backend, ops, attrs);
    if (folded !== undefined) {
      const out = original({
        inputs: { a: folded.a2, b: folded.b2 },
        backend: args.backend,
        attrs: { transposeA: false, transposeB: false },
      }) as tf.TensorInfo;
      release(backend, ...folded.scratch);
      return withShape(out, ops.outShape);
    }
    const batched = batchedProduct(backend, ops, attrs);
    return batched ?? original(args);
  };
}

/**
 * Batched product in the SIMD kernel when the batch axes match or one operand is a
 * single matrix (broadcast); undefined for other broadcasts (left to the stock kernel).
 */
function batchedProduct(backend: WasmBackend, ops: Operands, attrs: MatMulAttrs): tf.TensorInfo | undefined {
  const batch = Math.max(ops.batchA, ops.batchB);
  const sameBatch = sizeOf(ops.outShape.slice(0, -2)) === batch;
  if (!sameBatch || (ops.batchA !== batch && ops.batchA !== 1) || (ops.batchB !== batch && ops.batchB !== 1)) return undefined;
  const scratch: tf.TensorInfo[] = [];
  const a = attrs.transposeA ? transposeLastTwo(backend, ops.a) : ops.a;
  const b = attrs.transposeB ? transposeLastTwo(backend, ops.b) : ops.b;
  if (a !== ops.a) scratch.push(a);
  if (b !== ops.b) scratch.push(b);
  const out = backend.makeOutput(ops.outShape, 'float32');
  const product = batchedMatMulFor(heapMemory(backend));
  product(
    addressOf(backend, a),
    addressOf(backend, b),
    addressOf(backend, out),
    batch,
    ops.m,
    ops.k,
    ops.n,
    ops.batchA === 1 ? 0 : 4 * ops.m * ops.k,
    ops.batchB === 1 ? 0 : 4 * ops.k * ops.n,
  );
  release(backend, ...scratch);
  return out;
}

export function fusedMatMulKernel(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const a = args.inputs['a'] as tf.TensorInfo;
    const b = args.inputs['b'] as tf.TensorInfo;
    const bias = args.inputs['bias'] as tf.TensorInfo | undefined;
    const attrs = args.attrs as unknown as MatMulAttrs & Record<string, unknown>;
    const ops = describeOperands(a, b, attrs);
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || ops === undefined) return original(args);
    const backend = asWasmBackend(args.backend);
    // XNNPACK applies the bias per output column; fold only when that is its shape.
    const biasPerColumn = bias === undefined || sizeOf(bias.shape) === ops.n;
    const folded = biasPerColumn ? foldToGemm(backend, ops, attrs) : undefined;
    if (folded !== undefined) {
      const out = original({
        inputs: { ...args.inputs, a: folded.a2, b: folded.b2 },
        backend: args.backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      }) as tf.TensorInfo;
      release(backend, ...folded.scratch);
      return withShape(out, ops.outShape);
    }
    if (!attrs.transposeA) return original(args);
    const aT = transposeLastTwo(backend, a);
    const out = original({
      inputs: { ...args.inputs, a: aT },
      backend: args.backend,
      attrs: { ...attrs, transposeA: false },
    }) as tf.TensorInfo;
    release(backend, aT);
    return out;
  };
}
