// The architecture spec of a network: a plain, JSON-serialisable description, timm-style.
// One spec feeds the cost model (FLOPs and parameters at any resolution) and, for the small
// trainable families, the runtime's model builder; it travels inside the plan. This file holds
// types and one pure display function only, so the runtime can import it without pulling in
// the compiler.
//
// Conventions shared by every family:
// - inputs are square, `inChannels` × B × B; every feature map stays square;
// - sizes are in pixels or tokens, channel counts are exact (no multipliers left to apply);
// - `padding` as a number is symmetric zero padding on each side (PyTorch's convention:
//   out = floor((in + 2p − k) / s) + 1); `same` and `valid` are TensorFlow's conventions
//   (out = ceil(in / s), and out = floor((in − k) / s) + 1).

/** Zero padding of a convolution or pooling window. */
export type Padding = number | 'same' | 'valid';

/** A window or stripe size: fixed in tokens, or a fraction of the input resolution (size = B / divisor). */
export type WindowRule = { kind: 'fixed'; size: number } | { kind: 'scaled'; divisor: number };

export type Activation = 'relu' | 'gelu' | 'silu' | 'tanh';

export interface SpecCommon {
  /** A catalogue name (`resnet50`) or the family call it was built from (`vit(patch: 4, ...)`). */
  name: string;
  inChannels: number;
  numClasses: number;
  /** The resolution the network is defined at: position embeddings and scaled windows refer to it. */
  nativeResolution: number;
  /** Training cost per image as a multiple of the forward pass; 3 (forward + backward ≈ 2×) when absent. */
  trainingMultiplier?: number;
}

/**
 * ResNet with batch norm and ReLU (torchvision/timm layout). Stem `imagenet`: 7×7 stride-2
 * conv (padding 3), BN, ReLU, 3×3 stride-2 max pool (padding 1); stem `cifar`: 3×3 stride-1
 * conv (padding 1), BN, ReLU. Basic block: 3×3, 3×3 (output = width); bottleneck: 1×1, 3×3,
 * 1×1 (output = 4 × width). Convolutions have no bias. A block whose stride or channels change
 * gets a 1×1 conv + BN shortcut. Head: global average pool, linear.
 */
export interface ResNetSpec extends SpecCommon {
  family: 'resnet';
  block: 'basic' | 'bottleneck';
  stem: 'imagenet' | 'cifar';
  stemWidth: number;
  /** Blocks per stage. */
  depths: number[];
  /** Per stage: output channels of basic blocks, inner channels of bottlenecks. */
  widths: number[];
  /** Stride of each stage's first block. */
  strides: number[];
  /** Where a bottleneck's stride sits: `3x3` (torchvision, "v1.5") or `1x1` (the original paper). */
  bottleneckStrideOn: '3x3' | '1x1';
}

/**
 * ConvNeXt. Stem: `stemPatch`×`stemPatch` conv with that stride, LayerNorm. Downsampling
 * between stages: LayerNorm, 2×2 stride-2 conv. Block: depthwise k×k conv (padding k/2),
 * LayerNorm, linear to mlpRatio×dim, GELU, linear back, layer scale, residual.
 * Head: global average pool, LayerNorm, linear. All convs and linears have biases.
 */
export interface ConvNeXtSpec extends SpecCommon {
  family: 'convnext';
  depths: number[];
  dims: number[];
  stemPatch: number;
  kernelSize: number;
  mlpRatio: number;
}

/**
 * ViT / DeiT. Patch embedding: p×p conv with stride p (bias); optional class token; learned
 * position embedding at the native resolution (interpolated elsewhere). Pre-norm blocks:
 * LayerNorm, multi-head self-attention (qkv linear, proj linear), LayerNorm, MLP with GELU.
 * Final LayerNorm, then the class token or the mean of the patch tokens, then a linear head.
 */
export interface ViTSpec extends SpecCommon {
  family: 'vit';
  patchSize: number;
  embedDim: number;
  depth: number;
  heads: number;
  mlpRatio: number;
  qkvBias: boolean;
  classToken: boolean;
  pool: 'cls' | 'mean';
}

/**
 * Swin Transformer (v1). Patch embedding: p×p conv stride p, LayerNorm. Blocks alternate
 * regular and shifted windows (the shift does not change the cost); each has LayerNorm,
 * window attention with a relative position bias table of (2w−1)² × heads, proj, LayerNorm,
 * MLP. Patch merging after every stage but the last: concatenate 2×2 neighbours, LayerNorm
 * over 4C, linear 4C → 2C without bias. Final LayerNorm, global average pool, linear.
 * Feature maps are padded to whole windows; a window larger than the map shrinks to the map.
 */
export interface SwinSpec extends SpecCommon {
  family: 'swin';
  patchSize: number;
  embedDim: number;
  depths: number[];
  heads: number[];
  window: WindowRule;
  mlpRatio: number;
  qkvBias: boolean;
}

/**
 * Pyramid Vision Transformer (v1). Each stage: patch embedding (conv k = stride = patch size,
 * LayerNorm), learned position embedding, blocks of spatial-reduction attention (q linear on
 * all N tokens; keys and values from the map reduced by an sr×sr stride-sr conv + LayerNorm
 * when sr > 1; kv linear; proj) and an MLP. The last stage carries a class token; the head
 * reads it after a final LayerNorm.
 */
export interface PVTSpec extends SpecCommon {
  family: 'pvt';
  patchSizes: number[];
  dims: number[];
  depths: number[];
  heads: number[];
  mlpRatios: number[];
  srRatios: number[];
  qkvBias: boolean;
  classToken: boolean;
}

/**
 * CSWin Transformer. Stem: k×k conv (stride, padding as given), LayerNorm. Blocks: LayerNorm,
 * qkv linear, cross-shaped window attention (half the heads over horizontal stripes of width
 * sw, half over vertical ones, each with a locally-enhanced positional encoding: a 3×3
 * depthwise conv on V), proj, LayerNorm, MLP. A stage whose map equals its stripe width (the
 * last one) attends over the whole map with all heads. Merge between stages: 3×3 stride-2
 * conv to the next width, LayerNorm. Final LayerNorm, global average pool, linear.
 */
export interface CSWinSpec extends SpecCommon {
  family: 'cswin';
  stem: { kernel: number; stride: number; padding: number };
  dims: number[];
  depths: number[];
  heads: number[];
  /** Stripe width per stage. */
  stripes: WindowRule[];
  mlpRatio: number;
  qkvBias: boolean;
}

/**
 * CAFormer (MetaFormer baselines). Downsampling: stem k7 s4 p2 conv then a LayerNorm without
 * bias; between stages a bias-free LayerNorm then a 3×3 stride-2 conv. Blocks: norm, token
 * mixer, norm, MLP (StarReLU), all linears without bias; stages 3 and 4 add residual scales.
 * Mixer `sepconv`: linear to 2×dim, StarReLU, depthwise 7×7, linear back. Mixer `attention`:
 * heads of `headDim` over all tokens. Head: mean pool, LayerNorm, MLP head (linear to
 * headMlpRatio×dim, SquaredReLU, LayerNorm, linear).
 */
export interface CAFormerSpec extends SpecCommon {
  family: 'caformer';
  depths: number[];
  dims: number[];
  mixers: Array<'sepconv' | 'attention'>;
  headDim: number;
  mlpRatio: number;
  sepConvKernel: number;
  sepConvExpansion: number;
  headMlpRatio: number;
}

/** One convolution of a plain conv stack, optionally followed by a pooling window. */
export interface ConvLayerSpec {
  channels: number;
  kernel: number;
  stride: number;
  padding: Padding;
  pool?: { kind: 'max' | 'avg'; size: number; stride: number; padding: Padding };
}

/**
 * A plain conv stack: each layer is conv → norm → activation → pool (when given). Head:
 * global pool, then for each hidden width a linear + activation, dropout, linear to the classes.
 */
export interface ConvNetSpec extends SpecCommon {
  family: 'convnet';
  layers: ConvLayerSpec[];
  norm: 'batch' | 'none';
  activation: Activation;
  /** Whether convolutions carry a bias (usually not when followed by batch norm). */
  convBias: boolean;
  head: { pool: 'avg' | 'max'; hidden: number[]; dropout: number };
}

export type ModelSpec = ResNetSpec | ConvNeXtSpec | ViTSpec | SwinSpec | PVTSpec | CSWinSpec | CAFormerSpec | ConvNetSpec;

export type ModelFamily = ModelSpec['family'];

function list(values: readonly number[]): string {
  return values.join('-');
}

function windowText(rule: WindowRule): string {
  return rule.kind === 'fixed' ? String(rule.size) : `B/${rule.divisor}`;
}

function paddingText(p: Padding): string {
  return typeof p === 'number' ? `p${p}` : p;
}

function architectureText(spec: ModelSpec): string {
  switch (spec.family) {
    case 'resnet':
      return `ResNet (${spec.block}, ${spec.stem} stem) depths ${list(spec.depths)} widths ${list(spec.widths)}`;
    case 'convnext':
      return `ConvNeXt depths ${list(spec.depths)} dims ${list(spec.dims)} kernel ${spec.kernelSize}`;
    case 'vit':
      return `ViT patch ${spec.patchSize} dim ${spec.embedDim} depth ${spec.depth} heads ${spec.heads} mlp ${spec.mlpRatio}`;
    case 'swin':
      return `Swin patch ${spec.patchSize} dim ${spec.embedDim} depths ${list(spec.depths)} heads ${list(spec.heads)} window ${windowText(spec.window)}`;
    case 'pvt':
      return `PVT dims ${list(spec.dims)} depths ${list(spec.depths)} heads ${list(spec.heads)} sr ${list(spec.srRatios)}`;
    case 'cswin':
      return `CSWin dims ${list(spec.dims)} depths ${list(spec.depths)} heads ${list(spec.heads)} stripes ${spec.stripes.map(windowText).join('-')}`;
    case 'caformer':
      return `CAFormer depths ${list(spec.depths)} dims ${list(spec.dims)} mixers ${spec.mixers.join('-')}`;
    case 'convnet': {
      const paddings = new Set(spec.layers.map((l) => paddingText(l.padding)));
      const layers = spec.layers.map((l) => `${l.channels}k${l.kernel}s${l.stride}${paddings.size > 1 ? paddingText(l.padding) : ''}${l.pool ? `+${l.pool.kind}pool${l.pool.size}` : ''}`);
      const parts = [`ConvNet ${layers.join(' ')}`];
      if (spec.norm === 'batch') parts.push('BN');
      parts.push(spec.activation);
      if (paddings.size === 1) parts.push(`${[...paddings][0]} padding`);
      if (spec.head.hidden.length > 0) parts.push(`head ${list(spec.head.hidden)}`);
      return parts.join(', ');
    }
  }
}

/** One line for display: name, architecture, input and output. */
export function describeSpec(spec: ModelSpec): string {
  return `${spec.name}: ${architectureText(spec)}; ${spec.inChannels}×${spec.nativeResolution}² in, ${spec.numClasses} classes`;
}
