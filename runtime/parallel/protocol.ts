// Messages between the data-parallel coordinator and its workers.
import type { ArrayWithShape } from './replica.js';

export interface WorkerSetup {
  replicaModule: string;
  replicaOptions: unknown;
  threads: number;
}

export type Request =
  /** Averaged gradients, flattened in variable order: written by the coordinator. */
  | { kind: 'attach'; averaged: SharedArrayBuffer }
  | { kind: 'get-weights' }
  | { kind: 'set-weights'; weights: Float32Array[] }
  | { kind: 'gradients'; x: ArrayWithShape; y: ArrayWithShape }
  | { kind: 'apply' };

export type Reply =
  /** gradients: this worker's gradients, flattened in variable order, written by it. */
  | { kind: 'ready'; shapes: number[][]; backend: string; gradients: SharedArrayBuffer }
  | { kind: 'weights'; weights: Float32Array[] }
  | { kind: 'done' }
  | { kind: 'loss'; loss: number }
  | { kind: 'error'; message: string };
