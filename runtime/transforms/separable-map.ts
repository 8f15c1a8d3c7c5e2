/**
 * A separable linear map of images: y = Re(R · x · Cᵀ) for each image plane x
 * (H×W), with R an outH×H and C an outW×W matrix, both possibly complex.
 * Expanding the real part: y = Rr·x·Crᵀ − Ri·x·Ciᵀ, i.e. only real matrix products,
 * which run batched on the tfjs backend (separable-map-tensors.ts) or on plain arrays
 * (here). Resizes are real maps; the low-frequency crop is a complex one.
 */
import { roundHalfEven } from './rounding.js';

/** A dense row-major matrix whose imaginary part is absent when it is real. */
export interface ComplexMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly re: Float64Array;
  readonly im?: Float64Array;
}

export interface SeparableMap {
  readonly inHeight: number;
  readonly inWidth: number;
  readonly outHeight: number;
  readonly outWidth: number;
  /** outHeight × inHeight, applied to the rows index (left factor). */
  readonly rowMatrix: ComplexMatrix;
  /** outWidth × inWidth, applied to the columns index (right factor, transposed). */
  readonly colMatrix: ComplexMatrix;
}

export function separableMap(rowMatrix: ComplexMatrix, colMatrix: ComplexMatrix): SeparableMap {
  return {
    inHeight: rowMatrix.cols,
    inWidth: colMatrix.cols,
    outHeight: rowMatrix.rows,
    outWidth: colMatrix.rows,
    rowMatrix,
    colMatrix,
  };
}

const factorsOf = new WeakMap<ComplexMatrix, { u: Float64Array; v: Float64Array } | null>();

/**
 * u, v with im = u·vᵀ (to 1e-12 of its largest entry) when the imaginary part has rank one, as
 * the FFT crop's has (only its Nyquist term is complex); undefined otherwise.
 */
function rankOneFactors(m: ComplexMatrix): { u: Float64Array; v: Float64Array } | undefined {
  const im = m.im;
  if (im === undefined) return undefined;
  let factors = factorsOf.get(m);
  if (factors === undefined) {
    factors = null;
    let largest = 0;
    let pivot = 0;
    for (let r = 0; r < m.rows; r++) {
      let norm = 0;
      for (let k = 0; k < m.cols; k++) norm += im[r * m.cols + k]! ** 2;
      if (norm > largest) [largest, pivot] = [norm, r];
    }
    if (largest > 0) {
      const v = im.slice(pivot * m.cols, (pivot + 1) * m.cols);
      const u = new Float64Array(m.rows);
      for (let r = 0; r < m.rows; r++) {
        let dot = 0;
        for (let k = 0; k < m.cols; k++) dot += im[r * m.cols + k]! * v[k]!;
        u[r] = dot / largest;
      }
      let scale = 0;
      let error = 0;
      for (let r = 0; r < m.rows; r++) {
        for (let k = 0; k < m.cols; k++) {
          scale = Math.max(scale, Math.abs(im[r * m.cols + k]!));
          error = Math.max(error, Math.abs(im[r * m.cols + k]! - u[r]! * v[k]!));
        }
      }
      if (error <= 1e-12 * scale) factors = { u, v };
    }
    factorsOf.set(m, factors);
  }
  return factors ?? undefined;
}

/**
 * The map on plain typed arrays (images × H × W × C, channels last), in double precision:
 * count × outH × outW × C values. The same arithmetic on every thread, with no tensor backend.
 * Re(R·x·Cᵀ) = Re R·x·(Re C)ᵀ − Im R·x·(Im C)ᵀ; when both imaginary parts have rank one (the
 * frequency crop's), the second term is a·cᵀ·(bᵀ·x·d), one number per image and channel.
 */
function applyInDoubles(map: SeparableMap, images: ArrayLike<number>, count: number, channels: number): Float64Array {
  const h = map.inHeight;
  const w = map.inWidth;
  const outH = map.outHeight;
  const outW = map.outWidth;
  if (images.length !== count * h * w * channels) {
    throw new RangeError(`expected ${count}×${h}×${w}×${channels} values, got ${images.length}`);
  }
  const out = new Float64Array(count * outH * outW * channels);
  const rowFactors = rankOneFactors(map.rowMatrix);
  const colFactors = rankOneFactors(map.colMatrix);
  // Imaginary parts of rank one (the FFT crop's Nyquist term): Ri·x·Ciᵀ = a·cᵀ·(bᵀ·x·d).
  const rankOne = rowFactors !== undefined && colFactors !== undefined;
  const complex = !rankOne && map.rowMatrix.im !== undefined && map.colMatrix.im !== undefined;
  const rowsRe = map.rowMatrix.re;
  const rowsIm = map.rowMatrix.im ?? new Float64Array(0);
  const colsRe = map.colMatrix.re;
  const colsIm = map.colMatrix.im ?? new Float64Array(0);
  const plane = new Float64Array(h * w);
  // x · colsᵀ, stored transposed (outW × h) so that both products are contiguous dot products.
  const tempRe = new Float64Array(outW * h);
  const tempIm = new Float64Array(complex ? outW * h : 0);
  for (let n = 0; n < count; n++) {
    for (let ch = 0; ch < channels; ch++) {
      const base = n * h * w * channels + ch;
      for (let p = 0; p < h * w; p++) plane[p] = images[base + p * channels];
      let nyquist = 0;
      if (rankOne) {
        for (let i = 0; i < h; i++) {
          let sum = 0;
          for (let k = 0; k < w; k++) sum += plane[i * w + k]! * colFactors.v[k]!;
          nyquist += rowFactors.v[i]! * sum;
        }
      }
      for (let i = 0; i < h; i++) {
        const row = i * w;
        for (let j = 0; j < outW; j++) {
          const col = j * w;
          let re = 0;
          let im = 0;
          if (complex) {
            for (let k = 0; k < w; k++) {
              const x = plane[row + k];
              re += x * colsRe[col + k];
              im += x * colsIm[col + k];
            }
            tempIm[j * h + i] = im;
          } else {
            for (let k = 0; k < w; k++) re += plane[row + k] * colsRe[col + k];
          }
          tempRe[j * h + i] = re;
        }
      }
      // rowsRe · temp − rowsIm · tempIm  (outH × outW)
      const outBase = n * outH * outW * channels + ch;
      for (let i = 0; i < outH; i++) {
        const row = i * h;
        for (let j = 0; j < outW; j++) {
          const col = j * h;
          let sum = 0;
          if (complex) {
            for (let k = 0; k < h; k++) sum += rowsRe[row + k] * tempRe[col + k] - rowsIm[row + k] * tempIm[col + k];
          } else {
            for (let k = 0; k < h; k++) sum += rowsRe[row + k] * tempRe[col + k];
            if (rankOne) sum -= rowFactors.u[i]! * colFactors.u[j]! * nyquist;
          }
          out[outBase + (i * outW + j) * channels] = sum;
        }
      }
    }
  }
  return out;
}

/** The map on plain typed arrays (images × H × W × C, channels last); Float32 values. */
export function applySeparableMapToArray(map: SeparableMap, images: ArrayLike<number>, count: number, channels: number): Float32Array {
  return Float32Array.from(applyInDoubles(map, images, count, channels));
}

/**
 * The map on 8-bit images, giving 8-bit images as a resize does: each value clamped to
 * 0 … 255 and rounded half to even.
 */
export function applySeparableMapToBytes(map: SeparableMap, images: Uint8Array, count: number, channels: number): Uint8Array {
  const values = applyInDoubles(map, images, count, channels);
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = roundHalfEven(Math.min(255, Math.max(0, values[i])));
  return out;
}
