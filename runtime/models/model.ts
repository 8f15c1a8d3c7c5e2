// What the training loop sees of a network: its parameters and buffers by name, a forward pass
// at any resolution the curriculum uses, and (for ViTs) how parameters follow a change of the
// training resolution.
import type * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../../compiler/models/spec.js';
import type { ForwardContext } from './layers.js';
import type { ModelBuffer, Parameter } from './parameters.js';

/**
 * A parameter whose shape follows the training resolution (a ViT's position embedding). When
 * the resolution changes the model resizes the parameter itself; `resize` maps any tensor of
 * the parameter's old shape to its new one, so that state kept beside it (optimizer moments, the
 * EMA copy) follows in the same way.
 */
export interface ResolutionChange {
  name: string;
  resize(value: tf.Tensor): tf.Tensor;
}

export interface Model {
  readonly spec: ModelSpec;
  readonly parameters: readonly Parameter[];
  readonly buffers: readonly ModelBuffer[];
  /** The resolution the resolution-dependent parameters are currently shaped for. */
  readonly trainingResolution: number;
  /** Images [N, B, B, C] → logits [N, classes], at any resolution the architecture accepts. */
  forward(images: tf.Tensor4D, ctx: ForwardContext): tf.Tensor2D;
  /** Shapes the resolution-dependent parameters for `resolution`; lists those that changed. */
  setTrainingResolution(resolution: number): ResolutionChange[];
  dispose(): void;
}

export class ModelBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelBuildError';
  }
}
