// The training loop over a plan's stages. Per stage: the resolution (reached with the plan's
// low-pass method), RandAugment, replay buffer and step count as planned; the learning rate on
// the compute clock; evaluation at full resolution (and at the stage's own when the plan asks)
// at every stage end. Checkpoints every N steps and at stage ends; a stop request (SIGINT)
// checkpoints and returns. All randomness is derived from the plan's seed and the position in
// the run, so the same plan gives the same run, resumed or not, on a deterministic backend.
import { performance } from 'node:perf_hooks';
import type { Plan } from '../../plan/types.js';
import { saveCheckpoint, type Checkpoint } from '../checkpoint/index.js';
import type { ImageDataset } from '../data/index.js';
import { buildModel, type Model } from '../models/index.js';
import type { ProgressSink } from '../progress/index.js';
import { deriveSeed, hashString, Random } from '../random.js';
import { InlineBatchSource, WorkerBatchSource, type BatchSource } from './batch-source.js';
import { normalisationFor, type StageBatchSpec } from './batches.js';
import { restore, snapshot } from './checkpointing.js';
import { Ema } from './ema.js';
import { FreshImageOrder } from './fresh-images.js';
import { learningRateAt } from './lr-schedule.js';
import { Optimizer } from './optimizer.js';
import { freshProgress, progressFromJson, type EvalRecord, type RunProgress, type StageProgress } from './progress-state.js';
import { computeFractionAt, imagesAtStep, scheduleRun, type RunSchedule, type StageRun } from './run-schedule.js';
import { evaluate, trainStep, type EvalResult } from './step.js';

export interface TrainData {
  train: ImageDataset;
  validation?: ImageDataset;
}

/** What the loop tells the outside world (the registry) as it goes. */
export interface TrainObserver {
  stageStarted?(stage: StageRun): void;
  stageEnded?(stage: StageRun, measured: StageProgress): void;
  evaluated?(record: EvalRecord): void;
  checkpointSaved?(path: string, stageEnd: boolean): void;
}

export interface TrainOptions {
  plan: Plan;
  data: TrainData;
  runId: string;
  /** Where checkpoints are written. */
  checkpointDir: string;
  /** Checkpoint every N global steps (0 or absent: at stage ends only). */
  checkpointEvery?: number;
  /** Continue from this checkpoint. */
  resumeFrom?: Checkpoint | null;
  /** Shorten the run to about this many trained images (smoke tests); also caps evaluation. A resumed run keeps its own. */
  maxImages?: number;
  progress?: ProgressSink;
  observer?: TrainObserver;
  /** Polled after every step; true checkpoints and stops the run. */
  shouldStop?: () => boolean;
  backendName?: string;
  evalBatchSize?: number;
  /** Evaluate at every stage end (default, as the plan says) or only after the last stage. */
  evaluation?: 'stage-ends' | 'final';
  /** Prepare each next batch on a worker thread while the current one trains (default: on the main thread). */
  batchWorker?: boolean;
}

export interface TrainOutcome {
  status: 'completed' | 'interrupted';
  progress: RunProgress;
  schedule: RunSchedule;
  /** The last full-resolution evaluation (the run's result when completed). */
  final: EvalRecord | null;
  /** The checkpoint written when the run stopped. */
  checkpoint: string | null;
  /** Wall seconds of this run, earlier processes included. */
  wallSeconds: number;
}

const DATA_ORDER = hashString('data order');
const AUGMENT = hashString('augment');
const MODEL_NOISE = hashString('drop path');
const REPLAY = hashString('replay');

/** Lets signal handlers and I/O run between steps. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface Setup {
  model: Model;
  optimizer: Optimizer;
  ema: Ema | null;
}

function setUp(plan: Plan, progress: RunProgress, resume: Checkpoint | null | undefined): Setup {
  const seed = plan.recipe.seed;
  const model = buildModel(plan.model.spec, { seed, dropPathRate: plan.recipe.drop_path_rate, resolution: progress.modelResolution });
  const optimizer = new Optimizer(plan.recipe.optimizer);
  const ema = plan.recipe.ema_decay > 0 ? new Ema(plan.recipe.ema_decay, model) : null;
  try {
    if (resume) restore(resume, model, optimizer, ema);
  } catch (err) {
    model.dispose();
    optimizer.dispose();
    ema?.dispose();
    throw err;
  }
  return { model, optimizer, ema };
}

export async function train(options: TrainOptions): Promise<TrainOutcome> {
  const { plan, data } = options;
  const resume = options.resumeFrom;
  const progress = resume
    ? progressFromJson(resume.metrics, plan.stages.length)
    : freshProgress(plan.stages.length, plan.stages[0].resolution_px, options.maxImages ?? null);
  const schedule = scheduleRun(plan, progress.maxImages ?? undefined);
  const seed = plan.recipe.seed;
  const started = performance.now();
  const order = new FreshImageOrder(data.train, deriveSeed(seed, DATA_ORDER));
  const { model, optimizer, ema } = setUp(plan, progress, resume);
  const normalisation = normalisationFor(data.train.channels);
  const full = plan.dataset.resolution_px;
  const wallSeconds = () => progress.wallSecondsBefore + (performance.now() - started) / 1000;
  const emit = options.progress?.emit.bind(options.progress) ?? (() => undefined);
  const evalOptions = { normalisation, batchSize: options.evalBatchSize ?? 250, maxImages: progress.maxImages ?? undefined };

  const save = async (stageEnd: boolean, stage: StageRun): Promise<string> => {
    const computeFraction = computeFractionAt(schedule, stage, stageEnd ? stage.steps : progress.stageStep);
    const stageImages = progress.stages[stage.index].trainedImages;
    const state = snapshot({ model, optimizer, ema, progress }, { planHash: plan.plan_sha256, runId: options.runId, seed, computeFraction, stageEnd, stageImages });
    state.metrics = JSON.parse(JSON.stringify({ ...progress, wallSecondsBefore: wallSeconds() }));
    const saved = await saveCheckpoint(options.checkpointDir, state);
    options.observer?.checkpointSaved?.(saved.path, stageEnd);
    return saved.path;
  };

  const evaluateAt = (resolution: number, lowPass: Plan['stages'][number]['low_pass']): EvalResult | null => {
    if (!data.validation) return null;
    const run = () => evaluate(model, data.validation!, { ...evalOptions, resolution, lowPass });
    return ema ? ema.withAveragedWeights(model, run) : run();
  };

  emit({
    type: 'run_start',
    runId: options.runId,
    experiment: plan.experiment.name,
    backend: options.backendName ?? 'unknown',
    stages: schedule.stages.map((s) => ({ resolution: s.stage.resolution_px, steps: s.steps, randAugmentM: s.stage.randaugment.n > 0 ? s.stage.randaugment.m : null })),
    totalSteps: schedule.totalSteps,
  });

  let source: BatchSource | null = null;
  try {
    const batches: BatchSource = options.batchWorker ? await WorkerBatchSource.start(data.train) : new InlineBatchSource(data.train);
    source = batches;
    for (let s = progress.stageIndex; s < schedule.stages.length; s++) {
      const stage = schedule.stages[s];
      const planned = stage.stage;
      const record = progress.stages[s];
      for (const change of model.setTrainingResolution(planned.resolution_px)) {
        optimizer.resize(change.name, change.resize);
        ema?.resize(change.name, change.resize);
      }
      progress.modelResolution = planned.resolution_px;
      const spec: StageBatchSpec = {
        resolution: planned.resolution_px,
        lowPass: planned.low_pass,
        randAugment: planned.randaugment,
        replay: { replayTimes: planned.replay.r, bufferBatches: planned.replay.k_batches, seed: deriveSeed(seed, REPLAY, s) },
        crop: plan.recipe.crop,
        hflip: plan.recipe.hflip_probability,
        randomErasing: plan.recipe.random_erasing_probability,
        mixupAlpha: plan.recipe.mixup_alpha,
        cutmixAlpha: plan.recipe.cutmix_alpha,
        labelSmoothing: plan.recipe.label_smoothing,
        classes: plan.dataset.classes,
        normalisation,
      };
      batches.beginStage(spec);
      const r = planned.replay.r;
      const freshAt = (j: number) => Math.ceil(imagesAtStep(schedule, stage, j) / r);
      const augmentSeed = (j: number) => deriveSeed(seed, AUGMENT, s, j);
      if (progress.stageStep === 0) {
        progress.stageFreshStart = progress.freshCursor;
      } else if (r > 1) {
        // The replay buffer is not in the checkpoint: refill it by replaying the stage's inputs.
        let cursor = progress.stageFreshStart;
        for (let j = 0; j < progress.stageStep; j++) {
          batches.request({ indices: order.take(cursor, freshAt(j)), augmentSeed: augmentSeed(j) }, true);
          cursor += freshAt(j);
        }
      }
      // Batches are asked for one step ahead: a worker prepares step j + 1 while step j trains.
      let requested = progress.stageStep;
      let requestCursor = progress.freshCursor;
      const requestThrough = (last: number): void => {
        for (; requested <= Math.min(last, stage.steps - 1); requested++) {
          batches.request({ indices: order.take(requestCursor, freshAt(requested)), augmentSeed: augmentSeed(requested) });
          requestCursor += freshAt(requested);
        }
      };
      options.observer?.stageStarted?.(stage);
      emit({ type: 'stage_start', stage: s, stages: schedule.stages.length, resolution: planned.resolution_px, randAugmentM: planned.randaugment.n > 0 ? planned.randaugment.m : null, steps: stage.steps });

      while (progress.stageStep < stage.steps) {
        const j = progress.stageStep;
        const fresh = freshAt(j);
        const lr = learningRateAt(plan.schedules.lr, computeFractionAt(schedule, stage, j));
        const t0 = performance.now();
        const cpu0 = process.cpuUsage();
        requestThrough(j + 1);
        const batch = await batches.take();
        const loss = trainStep(model, optimizer, batch, {
          lr,
          clipGradNorm: plan.recipe.clip_grad_norm,
          random: new Random(deriveSeed(seed, MODEL_NOISE, progress.step)),
          ema,
        });
        const seconds = (performance.now() - t0) / 1000;
        const cpu = process.cpuUsage(cpu0);
        if (!Number.isFinite(loss)) throw new TrainingDivergedError(s, progress.step, loss);
        progress.freshCursor += fresh;
        progress.stageStep++;
        progress.step++;
        progress.trainedImages += batch.count;
        record.seconds += seconds;
        record.cpuSeconds += (cpu.user + cpu.system) / 1e6;
        record.trainedImages += batch.count;
        record.steps++;
        record.lossSum += loss;
        record.lossCount++;
        record.lastLoss = loss;
        emit({
          type: 'step',
          stage: s,
          step: progress.stageStep,
          steps: stage.steps,
          globalStep: progress.step,
          loss,
          imagesPerSecond: record.seconds > 0 ? record.trainedImages / record.seconds : 0,
          lr,
          computeFraction: computeFractionAt(schedule, stage, progress.stageStep),
        });
        const every = options.checkpointEvery ?? 0;
        if (every > 0 && progress.step % every === 0 && progress.stageStep < stage.steps) await save(false, stage);
        await yieldToEventLoop();
        if (options.shouldStop?.()) {
          const path = await save(false, stage);
          return { status: 'interrupted', progress, schedule, final: lastFull(progress), checkpoint: path, wallSeconds: wallSeconds() };
        }
      }

      record.done = true;
      options.observer?.stageEnded?.(stage, record);
      emit({ type: 'stage_end', stage: s, steps: stage.steps, seconds: record.seconds, imagesPerSecond: record.seconds > 0 ? record.trainedImages / record.seconds : 0, loss: record.lastLoss });
      const last = s === schedule.stages.length - 1;
      const fullResult = last || options.evaluation !== 'final' ? evaluateAt(full, 'none') : null;
      if (fullResult) {
        const stageRes = planned.eval_resolutions_px.find((px) => px !== full);
        const atStage = stageRes !== undefined ? evaluateAt(stageRes, planned.low_pass) : null;
        const evalRecord: EvalRecord = {
          stage: s,
          step: progress.step,
          computeFraction: computeFractionAt(schedule, stage, stage.steps),
          epoch: progress.freshCursor / data.train.count,
          resolution: full,
          top1: fullResult.top1,
          loss: fullResult.loss,
          top1StageResolution: atStage ? atStage.top1 : null,
          trainLoss: record.lossCount > 0 ? record.lossSum / record.lossCount : null,
          lr: learningRateAt(plan.schedules.lr, computeFractionAt(schedule, stage, stage.steps)),
          seconds: wallSeconds(),
        };
        progress.evals.push(evalRecord);
        options.observer?.evaluated?.(evalRecord);
        emit({ type: 'eval', stage: s, step: progress.step, valLoss: evalRecord.loss, valTop1: evalRecord.top1, valTop1StageResolution: evalRecord.top1StageResolution });
      }
      progress.stageIndex = s + 1;
      progress.stageStep = 0;
      const stageEndCheckpoint = await save(true, stage);
      if (options.shouldStop?.() && s + 1 < schedule.stages.length) {
        return { status: 'interrupted', progress, schedule, final: lastFull(progress), checkpoint: stageEndCheckpoint, wallSeconds: wallSeconds() };
      }
    }
    return { status: 'completed', progress, schedule, final: lastFull(progress), checkpoint: null, wallSeconds: wallSeconds() };
  } finally {
    await source?.close();
    model.dispose();
    optimizer.dispose();
    ema?.dispose();
  }
}

function lastFull(progress: RunProgress): EvalRecord | null {
  return progress.evals.length > 0 ? progress.evals[progress.evals.length - 1] : null;
}

export class TrainingDivergedError extends Error {
  constructor(
    readonly stage: number,
    readonly step: number,
    readonly loss: number,
  ) {
    super(`training diverged: the loss is ${loss} at step ${step + 1} (stage ${stage + 1}); lower the learning rate or enable gradient clipping`);
    this.name = 'TrainingDivergedError';
  }
}
