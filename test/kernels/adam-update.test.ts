// The fused Adam update on wasm gives, to the bit, what the op-by-op update gives on cpu;
// FusedAdamOptimizer takes the same steps as tf.train.adam.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { ADAM_UPDATE, adamUpdate, adamUpdateInPlace, type AdamUpdateAttrs } from '../../runtime/kernels/adam-update.js';
import { variableFrom } from '../../runtime/models/parameters.js';
import { Optimizer } from '../../runtime/train/optimizer.js';
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

  const ATTRS: AdamUpdateAttrs = { beta1: 0.9, beta2: 0.999, correction1: 1 - 0.9 ** 2, correction2: 1 - 0.999 ** 2, epsilon: 1e-8, lr: 1e-3, decay: 1 - 1e-3 * 0.05 };

  /** p, m, v as variables and g, from the same draws as update(). */
  function state(): { p: tf.Variable; m: tf.Variable; v: tf.Variable; g: tf.Tensor } {
    return {
      p: variableFrom(tf.tensor1d(randomArray(SIZE, 1)), false),
      m: variableFrom(tf.tensor1d(randomArray(SIZE, 2)), false),
      v: variableFrom(tf.tidy(() => tf.abs(tf.tensor1d(randomArray(SIZE, 4)))), false),
      g: tf.tensor1d(randomArray(SIZE, 3)),
    };
  }

  it('in place on wasm: p, m and v overwritten with the kernel\'s values, no tensor created', async () => {
    await tf.setBackend('wasm');
    const expected = update('wasm', ATTRS);
    const { p, m, v, g } = state();
    const before = tf.memory().numTensors;
    assert.equal(adamUpdateInPlace(p, m, v, g, ATTRS), true);
    assert.equal(tf.memory().numTensors, before);
    [p, m, v].forEach((t, i) => assert.deepEqual(t.dataSync(), expected[i], ['parameter', 'first moment', 'second moment'][i]));
    tf.dispose([p, m, v, g]);
  });

  it('in place refuses, changing nothing, a buffer another tensor shares, and the cpu backend', async () => {
    await tf.setBackend('wasm');
    const { p, m, v, g } = state();
    const original = p.dataSync().slice();
    const shared = tf.reshape(p, [SIZE, 1]); // a reshape shares p's buffer
    assert.equal(adamUpdateInPlace(p, m, v, g, ATTRS), false);
    assert.deepEqual(shared.dataSync(), original);
    assert.deepEqual(p.dataSync(), original);
    tf.dispose([p, m, v, g, shared]);
    await tf.setBackend('cpu');
    const onCpu = state();
    assert.equal(adamUpdateInPlace(onCpu.p, onCpu.m, onCpu.v, onCpu.g, ATTRS), false);
    assert.deepEqual(onCpu.p.dataSync(), original);
    tf.dispose(Object.values(onCpu));
  });

  it('the AdamW optimizer takes the same steps on wasm (in place where it can) as on cpu', async () => {
    const run = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const weight = variableFrom(tf.tensor2d(randomArray(12, 5), [3, 4]), true);
      const bias = variableFrom(tf.tensor1d(randomArray(4, 6)), true);
      const parameters = [
        { name: 'w', variable: weight, weightDecay: true },
        { name: 'b', variable: bias, weightDecay: false },
      ];
      const optimizer = new Optimizer({ name: 'adamw', lr: 0.01, weight_decay: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
      for (let s = 0; s < 4; s++) {
        tf.tidy(() => {
          // In step 1 a reshape of the weight is alive, as a convolution's is: that update takes the kernel.
          const alive = s === 1 ? tf.reshape(weight, [12]) : null;
          const grads = new Map(parameters.map((p, i) => [p.name, tf.tensor(randomArray(p.variable.size, 10 * s + i), p.variable.shape)] as const));
          optimizer.apply(parameters as never, grads, 0.01);
          alive?.dispose();
        });
      }
      const out = [weight, bias, ...optimizer.state().map((s) => s.variable)].map((t) => t.dataSync().slice());
      tf.dispose([weight, bias]);
      optimizer.dispose();
      return out;
    };
    const expected = await run('cpu');
    const actual = await run('wasm');
    actual.forEach((a, i) => assert.deepEqual(a, expected[i], `tensor ${i}`));
  });

  it('FusedAdamOptimizer on wasm takes the steps of tf.train.adam on cpu', async () => {
    const expected = await applySteps('cpu', () => tf.train.adam(0.01), 4);
    const actual = await applySteps('wasm', () => new FusedAdamOptimizer(0.01), 4);
    actual.forEach((a, i) => assert.deepEqual(a, expected[i], `variable ${i}`));
  });
});
