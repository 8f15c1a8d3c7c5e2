// The model catalogue: named ImageNet architectures (3 channels, 1000 classes, 224×224) as
// their reference implementations define them, and a few small named models. Every entry can
// be retargeted to a data set's channels, classes and resolution.
import type { CAFormerSpec, CSWinSpec, ConvNeXtSpec, ModelSpec, PVTSpec, ResNetSpec, SwinSpec, ViTSpec } from './spec.js';
import { convnet, resnet } from './families.js';

export {
  buildFamilyModel,
  convnet,
  DEFAULT_FAMILY_CONTEXT,
  FAMILY_NAMES,
  familyArguments,
  FamilyArgumentsError,
  resnet,
  vit,
  type FamilyArgumentError,
  type FamilyContext,
  type FamilyResult,
} from './families.js';

const IMAGENET = { inChannels: 3, numClasses: 1000, nativeResolution: 224 } as const;

function imagenetResNet(name: string, block: ResNetSpec['block'], depths: number[]): ResNetSpec {
  return {
    name,
    family: 'resnet',
    ...IMAGENET,
    block,
    stem: 'imagenet',
    stemWidth: 64,
    depths,
    widths: [64, 128, 256, 512],
    strides: [1, 2, 2, 2],
    bottleneckStrideOn: '3x3',
  };
}

function convnext(name: string, depths: number[], dims: number[]): ConvNeXtSpec {
  return { name, family: 'convnext', ...IMAGENET, depths, dims, stemPatch: 4, kernelSize: 7, mlpRatio: 4 };
}

function vitModel(name: string, embedDim: number, depth: number, heads: number): ViTSpec {
  return { name, family: 'vit', ...IMAGENET, patchSize: 16, embedDim, depth, heads, mlpRatio: 4, qkvBias: true, classToken: true, pool: 'cls' };
}

// EfficientTrain runs Swin with window = B/32 (7 at 224), so the window tiles every stage's map exactly.
function swin(name: string, embedDim: number, depths: number[], heads: number[]): SwinSpec {
  return { name, family: 'swin', ...IMAGENET, patchSize: 4, embedDim, depths, heads, window: { kind: 'scaled', divisor: 32 }, mlpRatio: 4, qkvBias: true };
}

function pvt(name: string, depths: number[]): PVTSpec {
  return {
    name,
    family: 'pvt',
    ...IMAGENET,
    patchSizes: [4, 2, 2, 2],
    dims: [64, 128, 320, 512],
    depths,
    heads: [1, 2, 5, 8],
    mlpRatios: [8, 8, 4, 4],
    srRatios: [8, 4, 2, 1],
    qkvBias: true,
    classToken: true,
  };
}

// Stripe widths 1, 2, 7, 7 at 224; EfficientTrain scales the last two with the input (B/32).
function cswin(name: string, embedDim: number, depths: number[], heads: number[]): CSWinSpec {
  const scaled = { kind: 'scaled', divisor: 32 } as const;
  return {
    name,
    family: 'cswin',
    ...IMAGENET,
    stem: { kernel: 7, stride: 4, padding: 2 },
    dims: [embedDim, 2 * embedDim, 4 * embedDim, 8 * embedDim],
    depths,
    heads,
    stripes: [{ kind: 'fixed', size: 1 }, { kind: 'fixed', size: 2 }, scaled, scaled],
    mlpRatio: 4,
    qkvBias: true,
  };
}

function caformer(name: string, depths: number[], dims: number[]): CAFormerSpec {
  return {
    name,
    family: 'caformer',
    ...IMAGENET,
    depths,
    dims,
    mixers: ['sepconv', 'sepconv', 'attention', 'attention'],
    headDim: 32,
    mlpRatio: 4,
    sepConvKernel: 7,
    sepConvExpansion: 2,
    headMlpRatio: 4,
  };
}

const SMALL = { inChannels: 3, numClasses: 10, resolution: 32 } as const;

function named<T extends ModelSpec>(name: string, spec: T): T {
  return { ...spec, name };
}

const ENTRIES: readonly ModelSpec[] = [
  imagenetResNet('resnet18', 'basic', [2, 2, 2, 2]),
  imagenetResNet('resnet34', 'basic', [3, 4, 6, 3]),
  imagenetResNet('resnet50', 'bottleneck', [3, 4, 6, 3]),
  imagenetResNet('resnet101', 'bottleneck', [3, 4, 23, 3]),
  convnext('convnext_tiny', [3, 3, 9, 3], [96, 192, 384, 768]),
  convnext('convnext_small', [3, 3, 27, 3], [96, 192, 384, 768]),
  convnext('convnext_base', [3, 3, 27, 3], [128, 256, 512, 1024]),
  vitModel('deit_tiny', 192, 12, 3),
  vitModel('deit_small', 384, 12, 6),
  vitModel('deit_base', 768, 12, 12),
  vitModel('vit_base', 768, 12, 12),
  vitModel('vit_large', 1024, 24, 16),
  swin('swin_tiny', 96, [2, 2, 6, 2], [3, 6, 12, 24]),
  swin('swin_small', 96, [2, 2, 18, 2], [3, 6, 12, 24]),
  swin('swin_base', 128, [2, 2, 18, 2], [4, 8, 16, 32]),
  pvt('pvt_tiny', [2, 2, 2, 2]),
  pvt('pvt_small', [3, 4, 6, 3]),
  pvt('pvt_medium', [3, 4, 18, 3]),
  pvt('pvt_large', [3, 8, 27, 3]),
  cswin('cswin_tiny', 64, [1, 2, 21, 1], [2, 4, 8, 16]),
  cswin('cswin_small', 64, [2, 4, 32, 2], [2, 4, 8, 16]),
  cswin('cswin_base', 96, [2, 4, 32, 2], [4, 8, 16, 32]),
  caformer('caformer_s18', [3, 3, 9, 3], [64, 128, 320, 512]),
  caformer('caformer_s36', [3, 12, 18, 3], [64, 128, 320, 512]),
  caformer('caformer_m36', [3, 12, 18, 3], [96, 192, 384, 576]),
  // Small models that train on a CPU, defined for 32×32 RGB with 10 classes.
  named('resnet20', resnet({ depth: 20, width: 16, stages: 3, block: 'basic', stem: 'cifar' }, SMALL)),
  named('convnet_small', convnet({ width: 32, stages: 3, convs: 1 }, SMALL)),
];

const BY_NAME = new Map(ENTRIES.map((spec) => [spec.name, spec]));

/** Every catalogue name, in catalogue order (for listings and "did you mean" suggestions). */
export const MODEL_NAMES: readonly string[] = ENTRIES.map((spec) => spec.name);

export interface RetargetOptions {
  inChannels: number;
  numClasses: number;
  /** The data set's full resolution; position embeddings and scaled windows are then defined there. */
  resolution?: number;
}

/** A copy of `spec` for another input (channels, resolution) and output (classes). */
export function retarget<T extends ModelSpec>(spec: T, target: RetargetOptions): T {
  return structuredClone({
    ...spec,
    inChannels: target.inChannels,
    numClasses: target.numClasses,
    nativeResolution: target.resolution ?? spec.nativeResolution,
  });
}

/** The catalogue spec named `name` (retargeted when `target` is given); undefined for unknown names. */
export function lookupModel(name: string, target?: RetargetOptions): ModelSpec | undefined {
  const spec = BY_NAME.get(name);
  if (!spec) return undefined;
  return target ? retarget(spec, target) : structuredClone(spec);
}
