// The fused GELU kernels of the wasm backend compute, to the bit, what the op-by-op GELU
// computes on wasm, and agree with the op-by-op GELU on cpu.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { GELU, GELU_GRAD, hasFusedGelu } from '../../runtime/kernels/gelu.js';
import { registerFastKernels } from '../../runtime/kernels/index.js';
import { activate } from '../../runtime/models/layers.js';
import { randomArray, useCpuAndWasm } from '../kernels/compare.js';

/** GELU of x (spread ±6: both tails of σ) and the gradient of Σ GELU(x)·w, and the kernels that ran. */
async function geluOn(shape: number[]): Promise<{ values: Float32Array[]; kernels: string[] }> {
  const size = shape.reduce((a, b) => a * b, 1);
  let values: Float32Array[] = [];
  const profile = await tf.profile(() =>
    tf.tidy(() => {
      const x = tf.mul(tf.tensor(randomArray(size, 11), shape), 6);
      const w = tf.tensor(randomArray(size, 12), shape);
      const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(activate(a, 'gelu'), w)))(x);
      values = [activate(x, 'gelu'), dx].map((t) => t.dataSync() as Float32Array);
    }),
  );
  return { values, kernels: profile.kernelNames };
}

/** Runs f on wasm with the fused GELU kernels taken out, then puts them back. */
async function withoutFusedGelu<T>(f: () => Promise<T>): Promise<T> {
  tf.unregisterKernel(GELU, 'wasm');
  tf.unregisterKernel(GELU_GRAD, 'wasm');
  try {
    return await f();
  } finally {
    registerFastKernels();
  }
}

describe('fused GELU kernels (wasm)', function () {
  this.timeout(30000);
  useCpuAndWasm();

  // 2·3·7 elements: not a multiple of 4, so the scalar tail runs too.
  for (const shape of [[4, 10, 16], [2, 3, 7]]) {
    it(`[${shape}]: values and gradient equal the op-by-op version on wasm to the bit`, async () => {
      await tf.setBackend('wasm');
      const expected = await withoutFusedGelu(() => geluOn(shape));
      assert.ok(hasFusedGelu(), 'the fused kernels are back');
      const actual = await geluOn(shape);
      assert.ok(!expected.kernels.includes(GELU), 'the reference ran op by op');
      assert.ok(actual.kernels.includes(GELU) && actual.kernels.includes(GELU_GRAD), 'wasm ran the fused kernels');
      assert.deepEqual(actual.values[0], expected.values[0], 'GELU(x)');
      assert.deepEqual(actual.values[1], expected.values[1], 'd/dx');
    });

    it(`[${shape}]: values and gradient agree with the op-by-op version on cpu within 1e-5`, async () => {
      await tf.setBackend('cpu');
      assert.ok(!hasFusedGelu(), 'cpu takes the op-by-op path');
      const expected = await geluOn(shape);
      await tf.setBackend('wasm');
      const actual = await geluOn(shape);
      ['GELU(x)', 'd/dx'].forEach((what, k) => {
        const [a, e] = [actual.values[k]!, expected.values[k]!];
        for (let i = 0; i < e.length; i++) {
          assert.ok(Math.abs(a[i]! - e[i]!) <= 1e-5 * Math.max(1, Math.abs(e[i]!)), `${what}: element ${i} is ${a[i]}, expected ${e[i]}`);
        }
      });
    });
  }
});
