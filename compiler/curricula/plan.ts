// From an experiment's curriculum declaration to planned stages: the library design (or the
// stages written out, or the single baseline stage), then the user's settings and stage
// overrides. Problems found on the way are diagnostics with their own codes; the experiment
// rules report them (each rule its codes), and expandCurriculum costs only a clean plan.
import { makeDiagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { didYouMean } from '../../diagnostics/suggest.js';
import type { Span } from '../../grammar/ast.js';
import type { BatchSplitDef, CurriculumDecl, ExperimentDef, LowPassMethod } from '../experiment.js';
import { argumentProblems } from './arguments.js';
import { epochsOf, equivalentEpochsOf } from './budget-length.js';
import { formatEpochs } from './format.js';
import { CURRICULUM_NAMES, LIBRARY } from './library/index.js';
import { impliedStageCount } from './per-stage.js';
import type { Clock, CurriculumPlan, PlannedStage } from './plan-types.js';
import { checkRandAugment } from './randaugment.js';
import { applyCurriculumSettings, applyStageOverrides } from './stage-settings.js';
import { isRangeDecl, tileStages } from './tiling.js';

/** The full training recipe's RandAugment (timm `rand-m9-mstd0.5-inc1`, 2 ops). */
export const FULL_RANDAUGMENT = { m: 9, n: 2, mstd: 0.5 } as const;

export interface PlanResult {
  /** Absent when an error was found (see problems). */
  plan?: CurriculumPlan;
  problems: Diagnostic[];
}

type Report = (d: Diagnostic) => void;

const cache = new WeakMap<ExperimentDef, PlanResult>();

/** The experiment's planned curriculum; computed once per ExperimentDef object. */
export function planCurriculum(exp: ExperimentDef): PlanResult {
  let result = cache.get(exp);
  if (!result) {
    result = computePlan(exp);
    cache.set(exp, result);
  }
  return result;
}

function computePlan(exp: ExperimentDef): PlanResult {
  const problems: Diagnostic[] = [];
  const report: Report = (d) => problems.push(d);
  const decl = exp.curriculum;
  let plan: CurriculumPlan | undefined;
  if (decl.kind === 'none') plan = nonePlan(exp);
  else if (decl.kind === 'library') plan = libraryPlan(exp, decl, report);
  else plan = customPlan(exp, decl, report);
  if (plan) checkRandAugment(plan.stages, report);
  const failed = problems.some((p) => p.severity === 'error');
  return { plan: failed ? undefined : plan, problems };
}

/** Per-device batch × accumulation for the global batch: split over the declared devices when it divides evenly. */
export function defaultBatchSplit(exp: ExperimentDef): BatchSplitDef {
  const batch = exp.train.batch.value;
  const devices = (exp.budget.hardware ?? exp.budget.limits[0]?.hardware)?.devices.value ?? 1;
  return { perDevice: devices > 0 && batch % devices === 0 ? batch / devices : batch, accumulation: 1 };
}

function newStage(exp: ExperimentDef, index: number, start: number, end: number, resolution: number, m: number, lowPass: LowPassMethod, span: Span): PlannedStage {
  return {
    index,
    start,
    end,
    resolution,
    lowPass,
    randaugment: { m, n: FULL_RANDAUGMENT.n, mstd: FULL_RANDAUGMENT.mstd },
    replay: { r: 1, k: 0 },
    batchSplit: defaultBatchSplit(exp),
    span,
    origins: {},
  };
}

function nonePlan(exp: ExperimentDef): CurriculumPlan {
  const declared = exp.budget.equivalentEpochs?.value;
  const epochs = declared ?? exp.baseline.epochs.value;
  const source = declared !== undefined ? `budget \`equivalent_epochs ${formatEpochs(declared)}ep\`` : `the baseline's ${formatEpochs(epochs)} epochs`;
  const full = exp.dataset.resolution.value;
  return {
    curriculum: 'none',
    clock: 'epochs',
    budgetSource: source,
    stages: [newStage(exp, 1, 0, epochs, full, FULL_RANDAUGMENT.m, 'fft', exp.span)],
    userDeclaredSpans: false,
    span: exp.span,
  };
}

function libraryPlan(exp: ExperimentDef, decl: Extract<CurriculumDecl, { kind: 'library' }>, report: Report): CurriculumPlan | undefined {
  const lib = LIBRARY.get(decl.name.value);
  if (!lib) {
    report(
      makeDiagnostic('EFT0301', 'error', `unknown curriculum \`${decl.name.value}\``, {
        span: decl.name.span,
        label: 'not in the library',
        help: [
          ...didYouMean(decl.name.value, CURRICULUM_NAMES),
          `the library has ${CURRICULUM_NAMES.map((n) => `\`${n}\``).join(', ')}; or write the stages out: \`curriculum { stage 0% .. 50% { ... } ... }\``,
        ],
      }),
    );
    return undefined;
  }
  const argProblems = argumentProblems(lib, decl.args);
  if (argProblems.length > 0) {
    argProblems.forEach(report);
    return undefined;
  }
  const full = exp.dataset.resolution.value;
  const design = lib.build({ exp, args: decl.args, full, report });
  if (!design) return undefined;
  const stages = design.stages.map((s, i) => {
    const stage = newStage(exp, i + 1, s.start, s.end, s.resolution, s.m, design.lowPass, decl.span);
    stage.resolutionOrigin = s.resolutionOrigin;
    return stage;
  });
  const count = decl.settings.stages;
  if (count && count.value !== stages.length) {
    report(
      makeDiagnostic('EFT0305', 'error', `${lib.name} has ${stages.length} stages; \`stages ${count.value}\` cannot change that`, {
        span: count.span,
        label: `${count.value} stages`,
        help: ['leave out `stages`, or write the curriculum out (`curriculum { stages N ... }`) to choose the number of stages'],
      }),
    );
    return undefined;
  }
  const settingsOk = applyCurriculumSettings(stages, decl.settings, full, report);
  const overridesOk = applyStageOverrides(stages, decl.stages, design.clock, full, lib.name, report);
  if (!settingsOk || !overridesOk) return undefined;
  return {
    curriculum: lib.name,
    clock: design.clock,
    equivalentEpochs: design.equivalentEpochs,
    budgetSource: design.budgetSource,
    family: design.family,
    stages,
    userDeclaredSpans: false,
    span: decl.span,
  };
}

function customPlan(exp: ExperimentDef, decl: Extract<CurriculumDecl, { kind: 'custom' }>, report: Report): CurriculumPlan | undefined {
  const full = exp.dataset.resolution.value;
  const clock: Clock = decl.clock;
  const settings = decl.settings;
  const ranges = decl.stages.filter(isRangeDecl);
  let stages: PlannedStage[];
  let equivalentEpochs: number | undefined;
  let budgetSource: string;
  if (settings.stages !== undefined || ranges.length === 0) {
    const indexMax = Math.max(0, ...decl.stages.map((d) => (d.selector.kind === 'index' ? d.selector.index : 0)));
    const n =
      settings.stages?.value ??
      impliedStageCount(settings.resolution) ??
      impliedStageCount(settings.randaugmentM) ??
      impliedStageCount(settings.replayR) ??
      impliedStageCount(settings.replayK) ??
      (indexMax > 0 ? indexMax : undefined);
    if (n === undefined) {
      report(
        makeDiagnostic('EFT0303', 'error', 'this curriculum declares no stages', {
          span: decl.span,
          label: 'no stages',
          help: ['give a number of equal stages (`stages 10`), per-stage lists (`resolution [96px, 160px, 224px]`) or ranges (`stage 0% .. 50% { ... }`)'],
        }),
      );
      return undefined;
    }
    let total: number;
    if (clock === 'compute') {
      const length = equivalentEpochsOf(exp);
      equivalentEpochs = length.value;
      budgetSource = length.source;
      total = 1;
    } else {
      const length = epochsOf(exp);
      budgetSource = length.source;
      total = length.value;
    }
    stages = Array.from({ length: n }, (_, i) => newStage(exp, i + 1, (total * i) / n, (total * (i + 1)) / n, full, FULL_RANDAUGMENT.m, 'fft', settings.stages?.span ?? decl.span));
  } else {
    const sorted = tileStages(ranges, clock, report);
    if (!sorted) return undefined;
    if (clock === 'compute') {
      const length = equivalentEpochsOf(exp);
      equivalentEpochs = length.value;
      budgetSource = length.source;
    } else {
      budgetSource = `the stages' ${formatEpochs(sorted[sorted.length - 1].selector.end)} epochs`;
    }
    stages = sorted.map((d, i) => newStage(exp, i + 1, d.selector.start, d.selector.end, full, FULL_RANDAUGMENT.m, 'fft', d.span));
  }
  const settingsOk = applyCurriculumSettings(stages, settings, full, report);
  // Range blocks (which define the stages above, or select whole equal stages) and numbered
  // blocks apply in source order, after the curriculum-wide settings.
  const overridesOk = applyStageOverrides(stages, decl.stages, clock, full, 'the curriculum', report);
  if (!settingsOk || !overridesOk) return undefined;
  return { curriculum: 'custom', clock, equivalentEpochs, budgetSource, stages, userDeclaredSpans: true, span: decl.span };
}
