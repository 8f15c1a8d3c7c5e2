// ViT / DeiT: patch embedding (p×p conv, stride p), optional class token, learned position
// embedding, pre-norm blocks (multi-head self-attention, GELU MLP), final layer norm, class
// token or mean pooling, linear head; timm's initialisation (truncated normal, std 0.02).
//
// The position embedding is shaped for the training resolution: when a curriculum changes the
// resolution the embedding is interpolated bilinearly to the new token grid (and the training
// loop does the same to its optimizer moments and EMA copy, as the reference code does).
// Forward passes at another resolution (evaluation at full resolution during a low-resolution
// stage) interpolate a temporary copy.
import * as tf from '@tensorflow/tfjs';
import type { ViTSpec } from '../../compiler/models/spec.js';
import {
  BLOCK_PARAMETERS,
  BLOCK_SAVED,
  fusedTransformerBlock,
  fusedTransformerBlockGrad,
  hasFusedTransformerBlock,
  type BlockParameter,
  type BlockSaved,
  type BlockWeight,
} from '../kernels/transformer-block.js';
import { activate, Conv2d, dropPath, dropPathMask, LayerNorm, Linear, multiHeadAttention, type ForwardContext } from './layers.js';
import { ModelBuildError, type Model, type ResolutionChange } from './model.js';
import { ParameterSet, reshapeParameter, type ModelBuffer, type Parameter } from './parameters.js';
import { resizePositionEmbedding } from './position-embedding.js';

const INIT_STD = 0.02;

interface Block {
  norm1: LayerNorm;
  qkv: Linear;
  proj: Linear;
  norm2: LayerNorm;
  fc1: Linear;
  fc2: Linear;
  dropPathRate: number;
  name: string;
}

export class ViTModel implements Model {
  private readonly set: ParameterSet;
  private readonly patchEmbed: Conv2d;
  private readonly classToken: Parameter | undefined;
  private readonly positionEmbedding: Parameter;
  private readonly blocks: Block[] = [];
  private readonly norm: LayerNorm;
  private readonly head: Linear;
  private readonly extraTokens: number;
  private grid: number;
  trainingResolution: number;

  constructor(
    readonly spec: ViTSpec,
    seed: number,
    options: { dropPathRate?: number; resolution?: number } = {},
  ) {
    const d = spec.embedDim;
    if (d % spec.heads !== 0) throw new ModelBuildError(`${spec.name}: embedding width ${d} is not divisible by ${spec.heads} heads`);
    this.set = new ParameterSet(seed);
    this.trainingResolution = options.resolution ?? spec.nativeResolution;
    this.grid = this.gridAt(this.trainingResolution);
    this.extraTokens = spec.classToken ? 1 : 0;
    const trunc = { kind: 'truncated-normal', std: INIT_STD } as const;
    const zero = { kind: 'constant', value: 0 } as const;
    const fanIn = spec.patchSize * spec.patchSize * spec.inChannels;
    this.patchEmbed = new Conv2d(this.set, 'patch_embed', spec.inChannels, d, spec.patchSize, spec.patchSize, 0, true, { kind: 'uniform-fan-in', fanIn });
    this.classToken = spec.classToken ? this.set.param('cls_token', [1, 1, d], trunc, false) : undefined;
    this.positionEmbedding = this.set.param('pos_embed', [1, this.extraTokens + this.grid * this.grid, d], trunc, false);
    const hidden = Math.round(d * spec.mlpRatio);
    const rate = options.dropPathRate ?? 0;
    for (let i = 0; i < spec.depth; i++) {
      const name = `block${i + 1}`;
      this.blocks.push({
        name,
        norm1: new LayerNorm(this.set, `${name}.norm1`, d),
        qkv: new Linear(this.set, `${name}.attn.qkv`, d, 3 * d, spec.qkvBias, trunc, zero),
        proj: new Linear(this.set, `${name}.attn.proj`, d, d, true, trunc, zero),
        norm2: new LayerNorm(this.set, `${name}.norm2`, d),
        fc1: new Linear(this.set, `${name}.mlp.fc1`, d, hidden, true, trunc, zero),
        fc2: new Linear(this.set, `${name}.mlp.fc2`, hidden, d, true, trunc, zero),
        dropPathRate: spec.depth > 1 ? (rate * i) / (spec.depth - 1) : rate,
      });
    }
    this.norm = new LayerNorm(this.set, 'norm', d);
    this.head = new Linear(this.set, 'head', d, spec.numClasses, true, trunc, zero);
  }

  get parameters(): readonly Parameter[] {
    return this.set.parameters;
  }

  get buffers(): readonly ModelBuffer[] {
    return this.set.buffers;
  }

  private gridAt(resolution: number): number {
    const grid = Math.floor(resolution / this.spec.patchSize);
    if (grid < 1) throw new ModelBuildError(`${this.spec.name}: a ${resolution}px input is smaller than one ${this.spec.patchSize}px patch`);
    return grid;
  }

  setTrainingResolution(resolution: number): ResolutionChange[] {
    const from = this.grid;
    const to = this.gridAt(resolution);
    this.trainingResolution = resolution;
    if (from === to) return [];
    const extra = this.extraTokens;
    const resize = (value: tf.Tensor): tf.Tensor => resizePositionEmbedding(value, extra, from, to);
    reshapeParameter(this.positionEmbedding, resize(this.positionEmbedding.variable));
    this.grid = to;
    return [{ name: this.positionEmbedding.name, resize }];
  }

  /** Multi-head self-attention over `n` images of `tokens` tokens each, x as [n·tokens, dim] rows. */
  private attention(block: Block, x: tf.Tensor2D, n: number, tokens: number, ctx: ForwardContext): tf.Tensor2D {
    const heads = this.spec.heads;
    const headDim = x.shape[1] / heads;
    const merged = multiHeadAttention(block.qkv.apply(x, ctx, n), { images: n, tokens, heads });
    ctx.macs?.add(`${block.name}.attn`, 2 * heads * tokens * tokens * headDim);
    return block.proj.apply(merged, ctx, n);
  }

  /** One block layer by layer, each layer one recorded operation. */
  private block(block: Block, rows: tf.Tensor2D, n: number, tokens: number, ctx: ForwardContext): tf.Tensor2D {
    const x1 = tf.add(rows, dropPath(this.attention(block, block.norm1.apply(rows), n, tokens, ctx), block.dropPathRate, ctx, n));
    const hidden = activate(block.fc1.apply(block.norm2.apply(x1), ctx, n), 'gelu');
    return tf.add(x1, dropPath(block.fc2.apply(hidden, ctx, n), block.dropPathRate, ctx, n));
  }

  /**
   * The same block as one recorded operation whose forward and backward are one kernel each
   * (kernels/transformer-block.ts), where the backend has them. The drop-path masks are drawn
   * in the layer-by-layer order: the attention branch's, then the MLP's.
   */
  private fusedBlock(block: Block, rows: tf.Tensor2D, n: number, tokens: number, ctx: ForwardContext): tf.Tensor2D {
    const [total, d] = rows.shape;
    const mask1 = dropPathMask(block.dropPathRate, ctx, total, n);
    const mask2 = dropPathMask(block.dropPathRate, ctx, total, n);
    for (const layer of [block.qkv, block.proj, block.fc1, block.fc2]) layer.countMacs(ctx, total, n);
    ctx.macs?.add(`${block.name}.attn`, 2 * tokens * tokens * d);
    const attrs = { images: n, tokens, heads: this.spec.heads, eps: LayerNorm.EPS };
    // Variables outlive the backward pass; everything else it reads is saved.
    const weights: Record<BlockWeight, tf.Tensor> = {
      norm1Gamma: block.norm1.gamma.variable,
      qkvWeight: block.qkv.weight.variable,
      projWeight: block.proj.weight.variable,
      norm2Gamma: block.norm2.gamma.variable,
      fc1Weight: block.fc1.weight.variable,
      fc2Weight: block.fc2.weight.variable,
    };
    // A block without a qkv bias adds zeros (exactly its product); their gradient is dropped.
    const parameters: Record<BlockParameter, tf.Tensor> = {
      ...weights,
      norm1Beta: block.norm1.beta.variable,
      qkvBias: block.qkv.bias?.variable ?? tf.zeros([3 * d]),
      projBias: block.proj.bias!.variable,
      norm2Beta: block.norm2.beta.variable,
      fc1Bias: block.fc1.bias!.variable,
      fc2Bias: block.fc2.bias!.variable,
    };
    const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const input = args[0] as tf.Tensor2D;
      const save = args[args.length - 1] as tf.GradSaveFunc;
      const { y, saved } = fusedTransformerBlock(input, parameters, { mask1, mask2 }, attrs);
      save([input, ...BLOCK_SAVED.map((name) => saved[name]), ...[mask1, mask2].filter((m) => m !== undefined)]);
      return {
        value: y,
        gradFunc: (dy: tf.Tensor, kept: tf.Tensor[]) => {
          const keptSaved = Object.fromEntries(BLOCK_SAVED.map((name, i) => [name, kept[1 + i]!])) as Record<BlockSaved, tf.Tensor>;
          const keptMasks = kept.slice(1 + BLOCK_SAVED.length);
          const masks = { mask1: mask1 && keptMasks[0], mask2: mask2 && keptMasks[mask1 ? 1 : 0] };
          const { dx, grads } = fusedTransformerBlockGrad(dy, kept[0]!, weights, keptSaved, masks, attrs);
          return [dx, ...BLOCK_PARAMETERS.map((name) => grads[name])];
        },
      };
    });
    return op(rows, ...BLOCK_PARAMETERS.map((name) => parameters[name])) as tf.Tensor2D;
  }

  forward(images: tf.Tensor4D, ctx: ForwardContext): tf.Tensor2D {
    const d = this.spec.embedDim;
    const patches = this.patchEmbed.apply(images, ctx);
    const [n, gh, gw] = patches.shape;
    let x = tf.reshape(patches, [n, gh * gw, d]) as tf.Tensor3D;
    // A broadcast add rather than tf.tile: tile's gradient is one slice and one add per image.
    if (this.classToken) x = tf.concat([tf.add(tf.zeros([n, 1, d]), this.classToken.variable) as tf.Tensor3D, x], 1);
    const position =
      gh === this.grid ? this.positionEmbedding.variable : resizePositionEmbedding(this.positionEmbedding.variable, this.extraTokens, this.grid, gh);
    x = tf.add(x, position);
    // The blocks work on [images·tokens, dim] rows: dense layers need no reshapes.
    const tokens = x.shape[1];
    let rows = tf.reshape(x, [n * tokens, d]) as tf.Tensor2D;
    const fused = hasFusedTransformerBlock();
    for (const block of this.blocks) rows = fused ? this.fusedBlock(block, rows, n, tokens, ctx) : this.block(block, rows, n, tokens, ctx);
    x = tf.reshape(this.norm.apply(rows), [n, tokens, d]) as tf.Tensor3D;
    const pooled =
      this.spec.pool === 'cls' && this.classToken
        ? (tf.reshape(tf.slice(x, [0, 0, 0], [n, 1, d]), [n, d]) as tf.Tensor2D)
        : (tf.mean(tf.slice(x, [0, this.extraTokens, 0], [n, gh * gw, d]), 1) as tf.Tensor2D);
    return this.head.apply(pooled, ctx);
  }

  dispose(): void {
    this.set.dispose();
  }
}
