// The execution plan: the one contract between the eft compiler and any runtime. These types
// mirror plan/schema.json (the published form); field meanings are documented there and in
// docs/plan.md. Keys are snake_case and carry their units.
import type { ModelSpec } from '../compiler/models/spec.js';

/** The plan_version this code reads and writes. */
export const PLAN_VERSION = 2;

export type LowPass = 'fft' | 'lanczos' | 'bilinear' | 'area' | 'none';

export interface PlanSource {
  /** Relative to the project root, `/` separators. */
  file: string;
  /** sha256 of the file's bytes, lowercase hex. */
  sha256: string;
}

export interface PlanSweepPoint {
  name: string;
  /** The point's value on each axis, in the order the axes are written. */
  point: { axis: string; value: string | number }[];
}

export interface PlanExperiment {
  name: string;
  /** Experiments it extends, nearest first. */
  lineage: string[];
  sweep: PlanSweepPoint | null;
}

export type PlanModelRef =
  | { kind: 'catalogue'; name: string }
  | { kind: 'family'; family: string; args: Record<string, number | string> };

export interface PlanModel {
  /** A catalogue name, or a family with its arguments: `vit(depth: 6, dim: 192)`. */
  name: string;
  ref: PlanModelRef;
  /** The architecture itself, retargeted to the data set's channels and classes. */
  spec: ModelSpec;
}

export interface PlanDataset {
  name: string;
  format: 'idx' | 'cifar10' | 'cifar100' | 'folder' | 'imagenet';
  /** As written in the source. */
  path: string;
  resolution_px: number;
  channels: number;
  classes: number;
  train_images: number;
  val_images: number;
}

export interface PlanBaseline {
  epochs: number;
}

export interface PlanBudgetLimit {
  kind: 'device_hours' | 'wall_time';
  max_hours: number;
  hardware: { profile: string; utilisation_fraction: number; devices: number };
}

export interface PlanBudget {
  speedup: number | null;
  speedup_tolerance_fraction: number;
  equivalent_epochs: number | null;
  limits: PlanBudgetLimit[];
  loader_images_per_second: number | null;
}

export interface PlanCurriculum {
  name: string;
  clock: 'compute' | 'epochs';
}

export type PlanOptimizer =
  | { name: 'adamw'; lr: number; weight_decay: number; beta1: number; beta2: number; eps: number }
  | { name: 'sgd'; lr: number; weight_decay: number; momentum: number; nesterov: boolean };

/** The crop of each training image at full resolution, before the low-pass (timm's RandomResizedCrop). */
export type PlanCrop =
  | { kind: 'none' }
  | { kind: 'random_resized'; scale_fraction: [number, number]; aspect_ratio: [number, number]; interpolation: 'bilinear' };

export interface PlanRecipe {
  optimizer: PlanOptimizer;
  batch_size: number;
  seed: number;
  mixup_alpha: number;
  cutmix_alpha: number;
  label_smoothing: number;
  random_erasing_probability: number;
  crop: PlanCrop;
  hflip_probability: number;
  drop_path_rate: number;
  /** 0: no EMA. */
  ema_decay: number;
  /** 0: no clipping. */
  clip_grad_norm: number;
}

export interface PlanLrSchedule {
  shape: 'cosine' | 'linear' | 'constant';
  base_lr: number;
  min_lr: number;
  warmup_fraction: number;
  warmup_start_lr: number;
}

export interface PlanRandAugmentStep {
  stage: number;
  compute_start_fraction: number;
  compute_end_fraction: number;
  m: number;
}

export interface PlanSchedules {
  clock: 'compute_fraction';
  lr: PlanLrSchedule;
  randaugment_m: PlanRandAugmentStep[];
}

export interface PlanStage {
  index: number;
  compute_start_fraction: number;
  compute_end_fraction: number;
  share: number;
  declared_share: number;
  resolution_px: number;
  resolution_requested_px: number;
  resolution_rounding_reason: string | null;
  low_pass: LowPass;
  randaugment: { m: number; n: number; mstd: number; timm_config: string };
  replay: { r: number; k_batches: number };
  batch_split: { per_device: number; accumulation: number };
  /** Epochs of fresh images: images / dataset.train_images. */
  epochs: number;
  /** Fresh images read: ceil(trained_images / replay.r). */
  images: number;
  /** Images trained on, replay included. */
  trained_images: number;
  /** ceil(trained_images / recipe.batch_size). */
  steps: number;
  macs_per_image: number;
  macs_per_image_pixel_proxy: number;
  /** trained_images × macs_per_image. */
  compute_macs: number;
  eval_resolutions_px: number[];
}

export interface PlanEvaluation {
  resolution_px: number;
  at_stage_resolution: boolean;
}

export interface PlanTotals {
  compute_macs: number;
  baseline_compute_macs: number;
  speedup: number;
  speedup_pixel_proxy: number;
  equivalent_epochs: number;
  images: number;
  steps: number;
}

export interface Plan {
  plan_version: typeof PLAN_VERSION;
  plan_sha256: string;
  compiler_version: string;
  source: PlanSource;
  experiment: PlanExperiment;
  model: PlanModel;
  dataset: PlanDataset;
  baseline: PlanBaseline;
  budget: PlanBudget;
  curriculum: PlanCurriculum;
  recipe: PlanRecipe;
  schedules: PlanSchedules;
  stages: PlanStage[];
  evaluation: PlanEvaluation;
  totals: PlanTotals;
}

/** A plan before its hash is set: what the hash is computed over. */
export type UnhashedPlan = Omit<Plan, 'plan_sha256'>;
