// The forward MACs of one image at a resolution, counted by running the built model on it.
import * as tf from '@tensorflow/tfjs';
import { MacCounter } from './macs.js';
import type { Model } from './model.js';

export function countForwardMacs(model: Model, resolution: number): MacCounter {
  const counter = new MacCounter();
  tf.tidy(() => {
    const image = tf.zeros([1, resolution, resolution, model.spec.inChannels]) as tf.Tensor4D;
    model.forward(image, { training: false, macs: counter });
  });
  return counter;
}
