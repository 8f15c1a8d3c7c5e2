import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { forwardMacs } from '../../compiler/cost/flops.js';
import type { ConvNetSpec, ModelSpec, ResNetSpec, ViTSpec } from '../../compiler/models/spec.js';
import { buildModel, countForwardMacs, ModelBuildError, resizePositionEmbedding } from '../../runtime/models/index.js';

const convnet: ConvNetSpec = {
  name: 'convnet(width: 8)',
  family: 'convnet',
  inChannels: 1,
  numClasses: 10,
  nativeResolution: 28,
  layers: [
    { channels: 8, kernel: 3, stride: 1, padding: 'same', pool: { kind: 'max', size: 2, stride: 2, padding: 'same' } },
    { channels: 16, kernel: 3, stride: 1, padding: 'same', pool: { kind: 'avg', size: 2, stride: 2, padding: 'same' } },
    { channels: 32, kernel: 3, stride: 2, padding: 1 },
  ],
  norm: 'batch',
  activation: 'relu',
  convBias: false,
  head: { pool: 'avg', hidden: [24], dropout: 0.1 },
};

const resnetBasic: ResNetSpec = {
  name: 'resnet(depth: 8)',
  family: 'resnet',
  inChannels: 3,
  numClasses: 10,
  nativeResolution: 32,
  block: 'basic',
  stem: 'cifar',
  stemWidth: 8,
  depths: [1, 1, 1],
  widths: [8, 16, 32],
  strides: [1, 2, 2],
  bottleneckStrideOn: '3x3',
};

const resnetBottleneck: ResNetSpec = {
  ...resnetBasic,
  name: 'resnet(block: bottleneck)',
  nativeResolution: 64,
  block: 'bottleneck',
  stem: 'imagenet',
  depths: [1, 2],
  widths: [4, 8],
  strides: [1, 2],
};

const vit: ViTSpec = {
  name: 'vit(patch: 4, dim: 32)',
  family: 'vit',
  inChannels: 1,
  numClasses: 10,
  nativeResolution: 28,
  patchSize: 4,
  embedDim: 32,
  depth: 2,
  heads: 4,
  mlpRatio: 2,
  qkvBias: true,
  classToken: true,
  pool: 'cls',
};

const cases: { spec: ModelSpec; resolutions: number[] }[] = [
  { spec: convnet, resolutions: [28, 16, 13] },
  { spec: resnetBasic, resolutions: [32, 20, 17] },
  { spec: resnetBottleneck, resolutions: [64, 40, 33] },
  { spec: vit, resolutions: [28, 16, 12] },
  { spec: { ...vit, name: 'vit(pool: mean)', classToken: false, pool: 'mean', qkvBias: false }, resolutions: [28, 20] },
];

describe('runtime models', () => {
  for (const { spec, resolutions } of cases) {
    it(`${spec.name}: the MACs counted on the built model equal the cost model's at ${resolutions.join(', ')}px`, () => {
      const model = buildModel(spec, { seed: 1 });
      try {
        for (const resolution of resolutions) {
          const counted = countForwardMacs(model, resolution).macs;
          assert.equal(counted, forwardMacs(spec, resolution), `${spec.name} at ${resolution}px`);
        }
      } finally {
        model.dispose();
      }
    });
  }

  it('accepts every resolution a curriculum uses and returns one row of logits per image', () => {
    for (const { spec, resolutions } of cases) {
      const model = buildModel(spec, { seed: 3 });
      for (const resolution of resolutions) {
        const shape = tf.tidy(() => model.forward(tf.ones([2, resolution, resolution, spec.inChannels]), { training: false }).shape);
        assert.deepEqual(shape, [2, spec.numClasses], `${spec.name} at ${resolution}px`);
      }
      model.dispose();
    }
  });

  it('initialises parameters from the seed alone: same seed, same values; another seed, other values', () => {
    const values = (seed: number) => {
      const model = buildModel(resnetBasic, { seed });
      const data = model.parameters.map((p) => Array.from(p.variable.dataSync()));
      model.dispose();
      return data;
    };
    const a = values(7);
    assert.deepEqual(values(7), a);
    assert.notDeepEqual(values(8), a);
    // seed 0 is a seed like any other (tfjs treats 0 as "no seed")
    assert.deepEqual(values(0), values(0));
  });

  it('refuses families it cannot train, naming the trainable ones', () => {
    const swin = { ...vit, family: 'swin', name: 'swin_tiny' } as unknown as ModelSpec;
    assert.throws(() => buildModel(swin, { seed: 0 }), (err: unknown) => err instanceof ModelBuildError && /swin network.*convnet, resnet, vit/.test(err.message));
  });

  it('resizes a ViT position embedding to the new token grid, keeping the class token entry', () => {
    const model = buildModel(vit, { seed: 2, resolution: 16 });
    const pos = () => model.parameters.find((p) => p.name === 'pos_embed')!.variable;
    assert.deepEqual(pos().shape, [1, 1 + 4 * 4, 32]);
    const clsBefore = Array.from(pos().slice([0, 0, 0], [1, 1, 32]).dataSync());
    const changes = model.setTrainingResolution(28);
    assert.deepEqual(changes.map((c) => c.name), ['pos_embed']);
    assert.deepEqual(pos().shape, [1, 1 + 7 * 7, 32]);
    assert.deepEqual(Array.from(pos().slice([0, 0, 0], [1, 1, 32]).dataSync()), clsBefore);
    assert.deepEqual(model.setTrainingResolution(30), [], 'same 7×7 grid: nothing changes');
    model.dispose();
  });

  it('interpolates a constant grid to the same constant and a linear ramp to a linear ramp', () => {
    const constant = tf.fill([1, 9, 2], 0.5);
    const up = resizePositionEmbedding(constant, 0, 3, 6);
    assert.deepEqual(up.shape, [1, 36, 2]);
    for (const v of up.dataSync()) assert.ok(Math.abs(v - 0.5) < 1e-6);
    // a 2×2 grid holding its column index: half-pixel bilinear upsampling to 4×4 gives 0, .25, .75, 1
    const ramp = tf.tensor3d([0, 1, 0, 1], [1, 4, 1]);
    const row = Array.from(resizePositionEmbedding(ramp, 0, 2, 4).dataSync().slice(0, 4));
    assert.deepEqual(row.map((v) => Math.round(v * 100) / 100), [0, 0.25, 0.75, 1]);
  });
});
