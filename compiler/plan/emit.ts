// The plan emitter: one elaborated, costed experiment in, one self-contained plan out. The
// emitted plan is validated against the plan schema and its consistency checks before it is
// returned; a failure there is a bug in eft, reported with the JSON pointer.
import { PLAN_CODE } from '../../diagnostics/codes/plan.js';
import { CanonicalJsonError, canonicalJson, withPlanHash } from '../../plan/canonical.js';
import { formatProblem, type PlanProblem } from '../../plan/errors.js';
import { PLAN_VERSION, type Plan, type PlanBudget, type PlanModel, type PlanRecipe, type PlanStage, type UnhashedPlan } from '../../plan/types.js';
import { checkPlan, evalResolutions, timmRandAugment } from '../../plan/validate.js';
import type { BudgetDef, ExperimentDef, OptimizerDef, TrainDef } from '../experiment.js';
import type { ExperimentContext } from '../rules/rule.js';
import type { CostedStage, Schedule } from '../schedule.js';

export interface PlanMeta {
  /** The eft version writing the plan. */
  compilerVersion: string;
  /** The source file, relative to the project root. */
  sourceFile: string;
  /** sha256 (hex) of the source file's bytes. */
  sourceHash: string;
}

/** The compiler produced something that is not a valid plan: an internal error. */
export class PlanEmitError extends Error {
  readonly code = PLAN_CODE.emittedPlanInvalid;
  constructor(
    readonly experiment: string,
    readonly problems: readonly PlanProblem[],
  ) {
    super(`internal error: the plan of experiment ${experiment} is invalid: ${problems.map(formatProblem).join('; ')}`);
    this.name = 'PlanEmitError';
  }
}

function modelOf(experiment: ExperimentDef, spec: ExperimentContext['spec']): PlanModel {
  const ref = experiment.model;
  return {
    // The spec's own name (a catalogue name, or the family call it was built from) is the one
    // every command prints.
    name: spec.name,
    ref: ref.kind === 'catalogue' ? { kind: 'catalogue', name: ref.name } : { kind: 'family', family: ref.family, args: { ...ref.args } },
    spec,
  };
}

function budgetOf(budget: BudgetDef): PlanBudget {
  return {
    speedup: budget.speedup?.value ?? null,
    speedup_tolerance_fraction: budget.tolerance.value,
    equivalent_epochs: budget.equivalentEpochs?.value ?? null,
    limits: budget.limits.map((limit) => ({
      kind: limit.kind,
      max_hours: limit.max.value,
      hardware: { profile: limit.hardware.profile.value, utilisation_fraction: limit.hardware.utilisation.value, devices: limit.hardware.devices.value },
    })),
    loader_images_per_second: budget.loaderThroughput?.value ?? null,
  };
}

function optimizerOf(optimizer: OptimizerDef): PlanRecipe['optimizer'] {
  if (optimizer.name === 'adamw') {
    return { name: 'adamw', lr: optimizer.lr, weight_decay: optimizer.weightDecay, beta1: optimizer.beta1, beta2: optimizer.beta2, eps: optimizer.eps };
  }
  return { name: 'sgd', lr: optimizer.lr, weight_decay: optimizer.weightDecay, momentum: optimizer.momentum, nesterov: optimizer.nesterov };
}

function recipeOf(train: TrainDef): PlanRecipe {
  return {
    optimizer: optimizerOf(train.optimizer.value),
    batch_size: train.batch.value,
    seed: train.seed.value,
    mixup_alpha: train.mixup,
    cutmix_alpha: train.cutmix,
    label_smoothing: train.labelSmoothing,
    random_erasing_probability: train.randomErasing,
    crop: train.crop.kind === 'none' ? { kind: 'none' } : { kind: 'random_resized', scale_fraction: train.crop.scale, aspect_ratio: train.crop.ratio, interpolation: 'bilinear' },
    hflip_probability: train.hflip,
    drop_path_rate: train.dropPath,
    ema_decay: train.ema,
    clip_grad_norm: train.clipGrad,
  };
}

function stageOf(stage: CostedStage, fullResolution: number, evalAtStage: boolean): PlanStage {
  const { m, n, mstd } = stage.randaugment;
  return {
    index: stage.index,
    compute_start_fraction: stage.computeStart,
    compute_end_fraction: stage.computeEnd,
    share: stage.share,
    declared_share: stage.declaredShare,
    resolution_px: stage.resolution,
    resolution_requested_px: stage.rounding?.requested ?? stage.resolution,
    resolution_rounding_reason: stage.rounding?.reason ?? null,
    low_pass: stage.lowPass,
    randaugment: { m, n, mstd, timm_config: timmRandAugment(m, n, mstd) },
    replay: { r: stage.replay.r, k_batches: stage.replay.k },
    batch_split: { per_device: stage.batchSplit.perDevice, accumulation: stage.batchSplit.accumulation },
    epochs: stage.epochs,
    images: stage.images,
    trained_images: stage.trainedImages,
    steps: stage.steps,
    macs_per_image: stage.macsPerImage,
    macs_per_image_pixel_proxy: stage.macsPerImagePixelProxy,
    compute_macs: stage.compute,
    eval_resolutions_px: evalResolutions(stage.resolution, fullResolution, evalAtStage),
  };
}

function contentOf(experiment: ExperimentDef, spec: ExperimentContext['spec'], schedule: Schedule, meta: PlanMeta): UnhashedPlan {
  const { dataset, train } = experiment;
  const fullResolution = dataset.resolution.value;
  const lr = train.optimizer.value.lr;
  const shape = train.schedule.value;
  const stages = schedule.stages.map((s) => stageOf(s, fullResolution, train.evalAtStageResolution));
  return {
    plan_version: PLAN_VERSION,
    compiler_version: meta.compilerVersion,
    source: { file: meta.sourceFile.replace(/\\/g, '/'), sha256: meta.sourceHash },
    experiment: {
      name: experiment.name,
      lineage: [...experiment.lineage],
      sweep: experiment.sweep
        ? { name: experiment.sweep.name, point: Object.entries(experiment.sweep.point).map(([axis, value]) => ({ axis, value })) }
        : null,
    },
    model: modelOf(experiment, spec),
    dataset: {
      name: dataset.name,
      format: dataset.format,
      path: dataset.path,
      resolution_px: fullResolution,
      channels: dataset.channels,
      classes: dataset.classes.value,
      train_images: dataset.trainImages.value,
      val_images: dataset.valImages,
    },
    baseline: { epochs: experiment.baseline.epochs.value },
    budget: budgetOf(experiment.budget),
    curriculum: { name: schedule.curriculum, clock: schedule.clock },
    recipe: recipeOf(train),
    schedules: {
      clock: 'compute_fraction',
      lr: {
        shape: shape.name,
        base_lr: lr,
        // A constant schedule never leaves its base rate.
        min_lr: shape.name === 'constant' ? lr : shape.minLr,
        warmup_fraction: shape.warmup,
        warmup_start_lr: 0,
      },
      randaugment_m: stages.map((s) => ({
        stage: s.index,
        compute_start_fraction: s.compute_start_fraction,
        compute_end_fraction: s.compute_end_fraction,
        m: s.randaugment.m,
      })),
    },
    stages,
    evaluation: { resolution_px: fullResolution, at_stage_resolution: train.evalAtStageResolution },
    totals: {
      compute_macs: schedule.totals.compute,
      baseline_compute_macs: schedule.totals.baselineCompute,
      speedup: schedule.totals.speedup,
      speedup_pixel_proxy: schedule.totals.speedupPixelProxy,
      equivalent_epochs: schedule.totals.equivalentEpochs,
      images: schedule.totals.images,
      steps: schedule.totals.steps,
    },
  };
}

/** The plan of one experiment. Throws PlanEmitError when the result would not be a valid plan. */
export function emitPlan(ctx: ExperimentContext, meta: PlanMeta): Plan {
  const { experiment, spec, schedule } = ctx;
  if (!schedule) {
    throw new PlanEmitError(experiment.name, [{ pointer: '/stages', message: 'expected the costed stages of the curriculum, found none (the curriculum could not be expanded)' }]);
  }
  let plan: Plan;
  try {
    // Through canonical JSON and back, so that the plan returned is exactly what a file holds.
    plan = JSON.parse(canonicalJson(withPlanHash(contentOf(experiment, spec, schedule, meta)))) as Plan;
  } catch (err) {
    if (err instanceof CanonicalJsonError) throw new PlanEmitError(experiment.name, [{ pointer: err.pointer || '/', message: `expected a finite JSON value, found ${err.found}` }]);
    throw err;
  }
  const check = checkPlan(plan);
  if (!check.ok) throw new PlanEmitError(experiment.name, check.problems);
  return plan;
}
