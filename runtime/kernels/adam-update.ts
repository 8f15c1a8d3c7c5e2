// One Adam (or AdamW) update of a parameter and its two moments in a single pass, instead
// of the dozen element-wise kernels (and intermediate tensors) the op-by-op update costs:
//   m' = β1·m + (1−β1)·g
//   v' = β2·v + (1−β2)·g²
//   p' = p·decay − lr · (m'/c1) / (√(v'/c2) + ε)      (decay = 1 − lr·wd, or none)
// Every operation is rounded to float32 in the order the op-by-op update applies them
// (tf.train.adam and runtime/train/optimizer.ts), so the result is the same to the bit.
import * as tf from '@tensorflow/tfjs';
import { adamUpdateSimdFor } from './simd/adam-update.js';
import { asWasmBackend, f32, heapMemory } from './wasm-heap.js';

export const ADAM_UPDATE = 'FusedAdamUpdate';

export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  /** 1 − β1^t and 1 − β2^t (bias corrections of step t). */
  correction1: number;
  correction2: number;
  epsilon: number;
  lr: number;
  /** Factor applied to the parameter before the step (1 − lr·wd); null: none. */
  decay: number | null;
}

const fround = Math.fround;

/** The update on plain arrays; writes the new values to pOut, mOut, vOut. */
export function adamUpdateArrays(
  p: Float32Array,
  m: Float32Array,
  v: Float32Array,
  g: Float32Array,
  attrs: AdamUpdateAttrs,
  pOut: Float32Array,
  mOut: Float32Array,
  vOut: Float32Array,
): void {
  const b1 = fround(attrs.beta1);
  const b2 = fround(attrs.beta2);
  const oneMinusB1 = fround(1 - attrs.beta1);
  const oneMinusB2 = fround(1 - attrs.beta2);
  const c1 = fround(attrs.correction1);
  const c2 = fround(attrs.correction2);
  const eps = fround(attrs.epsilon);
  const lr = fround(attrs.lr);
  const n = p.length;
  // Without weight decay the factor is 1, and fround(p * 1) is p: the same float32 results.
  const decay = attrs.decay === null ? 1 : fround(attrs.decay);
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    const mi = fround(fround(m[i]! * b1) + fround(gi * oneMinusB1));
    const vi = fround(fround(v[i]! * b2) + fround(fround(gi * gi) * oneMinusB2));
    mOut[i] = mi;
    vOut[i] = vi;
    const denominator = fround(fround(Math.sqrt(fround(vi / c2))) + eps);
    pOut[i] = fround(p[i]! * decay) - fround(fround(fround(mi / c1) / denominator) * lr);
  }
}

/** Kernel on the wasm backend: inputs p, m, v, g; outputs p', m', v'. */
export const adamUpdateKernel: tf.KernelFunc = (args) => {
  const { p, m, v, g } = args.inputs as Record<'p' | 'm' | 'v' | 'g', tf.TensorInfo>;
  const backend = asWasmBackend(args.backend);
  for (const t of [m, v, g]) {
    if (t.shape.join() !== p.shape.join()) throw new Error(`${ADAM_UPDATE}: shapes [${p.shape}] and [${t.shape}] differ`);
  }
  const outs = [backend.makeOutput(p.shape, 'float32'), backend.makeOutput(p.shape, 'float32'), backend.makeOutput(p.shape, 'float32')];
  const attrs = args.attrs as unknown as AdamUpdateAttrs;
  // Views only after the last allocation (an allocation may grow the heap).
  const views = [p, m, v, g, ...outs].map((t) => f32(backend, t)) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
  const vectorised = views[0].length - (views[0].length % 4);
  if (vectorised > 0) {
    const fround = Math.fround;
    adamUpdateSimdFor(heapMemory(backend))(
      ...(views.map((view) => view.byteOffset) as [number, number, number, number, number, number, number]),
      vectorised,
      fround(attrs.beta1),
      fround(1 - attrs.beta1),
      fround(attrs.beta2),
      fround(1 - attrs.beta2),
      fround(attrs.correction1),
      fround(attrs.correction2),
      fround(attrs.epsilon),
      fround(attrs.lr),
      attrs.decay === null ? 1 : fround(attrs.decay),
    );
  }
  if (vectorised < views[0].length) {
    const [pv, mv, vv, gv, po, mo, vo] = views.map((view) => view.subarray(vectorised));
    adamUpdateArrays(pv!, mv!, vv!, gv!, attrs, po!, mo!, vo!);
  }
  return outs;
};

/** Whether the active backend has the fused update. */
export function hasFusedAdam(): boolean {
  return tf.getKernel(ADAM_UPDATE, tf.getBackend()) !== undefined;
}

/**
 * New values of a parameter and its moments after one Adam step: one fused kernel where
 * the backend has it, else the same arithmetic op by op.
 */
export function adamUpdate(p: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, attrs: AdamUpdateAttrs): [tf.Tensor, tf.Tensor, tf.Tensor] {
  if (hasFusedAdam()) {
    const inputs = { p, m, v, g } as unknown as tf.NamedTensorMap;
    const outs = tf.engine().runKernel(ADAM_UPDATE, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    return [outs[0]!, outs[1]!, outs[2]!];
  }
  return tf.tidy(() => {
    const m2 = tf.add(tf.mul(m, attrs.beta1), tf.mul(g, 1 - attrs.beta1));
    const v2 = tf.add(tf.mul(v, attrs.beta2), tf.mul(tf.square(g), 1 - attrs.beta2));
    const mHat = tf.div(m2, attrs.correction1);
    const denominator = tf.add(tf.sqrt(tf.div(v2, attrs.correction2)), attrs.epsilon);
    const decayed = attrs.decay === null ? p : tf.mul(p, attrs.decay);
    const p2 = tf.sub(decayed, tf.mul(tf.div(mHat, denominator), attrs.lr));
    return [p2, m2, v2];
  });
}
