/** Training/validation splits. */
import { Random } from '../random.js';
import { selectImages, type ImageDataset } from './dataset.js';

export interface DatasetSplits {
  readonly train: ImageDataset;
  /** Absent when the run has no validation set. */
  readonly validation?: ImageDataset;
}

/**
 * Holds out round(fraction × N) images for validation, chosen by a seeded shuffle;
 * both parts keep the original order of their images. Same seed, same split.
 */
export function holdOut(dataset: ImageDataset, fraction: number, seed: number): DatasetSplits {
  if (!(fraction > 0 && fraction < 1)) {
    throw new RangeError(`held-out validation fraction must lie strictly between 0 and 1, got ${fraction}`);
  }
  const held = Math.round(fraction * dataset.count);
  if (held < 1 || held >= dataset.count) {
    throw new RangeError(
      `holding out ${fraction} of ${dataset.count} images leaves ${held} for validation and ${dataset.count - held} for training; both must be at least 1`,
    );
  }
  const order = new Random(seed).permutation(dataset.count);
  const validation = order.subarray(0, held).slice().sort();
  const train = order.subarray(held).slice().sort();
  return { train: selectImages(dataset, train), validation: selectImages(dataset, validation) };
}
