/**
 * The training state a checkpoint holds. Tensors are plain typed arrays with a name and a
 * shape, so this module needs no tensor library; the caller names them, by convention
 * `model/…`, `optimizer/…` and `ema/…`. RNG states and metrics are opaque JSON.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type TensorDtype = 'float32' | 'int32';

export interface CheckpointTensor {
  name: string;
  dtype: TensorDtype;
  shape: number[];
  data: Float32Array | Int32Array;
}

export interface EmaState {
  decay: number;
  /** Updates applied so far (EMA warm-up depends on it). */
  updates: number;
}

export interface CheckpointState {
  planHash: string;
  runId: string;
  /** Global optimiser steps done. */
  step: number;
  /** 0-based index of the stage the run is in. */
  stageIndex: number;
  /** Steps done within the current stage. */
  stageStep: number;
  /** Images processed within the current stage. */
  stageImages: number;
  /** Images processed since the run began. */
  imagesSeen: number;
  /** Share of the planned total compute spent, in [0, 1]. */
  computeFraction: number;
  /** Whether this checkpoint closes a stage; such checkpoints survive pruning. */
  stageEnd: boolean;
  /** States of the random generators, as the caller serialises them. */
  rng: JsonValue;
  optimizerStep: number;
  ema: EmaState | null;
  /** Metrics recorded so far, as the caller keeps them. */
  metrics: JsonValue;
  tensors: CheckpointTensor[];
}

/** A checkpoint read back from disk. */
export interface Checkpoint extends CheckpointState {
  formatVersion: number;
}

/** One entry of the header's tensor table; offsets are relative to the start of the tensor blob. */
export interface TensorEntry {
  name: string;
  dtype: TensorDtype;
  shape: number[];
  offset: number;
  length: number;
}
