export { train, TrainingDivergedError, type TrainData, type TrainObserver, type TrainOptions, type TrainOutcome } from './loop.js';
export { scheduleRun, imagesAtStep, computeFractionAt, type RunSchedule, type StageRun } from './run-schedule.js';
export { learningRateAt } from './lr-schedule.js';
export { Optimizer } from './optimizer.js';
export { Ema } from './ema.js';
export { trainStep, evaluate, softTargetCrossEntropy, type EvalResult } from './step.js';
export { normalisationFor, trainingBatch, lowPassBytes, type PreparedBatch, type StagePipeline } from './batches.js';
export type { EvalRecord, RunProgress, StageProgress } from './progress-state.js';
