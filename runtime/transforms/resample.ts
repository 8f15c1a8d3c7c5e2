/**
 * Resampling filters and the per-axis weights of a resize, computed the way
 * PIL's Image.resize does: each output sample is a normalised weighted sum of the
 * input samples under a filter centred on it, and when shrinking the filter is
 * stretched by the shrink factor so it acts as an anti-aliasing low-pass filter.
 *
 * 'area' is PIL's BOX filter (exact pixel averaging for integer factors), 'bilinear'
 * is the triangle filter, 'lanczos' is the Lanczos windowed sinc with a = 3.
 */

export type ResizeKernel = 'bilinear' | 'area' | 'lanczos';

export const RESIZE_KERNELS: readonly ResizeKernel[] = ['bilinear', 'area', 'lanczos'];

interface Filter {
  /** Half-width of the filter at scale 1, in input samples. */
  readonly support: number;
  readonly weight: (x: number) => number;
}

const LANCZOS_A = 3;

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

const FILTERS: Record<ResizeKernel, Filter> = {
  area: { support: 0.5, weight: (x) => (x > -0.5 && x <= 0.5 ? 1 : 0) },
  bilinear: {
    support: 1,
    weight: (x) => {
      const a = Math.abs(x);
      return a < 1 ? 1 - a : 0;
    },
  },
  lanczos: {
    support: LANCZOS_A,
    weight: (x) => (x >= -LANCZOS_A && x < LANCZOS_A ? sinc(x) * sinc(x / LANCZOS_A) : 0),
  },
};

/**
 * Sparse weights of a 1-D resize: output sample o is
 * Σ_{t < count[o]} weights[o·taps + t] · input[start[o] + t].
 */
export interface ResampleWeights {
  readonly inSize: number;
  readonly outSize: number;
  /** Stride of `weights` per output sample (the most taps any output uses). */
  readonly taps: number;
  readonly start: Int32Array;
  readonly count: Int32Array;
  readonly weights: Float64Array;
}

/**
 * Weights for resizing `inSize` samples to `outSize`, optionally reading only the
 * source interval [box[0], box[1]) (fractional bounds allowed), as PIL's resize `box`.
 */
export function resampleWeights(
  kernel: ResizeKernel,
  inSize: number,
  outSize: number,
  box: readonly [number, number] = [0, inSize],
): ResampleWeights {
  checkSize('input size', inSize);
  checkSize('output size', outSize);
  const [in0, in1] = box;
  if (!(in0 >= 0 && in1 <= inSize && in1 > in0)) {
    throw new RangeError(`resize box [${in0}, ${in1}) must lie inside [0, ${inSize}) and be non-empty`);
  }
  const filter = FILTERS[kernel];
  const scale = (in1 - in0) / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filter.support * filterScale;
  const taps = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float64Array(outSize * taps);
  for (let o = 0; o < outSize; o++) {
    const center = in0 + (o + 0.5) * scale;
    const first = Math.max(Math.trunc(center - support + 0.5), 0);
    const last = Math.min(Math.trunc(center + support + 0.5), inSize);
    let total = 0;
    for (let i = first; i < last; i++) {
      const w = filter.weight((i - center + 0.5) / filterScale);
      weights[o * taps + (i - first)] = w;
      total += w;
    }
    if (total !== 0) {
      for (let t = 0; t < last - first; t++) weights[o * taps + t] /= total;
    }
    start[o] = first;
    count[o] = last - first;
  }
  return { inSize, outSize, taps, start, count, weights };
}

/** The same weights as a dense outSize × inSize matrix (row-major). */
export function resampleMatrix(
  kernel: ResizeKernel,
  inSize: number,
  outSize: number,
  box?: readonly [number, number],
): Float64Array {
  const w = resampleWeights(kernel, inSize, outSize, box);
  const dense = new Float64Array(outSize * inSize);
  for (let o = 0; o < outSize; o++) {
    for (let t = 0; t < w.count[o]; t++) {
      dense[o * inSize + w.start[o] + t] = w.weights[o * w.taps + t];
    }
  }
  return dense;
}

function checkSize(what: string, size: number): void {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`${what} must be a positive integer, got ${size}`);
}
