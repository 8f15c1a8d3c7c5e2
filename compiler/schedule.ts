// The costed training schedule of an experiment: its curriculum expanded into concrete
// stages with images, steps and FLOPs. Produced by compiler/curricula (expandCurriculum) and
// the cost model; consumed by the budget rules, `eft explain` and the plan emitter.
import type { Span } from '../grammar/ast.js';
import type { BatchSplitDef, LowPassMethod, RandAugmentDef, ReplayDef } from './experiment.js';

/** How a requested resolution was turned into the one the stage uses. */
export interface ResolutionRounding {
  /** What the curriculum asked for, in pixels at the data set's resolution (may be fractional). */
  requested: number;
  /** What the stage uses: a valid size for the architecture (and even for the fft low-pass). */
  chosen: number;
  reason: string;
}

export interface CostedStage {
  /** 1-based stage number. */
  index: number;
  /** Part of the run's total compute this stage covers, as fractions in [0, 1]. */
  computeStart: number;
  computeEnd: number;
  /** Input resolution in pixels (square). */
  resolution: number;
  rounding?: ResolutionRounding;
  /** How images are reduced to `resolution`; 'none' when the stage runs at full resolution. */
  lowPass: LowPassMethod | 'none';
  randaugment: RandAugmentDef;
  replay: ReplayDef;
  batchSplit: BatchSplitDef;
  /** Data-set epochs this stage processes (fractional). */
  epochs: number;
  /** Images processed (fresh images, i.e. before replay multiplies them): ceil(trainedImages / replay r). */
  images: number;
  /** Every image trained on: fresh images × replay r, as the costing counts it (a whole number). */
  trainedImages: number;
  /** Optimizer steps at the global batch size: ceil(trainedImages / batch). */
  steps: number;
  /** Training multiply-accumulates per image at this resolution (3 × forward). */
  macsPerImage: number;
  /** Training MACs per image by the pixel proxy (cost ∝ B²), for comparison. */
  macsPerImagePixelProxy: number;
  /** Total training MACs of the stage: trainedImages × macsPerImage. */
  compute: number;
  /** compute / total compute of the run. */
  share: number;
  /** The share the curriculum declared for this stage (its compute range, or its epochs' share). */
  declaredShare: number;
  /** Where the stage was declared (the curriculum entry for library stages). */
  span: Span;
}

export interface ScheduleTotals {
  /** Total training MACs of the curriculum run. */
  compute: number;
  /** Total training MACs of the baseline: baseline epochs × images × cost at full resolution. */
  baselineCompute: number;
  /** baselineCompute / compute, by the architecture's exact FLOPs. */
  speedup: number;
  /** The same ratio with the pixel proxy (cost ∝ B²), as the official scripts compute it. */
  speedupPixelProxy: number;
  /** Epochs at full resolution that cost the same as the curriculum run. */
  equivalentEpochs: number;
  /** Total images processed and optimizer steps. */
  images: number;
  steps: number;
}

export interface Schedule {
  /** The library curriculum's name, `custom` for one written out, `none` for the baseline recipe. */
  curriculum: string;
  /** The clock stages were declared on. */
  clock: 'compute' | 'epochs';
  stages: CostedStage[];
  totals: ScheduleTotals;
}
