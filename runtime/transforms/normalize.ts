/** Conversion of uint8 pixels to normalised float32 values: (x / 255 − mean[c]) / std[c]. */

/** timm's IMAGENET_DEFAULT_MEAN / STD. */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

export function normalize(
  images: Uint8Array,
  channels: number,
  mean: readonly number[] = new Array<number>(channels).fill(0),
  std: readonly number[] = new Array<number>(channels).fill(1),
): Float32Array {
  if (mean.length !== channels || std.length !== channels) {
    throw new RangeError(`mean and std need ${channels} values each, got ${mean.length} and ${std.length}`);
  }
  const scale = std.map((s) => 1 / (255 * s));
  const shift = mean.map((m, c) => m / std[c]);
  const out = new Float32Array(images.length);
  for (let i = 0; i < images.length; i++) {
    const c = i % channels;
    out[i] = images[i] * scale[c] - shift[c];
  }
  return out;
}
