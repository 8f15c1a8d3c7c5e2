import { planProblemRule } from '../../curricula/plan-rule.js';

/** EFT0301: a curriculum name the library does not have. */
export const rule = planProblemRule('curriculum-name', 'EFT0301');
