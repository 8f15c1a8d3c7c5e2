// The fused transformer block of the wasm backend: a ViT trained through it computes the
// loss and every parameter's gradient that the same ViT computes layer by layer on wasm, to the
// bit, with and without drop-path masks and a qkv bias, and the MACs it reports are the same.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import type { ViTSpec } from '../../compiler/models/spec.js';
import { registerFastKernels } from '../../runtime/kernels/index.js';
import { hasFusedTransformerBlock, TRANSFORMER_BLOCK, TRANSFORMER_BLOCK_GRAD } from '../../runtime/kernels/transformer-block.js';
import { buildModel } from '../../runtime/models/index.js';
import { MacCounter } from '../../runtime/models/macs.js';
import { Random } from '../../runtime/random.js';
import { softTargetCrossEntropy } from '../../runtime/train/step.js';
import { randomArray, useCpuAndWasm } from '../kernels/compare.js';

interface Outcome {
  loss: number;
  grads: Map<string, Float32Array>;
  macs: number;
  kernels: string[];
}

function spec(qkvBias: boolean, classToken: boolean): ViTSpec {
  return {
    name: 'vit(patch: 4, dim: 16, depth: 2, heads: 2, mlp_ratio: 2)',
    family: 'vit',
    inChannels: 1,
    numClasses: 10,
    nativeResolution: 12,
    patchSize: 4,
    embedDim: 16,
    depth: 2,
    heads: 2,
    mlpRatio: 2,
    qkvBias,
    classToken,
    pool: classToken ? 'cls' : 'mean',
  };
}

/** Loss and gradients of one training forward pass of a fresh model (seed 5) on a fixed batch. */
async function trainingPass(model: ViTSpec, dropPathRate: number): Promise<Outcome> {
  const vit = buildModel(model, { seed: 5, dropPathRate, resolution: 12 });
  const count = 6;
  const targets = new Float32Array(count * 10);
  for (let i = 0; i < count; i++) targets[i * 10 + ((i * 7) % 10)] = 1;
  const macs = new MacCounter();
  let outcome: Omit<Outcome, 'kernels'> | undefined;
  const profile = await tf.profile(() =>
    tf.tidy(() => {
      const x = tf.tensor4d(randomArray(count * 144, 21), [count, 12, 12, 1]);
      const t = tf.tensor2d(targets, [count, 10]);
      const { value, grads } = tf.variableGrads(
        () => softTargetCrossEntropy(vit.forward(x, { training: true, random: new Random(9), macs }), t),
        vit.parameters.map((p) => p.variable),
      );
      const byVariable = new Map(vit.parameters.map((p) => [p.variable.name, p.name]));
      outcome = {
        loss: value.dataSync()[0]!,
        grads: new Map(Object.entries(grads).map(([name, g]) => [byVariable.get(name)!, g.dataSync() as Float32Array])),
        macs: macs.macs,
      };
    }),
  );
  vit.dispose();
  return { ...outcome!, kernels: profile.kernels.map((k) => k.name) };
}

/** Runs f on wasm with the fused block kernels taken out, then puts them back. */
async function withoutFusedBlock<T>(f: () => Promise<T>): Promise<T> {
  tf.unregisterKernel(TRANSFORMER_BLOCK, 'wasm');
  tf.unregisterKernel(TRANSFORMER_BLOCK_GRAD, 'wasm');
  try {
    assert.ok(!hasFusedTransformerBlock(), 'the block runs layer by layer');
    return await f();
  } finally {
    registerFastKernels();
  }
}

describe('fused transformer block kernels (wasm)', function () {
  this.timeout(60000);
  useCpuAndWasm();

  const cases = [
    { what: 'qkv bias, class token, drop path 0.5', model: spec(true, true), dropPath: 0.5 },
    { what: 'no qkv bias, mean pooling, drop path 0.5', model: spec(false, false), dropPath: 0.5 },
    { what: 'qkv bias, class token, no drop path', model: spec(true, true), dropPath: 0 },
  ];
  for (const c of cases) {
    it(`${c.what}: loss and gradients equal the layer-by-layer block's to the bit`, async () => {
      await tf.setBackend('wasm');
      const expected = await withoutFusedBlock(() => trainingPass(c.model, c.dropPath));
      assert.ok(hasFusedTransformerBlock(), 'the fused kernels are back');
      const actual = await trainingPass(c.model, c.dropPath);
      assert.ok(!expected.kernels.includes(TRANSFORMER_BLOCK), 'the reference ran layer by layer');
      assert.equal(actual.kernels.filter((k) => k === TRANSFORMER_BLOCK).length, 2, 'one forward kernel per block');
      assert.equal(actual.kernels.filter((k) => k === TRANSFORMER_BLOCK_GRAD).length, 2, 'one backward kernel per block');
      assert.equal(actual.loss, expected.loss, 'loss');
      assert.equal(actual.macs, expected.macs, 'MACs counted');
      assert.deepEqual([...actual.grads.keys()].sort(), [...expected.grads.keys()].sort(), 'parameters with a gradient');
      for (const [name, g] of expected.grads) assert.deepEqual(actual.grads.get(name), g, `gradient of ${name}`);
    });
  }

  it('dropped branches give their parameters no gradient', async () => {
    // Guards the masks reaching the backward kernel: the last block's drop-path rate is the
    // model's (the first block's is 0), so at 1 − 1e-6 every sample drops both its branches and
    // the block's parameters get zero gradients, which an unmasked backward pass would not give.
    await tf.setBackend('wasm');
    const outcome = await trainingPass(spec(true, true), 0.999999);
    const blockGradients = [...outcome.grads].filter(([name]) => name.startsWith('block2.'));
    assert.ok(blockGradients.length > 0);
    for (const [name, g] of blockGradients) assert.ok(g.every((v) => v === 0), `${name} has a zero gradient`);
    for (const name of ['block1.attn.qkv.weight', 'head.weight']) assert.ok([...outcome.grads.get(name)!].some((v) => v !== 0), `${name} still learns`);
  });

  it('leaves no tensor and no backend buffer behind', async () => {
    await tf.setBackend('wasm');
    await trainingPass(spec(true, true), 0.5);
    const before = { tensors: tf.memory().numTensors, buffers: tf.engine().backend.numDataIds() };
    await trainingPass(spec(true, true), 0.5);
    assert.deepEqual({ tensors: tf.memory().numTensors, buffers: tf.engine().backend.numDataIds() }, before);
  });

  it('cpu has no fused block: the layer-by-layer path', async () => {
    await tf.setBackend('cpu');
    assert.ok(!hasFusedTransformerBlock());
    await tf.setBackend('wasm');
  });
});
