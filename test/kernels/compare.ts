// Runs the same computation on the pure-JS cpu backend (the reference) and on the
// wasm backend with the fast kernels, on identical inputs, and compares the results.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { selectBackend } from '../../runtime/backend/select.js';

/** Deterministic pseudo-random numbers in [-1, 1) (mulberry32). */
export function randomArray(size: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

export interface Input {
  shape: number[];
  data: Float32Array | Int32Array;
  dtype?: 'float32' | 'int32';
}

export function randomInput(shape: number[], seed: number): Input {
  return { shape, data: randomArray(shape.reduce((a, b) => a * b, 1), seed) };
}

/** Runs f on a backend with fresh tensors made from the inputs; returns plain arrays. */
export async function runOn(
  backend: 'cpu' | 'wasm',
  inputs: Input[],
  f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
): Promise<{ shape: number[]; data: Float32Array | Int32Array | Uint8Array }[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const xs = inputs.map((i) => tf.tensor(i.data, i.shape, i.dtype ?? 'float32'));
    const out = f(...xs);
    return (Array.isArray(out) ? out : [out]).map((t) => ({ shape: t.shape, data: t.dataSync() as Float32Array }));
  });
}

/**
 * Asserts agreement elementwise: |a - e| <= rtol * (|e| + max|e|), i.e. relative to
 * the element and to the tensor's scale (sums of products cancel to small values).
 */
export function assertClose(
  actual: { shape: number[]; data: ArrayLike<number> },
  expected: { shape: number[]; data: ArrayLike<number> },
  what: string,
  rtol = 1e-4,
): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  let scale = 0;
  for (let i = 0; i < expected.data.length; i++) scale = Math.max(scale, Math.abs(expected.data[i]!));
  for (let i = 0; i < expected.data.length; i++) {
    const a = actual.data[i]!;
    const e = expected.data[i]!;
    const tolerance = rtol * (Math.abs(e) + scale) + 1e-7;
    if (!(Math.abs(a - e) <= tolerance)) {
      assert.fail(`${what}: element ${i} is ${a}, expected ${e} (tolerance ${tolerance.toExponential(2)})`);
    }
  }
}

/** Computes f on both backends and asserts every output agrees. */
export async function assertSameOnWasm(
  what: string,
  inputs: Input[],
  f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
  rtol = 1e-4,
): Promise<void> {
  const expected = await runOn('cpu', inputs, f);
  const actual = await runOn('wasm', inputs, f);
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => assertClose(a, expected[i]!, `${what} [output ${i}]`, rtol));
}

/** Gradients of sum(f(xs) * r) for a fixed random r: exercises every input's gradient. */
export function weightedGradients(f: (...xs: tf.Tensor[]) => tf.Tensor, seed = 99): (...xs: tf.Tensor[]) => tf.Tensor[] {
  return (...xs) => {
    const probe = f(...xs);
    const r = tf.tensor(randomArray(probe.size, seed), probe.shape);
    const grads = tf.grads((...ys: tf.Tensor[]) => tf.sum(tf.mul(f(...ys), r)));
    return [probe, ...grads(xs)];
  };
}

let previousBackend: string | null = null;

/** mocha hooks: wasm with fast kernels available, the former backend restored after. */
export function useCpuAndWasm(): void {
  before(async function () {
    this.timeout(60000);
    previousBackend = tf.getBackend();
    await selectBackend({ backend: 'wasm', threads: 1 });
  });
  after(async () => {
    if (previousBackend) await tf.setBackend(previousBackend);
  });
}
