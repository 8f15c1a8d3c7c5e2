// Multi-head self-attention as one forward and one backward kernel, from the qkv projection's
// rows to the heads' merged output rows. Op by op, the core of one block costs some thirty
// tfjs kernels (reshapes, a rank-5 transpose, unstack, two batched products, the scale, the
// softmax, and their gradients), each with its own engine bookkeeping; at the small token
// counts of a low-resolution stage that overhead outweighs the arithmetic. Here:
//   forward:  heads = the qkv rows [n, T, 3, h, hd] moved to [3, n·h, T, hd];
//             P = softmax((s·q)·kᵀ) per row, s = 1/√hd; y = P·v moved back to rows [n·T, h·hd].
//             heads and P are kept for the backward pass.
//   backward: with dO the upstream gradient in the heads' layout,
//             dV = Pᵀ·dO;  dP = dO·vᵀ;  dS = s·P ⊙ (dP − rowsum(P ⊙ dP));
//             dK = dSᵀ·q;  dQ = dS·k;  moved back to rows [n·T, 3·h·hd].
// The products run in the batched SIMD kernel (simd/batched-matmul.ts), the softmax gradient in
// simd/softmax-grad.ts, the moves in the transpose kernel's word copies, the softmax in the stock
// kernel; nothing goes through the engine. Results agree with the op-by-op attention within 1e-5
// (tested; the scale is applied to q before the product instead of to the scores after it).
import * as tf from '@tensorflow/tfjs';
import { batchedMatMulFor } from './simd/batched-matmul.js';
import { scaleFor } from './simd/scale.js';
import { softmaxGradFor } from './simd/softmax-grad.js';
import { transposeWords, wordView } from './transpose.js';
import { addressOf, asWasmBackend, heapMemory, release, type WasmBackend } from './wasm-heap.js';

export const ATTENTION = 'FusedAttention';
export const ATTENTION_GRAD = 'FusedAttentionGrad';

export interface AttentionAttrs {
  /** Images in the batch (n); the rows hold `tokens` consecutive rows per image. */
  images: number;
  tokens: number;
  heads: number;
}

interface Geometry {
  n: number;
  t: number;
  h: number;
  hd: number;
  /** Elements of one of q, k, v in the heads' layout: n·h·T·hd. */
  block: number;
  scale: number;
}

function geometryOf(kernel: string, rows: tf.TensorInfo, width: number, attrs: AttentionAttrs): Geometry {
  const { images: n, tokens: t, heads: h } = attrs;
  if (rows.dtype !== 'float32') throw new Error(`${kernel}: expected float32 rows, got ${rows.dtype}`);
  if (rows.shape.length !== 2 || rows.shape[0] !== n * t || rows.shape[1] !== width) {
    throw new Error(`${kernel}: rows of shape [${rows.shape}] do not hold ${n} images of ${t} tokens of width ${width}`);
  }
  const d = width / (kernel === ATTENTION ? 3 : 1);
  if (!Number.isInteger(d) || d % h !== 0) throw new Error(`${kernel}: width ${width} does not split into ${h} heads${kernel === ATTENTION ? ' of q, k and v' : ''}`);
  const hd = d / h;
  return { n, t, h, hd, block: n * h * t * hd, scale: 1 / Math.sqrt(hd) };
}

function attrsOf(args: { attrs?: tf.NamedAttrMap }): AttentionAttrs {
  return args.attrs as unknown as AttentionAttrs;
}

/** Word views of q, k, v (or their gradients) inside a [3, n·h, T, hd] tensor. */
function blocks(backend: WasmBackend, info: tf.TensorInfo, g: Geometry): [Int32Array, Int32Array, Int32Array] {
  const words = wordView(backend, info);
  return [words.subarray(0, g.block), words.subarray(g.block, 2 * g.block), words.subarray(2 * g.block, 3 * g.block)];
}

/** Input qkv [n·T, 3·d]; outputs y [n·T, d], heads [3, n·h, T, hd], probabilities [n·h, T, T]. */
export function attentionKernel(softmax: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const qkv = args.inputs['qkv'] as tf.TensorInfo;
    const backend = asWasmBackend(args.backend);
    const g = geometryOf(ATTENTION, qkv, qkv.shape[1]!, attrsOf(args));
    const { n, t, h, hd } = g;
    const groups = n * h;
    const heads = backend.makeOutput([3, groups, t, hd], 'float32');
    const scaledQueries = backend.makeOutput([groups, t, hd], 'float32');
    const keysT = backend.makeOutput([groups, hd, t], 'float32');
    const scores = backend.makeOutput([groups, t, t], 'float32');
    const [q, k] = blocks(backend, heads, g);
    transposeWords(backend, wordView(backend, qkv), [n, t, 3, h, hd], [2, 0, 3, 1, 4], wordView(backend, heads));
    scaleFor(heapMemory(backend))(q.byteOffset, addressOf(backend, scaledQueries), g.block, Math.fround(g.scale));
    transposeWords(backend, k, [groups, t, hd], [0, 2, 1], wordView(backend, keysT));
    const product = batchedMatMulFor(heapMemory(backend));
    product(addressOf(backend, scaledQueries), addressOf(backend, keysT), addressOf(backend, scores), groups, t, hd, t, 4 * t * hd, 4 * hd * t);
    release(backend, scaledQueries, keysT);
    // The stock softmax allocates its output: views taken before it may be stale after it.
    const probs = softmax({ inputs: { logits: scores }, backend: args.backend, attrs: { dim: 2 } }) as tf.TensorInfo;
    release(backend, scores);
    const mixed = backend.makeOutput([groups, t, hd], 'float32');
    const y = backend.makeOutput([n * t, h * hd], 'float32');
    const v = blocks(backend, heads, g)[2];
    product(addressOf(backend, probs), v.byteOffset, addressOf(backend, mixed), groups, t, t, hd, 4 * t * t, 4 * t * hd);
    transposeWords(backend, wordView(backend, mixed), [n, h, t, hd], [0, 2, 1, 3], wordView(backend, y));
    release(backend, mixed);
    return [y, heads, probs];
  };
}

/** Inputs dy [n·T, d], heads and probabilities from the forward kernel; output dqkv [n·T, 3·d]. */
export const attentionGradKernel: tf.KernelFunc = (args) => {
  const { dy, heads, probs } = args.inputs as Record<'dy' | 'heads' | 'probs', tf.TensorInfo>;
  const backend = asWasmBackend(args.backend);
  const g = geometryOf(ATTENTION_GRAD, dy, dy.shape[1]!, attrsOf(args));
  const { n, t, h, hd } = g;
  const groups = n * h;
  if (heads.shape.join() !== [3, groups, t, hd].join() || probs.shape.join() !== [groups, t, t].join()) {
    throw new Error(`${ATTENTION_GRAD}: saved tensors of shapes [${heads.shape}] and [${probs.shape}] do not match the gradient [${dy.shape}]`);
  }
  // Every allocation first: the views below stay valid to the end.
  const dOut = backend.makeOutput([groups, t, hd], 'float32');
  const square = backend.makeOutput([groups, t, t], 'float32');
  const dScores = backend.makeOutput([groups, t, t], 'float32');
  const valuesT = backend.makeOutput([groups, hd, t], 'float32');
  const dHeads = backend.makeOutput([3, groups, t, hd], 'float32');
  const scratch = backend.makeOutput([4], 'float32');
  const dqkv = backend.makeOutput([n * t, 3 * h * hd], 'float32');
  const product = batchedMatMulFor(heapMemory(backend));
  const at = (info: tf.TensorInfo) => addressOf(backend, info);
  const [q, k, v] = blocks(backend, heads, g);
  const [dq, dk, dv] = blocks(backend, dHeads, g);
  const tt = 4 * t * t;
  const td = 4 * t * hd;

  transposeWords(backend, wordView(backend, dy), [n, t, h, hd], [0, 2, 1, 3], wordView(backend, dOut));
  // dV = Pᵀ·dO
  transposeWords(backend, wordView(backend, probs), [groups, t, t], [0, 2, 1], wordView(backend, square));
  product(at(square), at(dOut), dv.byteOffset, groups, t, t, hd, tt, td);
  // dP = dO·vᵀ, then dS = s·P ⊙ (dP − rowsum(P ⊙ dP)) in place
  transposeWords(backend, v, [groups, t, hd], [0, 2, 1], wordView(backend, valuesT));
  product(at(dOut), at(valuesT), at(dScores), groups, t, hd, t, td, 4 * hd * t);
  softmaxGradFor(heapMemory(backend))(at(probs), at(dScores), at(scratch), groups * t, t, Math.fround(g.scale));
  // dK = dSᵀ·q; dQ = dS·k
  transposeWords(backend, wordView(backend, dScores), [groups, t, t], [0, 2, 1], wordView(backend, square));
  product(at(square), q.byteOffset, dk.byteOffset, groups, t, t, hd, tt, td);
  product(at(dScores), k.byteOffset, dq.byteOffset, groups, t, t, hd, tt, td);
  transposeWords(backend, wordView(backend, dHeads), [3, n, h, t, hd], [1, 3, 0, 2, 4], wordView(backend, dqkv));
  release(backend, dOut, square, dScores, valuesT, dHeads, scratch);
  return dqkv;
};

/** Whether the active backend has the fused attention kernels. */
export function hasFusedAttention(): boolean {
  const backend = tf.getBackend();
  return tf.getKernel(ATTENTION, backend) !== undefined && tf.getKernel(ATTENTION_GRAD, backend) !== undefined;
}

/** y [n·T, d] from the qkv rows, and what the gradient needs (heads, probabilities). */
export function fusedAttention(qkv: tf.Tensor2D, attrs: AttentionAttrs): [tf.Tensor2D, tf.Tensor, tf.Tensor] {
  const [y, heads, probs] = tf.engine().runKernel(ATTENTION, { qkv } as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  return [y as tf.Tensor2D, heads!, probs!];
}

/** dqkv [n·T, 3·d] from the upstream gradient and what fusedAttention kept. */
export function fusedAttentionGrad(dy: tf.Tensor, heads: tf.Tensor, probs: tf.Tensor, attrs: AttentionAttrs): tf.Tensor2D {
  const inputs = { dy, heads, probs } as unknown as tf.NamedTensorMap;
  return tf.engine().runKernel(ATTENTION_GRAD, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor2D;
}
