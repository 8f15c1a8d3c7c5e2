// The layers the trainable families are made of, as small objects over a ParameterSet. Layout
// is NHWC for images and [batch, tokens, width] for token sequences. Every layer that costs
// MACs reports them to the forward context's counter from the shapes it really computes.
import * as tf from '@tensorflow/tfjs';
import type { Activation, Padding } from '../../compiler/models/spec.js';
import { type AttentionAttrs, fusedAttention, fusedAttentionGrad, hasFusedAttention } from '../kernels/attention.js';
import { fusedGelu, fusedGeluGrad, GELU_CUBIC, GELU_SCALE, hasFusedGelu } from '../kernels/gelu.js';
import { fusedLayerNorm, fusedLayerNormGrad, hasFusedLayerNorm } from '../kernels/layer-norm.js';
import type { Random } from '../random.js';
import type { MacCounter } from './macs.js';
import type { Initialiser } from './init.js';
import type { ModelBuffer, Parameter, ParameterSet } from './parameters.js';

/** A running statistic to overwrite once the training step is done (tensor kept alive until then). */
export interface BufferUpdate {
  buffer: ModelBuffer;
  value: tf.Tensor;
}

export interface ForwardContext {
  training: boolean;
  /** Draws of drop-path and dropout masks; required when training with either. */
  random?: Random;
  macs?: MacCounter;
  /** Where training forward passes leave their batch-norm running-statistics updates. */
  updates?: BufferUpdate[];
}

export class Conv2d {
  readonly weight: Parameter;
  readonly bias: Parameter | undefined;

  constructor(
    set: ParameterSet,
    readonly name: string,
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernel: number,
    readonly stride: number,
    readonly padding: Padding,
    withBias: boolean,
    init: Initialiser,
  ) {
    this.weight = set.param(`${name}.weight`, [kernel, kernel, inChannels, outChannels], init, true);
    const fanIn = kernel * kernel * inChannels;
    this.bias = withBias ? set.param(`${name}.bias`, [outChannels], { kind: 'uniform-fan-in', fanIn }, false) : undefined;
  }

  apply(x: tf.Tensor4D, ctx: ForwardContext): tf.Tensor4D {
    const k = this.kernel;
    const [n, h, w] = x.shape;
    if (k > 1 && k === this.stride && (this.padding === 0 || this.padding === 'valid') && h % k === 0 && w % k === 0) {
      ctx.macs?.add(this.name, (h / k) * (w / k) * k * k * this.inChannels * this.outChannels);
      return this.patches(x, n, h / k, w / k);
    }
    const y = tf.conv2d(x, this.weight.variable as tf.Tensor4D, this.stride, this.padding);
    const [, outH, outW] = y.shape;
    ctx.macs?.add(this.name, outH * outW * k * k * this.inChannels * this.outChannels);
    return this.bias ? tf.add(y, this.bias.variable) : y;
  }

  /**
   * A convolution whose windows tile the input (a ViT's patch embedding) as one product: the
   * k×k×C patches as rows times the weight as a [k·k·C, out] matrix (the same numbers in the same
   * order). On wasm the convolution kernels cost about 0.4–0.6 ms a step at any input size.
   */
  private patches(x: tf.Tensor4D, n: number, rows: number, cols: number): tf.Tensor4D {
    const k = this.kernel;
    const c = this.inChannels;
    const tiles = tf.transpose(tf.reshape(x, [n, rows, k, cols, k, c]), [0, 1, 3, 2, 4, 5]);
    const flat = tf.reshape(tiles, [n * rows * cols, k * k * c]) as tf.Tensor2D;
    const weight = tf.reshape(this.weight.variable, [k * k * c, this.outChannels]) as tf.Tensor2D;
    const y = linear(flat, weight, this.bias?.variable as tf.Tensor1D | undefined);
    return tf.reshape(y, [n, rows, cols, this.outChannels]);
  }
}

export class Linear {
  readonly weight: Parameter;
  readonly bias: Parameter | undefined;

  constructor(set: ParameterSet, readonly name: string, readonly inFeatures: number, readonly outFeatures: number, withBias: boolean, init: Initialiser, biasInit?: Initialiser) {
    this.weight = set.param(`${name}.weight`, [inFeatures, outFeatures], init, true);
    this.bias = withBias ? set.param(`${name}.bias`, [outFeatures], biasInit ?? { kind: 'uniform-fan-in', fanIn: inFeatures }, false) : undefined;
  }

  /** x: [batch, ..., inFeatures] → [batch, ..., outFeatures]; `samples`: the images x holds (MACs are per image). */
  apply<T extends tf.Tensor>(x: T, ctx: ForwardContext, samples = x.shape[0]): T {
    const shape = x.shape;
    const rows = x.size / this.inFeatures;
    const flat = x.rank === 2 ? (x as unknown as tf.Tensor2D) : (tf.reshape(x, [rows, this.inFeatures]) as tf.Tensor2D);
    const y = linear(flat, this.weight.variable as tf.Tensor2D, this.bias?.variable as tf.Tensor1D | undefined);
    this.countMacs(ctx, rows, samples);
    return (x.rank === 2 ? y : tf.reshape(y, [...shape.slice(0, -1), this.outFeatures])) as T;
  }

  /** Reports the MACs of `rows` rows of `samples` images to the context's counter. */
  countMacs(ctx: ForwardContext, rows: number, samples: number): void {
    ctx.macs?.add(this.name, (rows / samples) * this.inFeatures * this.outFeatures);
  }
}

/**
 * x·W + b on rows, as one recorded operation with its gradient written out
 * (dx = dy·Wᵀ, dW = xᵀ·dy, db = Σ dy): tf.fused.matMul would record its own reshapes to and
 * from rank 3 and their gradients, a dozen small kernels per layer.
 */
function linear(x: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D | undefined): tf.Tensor2D {
  const forward = (input: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D | undefined) =>
    b === undefined ? tf.matMul(input, w) : tf.fused.matMul({ a: input, b: w, bias: b });
  const backward = (dy: tf.Tensor2D, input: tf.Tensor2D, w: tf.Tensor2D) => [tf.matMul(dy, w, false, true), tf.matMul(input, dy, true, false)];
  if (bias === undefined) {
    const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [input, w, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
      save([input, w]);
      return { value: forward(input, w, undefined), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => backward(dy as tf.Tensor2D, saved[0] as tf.Tensor2D, saved[1] as tf.Tensor2D) };
    });
    return op(x, weight) as tf.Tensor2D;
  }
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, w, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    save([input, w]);
    return {
      value: forward(input, w, b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [...backward(dy as tf.Tensor2D, saved[0] as tf.Tensor2D, saved[1] as tf.Tensor2D), tf.sum(dy, 0)],
    };
  });
  return op(x, weight, bias) as tf.Tensor2D;
}

/** Batch norm over the channels (last axis) of NHWC maps, PyTorch's defaults (momentum 0.1, eps 1e-5). */
export class BatchNorm {
  readonly gamma: Parameter;
  readonly beta: Parameter;
  readonly runningMean: ModelBuffer;
  readonly runningVar: ModelBuffer;
  static readonly MOMENTUM = 0.1;
  static readonly EPS = 1e-5;

  constructor(set: ParameterSet, readonly name: string, channels: number, gammaInit = 1) {
    this.gamma = set.param(`${name}.weight`, [channels], { kind: 'constant', value: gammaInit }, false);
    this.beta = set.param(`${name}.bias`, [channels], { kind: 'constant', value: 0 }, false);
    this.runningMean = set.buffer(`${name}.running_mean`, [channels], 0);
    this.runningVar = set.buffer(`${name}.running_var`, [channels], 1);
  }

  apply(x: tf.Tensor4D, ctx: ForwardContext): tf.Tensor4D {
    if (!ctx.training) {
      const scale = tf.mul(tf.rsqrt(tf.add(this.runningVar.variable, BatchNorm.EPS)), this.gamma.variable);
      return tf.add(tf.mul(tf.sub(x, this.runningMean.variable), scale), this.beta.variable);
    }
    return trainingBatchNorm(x, this.gamma.variable, this.beta.variable, (mean, variance, count) => {
      if (!ctx.updates) return;
      const m = BatchNorm.MOMENTUM;
      const unbiased = count > 1 ? tf.mul(variance, count / (count - 1)) : variance;
      ctx.updates.push(
        { buffer: this.runningMean, value: tf.keep(tf.add(tf.mul(this.runningMean.variable, 1 - m), tf.mul(mean, m))) },
        { buffer: this.runningVar, value: tf.keep(tf.add(tf.mul(this.runningVar.variable, 1 - m), tf.mul(unbiased, m))) },
      );
    });
  }
}

/**
 * Σ over N, H and W of an [N, H·W, C] map, as a [1, C] row. Reductions over leading axes are
 * slow on wasm (a transpose, then a sum); a batched product with a row of ones per image,
 * then a sum over the N rows, is several times faster.
 */
function channelSums(maps: tf.Tensor3D, ones: tf.Tensor3D): tf.Tensor2D {
  return tf.sum(tf.matMul(ones, maps), 0) as tf.Tensor2D;
}

/**
 * Batch norm with batch statistics, with its gradient written out (instead of tfjs deriving it
 * through the moments), every reduction done as a product with a row of ones:
 *   y = (x − μ)·γ/σ + β;  dx = (γ/σ)·dy − (γ/(σ·M))·Σdy − (x − μ)·γ/(σ³·M)·Σ(dy·(x − μ)).
 */
function trainingBatchNorm(
  x: tf.Tensor4D,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  statistics: (mean: tf.Tensor1D, variance: tf.Tensor1D, count: number) => void,
): tf.Tensor4D {
  const shape = x.shape;
  const [n, h, w, channels] = shape;
  const rows = n * h * w;
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, g, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const ones = tf.ones([1, 1, h * w]) as tf.Tensor3D;
    const maps = tf.reshape(input, [n, h * w, channels]) as tf.Tensor3D;
    const mean = tf.div(channelSums(maps, ones), rows) as tf.Tensor2D;
    const centred = tf.sub(maps, mean) as tf.Tensor3D;
    const variance = tf.div(channelSums(tf.square(centred) as tf.Tensor3D, ones), rows) as tf.Tensor2D;
    statistics(tf.reshape(mean, [channels]), tf.reshape(variance, [channels]), rows);
    const inverse = tf.rsqrt(tf.add(variance, BatchNorm.EPS));
    const scale = tf.mul(inverse, g);
    save([centred, inverse, scale, ones]);
    return {
      value: tf.reshape(tf.add(tf.mul(centred, scale), b), shape),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [c, inv, sc, o] = saved as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor3D];
        const dyFlat = tf.reshape(dy, [n, h * w, channels]) as tf.Tensor3D;
        const sumDy = channelSums(dyFlat, o);
        const sumDyCentred = channelSums(tf.mul(dyFlat, c) as tf.Tensor3D, o);
        const shift = tf.div(tf.mul(sc, sumDy), -rows);
        const slope = tf.div(tf.mul(tf.mul(sc, tf.square(inv)), sumDyCentred), -rows);
        const dx = tf.add(tf.add(tf.mul(dyFlat, sc), tf.mul(c, slope)), shift);
        return [tf.reshape(dx, shape), tf.reshape(tf.mul(sumDyCentred, inv), [channels]), tf.reshape(sumDy, [channels])];
      },
    };
  });
  return op(x, gamma, beta) as tf.Tensor4D;
}

/** Layer norm over the last axis (timm's transformers: eps 1e-6). */
export class LayerNorm {
  readonly gamma: Parameter;
  readonly beta: Parameter;
  static readonly EPS = 1e-6;

  constructor(set: ParameterSet, readonly name: string, readonly dim: number) {
    this.gamma = set.param(`${name}.weight`, [dim], { kind: 'constant', value: 1 }, false);
    this.beta = set.param(`${name}.bias`, [dim], { kind: 'constant', value: 0 }, false);
  }

  apply<T extends tf.Tensor>(x: T): T {
    return layerNorm(x, this.gamma.variable, this.beta.variable, LayerNorm.EPS);
  }
}

/**
 * Layer norm over the last axis with its gradient written out (tfjs would derive it through
 * the moments, some thirty small kernels per layer): with n = (x − μ)/σ and g = dy·γ,
 *   dx = (g − mean(g) − n·mean(g·n)) / σ;  dγ = Σ dy·n;  dβ = Σ dy  (sums over all rows).
 * The forward pass computes what tf.moments and the plain formula compute. Where the backend
 * has the fused kernels (wasm), each direction is one kernel; elsewhere, op by op.
 */
function layerNorm<T extends tf.Tensor>(x: T, gamma: tf.Tensor, beta: tf.Tensor, eps: number): T {
  if (hasFusedLayerNorm()) {
    const fused = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [input, g, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
      const [y, stats] = fusedLayerNorm(input, g, b, eps);
      save([input, stats, g]);
      return {
        value: y,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [xs, st, gam] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
          return fusedLayerNormGrad(dy, xs, st, gam);
        },
      };
    });
    return fused(x, gamma, beta) as T;
  }
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, g, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const mean = tf.mean(input, -1, true);
    const centred = tf.sub(input, mean);
    const inverse = tf.rsqrt(tf.add(tf.mean(tf.square(centred), -1, true), eps));
    const normalised = tf.mul(centred, inverse);
    save([normalised, inverse, g]);
    return {
      value: tf.add(tf.mul(normalised, g), b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [n, inv, gam] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        const rowsAxes = [...Array(dy.rank - 1).keys()];
        const dn = tf.mul(dy, gam);
        const spread = tf.add(tf.mean(dn, -1, true), tf.mul(n, tf.mean(tf.mul(dn, n), -1, true)));
        const dx = tf.mul(tf.sub(dn, spread), inv);
        return [dx, tf.sum(tf.mul(dy, n), rowsAxes), tf.sum(dy, rowsAxes)];
      },
    };
  });
  return op(x, gamma, beta) as T;
}

/**
 * The tanh form of GELU, x·σ(k·(x + c·x³)) with k = 2√(2/π), c = 0.044715 (within 1e-3 of
 * the erf form; σ runs vectorised on wasm, erf and tanh do not), with its derivative written
 * out: σ + x·σ·(1 − σ)·k·(1 + 3c·x²). Where the backend has the fused kernels (wasm), each
 * direction is one kernel, with the same float32 arithmetic; elsewhere, op by op.
 */
function gelu<T extends tf.Tensor>(x: T): T {
  if (hasFusedGelu()) {
    const fused = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
      const [y, s] = fusedGelu(input);
      save([input, s]);
      return {
        value: y,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => fusedGeluGrad(dy, saved[0]!, saved[1]!),
      };
    });
    return fused(x) as T;
  }
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const square = tf.square(input);
    const s = tf.sigmoid(tf.mul(tf.add(input, tf.mul(tf.mul(square, input), GELU_CUBIC)), GELU_SCALE));
    save([input, square, s]);
    return {
      value: tf.mul(input, s),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [v, v2, sig] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        const slope = tf.mul(tf.add(tf.mul(v2, 3 * GELU_CUBIC * GELU_SCALE), GELU_SCALE), tf.mul(v, tf.sub(sig, tf.square(sig))));
        return tf.mul(dy, tf.add(sig, slope));
      },
    };
  });
  return op(x) as T;
}

export function activate<T extends tf.Tensor>(x: T, kind: Activation): T {
  switch (kind) {
    case 'relu':
      return tf.relu(x);
    case 'gelu':
      return gelu(x);
    case 'silu':
      return tf.mul(x, tf.sigmoid(x)) as T;
    case 'tanh':
      return tf.tanh(x);
  }
}

export function pool2d(x: tf.Tensor4D, kind: 'max' | 'avg', size: number, stride: number, padding: Padding): tf.Tensor4D {
  return kind === 'max' ? tf.maxPool(x, size, stride, padding) : tf.avgPool(x, size, stride, padding);
}

/** [N, H, W, C] → [N, C]; the average as a product with a row of 1/(H·W) (fast on wasm). */
export function globalPool(x: tf.Tensor4D, kind: 'max' | 'avg'): tf.Tensor2D {
  if (kind === 'max') return tf.max(x, [1, 2]);
  const [n, h, w, c] = x.shape;
  const weights = tf.fill([1, 1, h * w], 1 / (h * w)) as tf.Tensor3D;
  return tf.reshape(tf.matMul(weights, tf.reshape(x, [n, h * w, c]) as tf.Tensor3D), [n, c]);
}

function requireRandom(ctx: ForwardContext, what: string): Random {
  if (!ctx.random) throw new Error(`${what} during training needs a random source in the forward context`);
  return ctx.random;
}

/** Stochastic depth: drops a residual branch per sample with probability `rate`, rescaling the kept ones. */
export function dropPath<T extends tf.Tensor>(x: T, rate: number, ctx: ForwardContext, samples = x.shape[0]): T {
  const mask = dropPathMask(rate, ctx, x.shape[0]!, samples, x.rank);
  return mask === undefined ? x : (tf.mul(x, mask) as T);
}

/**
 * The per-sample factors of stochastic depth for `rows` rows of `samples` samples of equal size
 * (a ViT's [images·tokens, dim] rows), shaped [rows, 1, …] to broadcast over a rank-`rank`
 * branch: 0 or 1/(1 − rate), one draw per sample. Undefined when nothing is dropped.
 */
export function dropPathMask(rate: number, ctx: ForwardContext, rows: number, samples = rows, rank = 2): tf.Tensor | undefined {
  if (!ctx.training || rate <= 0) return undefined;
  const random = requireRandom(ctx, 'drop-path');
  const keep = 1 - rate;
  const perSample = rows / samples;
  const mask = new Float32Array(rows);
  for (let i = 0; i < samples; i++) mask.fill(random.float() < keep ? 1 / keep : 0, i * perSample, (i + 1) * perSample);
  return tf.tensor(mask, [rows, ...new Array<number>(rank - 1).fill(1)]);
}

/** Element-wise dropout of a [N, F] activation. */
export function dropout(x: tf.Tensor2D, rate: number, ctx: ForwardContext): tf.Tensor2D {
  if (!ctx.training || rate <= 0) return x;
  const random = requireRandom(ctx, 'dropout');
  const keep = 1 - rate;
  const mask = new Float32Array(x.size);
  for (let i = 0; i < mask.length; i++) mask[i] = random.float() < keep ? 1 / keep : 0;
  return tf.mul(x, tf.tensor2d(mask, x.shape));
}

/**
 * softmax(q·kᵀ/√hd)·v per image and head, from the qkv rows [n·T, 3·d] to the merged rows
 * [n·T, d]. Where the backend has the fused kernels (wasm), each direction is one kernel;
 * elsewhere, op by op.
 */
export function multiHeadAttention(qkv: tf.Tensor2D, attrs: AttentionAttrs): tf.Tensor2D {
  if (hasFusedAttention()) {
    const fused = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [input, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
      const [y, heads, probs] = fusedAttention(input, attrs);
      save([heads, probs]);
      return { value: y, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => fusedAttentionGrad(dy, saved[0]!, saved[1]!, attrs) };
    });
    return fused(qkv) as tf.Tensor2D;
  }
  const { images: n, tokens, heads } = attrs;
  const d = qkv.shape[1] / 3;
  const headDim = d / heads;
  const split = tf.transpose(tf.reshape(qkv, [n, tokens, 3, heads, headDim]), [2, 0, 3, 1, 4]);
  const [q, k, v] = tf.unstack(split).map((t) => tf.reshape(t, [n * heads, tokens, headDim]) as tf.Tensor3D);
  const scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(headDim));
  const mixed = tf.matMul(tf.softmax(scores), v);
  return tf.reshape(tf.transpose(tf.reshape(mixed, [n, heads, tokens, headDim]), [0, 2, 1, 3]), [n * tokens, d]) as tf.Tensor2D;
}
