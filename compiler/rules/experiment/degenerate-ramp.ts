import { planProblemRule } from '../../curricula/plan-rule.js';

/** EFT0304: ramp parameters that leave no ramp (Composer's delay + finetune ≥ 1, a 0px start, an FFCV ramp that ends before it starts). */
export const rule = planProblemRule('degenerate-ramp', 'EFT0304');
