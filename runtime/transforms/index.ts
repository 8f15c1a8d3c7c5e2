// The image transforms, all plain JavaScript on typed arrays (a batch worker loads them without
// a tensor backend). Their tfjs forms are in low-pass-tensors.ts and separable-map-tensors.ts.
export { RESIZE_KERNELS, resampleMatrix, resampleWeights, type ResampleWeights, type ResizeKernel } from './resample.js';
export { resizeBatch, resizeImageInto, type CropBox } from './resize.js';
export { applySeparableMapToArray, applySeparableMapToBytes, separableMap, type ComplexMatrix, type SeparableMap } from './separable-map.js';
export { frequencyCropMatrix } from './frequency-crop.js';
export { LOW_PASS_METHODS, lowPass, lowPassBytes, type LowPassMethod, type OutputSize } from './low-pass.js';
export {
  INCREASING_OPS,
  MAX_MAGNITUDE,
  ORIGINAL_OPS,
  RandAugment,
  applyOp,
  formatRandAugment,
  parseRandAugment,
  type OpOptions,
  type RandAugmentConfig,
  type RandAugmentOp,
} from './rand-augment.js';
export type { Image } from './image-ops.js';
export type { Interpolation } from './affine.js';
export { randomCropBox, randomHorizontalFlip, randomResizedCrop, type RandomResizedCropOptions } from './crop-flip.js';
export { IMAGENET_MEAN, IMAGENET_STD, normalize } from './normalize.js';
export { smoothOneHot } from './label-smoothing.js';
export { mixupCutmix, type MixedBatch, type MixupOptions } from './mixup.js';
export { randomErasing, type RandomErasingOptions } from './random-erasing.js';
export { decodeHalf, encodeHalf, floatToHalf, halfToFloat } from './half-float.js';
export {
  REPLAY_CHUNKS_PER_BATCH,
  ReplayBuffer,
  chunkSizes,
  replayLoaderBatchSize,
  type ReplayInput,
  type ReplayOptions,
  type ReplayOutput,
} from './replay-buffer.js';
