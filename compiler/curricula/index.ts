// The curriculum library's entry point: expands an experiment's curriculum into a costed
// schedule. Problems with the declaration itself (unknown names, arguments, tiling, ramps,
// per-stage values, RandAugment ranges) are found by planCurriculum and reported by the
// experiment rules, one rule per code; expandCurriculum then returns no schedule and leaves
// the reporting to them. Problems found while costing (resolutions, sizes) come back here.
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ExperimentDef } from '../experiment.js';
import type { Schedule } from '../schedule.js';
import type { CostModel } from './cost-model.js';
import { costPlan } from './costing.js';
import { planCurriculum } from './plan.js';

export type { CostModel, ResolutionCheck } from './cost-model.js';
export { planCurriculum } from './plan.js';

export function expandCurriculum(exp: ExperimentDef, cost: CostModel): { schedule?: Schedule; diagnostics: Diagnostic[] } {
  const { plan } = planCurriculum(exp);
  if (!plan) return { diagnostics: [] };
  return costPlan(plan, exp, cost);
}

/** Every problem of the curriculum declaration (what the experiment rules report for it). */
export function curriculumProblems(exp: ExperimentDef): Diagnostic[] {
  return planCurriculum(exp).problems;
}
