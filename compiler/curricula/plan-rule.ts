// Builds an experiment rule that reports the curriculum-declaration problems of one code.
import type { ExperimentRule } from '../rules/rule.js';
import { planCurriculum } from './plan.js';

export function planProblemRule(name: string, code: string): ExperimentRule {
  return {
    kind: 'experiment',
    name,
    codes: [code],
    check(ctx, report) {
      for (const problem of planCurriculum(ctx.experiment).problems) if (problem.code === code) report(problem);
    },
  };
}
