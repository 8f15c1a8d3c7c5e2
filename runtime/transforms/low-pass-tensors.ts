// Low-pass methods (low-pass.ts) applied to float batches on the tfjs backend.
import type * as tf from '@tensorflow/tfjs';
import { lowPass, type LowPassMethod, type OutputSize } from './low-pass.js';
import { applySeparableMap } from './separable-map-tensors.js';

/** Applies a low-pass method to a float batch [N, H, W, C] on the tfjs backend. */
export function applyLowPass(method: LowPassMethod, images: tf.Tensor4D, size: OutputSize): tf.Tensor4D {
  const [, height, width] = images.shape;
  return applySeparableMap(lowPass(method, height, width, size), images);
}
