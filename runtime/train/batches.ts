// The input pipeline of one step, on plain typed arrays (one buffer per batch, never one object
// per image), in the order of the EfficientTrain++ code (timm's training transform with the
// down-sampling inserted after RandAugment): gather the fresh images; at full resolution, the
// recipe's crop and flip, then RandAugment; reduce to the stage resolution with the plan's
// low-pass method (rounded back to 8-bit pixels as a resized image is); normalise, random
// erasing, the replay buffer, then mixup/cutmix with label smoothing. Plain JavaScript with no
// tensor backend, so a worker thread computes exactly what the main thread would.
import type { LowPass, PlanCrop } from '../../plan/types.js';
import { selectImages, type ImageDataset } from '../data/dataset.js';
import { Random } from '../random.js';
import {
  IMAGENET_MEAN,
  IMAGENET_STD,
  mixupCutmix,
  normalize,
  parseRandAugment,
  RandAugment,
  randomErasing,
  randomHorizontalFlip,
  randomResizedCrop,
  smoothOneHot,
  lowPassBytes as lowPassImages,
  ReplayBuffer,
  type ReplayOptions,
} from '../transforms/index.js';

export interface Normalisation {
  mean: readonly number[];
  std: readonly number[];
}

/** ImageNet statistics for colour images (timm's default); 0.5 ± 0.5 for grey ones. */
export function normalisationFor(channels: number): Normalisation {
  if (channels === 3) return { mean: IMAGENET_MEAN, std: IMAGENET_STD };
  return { mean: new Array<number>(channels).fill(0.5), std: new Array<number>(channels).fill(0.5) };
}

export interface StagePipeline {
  resolution: number;
  /** Crop of each image at full resolution, before the low-pass. */
  crop: PlanCrop;
  /** Probability of a horizontal flip, at full resolution. */
  hflip: number;
  lowPass: LowPass;
  randAugment: RandAugment | null;
  replay: ReplayBuffer;
  randomErasing: number;
  mixupAlpha: number;
  cutmixAlpha: number;
  labelSmoothing: number;
  classes: number;
  normalisation: Normalisation;
}

/** The settings of a stage's RandAugment, as the plan gives them. */
export interface RandAugmentSettings {
  m: number;
  n: number;
  mstd: number;
  timm_config: string;
}

/**
 * A stage's pipeline as plain data (it crosses to a worker thread): the live pipeline with
 * RandAugment and the replay buffer as their settings. stagePipeline builds the live one.
 */
export type StageBatchSpec = Omit<StagePipeline, 'randAugment' | 'replay'> & {
  randAugment: RandAugmentSettings;
  replay: ReplayOptions;
};

/** The live pipeline of a stage (a fresh replay buffer). */
export function stagePipeline(spec: StageBatchSpec): StagePipeline {
  return { ...spec, randAugment: stageRandAugment(spec.randAugment, spec.normalisation), replay: new ReplayBuffer(spec.replay) };
}

export interface PreparedBatch {
  count: number;
  resolution: number;
  channels: number;
  /** count × resolution × resolution × channels normalised values. */
  images: Float32Array;
  /** count × classes soft targets. */
  targets: Float32Array;
}

/** The stage's RandAugment, from its timm string with its m, n and mstd; null when it applies no op. */
export function stageRandAugment(settings: RandAugmentSettings, normalisation: Normalisation): RandAugment | null {
  if (settings.n === 0) return null;
  const parsed = parseRandAugment(settings.timm_config);
  const fill = normalisation.mean.map((m) => Math.round(m * 255));
  return new RandAugment({ ...parsed, magnitude: settings.m, numOps: settings.n, magnitudeStd: settings.mstd, fill });
}

/** N × H × W × C bytes → N × B × B × C bytes through the low-pass method ('none': unchanged). */
export function lowPassBytes(images: Uint8Array, count: number, height: number, width: number, channels: number, method: LowPass, resolution: number): Uint8Array {
  if (method === 'none' || (resolution === height && resolution === width)) {
    if (resolution !== height || resolution !== width) {
      throw new RangeError(`a stage at ${resolution}px over ${height}×${width} images needs a low-pass method, the plan says none`);
    }
    return images;
  }
  return lowPassImages(method, images, count, height, width, channels, resolution);
}

/** Gathers, low-passes and normalises images without augmentation (evaluation). */
export function plainBatch(data: ImageDataset, indices: ArrayLike<number>, resolution: number, lowPass: LowPass, normalisation: Normalisation): { images: Float32Array; labels: Int32Array } {
  const picked = selectImages(data, indices);
  const bytes = lowPassBytes(picked.images, picked.count, data.height, data.width, data.channels, lowPass, resolution);
  return { images: normalize(bytes, data.channels, normalisation.mean, normalisation.std), labels: picked.labels };
}

/** The recipe's random-resized crop (back to the full resolution) and horizontal flip; the images unchanged when it has neither. */
function cropAndFlip(images: Uint8Array, count: number, data: ImageDataset, pipeline: StagePipeline, random: Random): Uint8Array {
  const { height, width, channels } = data;
  let out = images;
  const crop = pipeline.crop;
  if (crop.kind === 'random_resized') {
    out = randomResizedCrop(out, count, height, width, channels, { outHeight: height, outWidth: width, scale: crop.scale_fraction, ratio: crop.aspect_ratio, kernel: crop.interpolation }, random);
  }
  if (pipeline.hflip > 0) out = randomHorizontalFlip(out, count, height, width, channels, random, pipeline.hflip);
  return out;
}

/** One training step's batch from the fresh images at `indices`. */
export function trainingBatch(data: ImageDataset, indices: ArrayLike<number>, pipeline: StagePipeline, random: Random): PreparedBatch {
  const { resolution: b } = pipeline;
  const c = data.channels;
  const picked = selectImages(data, indices);
  let bytes = cropAndFlip(picked.images, picked.count, data, pipeline, random);
  if (pipeline.randAugment) bytes = pipeline.randAugment.batch(bytes, picked.count, data.height, data.width, c, random);
  bytes = lowPassBytes(bytes, picked.count, data.height, data.width, c, pipeline.lowPass, b);
  const values = normalize(bytes, c, pipeline.normalisation.mean, pipeline.normalisation.std);
  if (pipeline.randomErasing > 0) randomErasing(values, picked.count, b, b, c, random, { probability: pipeline.randomErasing });
  const replayed = pipeline.replay.step({ images: values, labels: picked.labels, itemSize: b * b * c });

  const mixing = pipeline.mixupAlpha > 0 || pipeline.cutmixAlpha > 0;
  // Mixup pairs image i with image N−1−i, so it needs an even count: drop the odd one out.
  const count = mixing && replayed.count % 2 === 1 ? replayed.count - 1 : replayed.count;
  const size = b * b * c;
  const images = count === replayed.count ? replayed.images : replayed.images.subarray(0, count * size);
  const labels = count === replayed.count ? replayed.labels : replayed.labels.subarray(0, count);
  if (mixing) {
    const mixed = mixupCutmix(images, labels, b, b, c, {
      classes: pipeline.classes,
      mixupAlpha: pipeline.mixupAlpha,
      cutmixAlpha: pipeline.cutmixAlpha,
      labelSmoothing: pipeline.labelSmoothing,
    }, random);
    return { count, resolution: b, channels: c, images: mixed.images, targets: mixed.targets };
  }
  return { count, resolution: b, channels: c, images, targets: smoothOneHot(labels, pipeline.classes, pipeline.labelSmoothing) };
}
