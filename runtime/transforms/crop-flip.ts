/**
 * Random-resized crop and horizontal flip on uint8 batches (channels last), with
 * the semantics of timm's RandomResizedCropAndInterpolation and
 * RandomHorizontalFlip: up to 10 attempts at a crop of random area fraction
 * (default 0.08 … 1) and log-uniform aspect ratio (default 3/4 … 4/3), then a
 * central-crop fallback; the crop is resized to the output size.
 */
import type { Random } from '../random.js';
import type { ResizeKernel } from './resample.js';
import { resizeImageInto, type CropBox } from './resize.js';
import { roundHalfEven } from './rounding.js';

export interface RandomResizedCropOptions {
  readonly outHeight: number;
  readonly outWidth: number;
  /** Range of the crop's area as a fraction of the image. Default [0.08, 1]. */
  readonly scale?: readonly [number, number];
  /** Range of the crop's aspect ratio (width / height). Default [3/4, 4/3]. */
  readonly ratio?: readonly [number, number];
  /** Default 'bilinear'. */
  readonly kernel?: ResizeKernel;
}

/** The crop box of one image, drawn as timm does. */
export function randomCropBox(
  height: number,
  width: number,
  random: Random,
  scale: readonly [number, number] = [0.08, 1],
  ratio: readonly [number, number] = [3 / 4, 4 / 3],
): CropBox {
  const area = height * width;
  const logRatio = [Math.log(ratio[0]), Math.log(ratio[1])] as const;
  for (let attempt = 0; attempt < 10; attempt++) {
    const targetArea = random.uniform(scale[0], scale[1]) * area;
    const aspect = Math.exp(random.uniform(logRatio[0], logRatio[1]));
    const w = roundHalfEven(Math.sqrt(targetArea * aspect));
    const h = roundHalfEven(Math.sqrt(targetArea / aspect));
    if (w >= 1 && h >= 1 && w <= width && h <= height) {
      const top = random.intInclusive(0, height - h);
      const left = random.intInclusive(0, width - w);
      return { top, left, height: h, width: w };
    }
  }
  const inRatio = width / height;
  let w = width;
  let h = height;
  if (inRatio < Math.min(...ratio)) h = roundHalfEven(w / Math.min(...ratio));
  else if (inRatio > Math.max(...ratio)) w = roundHalfEven(h * Math.max(...ratio));
  return { top: Math.floor((height - h) / 2), left: Math.floor((width - w) / 2), height: h, width: w };
}

export function randomResizedCrop(
  images: Uint8Array,
  count: number,
  height: number,
  width: number,
  channels: number,
  options: RandomResizedCropOptions,
  random: Random,
): Uint8Array {
  const { outHeight, outWidth } = options;
  const inSize = height * width * channels;
  const outSize = outHeight * outWidth * channels;
  if (images.length !== count * inSize) throw new RangeError(`expected ${count}×${height}×${width}×${channels} bytes, got ${images.length}`);
  const out = new Uint8Array(count * outSize);
  for (let n = 0; n < count; n++) {
    const box = randomCropBox(height, width, random, options.scale, options.ratio);
    resizeImageInto(images, n * inSize, height, width, channels, outHeight, outWidth, options.kernel ?? 'bilinear', out, n * outSize, box);
  }
  return out;
}

/** Mirrors each image left-right with probability `probability` (default 0.5); returns a new array. */
export function randomHorizontalFlip(
  images: Uint8Array,
  count: number,
  height: number,
  width: number,
  channels: number,
  random: Random,
  probability = 0.5,
): Uint8Array {
  const size = height * width * channels;
  const out = images.slice();
  for (let n = 0; n < count; n++) {
    if (!(random.float() < probability)) continue;
    for (let y = 0; y < height; y++) {
      const row = n * size + y * width * channels;
      for (let x = 0; x < width; x++) {
        const from = row + (width - 1 - x) * channels;
        for (let c = 0; c < channels; c++) out[row + x * channels + c] = images[from + c];
      }
    }
  }
  return out;
}
