/**
 * A separable linear map of images: y = Re(R · x · Cᵀ) for each image plane x
 * (H×W), with R an outH×H and C an outW×W matrix, both possibly complex.
 * Expanding the real part: y = Rr·x·Crᵀ − Ri·x·Ciᵀ, i.e. only real matrix products,
 * which run batched on the tfjs backend. Resizes are real maps; the low-frequency
 * crop is a complex one.
 */
import * as tf from '@tensorflow/tfjs';

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

/**
 * Backend copies of a map's matrices, shaped for two plain 2-D matrix products
 * (batched products are much slower on the wasm backend). With K = 2 for complex
 * maps: colsT = [Crᵀ | Ciᵀ] (W × K·outW) and rowsT = [Rrᵀ ; −Riᵀ] (K·H × outH), so
 * the second product sums Rr·(x·Crᵀ) − Ri·(x·Ciᵀ) in one go.
 */
interface MapTensors {
  readonly parts: 1 | 2;
  readonly colsT: tf.Tensor2D;
  readonly rowsT: tf.Tensor2D;
}

// Matrices are uploaded once per map and kept alive (tf.keep) so that calls made
// inside tf.tidy do not dispose them.
const uploaded = new WeakMap<SeparableMap, MapTensors>();

function tensorsOf(map: SeparableMap): MapTensors {
  let tensors = uploaded.get(map);
  if (tensors === undefined) {
    const r = map.rowMatrix;
    const c = map.colMatrix;
    const complex = r.im !== undefined && c.im !== undefined;
    const parts = complex ? 2 : 1;
    const colsT = new Float32Array(c.cols * parts * c.rows);
    for (let w = 0; w < c.cols; w++) {
      for (let j = 0; j < c.rows; j++) {
        colsT[w * parts * c.rows + j] = c.re[j * c.cols + w];
        if (complex) colsT[w * parts * c.rows + c.rows + j] = c.im![j * c.cols + w];
      }
    }
    const rowsT = new Float32Array(parts * r.cols * r.rows);
    for (let h = 0; h < r.cols; h++) {
      for (let i = 0; i < r.rows; i++) {
        rowsT[h * r.rows + i] = r.re[i * r.cols + h];
        if (complex) rowsT[(r.cols + h) * r.rows + i] = -r.im![i * r.cols + h];
      }
    }
    tensors = {
      parts,
      colsT: tf.keep(tf.tensor2d(colsT, [c.cols, parts * c.rows])),
      rowsT: tf.keep(tf.tensor2d(rowsT, [parts * r.cols, r.rows])),
    };
    uploaded.set(map, tensors);
  }
  return tensors;
}

/** Frees the backend copies of a map's matrices (they are re-uploaded on next use). */
export function releaseMapTensors(map: SeparableMap): void {
  const tensors = uploaded.get(map);
  if (tensors === undefined) return;
  tensors.colsT.dispose();
  tensors.rowsT.dispose();
  uploaded.delete(map);
}

/**
 * Applies the map to a float batch [N, H, W, C] on the active tfjs backend and
 * returns [N, outH, outW, C]. The input is not disposed.
 */
export function applySeparableMap(map: SeparableMap, images: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = images.shape;
  if (h !== map.inHeight || w !== map.inWidth) {
    throw new RangeError(`map expects ${map.inHeight}×${map.inWidth} images, got ${h}×${w}`);
  }
  const { parts, colsT, rowsT } = tensorsOf(map);
  const outH = map.outHeight;
  const outW = map.outWidth;
  return tf.tidy(() => {
    // One image plane per (n, c), its rows stacked: [N·C·H, W].
    const planes = (c === 1 ? images : images.transpose([0, 3, 1, 2])).reshape([n * c * h, w]) as tf.Tensor2D;
    // x·Cᵀ for every plane, then bring H last: [N·C·outW, K·H].
    const byColumns = tf
      .matMul(planes, colsT)
      .reshape([n * c, h, parts, outW])
      .transpose([0, 3, 2, 1])
      .reshape([n * c * outW, parts * h]) as tf.Tensor2D;
    // (R·x·Cᵀ)ᵀ per plane: [N·C·outW, outH] → [N, outH, outW, C].
    return tf.matMul(byColumns, rowsT).reshape([n, c, outW, outH]).transpose([0, 3, 2, 1]) as tf.Tensor4D;
  });
}

/**
 * The same map on plain typed arrays (images × H × W × C, channels last), for
 * code paths without a tensor backend. Returns Float32 values.
 */
export function applySeparableMapToArray(
  map: SeparableMap,
  images: ArrayLike<number>,
  count: number,
  channels: number,
): Float32Array {
  const h = map.inHeight;
  const w = map.inWidth;
  const outH = map.outHeight;
  const outW = map.outWidth;
  if (images.length !== count * h * w * channels) {
    throw new RangeError(`expected ${count}×${h}×${w}×${channels} values, got ${images.length}`);
  }
  const out = new Float32Array(count * outH * outW * channels);
  const temp = new Float64Array(h * outW);
  const parts: Array<[Float64Array, Float64Array, number]> = [[map.rowMatrix.re, map.colMatrix.re, 1]];
  if (map.rowMatrix.im !== undefined && map.colMatrix.im !== undefined) {
    parts.push([map.rowMatrix.im, map.colMatrix.im, -1]);
  }
  for (let n = 0; n < count; n++) {
    for (let ch = 0; ch < channels; ch++) {
      const base = n * h * w * channels + ch;
      for (const [rows, cols, sign] of parts) {
        // temp = x · colsᵀ  (h × outW)
        for (let i = 0; i < h; i++) {
          for (let j = 0; j < outW; j++) {
            let sum = 0;
            for (let k = 0; k < w; k++) sum += images[base + (i * w + k) * channels] * cols[j * w + k];
            temp[i * outW + j] = sum;
          }
        }
        // out += sign · rows · temp  (outH × outW)
        const outBase = n * outH * outW * channels + ch;
        for (let i = 0; i < outH; i++) {
          for (let j = 0; j < outW; j++) {
            let sum = 0;
            for (let k = 0; k < h; k++) sum += rows[i * h + k] * temp[k * outW + j];
            out[outBase + (i * outW + j) * channels] += sign * sum;
          }
        }
      }
    }
  }
  return out;
}
