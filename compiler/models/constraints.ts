// Which input resolutions an architecture accepts. Token grids, windows and stripes must
// tile the image exactly (ViT: multiples of the patch; Swin, CSWin, PVT: multiples of 32);
// ConvNets accept any size at or above their total stride (feature maps then round down
// at each stride). Callers that low-pass with the FFT crop also need an even resolution;
// that rule belongs to the crop, not to the architecture, and is checked there.
import { CostError } from '../cost/errors.js';
import { forwardMacs } from '../cost/flops.js';
import type { ModelSpec, WindowRule } from './spec.js';

export interface ResolutionRule {
  /** Valid resolutions are multiples of this (1: any whole number). */
  multipleOf: number;
  /** The smallest valid resolution. */
  minimum: number;
  /** Why, in words, for diagnostics. */
  why: string;
}

export type ResolutionProblem = 'not-integer' | 'not-positive' | 'above-full' | 'too-small' | 'not-multiple' | 'does-not-fit';

export type ResolutionCheck =
  | { ok: true }
  | {
      ok: false;
      problem: ResolutionProblem;
      reason: string;
      /** The nearest valid resolutions below and above, within (0, full]; empty when there is none. */
      nearestValid: number[];
    };

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function lcm(values: readonly number[]): number {
  return values.reduce((acc, v) => (acc * v) / gcd(acc, v), 1);
}

function product(values: readonly number[]): number {
  return values.reduce((acc, v) => acc * v, 1);
}

/** Input multiple a window rule needs at a stage of the given stride. */
function windowMultiple(rule: WindowRule, stageStride: number): number {
  return rule.kind === 'scaled' ? rule.divisor : stageStride * rule.size;
}

export function resolutionRule(spec: ModelSpec): ResolutionRule {
  switch (spec.family) {
    case 'vit':
      return { multipleOf: spec.patchSize, minimum: spec.patchSize, why: `its ${spec.patchSize}×${spec.patchSize} patches must tile the image` };
    case 'swin': {
      const stride = spec.patchSize * 2 ** (spec.depths.length - 1);
      const m = lcm([stride, spec.window.kind === 'scaled' ? spec.window.divisor : 1]);
      const windowWhy = spec.window.kind === 'scaled' ? ` and its window is resolution/${spec.window.divisor}` : '';
      return { multipleOf: m, minimum: m, why: `its stages downsample by ${stride}${windowWhy}` };
    }
    case 'cswin': {
      const strides = spec.dims.map((_, i) => spec.stem.stride * 2 ** i);
      const last = spec.dims.length - 1;
      const m = lcm([strides[last], ...spec.stripes.slice(0, last).map((rule, i) => windowMultiple(rule, strides[i])), ...spec.stripes.filter((r) => r.kind === 'scaled').map((r) => windowMultiple(r, 1))]);
      return { multipleOf: m, minimum: m, why: 'its stripes must tile the feature map of every stage' };
    }
    case 'pvt': {
      const strides = spec.patchSizes.map((_, i) => product(spec.patchSizes.slice(0, i + 1)));
      const m = lcm([strides[strides.length - 1], ...spec.srRatios.map((sr, i) => strides[i] * sr)]);
      return { multipleOf: m, minimum: m, why: 'its patch embeddings and spatial reductions must tile every stage' };
    }
    case 'resnet': {
      const stride = (spec.stem === 'imagenet' ? 4 : 1) * product(spec.strides);
      return { multipleOf: 1, minimum: stride, why: `its total stride is ${stride}` };
    }
    case 'convnext': {
      const stride = spec.stemPatch * 2 ** (spec.dims.length - 1);
      return { multipleOf: 1, minimum: stride, why: `its total stride is ${stride}` };
    }
    case 'caformer': {
      const stride = 4 * 2 ** (spec.dims.length - 1);
      return { multipleOf: 1, minimum: stride, why: `its total stride is ${stride}` };
    }
    case 'convnet': {
      const stride = product(spec.layers.map((l) => l.stride * (l.pool?.stride ?? 1)));
      return { multipleOf: 1, minimum: stride, why: `its total stride is ${stride}` };
    }
  }
}

/** Whether the network can be counted (and so built) at `resolution`: no empty map, no misfit window. */
function fits(spec: ModelSpec, resolution: number): boolean {
  try {
    forwardMacs(spec, resolution);
    return true;
  } catch (err) {
    if (err instanceof CostError && err.kind !== 'bad-spec') return false;
    throw err;
  }
}

function satisfies(spec: ModelSpec, rule: ResolutionRule, resolution: number): boolean {
  return resolution >= rule.minimum && resolution % rule.multipleOf === 0 && fits(spec, resolution);
}

/** The valid resolutions nearest to `resolution` from below and above, within (0, full]. */
function nearestValid(spec: ModelSpec, rule: ResolutionRule, resolution: number, full: number): number[] {
  const step = rule.multipleOf;
  const found: number[] = [];
  const highest = Math.floor(full / step) * step;
  for (let b = Math.min(Math.ceil(resolution / step) * step - step, highest); b >= step; b -= step) {
    if (satisfies(spec, rule, b)) {
      found.push(b);
      break;
    }
  }
  for (let b = Math.max(Math.floor(resolution / step) * step + step, step); b <= full; b += step) {
    if (satisfies(spec, rule, b)) {
      found.push(b);
      break;
    }
  }
  return found;
}

/** Whether `spec` accepts `resolution`, and if not why and what to use instead. */
export function checkResolution(spec: ModelSpec, resolution: number, fullResolution: number): ResolutionCheck {
  const rule = resolutionRule(spec);
  const fail = (problem: ResolutionProblem, reason: string): ResolutionCheck => ({
    ok: false,
    problem,
    reason,
    nearestValid: Number.isFinite(resolution) ? nearestValid(spec, rule, resolution, fullResolution) : [],
  });
  if (!Number.isFinite(resolution) || !Number.isInteger(resolution)) return fail('not-integer', `resolution ${resolution} is not a whole number of pixels`);
  if (resolution <= 0) return fail('not-positive', `resolution ${resolution} is not positive`);
  if (resolution > fullResolution) return fail('above-full', `resolution ${resolution} is above the full resolution ${fullResolution}`);
  if (resolution < rule.minimum) {
    return fail('too-small', `${spec.name} needs at least ${rule.minimum} pixels (${rule.why}); ${resolution} is smaller`);
  }
  if (resolution % rule.multipleOf !== 0) {
    return fail('not-multiple', `${spec.name} needs a multiple of ${rule.multipleOf} (${rule.why}); ${resolution} is not`);
  }
  if (!fits(spec, resolution)) {
    return fail('does-not-fit', `${spec.name} cannot run at ${resolution}×${resolution}: a feature map or window would not fit`);
  }
  return { ok: true };
}
