// What the loop executes of a plan's stages: per stage the images it trains on (replayed ones
// included), its steps and where it sits on the compute clock. The plan's numbers are used as
// they are; `maxImages` (smoke tests) scales every stage down alike, keeping at least one step
// per stage, and the compute clock is then that of the scaled run.
import type { Plan, PlanStage } from '../../plan/types.js';

export interface StageRun {
  /** 0-based. */
  index: number;
  stage: PlanStage;
  /** Images the stage trains on: fresh ones and, with replay, replayed ones. */
  trainedImages: number;
  steps: number;
  /** Training MACs done before the stage. */
  computeBefore: number;
  /** Fresh images a full step reads from the data set: batch / r. */
  loaderBatch: number;
}

export interface RunSchedule {
  stages: StageRun[];
  batchSize: number;
  totalCompute: number;
  totalSteps: number;
  /** Whether maxImages shortened the run. */
  truncated: boolean;
}

function plannedTrainedImages(stage: PlanStage, batch: number): number {
  const trained = Math.round(stage.compute_macs / stage.macs_per_image);
  // The plan's steps are ceil(trained / batch); keep the two consistent if rounding disagrees.
  return Math.min(Math.max(trained, (stage.steps - 1) * batch + 1), stage.steps * batch);
}

export function scheduleRun(plan: Plan, maxImages?: number): RunSchedule {
  const batch = plan.recipe.batch_size;
  const planned = plan.stages.map((s) => plannedTrainedImages(s, batch));
  const total = planned.reduce((a, b) => a + b, 0);
  const factor = maxImages !== undefined && maxImages < total ? maxImages / total : 1;
  const stages: StageRun[] = [];
  let compute = 0;
  let steps = 0;
  plan.stages.forEach((stage, index) => {
    const trained = factor < 1 ? Math.max(Math.min(planned[index], batch), Math.round(planned[index] * factor)) : planned[index];
    const stageSteps = Math.ceil(trained / batch);
    stages.push({ index, stage, trainedImages: trained, steps: stageSteps, computeBefore: compute, loaderBatch: Math.ceil(batch / stage.replay.r) });
    compute += trained * stage.macs_per_image;
    steps += stageSteps;
  });
  return { stages, batchSize: batch, totalCompute: compute, totalSteps: steps, truncated: factor < 1 };
}

/** Images trained at step `stageStep` of a stage (the last step may be partial). */
export function imagesAtStep(schedule: RunSchedule, stage: StageRun, stageStep: number): number {
  return Math.min(schedule.batchSize, stage.trainedImages - stageStep * schedule.batchSize);
}

/** Fraction of the run's compute spent before step `stageStep` of `stage`. */
export function computeFractionAt(schedule: RunSchedule, stage: StageRun, stageStep: number): number {
  const done = Math.min(stageStep * schedule.batchSize, stage.trainedImages);
  return (stage.computeBefore + done * stage.stage.macs_per_image) / schedule.totalCompute;
}
