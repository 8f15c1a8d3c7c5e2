// The fused layer-norm kernels of the wasm backend give what the op-by-op layer norm gives on
// the cpu backend (values and the three gradients), and a ViT trained on wasm sees the loss
// and gradients it sees on cpu.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import type { ViTSpec } from '../../compiler/models/spec.js';
import { hasFusedLayerNorm, LAYER_NORM, LAYER_NORM_GRAD } from '../../runtime/kernels/layer-norm.js';
import { buildModel } from '../../runtime/models/index.js';
import { LayerNorm } from '../../runtime/models/layers.js';
import { ParameterSet } from '../../runtime/models/parameters.js';
import { softTargetCrossEntropy } from '../../runtime/train/step.js';
import { assertClose, randomArray, useCpuAndWasm } from '../kernels/compare.js';

interface Result {
  shape: number[];
  data: Float32Array;
}

/** |actual − expected| ≤ tolerance · max(1, |expected|) for every element. */
function assertWithin(actual: Result, expected: Result, what: string, tolerance = 1e-5): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  for (let i = 0; i < expected.data.length; i++) {
    const a = actual.data[i]!;
    const e = expected.data[i]!;
    if (!(Math.abs(a - e) <= tolerance * Math.max(1, Math.abs(e)))) {
      assert.fail(`${what}: element ${i} is ${a}, expected ${e}`);
    }
  }
}

function plain(t: tf.Tensor): Result {
  return { shape: t.shape, data: t.dataSync() as Float32Array };
}

/**
 * Layer norm of x (values around 3, spread 2: the mean matters) with a random scale and
 * shift: y, and the gradients of Σ y·w for a random w. Also the kernels that ran.
 */
async function layerNormOn(backend: 'cpu' | 'wasm', shape: number[]): Promise<{ results: Result[]; kernels: string[] }> {
  await tf.setBackend(backend);
  const width = shape[shape.length - 1]!;
  const set = new ParameterSet(1);
  const ln = new LayerNorm(set, 'ln', width);
  const size = shape.reduce((a, b) => a * b, 1);
  let results: Result[] = [];
  const profile = await tf.profile(() =>
    tf.tidy(() => {
      ln.gamma.variable.assign(tf.add(tf.tensor1d(randomArray(width, 2)), 1));
      ln.beta.variable.assign(tf.tensor1d(randomArray(width, 3)));
      const x = tf.add(tf.mul(tf.tensor(randomArray(size, 1), shape), 2), 3);
      const w = tf.tensor(randomArray(size, 4), shape);
      const gamma = ln.gamma.variable;
      const beta = ln.beta.variable;
      const loss = (a: tf.Tensor) => tf.sum(tf.mul(ln.apply(a), w));
      const grads = tf.grads((a: tf.Tensor, _g: tf.Tensor, _b: tf.Tensor) => loss(a))([x, gamma, beta]);
      results = [ln.apply(x), ...grads].map(plain);
    }),
  );
  set.dispose();
  return { results, kernels: profile.kernelNames };
}

const vitSpec: ViTSpec = {
  name: 'vit(patch: 4, dim: 32, depth: 2, heads: 2, mlp_ratio: 2)',
  family: 'vit',
  inChannels: 1,
  numClasses: 10,
  nativeResolution: 28,
  patchSize: 4,
  embedDim: 32,
  depth: 2,
  heads: 2,
  mlpRatio: 2,
  qkvBias: true,
  classToken: true,
  pool: 'cls',
};

/** Loss and every parameter gradient of one training batch of the ViT at 12 px. */
async function vitGradientsOn(backend: 'cpu' | 'wasm'): Promise<{ loss: number; grads: Map<string, Result> }> {
  await tf.setBackend(backend);
  const model = buildModel(vitSpec, { seed: 7, resolution: 12 });
  const count = 6;
  let result = { loss: NaN, grads: new Map<string, Result>() };
  try {
    tf.tidy(() => {
      const images = tf.tensor4d(randomArray(count * 12 * 12, 5), [count, 12, 12, 1]);
      const targets = tf.oneHot(tf.tensor1d([0, 3, 9, 1, 4, 4], 'int32'), 10).toFloat() as tf.Tensor2D;
      const { value, grads } = tf.variableGrads(
        () => softTargetCrossEntropy(model.forward(images, { training: true }), targets),
        model.parameters.map((p) => p.variable),
      );
      const byVariable = new Map(model.parameters.map((p) => [p.variable.name, p.name]));
      result = { loss: value.dataSync()[0]!, grads: new Map(Object.entries(grads).map(([v, g]) => [byVariable.get(v)!, plain(g)])) };
    });
    return result;
  } finally {
    model.dispose();
  }
}

describe('fused layer-norm kernels (wasm)', function () {
  this.timeout(30000);
  useCpuAndWasm();

  it('are registered on wasm only', async () => {
    await tf.setBackend('wasm');
    assert.ok(hasFusedLayerNorm(), 'wasm has both kernels');
    await tf.setBackend('cpu');
    assert.ok(!hasFusedLayerNorm(), 'cpu takes the op-by-op path');
  });

  // Widths: multiples of 4 (all SIMD), 6 and 37 (a scalar tail per row), 3 (tail only).
  for (const shape of [[9, 32], [7, 6], [3, 5, 37], [2, 3, 4, 12], [4, 2, 3], [2, 200, 8]]) {
    it(`[${shape}]: values and gradients (x, scale, shift) agree with the op-by-op version on cpu`, async () => {
      const expected = await layerNormOn('cpu', shape);
      const actual = await layerNormOn('wasm', shape);
      assert.ok(!expected.kernels.includes(LAYER_NORM), 'cpu ran the op-by-op version');
      assert.ok(actual.kernels.includes(LAYER_NORM) && actual.kernels.includes(LAYER_NORM_GRAD), 'wasm ran the fused kernels');
      ['y', 'dx', 'dscale', 'dshift'].forEach((what, i) => assertWithin(actual.results[i]!, expected.results[i]!, what));
    });
  }

  it('refuse a scale that does not match the last axis', async () => {
    await tf.setBackend('wasm');
    const inputs = { x: tf.zeros([2, 4]), gamma: tf.ones([3]), beta: tf.zeros([3]) } as unknown as tf.NamedTensorMap;
    assert.throws(() => tf.engine().runKernel(LAYER_NORM, inputs, { eps: 1e-6 }), /scale of shape \[3\] does not match the last axis \(4\) of \[2,4\]/);
    tf.dispose(Object.values(inputs));
  });

  it('a ViT has the same loss and gradients on wasm as on cpu', async () => {
    const expected = await vitGradientsOn('cpu');
    const actual = await vitGradientsOn('wasm');
    assert.ok(Math.abs(actual.loss - expected.loss) <= 1e-5 * Math.abs(expected.loss), `loss ${actual.loss} vs ${expected.loss}`);
    assert.deepEqual([...actual.grads.keys()].sort(), [...expected.grads.keys()].sort());
    for (const [name, g] of expected.grads) assertClose(actual.grads.get(name)!, g, name, 1e-4);
  });
});
