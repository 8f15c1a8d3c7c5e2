// The fused Adam update on wasm gives, to the bit, what the op-by-op update gives on cpu;
// FusedAdamOptimizer takes the same steps as tf.train.adam.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { ADAM_UPDATE, adamUpdate, type AdamUpdateAttrs } from '../../runtime/kernels/adam-update.js';
import { FusedAdamOptimizer } from '../../runtime/train/fused-adam.js';
import { randomArray, useCpuAndWasm } from './compare.js';

const SIZE = 1003; // not a multiple of 4: the SIMD body and the scalar tail

function update(backend: 'cpu' | 'wasm', attrs: AdamUpdateAttrs): Float32Array[] {
  return tf.tidy(() => {
    const [p, m, g] = [1, 2, 3].map((seed) => tf.tensor1d(randomArray(SIZE, seed)));
    const v = tf.abs(tf.tensor1d(randomArray(SIZE, 4)));
    const used = tf.getBackend();
    assert.equal(used, backend);
    return adamUpdate(p!, m!, v, g!, attrs).map((t) => t.dataSync() as Float32Array);
  });
}

async function applySteps(backend: 'cpu' | 'wasm', make: () => tf.Optimizer, steps: number): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const vars = [tf.variable(tf.tensor2d(randomArray(12, 5), [3, 4])), tf.variable(tf.tensor1d(randomArray(4, 6)))];
  const optimizer = make();
  for (let s = 0; s < steps; s++) {
    tf.tidy(() => {
      const grads: tf.NamedTensorMap = {};
      vars.forEach((v, i) => (grads[v.name] = tf.tensor(randomArray(v.size, 10 * s + i), v.shape)));
      optimizer.applyGradients(grads);
    });
  }
  const out = vars.map((v) => v.dataSync() as Float32Array);
  tf.dispose(vars);
  optimizer.dispose();
  return out;
}

describe('fused Adam update', function () {
  this.timeout(30000);
  useCpuAndWasm();

  for (const decay of [null, 1 - 1e-3 * 0.05]) {
    it(`one kernel on wasm equals the op-by-op update on cpu (${decay === null ? 'Adam' : 'AdamW'})`, async () => {
      const attrs: AdamUpdateAttrs = { beta1: 0.9, beta2: 0.999, correction1: 1 - 0.9 ** 3, correction2: 1 - 0.999 ** 3, epsilon: 1e-8, lr: 1e-3, decay };
      await tf.setBackend('cpu');
      assert.equal(tf.getKernel(ADAM_UPDATE, 'cpu'), undefined, 'cpu takes the op-by-op path');
      const expected = update('cpu', attrs);
      await tf.setBackend('wasm');
      assert.ok(tf.getKernel(ADAM_UPDATE, 'wasm') !== undefined, 'wasm has the fused kernel');
      const actual = update('wasm', attrs);
      ['parameter', 'first moment', 'second moment'].forEach((what, i) => assert.deepEqual(actual[i], expected[i], what));
    });
  }

  it('FusedAdamOptimizer on wasm takes the steps of tf.train.adam on cpu', async () => {
    const expected = await applySteps('cpu', () => tf.train.adam(0.01), 4);
    const actual = await applySteps('wasm', () => new FusedAdamOptimizer(0.01), 4);
    actual.forEach((a, i) => assert.deepEqual(a, expected[i], `variable ${i}`));
  });
});
