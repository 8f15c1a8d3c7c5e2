// Separable maps (separable-map.ts) applied on the tfjs backend: two plain 2-D matrix products.
import * as tf from '@tensorflow/tfjs';
import type { SeparableMap } from './separable-map.js';

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
