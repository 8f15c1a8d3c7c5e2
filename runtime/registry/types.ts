/**
 * Records of the run registry. Stage indices are 0-based; top-1 accuracies are fractions
 * in [0, 1]; times are ISO 8601 strings in UTC; durations are seconds.
 */

export type RunStatus = 'running' | 'completed' | 'failed' | 'interrupted';
export type FinishedStatus = Exclude<RunStatus, 'running'>;
export const RUN_STATUSES: readonly RunStatus[] = ['running', 'completed', 'failed', 'interrupted'];

/** What the training loop knows when a run starts. The plan itself stays opaque here. */
export interface StartRunInput {
  experiment: string;
  /** Catalogue or family name of the model, as the plan states it. */
  model: string;
  /** Name of the data set, as the plan states it. */
  dataset: string;
  /** Name of the curriculum; `'none'` marks a baseline run. */
  curriculum: string;
  planHash: string;
  /** Where the plan was read from, when it came from a file. */
  planPath?: string | null;
  /** The whole plan text, so that the run can be reproduced from the registry alone. */
  planJson: string;
  seed: number;
  /** The backend in words, e.g. `wasm (2 threads)`. */
  backend: string;
  /** Defaults to this machine's host name. */
  host?: string;
  /** The process that runs it; defaults to this one. */
  pid?: number;
  eftVersion: string;
  /** The run this one resumes (from its checkpoints). */
  resumedFrom?: string | null;
}

export interface RunRecord {
  id: string;
  experiment: string;
  model: string;
  dataset: string;
  curriculum: string;
  planHash: string;
  planPath: string | null;
  planJson: string;
  seed: number;
  backend: string;
  host: string;
  /** The process that ran it (null in registries from before it was recorded). */
  pid: number | null;
  eftVersion: string;
  status: RunStatus;
  startedAt: string;
  endedAt: string | null;
  error: string | null;
  resumedFrom: string | null;
}

export interface StageStartInput {
  stageIndex: number;
  /** Input resolution in pixels (side of the square). */
  resolution: number;
  /** Planned share of the run's total compute, in [0, 1]. */
  plannedShare: number;
  plannedImages: number;
  plannedSteps: number;
}

export interface StageEndInput {
  /** Measured training time of the stage (evaluation excluded). */
  seconds: number;
  imagesPerSecond: number;
}

export interface StageRecord extends StageStartInput {
  runId: string;
  measuredSeconds: number | null;
  measuredImagesPerSecond: number | null;
  startedAt: string | null;
  endedAt: string | null;
}

export interface EpochMetricsInput {
  stageIndex: number;
  /** Global optimiser step at which the metrics were taken. */
  step: number;
  /** Fractional epoch (images processed / training images). */
  epoch: number;
  /** Share of the planned total compute spent so far, in [0, 1]. */
  computeFraction: number;
  trainLoss: number | null;
  valLoss?: number | null;
  valTop1?: number | null;
  /** Top-1 evaluated at the stage's own resolution, when it differs from the final one. */
  valTop1StageResolution?: number | null;
  lr: number;
  /** Seconds since the run started. */
  seconds: number;
}

export interface EpochMetricsRecord {
  runId: string;
  stageIndex: number;
  step: number;
  epoch: number;
  computeFraction: number;
  trainLoss: number | null;
  valLoss: number | null;
  valTop1: number | null;
  valTop1StageResolution: number | null;
  lr: number;
  seconds: number;
}

export interface RunResultInput {
  finalTop1: number | null;
  finalLoss: number | null;
  wallSeconds: number;
  imagesProcessed: number;
  /** Measured training seconds of each stage, by stage index. */
  stageSeconds: number[];
}

export interface RunResultRecord extends RunResultInput {
  runId: string;
}

export interface FinishRunInput {
  result?: RunResultInput;
  /** Why the run failed or stopped. */
  error?: string | null;
}

/** One line of a run listing. */
export interface RunSummary {
  id: string;
  experiment: string;
  model: string;
  dataset: string;
  curriculum: string;
  planHash: string;
  status: RunStatus;
  backend: string;
  host: string;
  pid: number | null;
  startedAt: string;
  endedAt: string | null;
  /** From the result when there is one, else ended − started; null while running. */
  wallSeconds: number | null;
  finalTop1: number | null;
}

export interface RunDetail {
  run: RunRecord;
  stages: StageRecord[];
  metrics: EpochMetricsRecord[];
  result: RunResultRecord | null;
}

export interface RunFilter {
  experiment?: string;
  status?: RunStatus;
  planHash?: string;
  /** At most this many runs, newest first. */
  limit?: number;
}

export interface BaselineQuery {
  model: string;
  dataset: string;
}
