import { planProblemRule } from '../../curricula/plan-rule.js';

/** EFT0305: per-stage lists or ramps that do not fit the number of stages, stage blocks that select no stage. */
export const rule = planProblemRule('stage-values', 'EFT0305');
