/**
 * One entry point for every way of making a small, low-frequency version of an
 * image: the exact low-frequency crop ('fft') or a resize kernel. All of them are
 * separable linear maps, built once per (method, H, W, B) and cached.
 */
import { checkBandwidth, frequencyCropMatrix } from './frequency-crop.js';
import { resampleMatrix, type ResizeKernel } from './resample.js';
import { applySeparableMapToBytes, separableMap, type ComplexMatrix, type SeparableMap } from './separable-map.js';

export type LowPassMethod = 'fft' | ResizeKernel;

export const LOW_PASS_METHODS: readonly LowPassMethod[] = ['fft', 'lanczos', 'bilinear', 'area'];

/** An output size: one number for B×B, or [outHeight, outWidth]. */
export type OutputSize = number | readonly [number, number];

const cache = new Map<string, SeparableMap>();

/** The map that turns H×W images into B×B (or Bh×Bw) low-pass images. */
export function lowPass(method: LowPassMethod, height: number, width: number, size: OutputSize): SeparableMap {
  if (!LOW_PASS_METHODS.includes(method)) {
    throw new RangeError(`unknown low-pass method '${String(method)}' (expected one of ${LOW_PASS_METHODS.join(', ')})`);
  }
  const [outHeight, outWidth] = typeof size === 'number' ? [size, size] : size;
  const key = `${method}:${height}x${width}->${outHeight}x${outWidth}`;
  let map = cache.get(key);
  if (map === undefined) {
    map = separableMap(axisMatrix(method, height, outHeight, 'height'), axisMatrix(method, width, outWidth, 'width'));
    cache.set(key, map);
  }
  return map;
}

function axisMatrix(method: LowPassMethod, inSize: number, outSize: number, axis: string): ComplexMatrix {
  if (method === 'fft') {
    checkBandwidth(inSize, outSize, axis);
    return frequencyCropMatrix(inSize, outSize);
  }
  if (!Number.isInteger(outSize) || outSize < 1 || outSize > inSize) {
    throw new RangeError(`low-pass output ${axis} must be an integer in 1 … ${inSize}, got ${outSize}`);
  }
  return { rows: outSize, cols: inSize, re: resampleMatrix(method, inSize, outSize) };
}

/**
 * Applies a low-pass method to 8-bit images [N, H, W, C] on the CPU, in double precision:
 * [N, B, B, C] 8-bit images, clamped and rounded half to even as a resized image is.
 */
export function lowPassBytes(method: LowPassMethod, images: Uint8Array, count: number, height: number, width: number, channels: number, size: OutputSize): Uint8Array {
  return applySeparableMapToBytes(lowPass(method, height, width, size), images, count, channels);
}
