/**
 * What the training loop reports while it runs. Stage indices are 0-based (shown 1-based);
 * `step` in stage events counts the steps done within that stage; top-1 values are
 * fractions in [0, 1]; durations are seconds.
 */

export interface StageOutline {
  resolution: number;
  steps: number;
  /** RandAugment magnitude of the stage, when it uses RandAugment. */
  randAugmentM: number | null;
}

export interface RunStartEvent {
  type: 'run_start';
  runId: string;
  experiment: string;
  backend: string;
  stages: StageOutline[];
  totalSteps: number;
}

export interface StageStartEvent {
  type: 'stage_start';
  stage: number;
  stages: number;
  resolution: number;
  randAugmentM: number | null;
  steps: number;
}

export interface StepEvent {
  type: 'step';
  stage: number;
  /** Steps done within the stage, 1 after the first. */
  step: number;
  steps: number;
  /** Steps done since the run began. */
  globalStep: number;
  loss: number;
  imagesPerSecond: number;
  lr: number;
  computeFraction: number;
}

export interface EvalEvent {
  type: 'eval';
  stage: number;
  step: number;
  valLoss: number;
  valTop1: number;
  /** Top-1 at the stage's own resolution, when evaluated there too. */
  valTop1StageResolution: number | null;
}

export interface StageEndEvent {
  type: 'stage_end';
  stage: number;
  steps: number;
  seconds: number;
  imagesPerSecond: number;
  /** Training loss at the end of the stage. */
  loss: number | null;
}

export interface RunEndEvent {
  type: 'run_end';
  status: 'completed' | 'failed' | 'interrupted';
  seconds: number;
  top1: number | null;
  error: string | null;
}

export interface WarningEvent {
  type: 'warning';
  message: string;
}

export type ProgressEvent = RunStartEvent | StageStartEvent | StepEvent | EvalEvent | StageEndEvent | RunEndEvent | WarningEvent;

/** Where progress goes: a live bar, plain lines or JSON lines. */
export interface ProgressSink {
  emit(event: ProgressEvent): void;
  /** Stops timers and restores the terminal; safe to call twice. */
  close(): void;
}
