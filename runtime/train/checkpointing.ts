// Snapshots of the whole training state for runtime/checkpoint, and their restoration: the
// model's parameters and buffers, the optimizer's moments and step, the EMA copy, and the run's
// progress (data order position, stage, step, measured times, evaluations). Random draws are
// derived from the seed and the step's position, so the position is the generators' state.
import * as tf from '@tensorflow/tfjs';
import type { Checkpoint, CheckpointState, CheckpointTensor } from '../checkpoint/index.js';
import type { Model } from '../models/index.js';
import type { Ema } from './ema.js';
import type { Optimizer } from './optimizer.js';
import type { RunProgress } from './progress-state.js';

export interface TrainingState {
  model: Model;
  optimizer: Optimizer;
  ema: Ema | null;
  progress: RunProgress;
}

/** How the random streams are derived; stored so a reader knows the position is the state. */
export function rngDescription(seed: number, progress: RunProgress): { [key: string]: number | string } {
  return {
    scheme: 'derived per step from (seed, stream, stage, step)',
    seed,
    fresh_cursor: progress.freshCursor,
    stage: progress.stageIndex,
    stage_step: progress.stageStep,
    step: progress.step,
  };
}

function tensorEntry(name: string, variable: tf.Variable): CheckpointTensor {
  return { name, dtype: 'float32', shape: [...variable.shape], data: Float32Array.from(variable.dataSync() as Float32Array) };
}

export function snapshot(state: TrainingState, meta: { planHash: string; runId: string; seed: number; computeFraction: number; stageEnd: boolean; stageImages: number }): CheckpointState {
  const { model, optimizer, ema, progress } = state;
  const tensors: CheckpointTensor[] = [];
  for (const entry of [...model.parameters, ...model.buffers]) tensors.push(tensorEntry(`model/${entry.name}`, entry.variable));
  for (const slot of optimizer.state()) tensors.push(tensorEntry(`optimizer/${slot.name}`, slot.variable));
  if (ema) for (const entry of ema.entries()) tensors.push(tensorEntry(`ema/${entry.name}`, entry.variable));
  return {
    planHash: meta.planHash,
    runId: meta.runId,
    step: progress.step,
    stageIndex: progress.stageIndex,
    stageStep: progress.stageStep,
    stageImages: meta.stageImages,
    imagesSeen: progress.trainedImages,
    computeFraction: meta.computeFraction,
    stageEnd: meta.stageEnd,
    rng: rngDescription(meta.seed, progress),
    optimizerStep: optimizer.step,
    ema: ema ? { decay: ema.decay, updates: ema.updates } : null,
    metrics: JSON.parse(JSON.stringify(progress)),
    tensors,
  };
}

/** Loads a checkpoint's tensors into a model (shaped for progress.modelResolution), its optimizer and EMA. */
export function restore(checkpoint: Checkpoint, model: Model, optimizer: Optimizer, ema: Ema | null): void {
  const groups = { model: new Map<string, tf.Tensor>(), optimizer: new Map<string, tf.Tensor>(), ema: new Map<string, tf.Tensor>() };
  try {
    for (const t of checkpoint.tensors) {
      const slash = t.name.indexOf('/');
      const group = t.name.slice(0, slash) as keyof typeof groups;
      if (!(group in groups)) throw new RangeError(`the checkpoint holds an unknown tensor ${t.name}`);
      groups[group].set(t.name.slice(slash + 1), tf.tensor(t.data, t.shape, t.dtype));
    }
    for (const entry of [...model.parameters, ...model.buffers]) {
      const value = groups.model.get(entry.name);
      if (value === undefined) throw new RangeError(`the checkpoint holds no value of ${entry.name}: it was written for another model`);
      if (value.shape.join() !== entry.variable.shape.join()) {
        throw new RangeError(`the checkpoint's ${entry.name} has shape [${value.shape}] but the model's is [${entry.variable.shape}]`);
      }
      entry.variable.assign(value);
    }
    optimizer.load(model.parameters, groups.optimizer, checkpoint.optimizerStep);
    if (ema) {
      if (!checkpoint.ema) throw new RangeError('the checkpoint holds no EMA state but the plan uses an EMA');
      ema.load(groups.ema, checkpoint.ema.updates);
    }
  } finally {
    for (const group of Object.values(groups)) tf.dispose([...group.values()]);
  }
}
