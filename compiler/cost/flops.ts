// FLOPs and parameters of a model spec at any input resolution. Unit: multiply-accumulates
// (MACs) of one forward pass of one B×B image; what papers call "GFLOPs" of a backbone is
// GMACs. Conventions in docs/cost-model.md.
import type { ModelSpec } from '../models/spec.js';
import { CostError } from './errors.js';
import { traceCAFormer } from './families/caformer.js';
import { traceConvNet } from './families/convnet.js';
import { traceConvNeXt } from './families/convnext.js';
import { traceCSWin } from './families/cswin.js';
import { tracePVT } from './families/pvt.js';
import { traceResNet } from './families/resnet.js';
import { traceSwin } from './families/swin.js';
import { traceViT } from './families/vit.js';
import { CostTrace, positiveInteger, type BlockCost } from './trace.js';

export type { BlockCost } from './trace.js';

/** Training cost per image as a multiple of the forward pass, when the spec does not say. */
export const DEFAULT_TRAINING_MULTIPLIER = 3;

function checkResolutionValue(spec: ModelSpec, resolution: number): void {
  if (!Number.isFinite(resolution) || !Number.isInteger(resolution) || resolution <= 0) {
    throw new CostError('bad-resolution', `${spec.name}: resolution must be a positive whole number of pixels, got ${resolution}`, resolution);
  }
}

function checkSpec(spec: ModelSpec): void {
  positiveInteger(spec.inChannels, `${spec.name}: input channels`);
  positiveInteger(spec.numClasses, `${spec.name}: number of classes`);
  positiveInteger(spec.nativeResolution, `${spec.name}: native resolution`);
}

function trace(spec: ModelSpec, resolution: number): CostTrace {
  checkResolutionValue(spec, resolution);
  checkSpec(spec);
  const t = new CostTrace(resolution, spec.name);
  switch (spec.family) {
    case 'resnet':
      traceResNet(spec, t);
      break;
    case 'convnext':
      traceConvNeXt(spec, t);
      break;
    case 'vit':
      traceViT(spec, t);
      break;
    case 'swin':
      traceSwin(spec, t);
      break;
    case 'pvt':
      tracePVT(spec, t);
      break;
    case 'cswin':
      traceCSWin(spec, t);
      break;
    case 'caformer':
      traceCAFormer(spec, t);
      break;
    case 'convnet':
      traceConvNet(spec, t);
      break;
    default:
      throw new CostError('bad-spec', `unknown model family \`${(spec as { family: unknown }).family}\``);
  }
  const macs = t.macs;
  const params = t.paramCount;
  if (!Number.isFinite(macs) || !Number.isFinite(params) || macs <= 0) {
    throw new CostError('bad-spec', `${spec.name}: the spec does not describe a network that can be counted at ${resolution}×${resolution}`, resolution);
  }
  return t;
}

/** Multiply-accumulates of one forward pass of one `resolution`×`resolution` image. */
export function forwardMacs(spec: ModelSpec, resolution: number): number {
  return trace(spec, resolution).macs;
}

/** The forward MACs and parameters block by block, in network order. */
export function forwardBreakdown(spec: ModelSpec, resolution: number): BlockCost[] {
  return trace(spec, resolution).blocks;
}

/** Learnable parameters of the network at its native resolution. */
export function paramCount(spec: ModelSpec): number {
  return trace(spec, spec.nativeResolution).paramCount;
}

/** Training cost per image as a multiple of the forward pass. */
export function trainingMultiplier(spec: ModelSpec): number {
  const m = spec.trainingMultiplier ?? DEFAULT_TRAINING_MULTIPLIER;
  if (!Number.isFinite(m) || m <= 0) throw new CostError('bad-spec', `${spec.name}: training multiplier must be a positive number, got ${m}`);
  return m;
}

/** Training MACs (forward + backward) of one image at `resolution`. */
export function trainingMacsPerImage(spec: ModelSpec, resolution: number): number {
  return trainingMultiplier(spec) * forwardMacs(spec, resolution);
}

/**
 * The pixel proxy the official scripts use: forward MACs at the full resolution scaled by
 * (B / full)². Exact for ConvNets only when every stride divides B; too high for ViTs.
 */
export function pixelProxyMacs(spec: ModelSpec, resolution: number, fullResolution: number = spec.nativeResolution): number {
  checkResolutionValue(spec, resolution);
  return forwardMacs(spec, fullResolution) * (resolution / fullResolution) ** 2;
}

/** Training MACs per image by the pixel proxy. */
export function trainingPixelProxyMacsPerImage(spec: ModelSpec, resolution: number, fullResolution: number = spec.nativeResolution): number {
  return trainingMultiplier(spec) * pixelProxyMacs(spec, resolution, fullResolution);
}

/** GMACs from MACs. */
export function toGMacs(macs: number): number {
  return macs / 1e9;
}
