// The elaborated experiment: what an `experiment` declaration means once imports, `extends`
// overrides, units and defaults are resolved. Produced by compiler/elaborate.ts from a program
// that passed the structural rules; consumed by the curriculum library, the cost and budget
// rules, `eft explain` and the plan emitter. Every value keeps the span it was written at (or
// the span of the declaration that supplied its default) so later rules can point at it.
import type { Span } from '../grammar/ast.js';

/** A number with the place it was written. Values are in canonical units (see each field). */
export interface Located<T> {
  value: T;
  span: Span;
}

export type ModelRef =
  | { kind: 'catalogue'; name: string; span: Span }
  | { kind: 'family'; family: string; args: Record<string, number | string>; span: Span; argSpans: Record<string, Span> };

export type DatasetFormat = 'idx' | 'cifar10' | 'cifar100' | 'folder' | 'imagenet';

export interface DatasetDef {
  /** The name written after `dataset` (e.g. `imagenet1k`, `fashion_mnist`). */
  name: string;
  format: DatasetFormat;
  /** As written in the source, never made absolute. */
  path: string;
  /** Full training resolution in pixels (images are square at this resolution). */
  resolution: Located<number>;
  channels: number;
  classes: Located<number>;
  /** Number of training images used per epoch. */
  trainImages: Located<number>;
  /** Number of validation images (0 when the data set has none declared). */
  valImages: number;
  span: Span;
}

export interface BaselineDef {
  /** Epochs at full resolution with full augmentation: defines "1.0×". */
  epochs: Located<number>;
  span: Span;
}

export interface HardwareDef {
  /** Built-in profile name (v100, a100, h100, rtx3090). */
  profile: Located<string>;
  /** Fraction of peak dense throughput assumed, 0 < u ≤ 1. */
  utilisation: Located<number>;
  devices: Located<number>;
}

export interface BudgetLimit {
  kind: 'device_hours' | 'wall_time';
  /** Upper bound in hours. */
  max: Located<number>;
  hardware: HardwareDef;
  span: Span;
}

export interface BudgetDef {
  /** Declared speedup over the baseline (a factor, 1.5 for `1.5x`). */
  speedup?: Located<number>;
  /** Relative tolerance on the speedup (0.02 for `within 2%`); default 0.02 when not written. */
  tolerance: Located<number>;
  /** Declared equivalent epochs (epochs at full resolution that cost the same). */
  equivalentEpochs?: Located<number>;
  limits: BudgetLimit[];
  /** The hardware of a `hardware { ... }` block, when written (limits may name their own). */
  hardware?: HardwareDef;
  /** Declared data-loader throughput in images/s per device, for the loader-bound warning. */
  loaderThroughput?: Located<number>;
  span: Span;
}

export type LowPassMethod = 'fft' | 'lanczos' | 'bilinear' | 'area';

export interface RandAugmentDef {
  /** Magnitude, 0..10 (timm scale). */
  m: number;
  /** Number of ops per image. */
  n: number;
  /** Standard deviation of the magnitude noise. */
  mstd: number;
}

export interface ReplayDef {
  /** Replay factor r ≥ 1 (1 = no replay). */
  r: number;
  /** Buffer size K in batches (0 = no buffer). */
  k: number;
}

/** The global batch split: per-device batch × gradient accumulation steps × devices = global batch. */
export interface BatchSplitDef {
  perDevice: number;
  accumulation: number;
}

/**
 * Settings of one stage as written in the source (every field optional: the curriculum
 * library fills what the source leaves out).
 */
export interface StageSettings {
  /** Input resolution in pixels, or as a fraction of the full resolution. */
  resolution?: Located<{ pixels: number } | { fraction: number }>;
  lowPass?: Located<LowPassMethod>;
  randaugment?: Located<Partial<RandAugmentDef>>;
  replay?: Located<Partial<ReplayDef>>;
  batchSplit?: Located<BatchSplitDef>;
}

/** A stage bound: compute fraction in [0, 1] or an epoch count, depending on the curriculum's clock. */
export type StageSelector =
  | { kind: 'index'; index: number } // 1-based stage number: `stage 3 { ... }`
  | { kind: 'range'; start: number; end: number }; // `stage 0% .. 10%` or `stage 0ep .. 60ep`

export interface StageDecl {
  selector: StageSelector;
  settings: StageSettings;
  span: Span;
}

/** A value given per stage: one value, a list (one per stage) or a ramp (`0 -> 9 in 10 steps`). */
export type PerStage<T> =
  | { kind: 'constant'; value: T; span: Span }
  | { kind: 'list'; values: T[]; span: Span }
  | { kind: 'ramp'; from: T; to: T; steps?: number; span: Span };

/** Curriculum-wide settings, applied to every stage unless a stage overrides them. */
export interface CurriculumSettings {
  /** Number of equal stages (custom curricula without explicit ranges). */
  stages?: Located<number>;
  resolution?: PerStage<{ pixels: number } | { fraction: number }>;
  lowPass?: Located<LowPassMethod>;
  randaugmentM?: PerStage<number>;
  randaugmentN?: Located<number>;
  randaugmentMstd?: Located<number>;
  replayR?: PerStage<number>;
  replayK?: PerStage<number>;
}

export type CurriculumDecl =
  /** A library curriculum: `curriculum efficienttrain_pp(family: deit) { overrides }`. */
  | {
      kind: 'library';
      name: Located<string>;
      args: Record<string, Located<number | string>>;
      settings: CurriculumSettings;
      stages: StageDecl[];
      span: Span;
    }
  /** A curriculum written out: `curriculum { over compute  stage 0% .. 10% { ... } ... }`. */
  | {
      kind: 'custom';
      clock: 'compute' | 'epochs';
      settings: CurriculumSettings;
      stages: StageDecl[];
      span: Span;
    }
  /** No curriculum: the baseline recipe (full resolution and augmentation throughout). */
  | { kind: 'none' };

export type OptimizerDef =
  | { name: 'adamw'; lr: number; weightDecay: number; beta1: number; beta2: number; eps: number }
  | { name: 'sgd'; lr: number; weightDecay: number; momentum: number; nesterov: boolean };

export interface ScheduleDef {
  name: 'cosine' | 'linear' | 'constant';
  /** Warm-up length as a fraction of the total compute (the schedule's clock). */
  warmup: number;
  /** Final learning rate (cosine and linear). */
  minLr: number;
}

/** The spatial crop of each training image at full resolution (timm's RandomResizedCrop), before the low-pass. */
export type CropDef = { kind: 'none' } | { kind: 'random_resized'; scale: [number, number]; ratio: [number, number] };

export interface TrainDef {
  optimizer: Located<OptimizerDef>;
  schedule: Located<ScheduleDef>;
  /** Global batch size. */
  batch: Located<number>;
  seed: Located<number>;
  mixup: number;
  cutmix: number;
  labelSmoothing: number;
  randomErasing: number;
  crop: CropDef;
  /** Probability of a horizontal flip of each training image. */
  hflip: number;
  dropPath: number;
  /** EMA decay, or 0 for none. */
  ema: number;
  /** Gradient-norm clipping threshold, or 0 for none. */
  clipGrad: number;
  /** Evaluate also at the stage's own resolution during low-resolution stages. */
  evalAtStageResolution: boolean;
  span: Span;
}

export interface ExperimentDef {
  name: string;
  /** The file that declares the experiment (as given, relative to the working directory). */
  file: string;
  /** Span of the experiment's name in its declaration. */
  span: Span;
  /** Names of the experiments it extends, nearest first. */
  lineage: string[];
  model: ModelRef;
  dataset: DatasetDef;
  baseline: BaselineDef;
  budget: BudgetDef;
  curriculum: CurriculumDecl;
  train: TrainDef;
  /** Set when the experiment is one point of a sweep: the sweep's name and the point's values. */
  sweep?: { name: string; point: Record<string, string | number> };
}
