// A curriculum before costing: its stages on the clock they were declared on, with every
// setting resolved (library defaults, then curriculum-wide settings, then stage overrides).
import type { Span } from '../../grammar/ast.js';
import type { BatchSplitDef, LowPassMethod, RandAugmentDef, ReplayDef } from '../experiment.js';

export type Clock = 'compute' | 'epochs';

/** The settings whose source location is remembered, to point diagnostics at what was written. */
export type StageField = 'resolution' | 'lowPass' | 'm' | 'n' | 'mstd' | 'r' | 'k' | 'batchSplit';

export interface PlannedStage {
  /** 1-based. */
  index: number;
  /** Compute clock: fractions of the run's compute in [0, 1]. Epoch clock: epochs. */
  start: number;
  end: number;
  /** Requested input resolution in pixels at the data set's resolution (may be fractional). */
  resolution: number;
  /** How the request was derived, when it is not written literally (`96/224 of 28px`). */
  resolutionOrigin?: string;
  lowPass: LowPassMethod;
  randaugment: RandAugmentDef;
  replay: ReplayDef;
  batchSplit: BatchSplitDef;
  span: Span;
  /** Where a setting was written, when it was (absent: a library or language default). */
  origins: Partial<Record<StageField, Span>>;
}

export interface CurriculumPlan {
  /** Library name, `custom` or `none`. */
  curriculum: string;
  clock: Clock;
  /** Compute clock only: the run's total compute, in epochs at full resolution. */
  equivalentEpochs?: number;
  /** What fixed the length of the run, in words (`budget \`speedup 1.5x\``). */
  budgetSource: string;
  /** EfficientTrain++ resolution list used (`default`, `deit`, `convnext`). */
  family?: string;
  stages: PlannedStage[];
  /** True when the stage spans were written by the user rather than taken from a library design. */
  userDeclaredSpans: boolean;
  span: Span;
}
