// Builds a trainable tfjs model from a plan's architecture spec. The families small enough to
// train on a CPU are built: convnet, resnet and vit; the others are only costed by the compiler.
import type { ModelSpec } from '../../compiler/models/spec.js';
import { ConvNetModel } from './convnet.js';
import { ModelBuildError, type Model } from './model.js';
import { ResNetModel } from './resnet.js';
import { ViTModel } from './vit.js';

export const TRAINABLE_FAMILIES = ['convnet', 'resnet', 'vit'] as const;

export interface BuildOptions {
  /** The run's seed; every parameter gets its own stream derived from it. */
  seed: number;
  /** Stochastic-depth rate of the last block (resnet, vit). Default 0. */
  dropPathRate?: number;
  /** The first training resolution (a ViT's position embedding is initialised for it). Default: the native one. */
  resolution?: number;
}

export function buildModel(spec: ModelSpec, options: BuildOptions): Model {
  switch (spec.family) {
    case 'convnet':
      return new ConvNetModel(spec, options.seed);
    case 'resnet':
      return new ResNetModel(spec, options.seed, options.dropPathRate ?? 0);
    case 'vit':
      return new ViTModel(spec, options.seed, { dropPathRate: options.dropPathRate, resolution: options.resolution });
    default:
      throw new ModelBuildError(
        `${spec.name} is a ${spec.family} network, which this runtime cannot train (it trains ${TRAINABLE_FAMILIES.join(', ')}); ` +
          `export the plan for PyTorch instead, or pick a trainable model family`,
      );
  }
}
