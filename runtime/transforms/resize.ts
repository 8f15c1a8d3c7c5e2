/**
 * Resizing of uint8 images held in typed arrays (channels last), with the sparse
 * weights of resample.ts: one pass along the width, one along the height, values
 * rounded and clamped to 0 … 255 at the end. Used when loading image folders and
 * by the random-resized crop, where every image has its own crop box.
 */
import { resampleWeights, type ResampleWeights, type ResizeKernel } from './resample.js';

export interface CropBox {
  /** Top edge, in source pixels (may be fractional). */
  readonly top: number;
  readonly left: number;
  readonly height: number;
  readonly width: number;
}

/** Weights of recent resizes: random crops of one image size repeat the same few hundred boxes per axis. */
const weightCache = new Map<string, ResampleWeights>();
const WEIGHT_CACHE_LIMIT = 4096;

function cachedWeights(kernel: ResizeKernel, inSize: number, outSize: number, from: number, to: number): ResampleWeights {
  const key = `${kernel} ${inSize} ${outSize} ${from} ${to}`;
  let weights = weightCache.get(key);
  if (weights === undefined) {
    weights = resampleWeights(kernel, inSize, outSize, [from, to]);
    if (weightCache.size >= WEIGHT_CACHE_LIMIT) weightCache.clear();
    weightCache.set(key, weights);
  }
  return weights;
}

/**
 * Resizes one image (height × width × channels) to outHeight × outWidth,
 * reading only `box` of the source when given. Writes into `out` at `outOffset`.
 */
export function resizeImageInto(
  src: Uint8Array,
  srcOffset: number,
  height: number,
  width: number,
  channels: number,
  outHeight: number,
  outWidth: number,
  kernel: ResizeKernel,
  out: Uint8Array,
  outOffset: number,
  box?: CropBox,
): void {
  const rows = cachedWeights(kernel, height, outHeight, box ? box.top : 0, box ? box.top + box.height : height);
  const cols = cachedWeights(kernel, width, outWidth, box ? box.left : 0, box ? box.left + box.width : width);
  resizeWithWeights(src, srcOffset, width, channels, rows, cols, out, outOffset);
}

let scratchBuffer = new Float64Array(0);
/** Larger passes (big photos of an image folder) get a buffer of their own, not kept. */
const SCRATCH_LIMIT = 1 << 20;

/** A buffer of at least `size` values (contents undefined), reused up to SCRATCH_LIMIT values. */
function scratch(size: number): Float64Array {
  if (size > SCRATCH_LIMIT) return new Float64Array(size);
  if (scratchBuffer.length < size) scratchBuffer = new Float64Array(size);
  return scratchBuffer;
}

/** Resizes with precomputed per-axis weights (the source height/width are the weights' input sizes). */
export function resizeWithWeights(
  src: Uint8Array,
  srcOffset: number,
  width: number,
  channels: number,
  rows: ResampleWeights,
  cols: ResampleWeights,
  out: Uint8Array,
  outOffset: number,
): void {
  const outHeight = rows.outSize;
  const outWidth = cols.outSize;
  // Only the source rows that some output row reads are resized horizontally.
  const firstRow = rows.start[0];
  let lastRow = firstRow;
  for (let o = 0; o < outHeight; o++) lastRow = Math.max(lastRow, rows.start[o] + rows.count[o]);
  const rowCount = lastRow - firstRow;
  const temp = scratch(rowCount * outWidth * channels);
  for (let r = 0; r < rowCount; r++) {
    const srcRow = srcOffset + (firstRow + r) * width * channels;
    for (let o = 0; o < outWidth; o++) {
      const start = cols.start[o];
      const count = cols.count[o];
      const wBase = o * cols.taps;
      for (let ch = 0; ch < channels; ch++) {
        let sum = 0;
        for (let t = 0; t < count; t++) sum += cols.weights[wBase + t] * src[srcRow + (start + t) * channels + ch];
        temp[(r * outWidth + o) * channels + ch] = sum;
      }
    }
  }
  const rowStride = outWidth * channels;
  for (let o = 0; o < outHeight; o++) {
    const start = rows.start[o] - firstRow;
    const count = rows.count[o];
    const wBase = o * rows.taps;
    const outRow = outOffset + o * rowStride;
    for (let x = 0; x < rowStride; x++) {
      let sum = 0;
      for (let t = 0; t < count; t++) sum += rows.weights[wBase + t] * temp[(start + t) * rowStride + x];
      out[outRow + x] = sum <= 0 ? 0 : sum >= 255 ? 255 : Math.round(sum);
    }
  }
}

/** Resizes every image of a batch (count × height × width × channels) to the same size. */
export function resizeBatch(
  images: Uint8Array,
  count: number,
  height: number,
  width: number,
  channels: number,
  outHeight: number,
  outWidth: number,
  kernel: ResizeKernel,
): Uint8Array {
  const rows = resampleWeights(kernel, height, outHeight);
  const cols = resampleWeights(kernel, width, outWidth);
  const inSize = height * width * channels;
  const outSize = outHeight * outWidth * channels;
  const out = new Uint8Array(count * outSize);
  for (let n = 0; n < count; n++) resizeWithWeights(images, n * inSize, width, channels, rows, cols, out, n * outSize);
  return out;
}
