// Resizing a ViT's learned position embedding to another token grid: the grid part is
// interpolated bilinearly (half-pixel centres, PyTorch's align_corners=False); the class
// token's entry, when there is one, is kept as it is.
import * as tf from '@tensorflow/tfjs';

/** [1, extra + from², D] → [1, extra + to², D]. */
export function resizePositionEmbedding(value: tf.Tensor, extraTokens: number, from: number, to: number): tf.Tensor {
  const [one, tokens, dim] = value.shape;
  if (one !== 1 || tokens !== extraTokens + from * from) {
    throw new RangeError(`position embedding of shape [${value.shape.join(', ')}] is not [1, ${extraTokens} + ${from}², D]`);
  }
  if (from === to) return tf.clone(value);
  return tf.tidy(() => {
    const grid = tf.reshape(tf.slice(value, [0, extraTokens, 0], [1, from * from, dim]), [1, from, from, dim]) as tf.Tensor4D;
    const resized = tf.reshape(tf.image.resizeBilinear(grid, [to, to], false, true), [1, to * to, dim]);
    if (extraTokens === 0) return resized;
    return tf.concat([tf.slice(value, [0, 0, 0], [1, extraTokens, dim]), resized], 1);
  });
}
