import { planProblemRule } from '../../curricula/plan-rule.js';

/** EFT0302: an argument a library curriculum does not take, or a value out of its range. */
export const rule = planProblemRule('curriculum-arguments', 'EFT0302');
