// GELU in its tanh form, x·σ(k·(x + c·x³)), as one forward and one backward kernel instead
// of the fifteen-odd element-wise kernels the op-by-op version costs. σ itself stays the stock
// (vectorised) Sigmoid kernel, called from inside the forward kernel: wasm SIMD has no exp.
//   forward:  u = k·(x + c·x³); s = σ(u); y = x·s   (outputs y and s, kept for the backward)
//   backward: dx = dy·(s + (3ck·x² + k)·x·(s − s²))
// Every operation is the op-by-op version's float32 operation in its order, so on the same
// backend the results are the same to the bit.
import * as tf from '@tensorflow/tfjs';
import { GELU_CUBIC, GELU_SCALE, geluArgumentFor, geluGradFor, geluProductFor } from './simd/gelu.js';
import { addressOf, asWasmBackend, heapMemory, sizeOf } from './wasm-heap.js';

export { GELU_CUBIC, GELU_SCALE };

export const GELU = 'FusedGelu';
export const GELU_GRAD = 'FusedGeluGrad';

function requireFloat32(kernel: string, inputs: Record<string, tf.TensorInfo>): void {
  for (const [name, t] of Object.entries(inputs)) {
    if (t.dtype !== 'float32') throw new Error(`${kernel}: ${name} must be float32, got ${t.dtype}`);
  }
}

/** Input x; outputs y and s = σ(k·(x + c·x³)). `sigmoid` is the backend's stock Sigmoid kernel. */
export function geluKernel(sigmoid: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    requireFloat32(GELU, { x });
    const backend = asWasmBackend(args.backend);
    const count = sizeOf(x.shape);
    // y's buffer first holds σ's argument, then (once σ has read it) y itself.
    const y = backend.makeOutput(x.shape, 'float32');
    geluArgumentFor(heapMemory(backend))(addressOf(backend, x), addressOf(backend, y), count);
    const s = sigmoid({ inputs: { x: y }, backend: args.backend, attrs: {} }) as tf.TensorInfo;
    geluProductFor(heapMemory(backend))(addressOf(backend, x), addressOf(backend, s), addressOf(backend, y), count);
    return [y, s];
  };
}

/** Inputs dy, x, s (from the forward kernel); output dx. */
export const geluGradKernel: tf.KernelFunc = (args) => {
  const { dy, x, s } = args.inputs as Record<'dy' | 'x' | 's', tf.TensorInfo>;
  requireFloat32(GELU_GRAD, { dy, x, s });
  for (const t of [dy, s]) {
    if (t.shape.join() !== x.shape.join()) throw new Error(`${GELU_GRAD}: shapes [${x.shape}] and [${t.shape}] differ`);
  }
  const backend = asWasmBackend(args.backend);
  const dx = backend.makeOutput(x.shape, 'float32');
  const at = (t: tf.TensorInfo) => addressOf(backend, t);
  geluGradFor(heapMemory(backend))(at(dy), at(x), at(s), at(dx), sizeOf(x.shape));
  return dx;
};

/** Whether the active backend has the fused GELU kernels. */
export function hasFusedGelu(): boolean {
  const backend = tf.getBackend();
  return tf.getKernel(GELU, backend) !== undefined && tf.getKernel(GELU_GRAD, backend) !== undefined;
}

/** y and σ's value s, which the gradient needs. */
export function fusedGelu(x: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const [y, s] = tf.engine().runKernel(GELU, { x } as unknown as tf.NamedTensorMap, {}) as tf.Tensor[];
  return [y!, s!];
}

export function fusedGeluGrad(dy: tf.Tensor, x: tf.Tensor, s: tf.Tensor): tf.Tensor {
  return tf.engine().runKernel(GELU_GRAD, { dy, x, s } as unknown as tf.NamedTensorMap, {}) as tf.Tensor;
}
