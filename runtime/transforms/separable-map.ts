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

/** u and v of a rank-one matrix u·vᵀ. */
interface RankOneFactors {
  u: Float64Array;
  v: Float64Array;
}

const factorsOf = new WeakMap<ComplexMatrix, RankOneFactors | null>();

/**
 * u, v with im = u·vᵀ (to 1e-12 of its largest entry) when the imaginary part has rank one, as
 * the FFT crop's has (only its Nyquist term is complex); undefined otherwise.
 */
function rankOneFactors(m: ComplexMatrix): RankOneFactors | undefined {
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
  if (images.length !== count * h * w * channels) {
    throw new RangeError(`expected ${count}×${h}×${w}×${channels} values, got ${images.length}`);
  }
  const rowFactors = rankOneFactors(map.rowMatrix);
  const colFactors = rankOneFactors(map.colMatrix);
  if (map.rowMatrix.im !== undefined && map.colMatrix.im !== undefined && (rowFactors === undefined || colFactors === undefined)) {
    return applyComplex(map, images, count, channels);
  }
  return applyReal(map, images, count, channels, rowFactors && colFactors && { row: rowFactors, col: colFactors });
}

/** Dot products of one plane row with four rows of a matrix at a time, as four sums. */
const BLOCK = 4;

/**
 * Re R·x·(Re C)ᵀ, less a·cᵀ·(bᵀ·x·d) when the imaginary parts have rank one. Both products are
 * dot products over contiguous rows, four at a time (each loaded value used four times): with
 * d appended to Re C as one more row, the first product also gives x·d.
 */
function applyReal(
  map: SeparableMap,
  images: ArrayLike<number>,
  count: number,
  channels: number,
  nyquist: { row: RankOneFactors; col: RankOneFactors } | undefined,
): Float64Array {
  const { inHeight: h, inWidth: w, outHeight: outH, outWidth: outW } = map;
  const rowsRe = map.rowMatrix.re;
  // Re C, then d as one more row when there is a rank-one term, padded to whole blocks of rows.
  const colRows = outW + (nyquist ? 1 : 0);
  const paddedRows = Math.ceil(colRows / BLOCK) * BLOCK;
  const cols = new Float64Array(paddedRows * w);
  cols.set(map.colMatrix.re);
  if (nyquist) cols.set(nyquist.col.v, outW * w);
  const out = new Float64Array(count * outH * outW * channels);
  const plane = new Float64Array(h * w);
  // x·colsᵀ, stored transposed (paddedRows × h) so that the second product reads rows too.
  const temp = new Float64Array(paddedRows * h);
  // Output columns in whole blocks of four; the rest one at a time.
  const wholeBlocksOut = Math.floor(outW / BLOCK) * BLOCK;
  for (let n = 0; n < count; n++) {
    for (let ch = 0; ch < channels; ch++) {
      const base = n * h * w * channels + ch;
      for (let p = 0; p < h * w; p++) plane[p] = images[base + p * channels]!;
      for (let i = 0; i < h; i++) {
        const row = i * w;
        for (let j = 0; j < paddedRows; j += BLOCK) {
          const c0 = j * w;
          const c1 = c0 + w;
          const c2 = c1 + w;
          const c3 = c2 + w;
          let s0 = 0;
          let s1 = 0;
          let s2 = 0;
          let s3 = 0;
          for (let k = 0; k < w; k++) {
            const x = plane[row + k]!;
            s0 += x * cols[c0 + k]!;
            s1 += x * cols[c1 + k]!;
            s2 += x * cols[c2 + k]!;
            s3 += x * cols[c3 + k]!;
          }
          temp[j * h + i] = s0;
          temp[(j + 1) * h + i] = s1;
          temp[(j + 2) * h + i] = s2;
          temp[(j + 3) * h + i] = s3;
        }
      }
      let term = 0;
      if (nyquist) {
        const xd = outW * h;
        for (let i = 0; i < h; i++) term += nyquist.row.v[i]! * temp[xd + i]!;
      }
      const outBase = n * outH * outW * channels + ch;
      for (let i = 0; i < outH; i++) {
        const row = i * h;
        const outRow = outBase + i * outW * channels;
        const a = nyquist ? nyquist.row.u[i]! : 0;
        let j = 0;
        for (; j < wholeBlocksOut; j += BLOCK) {
          const t0 = j * h;
          const t1 = t0 + h;
          const t2 = t1 + h;
          const t3 = t2 + h;
          let s0 = 0;
          let s1 = 0;
          let s2 = 0;
          let s3 = 0;
          for (let k = 0; k < h; k++) {
            const r = rowsRe[row + k]!;
            s0 += r * temp[t0 + k]!;
            s1 += r * temp[t1 + k]!;
            s2 += r * temp[t2 + k]!;
            s3 += r * temp[t3 + k]!;
          }
          out[outRow + j * channels] = nyquist ? s0 - a * nyquist.col.u[j]! * term : s0;
          out[outRow + (j + 1) * channels] = nyquist ? s1 - a * nyquist.col.u[j + 1]! * term : s1;
          out[outRow + (j + 2) * channels] = nyquist ? s2 - a * nyquist.col.u[j + 2]! * term : s2;
          out[outRow + (j + 3) * channels] = nyquist ? s3 - a * nyquist.col.u[j + 3]! * term : s3;
        }
        for (; j < outW; j++) {
          const t0 = j * h;
          let s0 = 0;
          for (let k = 0; k < h; k++) s0 += rowsRe[row + k]! * temp[t0 + k]!;
          out[outRow + j * channels] = nyquist ? s0 - a * nyquist.col.u[j]! * term : s0;
        }
      }
    }
  }
  return out;
}

/** Re(R·x·Cᵀ) with full complex matrices: Re R·x·(Re C)ᵀ − Im R·x·(Im C)ᵀ. */
function applyComplex(map: SeparableMap, images: ArrayLike<number>, count: number, channels: number): Float64Array {
  const { inHeight: h, inWidth: w, outHeight: outH, outWidth: outW } = map;
  const [rowsRe, rowsIm, colsRe, colsIm] = [map.rowMatrix.re, map.rowMatrix.im!, map.colMatrix.re, map.colMatrix.im!];
  const out = new Float64Array(count * outH * outW * channels);
  const plane = new Float64Array(h * w);
  // x·colsᵀ, stored transposed (outW × h) so that both products are contiguous dot products.
  const tempRe = new Float64Array(outW * h);
  const tempIm = new Float64Array(outW * h);
  for (let n = 0; n < count; n++) {
    for (let ch = 0; ch < channels; ch++) {
      const base = n * h * w * channels + ch;
      for (let p = 0; p < h * w; p++) plane[p] = images[base + p * channels]!;
      for (let i = 0; i < h; i++) {
        for (let j = 0; j < outW; j++) {
          let re = 0;
          let im = 0;
          for (let k = 0; k < w; k++) {
            const x = plane[i * w + k]!;
            re += x * colsRe[j * w + k]!;
            im += x * colsIm[j * w + k]!;
          }
          tempRe[j * h + i] = re;
          tempIm[j * h + i] = im;
        }
      }
      const outBase = n * outH * outW * channels + ch;
      for (let i = 0; i < outH; i++) {
        for (let j = 0; j < outW; j++) {
          let sum = 0;
          for (let k = 0; k < h; k++) sum += rowsRe[i * h + k]! * tempRe[j * h + k]! - rowsIm[i * h + k]! * tempIm[j * h + k]!;
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
