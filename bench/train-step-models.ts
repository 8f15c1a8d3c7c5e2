// The two models bench/train-step.ts trains, written out in plain TensorFlow.js so the
// benchmark depends on nothing but the backend and its kernels:
//  - cnn: conv 3x3 32 -> relu -> maxpool 2 -> conv 3x3 64 -> relu -> maxpool 2 ->
//         dense 128 -> relu -> dense 10 ('same' padding);
//  - vit: patch 4 (a stride-4 conv), dim 64, depth 2, heads 4, MLP 256 (ratio 4),
//         pre-norm blocks, GELU in its tanh form, learned position embedding added (no
//         gather), mean over tokens, dense 10.
// GELU's tanh form equals x * sigmoid(2 * sqrt(2/pi) * (x + 0.044715 x^3)); written with
// sigmoid it runs on XNNPACK's vectorised kernel (wasm's erf and tanh are scalar, ~15x
// slower). PyTorch's side uses gelu(approximate='tanh'), the same function.
// Inputs are [batch, res, res, 1]; the loss is softmax cross-entropy against one-hot
// targets, the optimiser Adam (lr 1e-3). The same file is the replica module of the
// data-parallel configuration.
//
// A third model, vit-tiny, is trained the way `eft run` trains: the runtime's ViT
// (runtime/models, the curriculum benchmark's vit(patch: 4, dim: 32, depth: 3, heads: 2,
// mlp_ratio: 2) with a class token) through runtime/train's trainStep and AdamW (weight
// decay 0.05), so its figures include the runtime's own per-step costs.
import * as tf from '@tensorflow/tfjs';
import type { ViTSpec } from '../compiler/models/spec.js';
import { buildModel as buildRuntimeModel } from '../runtime/models/index.js';
import type { Replica } from '../runtime/parallel/replica.js';
import { Random } from '../runtime/random.js';
import { Optimizer } from '../runtime/train/optimizer.js';
import { trainStep } from '../runtime/train/step.js';
import { FusedAdamOptimizer } from '../runtime/train/fused-adam.js';

export type ModelName = 'cnn' | 'vit' | 'vit-tiny';

export interface ModelOptions {
  model: ModelName;
  resolution: number;
  seed: number;
}

export interface Model {
  variables: tf.Variable[];
  logits(x: tf.Tensor): tf.Tensor2D;
}

const CLASSES = 10;

function initialiser(options: ModelOptions, name: string) {
  let index = 0;
  const vars: tf.Variable[] = [];
  // TensorFlow.js treats seed 0 as "no seed": every seed here is >= 1.
  const seed = () => options.seed * 1000 + ++index;
  const prefix = `${name}-${options.model}-${options.resolution}-${Math.random().toString(36).slice(2, 8)}`;
  const add = (label: string, t: tf.Tensor) => {
    const v = tf.variable(t, true, `${prefix}-${label}`);
    vars.push(v);
    return v;
  };
  return {
    vars,
    normal: (label: string, shape: number[], std: number) => add(label, tf.randomNormal(shape, 0, std, 'float32', seed())),
    zeros: (label: string, shape: number[]) => add(label, tf.zeros(shape)),
    ones: (label: string, shape: number[]) => add(label, tf.ones(shape)),
  };
}

function buildCnn(options: ModelOptions): Model {
  const r = options.resolution;
  if (r % 4 !== 0) throw new Error(`the CNN needs a resolution divisible by 4, got ${r}`);
  const init = initialiser(options, 'cnn');
  const flat = (r / 4) * (r / 4) * 64;
  const w1 = init.normal('conv1', [3, 3, 1, 32], Math.sqrt(2 / 9));
  const b1 = init.zeros('conv1-bias', [32]);
  const w2 = init.normal('conv2', [3, 3, 32, 64], Math.sqrt(2 / 288));
  const b2 = init.zeros('conv2-bias', [64]);
  const w3 = init.normal('dense1', [flat, 128], Math.sqrt(2 / flat));
  const b3 = init.zeros('dense1-bias', [128]);
  const w4 = init.normal('dense2', [128, CLASSES], Math.sqrt(1 / 128));
  const b4 = init.zeros('dense2-bias', [CLASSES]);
  return {
    variables: init.vars,
    logits: (x) => {
      let h = tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w1 as tf.Tensor4D, bias: b1, strides: 1, pad: 'same', activation: 'relu' });
      h = tf.maxPool(h, 2, 2, 'valid');
      h = tf.fused.conv2d({ x: h, filter: w2 as tf.Tensor4D, bias: b2, strides: 1, pad: 'same', activation: 'relu' });
      h = tf.maxPool(h, 2, 2, 'valid');
      const hidden = tf.fused.matMul({ a: tf.reshape(h, [-1, flat]) as tf.Tensor2D, b: w3 as tf.Tensor2D, bias: b3, activation: 'relu' }) as tf.Tensor2D;
      return tf.fused.matMul({ a: hidden, b: w4 as tf.Tensor2D, bias: b4 }) as tf.Tensor2D;
    },
  };
}

const VIT = { patch: 4, dim: 64, depth: 2, heads: 4, mlp: 256 };

function buildVit(options: ModelOptions): Model {
  const r = options.resolution;
  if (r % VIT.patch !== 0) throw new Error(`the ViT needs a resolution divisible by ${VIT.patch}, got ${r}`);
  const { patch, dim, depth, heads, mlp } = VIT;
  const tokens = (r / patch) ** 2;
  const headDim = dim / heads;
  const init = initialiser(options, 'vit');
  const dense = (label: string, inputs: number, outputs: number) => ({
    w: init.normal(label, [inputs, outputs], Math.sqrt(1 / inputs)),
    b: init.zeros(`${label}-bias`, [outputs]),
  });
  const norm = (label: string) => ({ gamma: init.ones(`${label}-gamma`, [dim]), beta: init.zeros(`${label}-beta`, [dim]) });
  const patchW = init.normal('patch', [patch, patch, 1, dim], Math.sqrt(1 / (patch * patch)));
  const patchB = init.zeros('patch-bias', [dim]);
  const position = init.normal('position', [tokens, dim], 0.02);
  const blocks = Array.from({ length: depth }, (_, i) => ({
    norm1: norm(`block${i}-norm1`),
    qkv: dense(`block${i}-qkv`, dim, 3 * dim),
    proj: dense(`block${i}-proj`, dim, dim),
    norm2: norm(`block${i}-norm2`),
    fc1: dense(`block${i}-fc1`, dim, mlp),
    fc2: dense(`block${i}-fc2`, mlp, dim),
  }));
  const finalNorm = norm('final-norm');
  const head = dense('head', dim, CLASSES);

  const layerNorm = (x: tf.Tensor2D, p: { gamma: tf.Variable; beta: tf.Variable }) => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-6))), p.gamma), p.beta) as tf.Tensor2D;
  };
  const linear = (x: tf.Tensor2D, p: { w: tf.Variable; b: tf.Variable }) =>
    tf.fused.matMul({ a: x, b: p.w as tf.Tensor2D, bias: p.b }) as tf.Tensor2D;
  const GELU_SCALE = 2 * Math.sqrt(2 / Math.PI);
  const gelu = (x: tf.Tensor2D) =>
    tf.mul(x, tf.sigmoid(tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), GELU_SCALE))) as tf.Tensor2D;

  return {
    variables: init.vars,
    logits: (x) => {
      const batch = x.shape[0]!;
      const patches = tf.conv2d(x as tf.Tensor4D, patchW as tf.Tensor4D, patch, 'valid');
      const embedded = tf.add(tf.reshape(tf.add(patches, patchB), [batch, tokens, dim]), position);
      let h = tf.reshape(embedded, [batch * tokens, dim]) as tf.Tensor2D;
      for (const b of blocks) {
        const qkv = tf.reshape(linear(layerNorm(h, b.norm1), b.qkv), [batch, tokens, 3, heads, headDim]);
        const [q, k, v] = tf.unstack(tf.transpose(qkv, [2, 0, 3, 1, 4])) as tf.Tensor4D[];
        const attention = tf.softmax(tf.mul(tf.matMul(q!, k!, false, true), 1 / Math.sqrt(headDim)));
        const mixed = tf.reshape(tf.transpose(tf.matMul(attention, v!), [0, 2, 1, 3]), [batch * tokens, dim]) as tf.Tensor2D;
        h = tf.add(h, linear(mixed, b.proj));
        h = tf.add(h, linear(gelu(linear(layerNorm(h, b.norm2), b.fc1)), b.fc2));
      }
      const pooled = tf.mean(tf.reshape(layerNorm(h, finalNorm), [batch, tokens, dim]), 1) as tf.Tensor2D;
      return linear(pooled, head);
    },
  };
}

/** The curriculum benchmark's small ViT as the runtime builds it. */
export const VIT_TINY_SPEC: ViTSpec = {
  family: 'vit',
  name: 'vit(patch: 4, dim: 32, depth: 3, heads: 2, mlp_ratio: 2)',
  inChannels: 1,
  numClasses: CLASSES,
  nativeResolution: 28,
  patchSize: 4,
  embedDim: 32,
  depth: 3,
  heads: 2,
  mlpRatio: 2,
  qkvBias: true,
  classToken: true,
  pool: 'cls',
};

/** One training step of the runtime's model through the runtime's step function; returns the loss. */
export function runtimeTrainer(options: ModelOptions): (x: Float32Array, y: Float32Array, count: number) => number {
  const model = buildRuntimeModel(VIT_TINY_SPEC, { seed: options.seed, resolution: options.resolution });
  const optimizer = new Optimizer({ name: 'adamw', lr: 1e-3, weight_decay: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
  const random = new Random(options.seed);
  const r = options.resolution;
  return (images, targets, count) =>
    trainStep(model, optimizer, { count, resolution: r, channels: 1, images, targets }, { lr: 1e-3, clipGradNorm: 0, random, ema: null });
}

export function buildModel(options: ModelOptions): Model {
  switch (options.model) {
    case 'cnn':
      return buildCnn(options);
    case 'vit':
      return buildVit(options);
    default:
      throw new Error(`model '${String(options.model)}' has no plain TensorFlow.js version here: expected cnn or vit`);
  }
}

export function meanLoss(model: Model, x: tf.Tensor, y: tf.Tensor): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(y, model.logits(x)) as tf.Scalar;
}

/** Replica module entry point for runtime/parallel. */
export function createReplica(options: unknown): Replica {
  const model = buildModel(options as ModelOptions);
  return { variables: model.variables, loss: (x, y) => meanLoss(model, x, y), optimizer: new FusedAdamOptimizer(1e-3) };
}
