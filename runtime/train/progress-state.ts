// Where a run stands: everything besides tensors that a checkpoint must hold so that a resumed
// run continues exactly as an uninterrupted one would, and that the run reports at its end.
// Plain JSON, stored in the checkpoint's metrics.

export interface StageProgress {
  /** 0-based. */
  index: number;
  /** Training seconds measured so far (data pipeline + steps; evaluation and checkpoints excluded). */
  seconds: number;
  /**
   * CPU seconds this process (all its threads) spent on the same work: unlike wall time it
   * hardly depends on what else the machine runs, so it compares runs made under load.
   */
  cpuSeconds: number;
  /** Images trained on so far (replayed ones included). */
  trainedImages: number;
  steps: number;
  lossSum: number;
  lossCount: number;
  lastLoss: number | null;
  done: boolean;
}

export interface EvalRecord {
  /** 0-based stage at whose end the evaluation ran. */
  stage: number;
  step: number;
  computeFraction: number;
  /** Fresh images read / training images. */
  epoch: number;
  resolution: number;
  top1: number;
  loss: number;
  /** Top-1 at the stage's own resolution, when the plan asks for it. */
  top1StageResolution: number | null;
  /** Mean training loss over the stage. */
  trainLoss: number | null;
  lr: number;
  /** Wall seconds since the run (first) started. */
  seconds: number;
}

export interface RunProgress {
  /** The stage to run next or being run (stages.length once all are done). */
  stageIndex: number;
  /** Steps done within that stage. */
  stageStep: number;
  /** Global steps done. */
  step: number;
  /** Position in the endless sequence of shuffled epochs (fresh images read so far). */
  freshCursor: number;
  /** The cursor when the current stage began (replay buffers are rebuilt from it on resume). */
  stageFreshStart: number;
  trainedImages: number;
  /** The resolution the model's resolution-dependent parameters are shaped for. */
  modelResolution: number;
  stages: StageProgress[];
  evals: EvalRecord[];
  /** Wall seconds spent by earlier processes of this run (before a resume). */
  wallSecondsBefore: number;
  /** The --max-images the run was started with (a resumed run keeps it), or null. */
  maxImages: number | null;
}

export function freshProgress(stageCount: number, firstResolution: number, maxImages: number | null): RunProgress {
  return {
    stageIndex: 0,
    stageStep: 0,
    step: 0,
    freshCursor: 0,
    stageFreshStart: 0,
    trainedImages: 0,
    modelResolution: firstResolution,
    stages: Array.from({ length: stageCount }, (_, index) => ({ index, seconds: 0, cpuSeconds: 0, trainedImages: 0, steps: 0, lossSum: 0, lossCount: 0, lastLoss: null, done: false })),
    evals: [],
    wallSecondsBefore: 0,
    maxImages,
  };
}

/** Reads progress back from a checkpoint's metrics, checking its shape. */
export function progressFromJson(value: unknown, stageCount: number): RunProgress {
  const p = value as RunProgress | null;
  const ok =
    p !== null &&
    typeof p === 'object' &&
    Number.isInteger(p.stageIndex) &&
    Number.isInteger(p.stageStep) &&
    Number.isInteger(p.freshCursor) &&
    Array.isArray(p.stages) &&
    p.stages.length === stageCount &&
    Array.isArray(p.evals);
  if (!ok) throw new RangeError(`the checkpoint's run progress does not describe a run of ${stageCount} stage(s)`);
  return p;
}
