// The cost model's public surface.
export {
  DEFAULT_TRAINING_MULTIPLIER,
  forwardBreakdown,
  forwardMacs,
  paramCount,
  pixelProxyMacs,
  toGMacs,
  trainingMacsPerImage,
  trainingMultiplier,
  trainingPixelProxyMacsPerImage,
  type BlockCost,
} from './flops.js';
export { CostError, type CostErrorKind } from './errors.js';
export { checkResolution, resolutionRule, type ResolutionCheck, type ResolutionProblem, type ResolutionRule } from '../models/constraints.js';
