/**
 * Random erasing with the semantics of timm's RandomErasing in 'pixel' mode
 * (applied after normalisation): with probability p per image, up to 10 attempts
 * at a rectangle of area fraction U(0.02, 1/3) and log-uniform aspect ratio
 * (0.3 … 1/0.3); the first that fits is filled with N(0, 1) noise per pixel and channel.
 */
import type { Random } from '../random.js';
import { roundHalfEven } from './rounding.js';

export interface RandomErasingOptions {
  /** Default 0.25. */
  readonly probability?: number;
  readonly minArea?: number;
  readonly maxArea?: number;
  readonly minAspect?: number;
}

/** Erases in place and returns the number of images erased. */
export function randomErasing(
  images: Float32Array,
  count: number,
  height: number,
  width: number,
  channels: number,
  random: Random,
  options: RandomErasingOptions = {},
): number {
  const probability = options.probability ?? 0.25;
  const minArea = options.minArea ?? 0.02;
  const maxArea = options.maxArea ?? 1 / 3;
  const minAspect = options.minAspect ?? 0.3;
  const logAspect = [Math.log(minAspect), Math.log(1 / minAspect)] as const;
  const size = height * width * channels;
  if (images.length !== count * size) throw new RangeError(`expected ${count}×${height}×${width}×${channels} values, got ${images.length}`);
  const area = height * width;
  let erased = 0;
  for (let n = 0; n < count; n++) {
    if (random.float() > probability) continue;
    for (let attempt = 0; attempt < 10; attempt++) {
      const targetArea = random.uniform(minArea, maxArea) * area;
      const aspect = Math.exp(random.uniform(logAspect[0], logAspect[1]));
      const h = roundHalfEven(Math.sqrt(targetArea * aspect));
      const w = roundHalfEven(Math.sqrt(targetArea / aspect));
      if (w < width && h < height) {
        const top = random.intInclusive(0, height - h);
        const left = random.intInclusive(0, width - w);
        for (let y = top; y < top + h; y++) {
          for (let x = left; x < left + w; x++) {
            const base = n * size + (y * width + x) * channels;
            for (let c = 0; c < channels; c++) images[base + c] = random.normal();
          }
        }
        erased++;
        break;
      }
    }
  }
  return erased;
}
