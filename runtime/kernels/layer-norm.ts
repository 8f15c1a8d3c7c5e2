// Layer norm over the last axis as one forward and one backward kernel, instead of the
// twenty-odd element-wise and reduction kernels the op-by-op version costs per layer:
//   forward:  μ, 1/σ per row; y = (x − μ)/σ · γ + β; the per-row (μ, 1/σ) are kept as
//             [rows, 2] statistics for the backward pass;
//   backward: with n = (x − μ)/σ and g = dy·γ,
//             dx = (g − mean(g) − n·mean(g·n))/σ;  dγ = Σ dy·n;  dβ = Σ dy  (sums over rows).
// Arithmetic is float32 like the op-by-op version's (the mean as Σx·(1/D)); row sums run in
// four lanes and column sums in blocks of rows (simd/layer-norm.ts), as accurate as the
// stock reductions. Results agree with the op-by-op version to about 1e-6, not to the bit.
import * as tf from '@tensorflow/tfjs';
import { backwardScratch, FORWARD_SCRATCH, layerNormGradSimdFor, layerNormSimdFor } from './simd/layer-norm.js';
import { addressOf, asWasmBackend, heapMemory, release, sizeOf } from './wasm-heap.js';

export const LAYER_NORM = 'FusedLayerNorm';
export const LAYER_NORM_GRAD = 'FusedLayerNormGrad';

export interface LayerNormAttrs {
  eps: number;
}

/** Rows and row width of x; the scale must have the row width. */
function rowsOf(kernel: string, x: tf.TensorInfo, gamma: tf.TensorInfo): { rows: number; width: number } {
  const width = x.shape[x.shape.length - 1];
  if (width === undefined) throw new Error(`${kernel}: expected an input of rank 1 or more, got a scalar`);
  if (gamma.shape.length !== 1 || gamma.shape[0] !== width) {
    throw new Error(`${kernel}: scale of shape [${gamma.shape}] does not match the last axis (${width}) of [${x.shape}]`);
  }
  return { rows: sizeOf(x.shape.slice(0, -1)), width };
}

function checkFloat32(kernel: string, inputs: Record<string, tf.TensorInfo>): void {
  for (const [name, t] of Object.entries(inputs)) {
    if (t.dtype !== 'float32') throw new Error(`${kernel}: ${name} must be float32, got ${t.dtype}`);
  }
}

/** Inputs x [..., D], gamma [D], beta [D]; attr eps. Outputs y (shape of x) and stats [rows, 2] (rows: x's size / D). */
export const layerNormKernel: tf.KernelFunc = (args) => {
  const { x, gamma, beta } = args.inputs as Record<'x' | 'gamma' | 'beta', tf.TensorInfo>;
  const { eps } = args.attrs as unknown as LayerNormAttrs;
  const backend = asWasmBackend(args.backend);
  checkFloat32(LAYER_NORM, { x, gamma, beta });
  const { rows, width } = rowsOf(LAYER_NORM, x, gamma);
  if (beta.shape.join() !== gamma.shape.join()) throw new Error(`${LAYER_NORM}: shift of shape [${beta.shape}] does not match the scale [${gamma.shape}]`);
  const y = backend.makeOutput(x.shape, 'float32');
  const stats = backend.makeOutput([rows, 2], 'float32');
  const scratch = backend.makeOutput([FORWARD_SCRATCH], 'float32');
  // Addresses are stable (wasm memory never moves); the heap may grow, so the SIMD
  // function is looked up with the memory object, not a view of it.
  const at = (t: tf.TensorInfo) => addressOf(backend, t);
  layerNormSimdFor(heapMemory(backend))(at(x), at(gamma), at(beta), at(y), at(stats), at(scratch), rows, width, Math.fround(eps), Math.fround(1 / width));
  release(backend, scratch);
  return [y, stats];
};

/** Inputs dy, x, stats (from the forward kernel), gamma. Outputs dx, dγ, dβ. */
export const layerNormGradKernel: tf.KernelFunc = (args) => {
  const { dy, x, stats, gamma } = args.inputs as Record<'dy' | 'x' | 'stats' | 'gamma', tf.TensorInfo>;
  const backend = asWasmBackend(args.backend);
  checkFloat32(LAYER_NORM_GRAD, { dy, x, stats, gamma });
  const { rows, width } = rowsOf(LAYER_NORM_GRAD, x, gamma);
  if (dy.shape.join() !== x.shape.join()) throw new Error(`${LAYER_NORM_GRAD}: gradient of shape [${dy.shape}] does not match the input [${x.shape}]`);
  if (stats.shape.join() !== [rows, 2].join()) throw new Error(`${LAYER_NORM_GRAD}: statistics of shape [${stats.shape}] do not match the input [${x.shape}]`);
  const dx = backend.makeOutput(x.shape, 'float32');
  const dGamma = backend.makeOutput([width], 'float32');
  const dBeta = backend.makeOutput([width], 'float32');
  const scratch = backend.makeOutput([backwardScratch(width)], 'float32');
  const at = (t: tf.TensorInfo) => addressOf(backend, t);
  layerNormGradSimdFor(heapMemory(backend))(at(dy), at(x), at(stats), at(gamma), at(dx), at(dGamma), at(dBeta), at(scratch), rows, width, Math.fround(1 / width));
  release(backend, scratch);
  return [dx, dGamma, dBeta];
};

/** Whether the active backend has the fused layer-norm kernels. */
export function hasFusedLayerNorm(): boolean {
  const backend = tf.getBackend();
  return tf.getKernel(LAYER_NORM, backend) !== undefined && tf.getKernel(LAYER_NORM_GRAD, backend) !== undefined;
}

/** y and the per-row statistics the gradient needs. */
export function fusedLayerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): [tf.Tensor, tf.Tensor] {
  const inputs = { x, gamma, beta } as unknown as tf.NamedTensorMap;
  const attrs: LayerNormAttrs = { eps };
  const [y, stats] = tf.engine().runKernel(LAYER_NORM, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  return [y!, stats!];
}

/** dx, dγ, dβ from the upstream gradient and what fusedLayerNorm kept. */
export function fusedLayerNormGrad(dy: tf.Tensor, x: tf.Tensor, stats: tf.Tensor, gamma: tf.Tensor): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const inputs = { dy, x, stats, gamma } as unknown as tf.NamedTensorMap;
  const [dx, dGamma, dBeta] = tf.engine().runKernel(LAYER_NORM_GRAD, inputs, {}) as tf.Tensor[];
  return [dx!, dGamma!, dBeta!];
}
