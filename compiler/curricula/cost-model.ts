// What the curriculum library needs to know about a model's cost: training MACs per image at
// any square resolution, the pixel proxy of the official scripts, and which resolutions the
// architecture accepts. Kept to an interface so the arithmetic can be tested with simple
// cost functions; costModelFor adapts the real model catalogue and FLOP counter. Its methods
// throw the cost model's CostError for sizes the network cannot run at; costing turns that
// into a diagnostic.
import { checkResolution, trainingMacsPerImage } from '../cost/index.js';
import type { ModelSpec } from '../models/spec.js';

export type ResolutionCheck = { ok: true } | { ok: false; reason: string; nearestValid: number[] };

export interface CostModel {
  /** Training multiply-accumulates per image at B×B (forward + backward ≈ 3 × forward). */
  trainingMacsPerImage(B: number): number;
  /** Training MACs per image by the pixel proxy: the full-resolution cost × (B / full)². */
  pixelProxyMacsPerImage(B: number): number;
  /** Whether the architecture accepts B×B inputs; when not, why and the nearest sizes it does accept. */
  checkResolution(B: number): ResolutionCheck;
}

/** The cost model of a catalogue or family spec, for a data set whose full resolution is `fullResolution`. */
export function costModelFor(spec: ModelSpec, fullResolution: number): CostModel {
  const training = new Map<number, number>();
  const checks = new Map<number, ResolutionCheck>();
  const trainingAt = (B: number) => {
    let macs = training.get(B);
    if (macs === undefined) {
      macs = trainingMacsPerImage(spec, B);
      training.set(B, macs);
    }
    return macs;
  };
  return {
    trainingMacsPerImage: trainingAt,
    pixelProxyMacsPerImage: (B) => trainingAt(fullResolution) * (B / fullResolution) ** 2,
    checkResolution(B) {
      let result = checks.get(B);
      if (!result) {
        const check = checkResolution(spec, B, fullResolution);
        result = check.ok ? { ok: true } : { ok: false, reason: check.reason, nearestValid: check.nearestValid };
        checks.set(B, result);
      }
      return result;
    },
  };
}
