/**
 * The in-memory form of a labelled image set: one contiguous buffer of
 * N×H×W×C pixels (row-major, channels last) and one Int32Array of N labels.
 * Never one object or tensor per image.
 */
export interface ImageShape {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

export interface ImageDataset extends ImageShape {
  readonly count: number;
  /** count × height × width × channels bytes, image after image. */
  readonly images: Uint8Array;
  /** count labels in 0 … classes-1. */
  readonly labels: Int32Array;
  readonly classes: number;
  /** Names of the classes when the format stores them (folder names, CIFAR meta files). */
  readonly classNames?: readonly string[];
}

export function imageSize(shape: ImageShape): number {
  return shape.height * shape.width * shape.channels;
}

/** Copies the listed images (in that order) into a new contiguous dataset. */
export function selectImages(dataset: ImageDataset, indices: ArrayLike<number>): ImageDataset {
  const size = imageSize(dataset);
  const images = new Uint8Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i];
    if (!Number.isInteger(index) || index < 0 || index >= dataset.count) {
      throw new RangeError(`image index ${index} is outside 0 … ${dataset.count - 1}`);
    }
    images.set(dataset.images.subarray(index * size, (index + 1) * size), i * size);
    labels[i] = dataset.labels[index];
  }
  return { ...dataset, count: indices.length, images, labels };
}

/** Number of images per class. */
export function classCounts(dataset: Pick<ImageDataset, 'labels' | 'classes'>): number[] {
  const counts = new Array<number>(dataset.classes).fill(0);
  for (const label of dataset.labels) counts[label]++;
  return counts;
}
