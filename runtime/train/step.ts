// One optimizer step and one evaluation pass. Everything a step creates on the backend lives
// inside one tf.tidy; the only values that leave it are plain numbers.
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../data/index.js';
import type { BufferUpdate, Model } from '../models/index.js';
import type { Random } from '../random.js';
import type { LowPass } from '../../plan/types.js';
import { plainBatch, type Normalisation, type PreparedBatch } from './batches.js';
import type { Ema } from './ema.js';
import type { Optimizer } from './optimizer.js';

/** Mean over the batch of −Σ target · log softmax(logits). */
export function softTargetCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return tf.mean(tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), -1)));
}

export interface StepOptions {
  lr: number;
  /** Global-norm clipping threshold; 0: none. */
  clipGradNorm: number;
  /** Drop-path and dropout draws. */
  random: Random;
  ema: Ema | null;
}

/** Trains on one batch; returns the loss before the update. */
export function trainStep(model: Model, optimizer: Optimizer, batch: PreparedBatch, options: StepOptions): number {
  const updates: BufferUpdate[] = [];
  try {
    return tf.tidy(() => {
      const { count, resolution: b, channels } = batch;
      const x = tf.tensor4d(batch.images, [count, b, b, channels]);
      const classes = batch.targets.length / count;
      const t = tf.tensor2d(batch.targets, [count, classes]);
      const byVariable = new Map(model.parameters.map((p) => [p.variable.name, p.name]));
      const { value, grads } = tf.variableGrads(
        () => softTargetCrossEntropy(model.forward(x, { training: true, random: options.random, updates }), t),
        model.parameters.map((p) => p.variable),
      );
      const named = new Map<string, tf.Tensor>();
      for (const [variableName, grad] of Object.entries(grads)) named.set(byVariable.get(variableName)!, grad);
      if (options.clipGradNorm > 0) clipByGlobalNorm(named, options.clipGradNorm);
      optimizer.apply(model.parameters, named, options.lr);
      for (const u of updates) u.buffer.variable.assign(u.value);
      options.ema?.update(model);
      return value.dataSync()[0];
    });
  } finally {
    for (const u of updates) u.value.dispose();
  }
}

/** Scales every gradient by min(1, max / ‖g‖₂) over all of them (PyTorch's clip_grad_norm_). */
function clipByGlobalNorm(grads: Map<string, tf.Tensor>, max: number): void {
  const norm = tf.sqrt(tf.addN([...grads.values()].map((g) => tf.sum(tf.square(g)))));
  const scale = tf.minimum(tf.div(max, tf.add(norm, 1e-6)), 1);
  for (const [name, g] of grads) grads.set(name, tf.mul(g, scale));
}

export interface EvalResult {
  resolution: number;
  top1: number;
  loss: number;
  images: number;
}

export interface EvalOptions {
  resolution: number;
  lowPass: LowPass;
  normalisation: Normalisation;
  batchSize: number;
  /** Evaluate only the first `maxImages` validation images. */
  maxImages?: number;
}

/** Top-1 accuracy and mean cross-entropy on the validation set, in inference mode. */
export function evaluate(model: Model, data: ImageDataset, options: EvalOptions): EvalResult {
  const total = Math.min(data.count, options.maxImages ?? data.count);
  let correct = 0;
  let lossSum = 0;
  const b = options.resolution;
  for (let start = 0; start < total; start += options.batchSize) {
    const n = Math.min(options.batchSize, total - start);
    const indices = Int32Array.from({ length: n }, (_, i) => start + i);
    const batch = plainBatch(data, indices, b, options.lowPass, options.normalisation);
    const [hits, loss] = tf.tidy(() => {
      const logits = model.forward(tf.tensor4d(batch.images, [n, b, b, data.channels]), { training: false });
      const labels = tf.tensor1d(batch.labels, 'int32');
      const hit = tf.sum(tf.cast(tf.equal(tf.argMax(logits, -1), labels), 'float32'));
      const ce = tf.sum(tf.neg(tf.sum(tf.mul(tf.oneHot(labels, logits.shape[1]), tf.logSoftmax(logits)), -1)));
      return [hit.dataSync()[0], ce.dataSync()[0]];
    });
    correct += hits;
    lossSum += loss;
  }
  return { resolution: b, top1: total > 0 ? correct / total : 0, loss: total > 0 ? lossSum / total : 0, images: total };
}
