// What a data-parallel worker needs to train one copy of a model. A replica module is
// an ES module exporting `createReplica(options)`; every worker imports it and builds
// its own copy, on its own TensorFlow.js backend.
import type * as tf from '@tensorflow/tfjs';

export interface Replica {
  /** The trainable variables, in a fixed order that every replica shares. */
  variables: tf.Variable[];
  /** Mean loss over the examples of x (first axis) with targets y. */
  loss(x: tf.Tensor, y: tf.Tensor): tf.Scalar;
  /** Applies (averaged) gradients, keyed by variable name. */
  optimizer: tf.Optimizer;
}

export interface ReplicaModule {
  createReplica(options: unknown): Replica | Promise<Replica>;
}

/** A dense array with its shape, as it travels between threads. */
export interface ArrayWithShape {
  shape: number[];
  data: Float32Array | Int32Array;
}
