import { planProblemRule } from '../../curricula/plan-rule.js';

/** EFT0306: RandAugment m outside 0..10, n not a whole number ≥ 0, mstd < 0. */
export const rule = planProblemRule('randaugment-range', 'EFT0306');
