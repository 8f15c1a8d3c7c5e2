import { planProblemRule } from '../../curricula/plan-rule.js';

/** EFT0303: stages written out by range that leave a gap, overlap, or leave the run. */
export const rule = planProblemRule('stage-tiling', 'EFT0303');
