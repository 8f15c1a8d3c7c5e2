// A pre-norm transformer block (a ViT's) as one forward and one backward kernel:
//   h1 = LN1(x); a = attention(h1·Wqkv + bqkv); x1 = x + m1 ⊙ (a·Wproj + bproj);
//   h2 = LN2(x1); g = GELU(h2·W1 + b1);        y  = x1 + m2 ⊙ (g·W2 + b2)
// on rows [images·tokens, d], m1 and m2 the optional drop-path masks [rows, 1]. Layer by layer a
// block costs some sixty engine operations a training step (the layers, their reshapes, the
// copies the engine makes of what each gradient keeps, and the tape's bookkeeping); at the
// token counts of a low-resolution stage that bookkeeping is a large part of the step. Here the
// kernels compose the backend's kernel functions directly (the fused layer norm, attention and
// GELU, the products and sums of matmul.ts and sum.ts, the stock additions), so a block is one
// operation each way. The arithmetic is the layer-by-layer path's, operation for operation.
//   forward:  outputs y and what the gradient needs (the statistics, the layers' inputs, the
//             attention's heads and probabilities, the GELU's input and σ);
//   backward: with dy the upstream gradient,
//             dz = m2 ⊙ dy; dW2 = gᵀ·dz; db2 = Σ dz; dg = dz·W2ᵀ; du = GELU'(dg);
//             dW1 = h2ᵀ·du; db1 = Σ du; dh2 = du·W1ᵀ; dx1 = dy + LN2'(dh2);
//             do = m1 ⊙ dx1; dWproj = aᵀ·do; dbproj = Σ do; da = do·Wprojᵀ; dq = attention'(da);
//             dWqkv = h1ᵀ·dq; dbqkv = Σ dq; dh1 = dq·Wqkvᵀ; dx = dx1 + LN1'(dh1).
import * as tf from '@tensorflow/tfjs';
import { ATTENTION, ATTENTION_GRAD, type AttentionAttrs } from './attention.js';
import { GELU, GELU_GRAD } from './gelu.js';
import { LAYER_NORM, LAYER_NORM_GRAD } from './layer-norm.js';
import { asWasmBackend, release, type WasmBackend } from './wasm-heap.js';

export const TRANSFORMER_BLOCK = 'FusedTransformerBlock';
export const TRANSFORMER_BLOCK_GRAD = 'FusedTransformerBlockGrad';

export interface TransformerBlockAttrs extends AttentionAttrs {
  /** The layer norms' epsilon. */
  eps: number;
}

/** The block's parameters, in the order of the gradient kernel's outputs (after dx). */
export const BLOCK_PARAMETERS = ['norm1Gamma', 'norm1Beta', 'qkvWeight', 'qkvBias', 'projWeight', 'projBias', 'norm2Gamma', 'norm2Beta', 'fc1Weight', 'fc1Bias', 'fc2Weight', 'fc2Bias'] as const;
export type BlockParameter = (typeof BLOCK_PARAMETERS)[number];

/** The parameters the gradient kernel reads. */
export type BlockWeight = 'norm1Gamma' | 'qkvWeight' | 'projWeight' | 'norm2Gamma' | 'fc1Weight' | 'fc2Weight';

/** What the forward kernel keeps for the backward one, in the order of its outputs (after y). */
export const BLOCK_SAVED = ['stats1', 'h1', 'heads', 'probs', 'merged', 'x1', 'stats2', 'h2', 'u', 'sigma', 'g'] as const;
export type BlockSaved = (typeof BLOCK_SAVED)[number];

type Infos<K extends string> = Record<K, tf.TensorInfo>;

/** Calls the backend's registered kernel `name` directly: no engine, no tensors, no tape. */
class Kernels {
  readonly backend: WasmBackend;
  private readonly scratch: tf.TensorInfo[] = [];

  constructor(private readonly kernelBackend: tf.KernelBackend) {
    this.backend = asWasmBackend(kernelBackend);
  }

  call(name: string, inputs: Record<string, tf.TensorInfo | undefined>, attrs: tf.NamedAttrMap = {}): tf.TensorInfo[] {
    const config = tf.getKernel(name, tf.getBackend());
    if (config === undefined) throw new Error(`${TRANSFORMER_BLOCK}: the backend has no '${name}' kernel`);
    const out = config.kernelFunc({ inputs: inputs as tf.NamedTensorInfoMap, backend: this.kernelBackend, attrs });
    return Array.isArray(out) ? out : [out];
  }

  one(name: string, inputs: Record<string, tf.TensorInfo | undefined>, attrs: tf.NamedAttrMap = {}): tf.TensorInfo {
    return this.call(name, inputs, attrs)[0]!;
  }

  /** x·W + b (rows). */
  linear(x: tf.TensorInfo, w: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
    return this.one('_FusedMatMul', { a: x, b: w, bias: b }, { transposeA: false, transposeB: false, activation: 'linear' });
  }

  product(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): tf.TensorInfo {
    return this.one('BatchMatMul', { a, b }, { transposeA, transposeB });
  }

  columnSums(x: tf.TensorInfo): tf.TensorInfo {
    return this.one('Sum', { x }, { axis: [0], keepDims: false });
  }

  add(a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
    return this.one('Add', { a, b });
  }

  /** mask ⊙ x, or x itself without a mask. */
  masked(x: tf.TensorInfo, mask: tf.TensorInfo | undefined): tf.TensorInfo {
    return mask === undefined ? x : this.temporary(this.one('Multiply', { a: x, b: mask }));
  }

  /** Marks a result to release when the kernel is done. */
  temporary(info: tf.TensorInfo): tf.TensorInfo {
    this.scratch.push(info);
    return info;
  }

  releaseTemporaries(): void {
    release(this.backend, ...this.scratch);
    this.scratch.length = 0;
  }
}

function attrsOf(args: { attrs?: tf.NamedAttrMap }): TransformerBlockAttrs {
  return args.attrs as unknown as TransformerBlockAttrs;
}

function attentionAttrs(attrs: TransformerBlockAttrs): tf.NamedAttrMap {
  return { images: attrs.images, tokens: attrs.tokens, heads: attrs.heads };
}

/** Inputs x [rows, d], the parameters, optional masks mask1, mask2 [rows, 1]; outputs y and BLOCK_SAVED. */
export const transformerBlockKernel: tf.KernelFunc = (args) => {
  const inputs = args.inputs as Infos<'x' | BlockParameter> & Partial<Infos<'mask1' | 'mask2'>>;
  const attrs = attrsOf(args);
  const k = new Kernels(args.backend as tf.KernelBackend);
  const { x } = inputs;
  const d = x.shape[1];
  if (x.shape.length !== 2 || d === undefined || x.shape[0] !== attrs.images * attrs.tokens) {
    throw new Error(`${TRANSFORMER_BLOCK}: rows of shape [${x.shape}] do not hold ${attrs.images} images of ${attrs.tokens} tokens`);
  }
  const [h1, stats1] = k.call(LAYER_NORM, { x, gamma: inputs.norm1Gamma, beta: inputs.norm1Beta }, { eps: attrs.eps }) as [tf.TensorInfo, tf.TensorInfo];
  const qkv = k.temporary(k.linear(h1, inputs.qkvWeight, inputs.qkvBias));
  const [merged, heads, probs] = k.call(ATTENTION, { qkv }, attentionAttrs(attrs)) as [tf.TensorInfo, tf.TensorInfo, tf.TensorInfo];
  const projected = k.temporary(k.linear(merged, inputs.projWeight, inputs.projBias));
  const x1 = k.add(x, k.masked(projected, inputs.mask1));
  const [h2, stats2] = k.call(LAYER_NORM, { x: x1, gamma: inputs.norm2Gamma, beta: inputs.norm2Beta }, { eps: attrs.eps }) as [tf.TensorInfo, tf.TensorInfo];
  const u = k.linear(h2, inputs.fc1Weight, inputs.fc1Bias);
  const [g, sigma] = k.call(GELU, { x: u }) as [tf.TensorInfo, tf.TensorInfo];
  const z = k.temporary(k.linear(g, inputs.fc2Weight, inputs.fc2Bias));
  const y = k.add(x1, k.masked(z, inputs.mask2));
  k.releaseTemporaries();
  const saved: Record<BlockSaved, tf.TensorInfo> = { stats1, h1, heads, probs, merged, x1, stats2, h2, u, sigma, g };
  return [y, ...BLOCK_SAVED.map((name) => saved[name])];
};

/** Inputs dy, x, BLOCK_WEIGHTS, BLOCK_SAVED, optional masks; outputs dx and the parameters' gradients (BLOCK_PARAMETERS order). */
export const transformerBlockGradKernel: tf.KernelFunc = (args) => {
  const inputs = args.inputs as Infos<'dy' | 'x' | BlockWeight | BlockSaved> & Partial<Infos<'mask1' | 'mask2'>>;
  const attrs = attrsOf(args);
  const k = new Kernels(args.backend as tf.KernelBackend);
  const { dy } = inputs;
  if (dy.shape.join() !== inputs.x.shape.join()) throw new Error(`${TRANSFORMER_BLOCK_GRAD}: gradient of shape [${dy.shape}] does not match the input [${inputs.x.shape}]`);
  // The MLP branch.
  const dz = k.masked(dy, inputs.mask2);
  const dFc2Weight = k.product(inputs.g, dz, true, false);
  const dFc2Bias = k.columnSums(dz);
  const dg = k.temporary(k.product(dz, inputs.fc2Weight, false, true));
  const du = k.temporary(k.one(GELU_GRAD, { dy: dg, x: inputs.u, s: inputs.sigma }));
  const dFc1Weight = k.product(inputs.h2, du, true, false);
  const dFc1Bias = k.columnSums(du);
  const dh2 = k.temporary(k.product(du, inputs.fc1Weight, false, true));
  const [dx1Norm, dNorm2Gamma, dNorm2Beta] = k.call(LAYER_NORM_GRAD, { dy: dh2, x: inputs.x1, stats: inputs.stats2, gamma: inputs.norm2Gamma }) as [tf.TensorInfo, tf.TensorInfo, tf.TensorInfo];
  k.temporary(dx1Norm);
  const dx1 = k.temporary(k.add(dy, dx1Norm));
  // The attention branch.
  const dOut = k.masked(dx1, inputs.mask1);
  const dProjWeight = k.product(inputs.merged, dOut, true, false);
  const dProjBias = k.columnSums(dOut);
  const dMerged = k.temporary(k.product(dOut, inputs.projWeight, false, true));
  const dqkv = k.temporary(k.one(ATTENTION_GRAD, { dy: dMerged, heads: inputs.heads, probs: inputs.probs }, attentionAttrs(attrs)));
  const dQkvWeight = k.product(inputs.h1, dqkv, true, false);
  const dQkvBias = k.columnSums(dqkv);
  const dh1 = k.temporary(k.product(dqkv, inputs.qkvWeight, false, true));
  const [dxNorm, dNorm1Gamma, dNorm1Beta] = k.call(LAYER_NORM_GRAD, { dy: dh1, x: inputs.x, stats: inputs.stats1, gamma: inputs.norm1Gamma }) as [tf.TensorInfo, tf.TensorInfo, tf.TensorInfo];
  k.temporary(dxNorm);
  const dx = k.add(dx1, dxNorm);
  k.releaseTemporaries();
  const grads: Record<BlockParameter, tf.TensorInfo> = {
    norm1Gamma: dNorm1Gamma,
    norm1Beta: dNorm1Beta,
    qkvWeight: dQkvWeight,
    qkvBias: dQkvBias,
    projWeight: dProjWeight,
    projBias: dProjBias,
    norm2Gamma: dNorm2Gamma,
    norm2Beta: dNorm2Beta,
    fc1Weight: dFc1Weight,
    fc1Bias: dFc1Bias,
    fc2Weight: dFc2Weight,
    fc2Bias: dFc2Bias,
  };
  return [dx, ...BLOCK_PARAMETERS.map((name) => grads[name])];
};

/** Whether the active backend has the fused block kernels (and the ones they are made of). */
export function hasFusedTransformerBlock(): boolean {
  const backend = tf.getBackend();
  return [TRANSFORMER_BLOCK, TRANSFORMER_BLOCK_GRAD, LAYER_NORM, LAYER_NORM_GRAD, ATTENTION, ATTENTION_GRAD, GELU, GELU_GRAD].every((name) => tf.getKernel(name, backend) !== undefined);
}

export type Masks = { mask1?: tf.Tensor | undefined; mask2?: tf.Tensor | undefined };

/** The masks present, as kernel inputs. */
function maskInputs(masks: Masks): Record<string, tf.Tensor> {
  return Object.fromEntries(Object.entries(masks).filter(([, m]) => m !== undefined)) as Record<string, tf.Tensor>;
}

/** y and what the gradient needs, by name. */
export function fusedTransformerBlock(
  x: tf.Tensor2D,
  parameters: Record<BlockParameter, tf.Tensor>,
  masks: Masks,
  attrs: TransformerBlockAttrs,
): { y: tf.Tensor2D; saved: Record<BlockSaved, tf.Tensor> } {
  const inputs = { x, ...parameters, ...maskInputs(masks) } as unknown as tf.NamedTensorMap;
  const [y, ...rest] = tf.engine().runKernel(TRANSFORMER_BLOCK, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  const saved = Object.fromEntries(BLOCK_SAVED.map((name, i) => [name, rest[i]!])) as Record<BlockSaved, tf.Tensor>;
  return { y: y as tf.Tensor2D, saved };
}

/** dx and the parameters' gradients from the upstream gradient and what fusedTransformerBlock kept. */
export function fusedTransformerBlockGrad(
  dy: tf.Tensor,
  x: tf.Tensor,
  weights: Record<BlockWeight, tf.Tensor>,
  saved: Record<BlockSaved, tf.Tensor>,
  masks: Masks,
  attrs: TransformerBlockAttrs,
): { dx: tf.Tensor2D; grads: Record<BlockParameter, tf.Tensor> } {
  const inputs = { dy, x, ...weights, ...saved, ...maskInputs(masks) } as unknown as tf.NamedTensorMap;
  const [dx, ...rest] = tf.engine().runKernel(TRANSFORMER_BLOCK_GRAD, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  const grads = Object.fromEntries(BLOCK_PARAMETERS.map((name, i) => [name, rest[i]!])) as Record<BlockParameter, tf.Tensor>;
  return { dx: dx as tf.Tensor2D, grads };
}
