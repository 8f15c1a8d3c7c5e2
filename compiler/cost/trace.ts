// The counting primitives: a trace walks a network at one input resolution, block by block,
// and adds up the multiply-accumulates and parameters of each layer. Only convolutions,
// linear layers and the two attention matmuls (QKᵀ and A·V) cost MACs; normalisations,
// activations, softmax, pooling, residual adds and scales cost none (docs/cost-model.md).
import type { Padding } from '../models/spec.js';
import { CostError } from './errors.js';

export interface BlockCost {
  /** Where the block sits in the network: `stem`, `stage2.block3`, `stage2.downsample`, `head`. */
  name: string;
  /** Forward multiply-accumulates of the block for one image. */
  macs: number;
  /** Learnable parameters of the block (at the traced resolution, for windows that scale with it). */
  params: number;
}

export interface ConvLayer {
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride: number;
  padding: Padding;
  /** Channel groups; `inChannels` for a depthwise conv. Default 1. */
  groups?: number;
  bias: boolean;
}

/** Side of the output map of a conv or pooling window over a square map of side `size`. */
export function windowOutput(size: number, kernel: number, stride: number, padding: Padding): number {
  if (padding === 'same') return Math.ceil(size / stride);
  const pad = padding === 'valid' ? 0 : padding;
  return Math.floor((size + 2 * pad - kernel) / stride) + 1;
}

/** Throws a spec error unless `value` is a positive whole number. */
export function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new CostError('bad-spec', `${what} must be a positive whole number, got ${value}`);
  return value;
}

export class CostTrace {
  readonly blocks: BlockCost[] = [];
  private current: BlockCost | undefined;

  constructor(
    /** Input side in pixels. */
    readonly resolution: number,
    /** The model's name, for error messages. */
    readonly model: string,
  ) {}

  /** Runs `body` with every layer it adds counted under block `name`. */
  block<T>(name: string, body: () => T): T {
    const outer = this.current;
    const block: BlockCost = { name, macs: 0, params: 0 };
    this.current = block;
    try {
      const result = body();
      this.blocks.push(block);
      return result;
    } finally {
      this.current = outer;
    }
  }

  private get open(): BlockCost {
    if (!this.current) throw new Error('cost trace: layer added outside a block');
    return this.current;
  }

  tooSmall(detail: string): CostError {
    return new CostError(
      'too-small',
      `${this.model} cannot run at ${this.resolution}×${this.resolution}: ${detail} in ${this.open.name}`,
      this.resolution,
    );
  }

  /** A 2-d convolution over a square map of side `size`; returns the output side. */
  conv(layer: ConvLayer, size: number): number {
    const groups = layer.groups ?? 1;
    positiveInteger(layer.inChannels, 'input channels');
    positiveInteger(layer.outChannels, 'output channels');
    positiveInteger(layer.kernel, 'kernel size');
    positiveInteger(layer.stride, 'stride');
    if (layer.inChannels % groups !== 0 || layer.outChannels % groups !== 0) {
      throw new CostError('bad-spec', `channels ${layer.inChannels}→${layer.outChannels} are not divisible by ${groups} groups`);
    }
    const out = windowOutput(size, layer.kernel, layer.stride, layer.padding);
    if (!(out >= 1)) throw this.tooSmall(`a ${size}×${size} map is smaller than its ${layer.kernel}×${layer.kernel} convolution`);
    const weights = layer.kernel * layer.kernel * (layer.inChannels / groups) * layer.outChannels;
    this.open.macs += out * out * weights;
    this.open.params += weights + (layer.bias ? layer.outChannels : 0);
    return out;
  }

  /** A pooling window (no MACs); returns the output side. */
  pool(size: number, kernel: number, stride: number, padding: Padding): number {
    const out = windowOutput(size, kernel, stride, padding);
    if (!(out >= 1)) throw this.tooSmall(`a ${size}×${size} map is smaller than its ${kernel}×${kernel} pooling window`);
    return out;
  }

  /** A linear layer applied to `tokens` vectors. */
  linear(tokens: number, inFeatures: number, outFeatures: number, bias: boolean): void {
    positiveInteger(inFeatures, 'linear input width');
    positiveInteger(outFeatures, 'linear output width');
    this.open.macs += tokens * inFeatures * outFeatures;
    this.open.params += inFeatures * outFeatures + (bias ? outFeatures : 0);
  }

  /** The two matmuls of scaled dot-product attention in `groups` independent groups (heads × windows). */
  attention(groups: number, queries: number, keys: number, headDim: number): void {
    this.open.macs += 2 * groups * queries * keys * headDim;
  }

  /** A normalisation layer over `dim` channels: scale and (unless `bias` is false) shift. */
  norm(dim: number, bias = true): void {
    this.open.params += bias ? 2 * dim : dim;
  }

  /** Parameters that cost no MACs: tokens, position embeddings, bias tables, scales. */
  params(count: number): void {
    this.open.params += count;
  }

  get macs(): number {
    return this.blocks.reduce((sum, b) => sum + b.macs, 0);
  }

  get paramCount(): number {
    return this.blocks.reduce((sum, b) => sum + b.params, 0);
  }
}
