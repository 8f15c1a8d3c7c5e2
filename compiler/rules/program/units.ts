import { valueProblemRule } from '../value-problem-rule.js';

/** EFT0114: a number with a unit of the wrong family (`224ep` for a resolution) or an unknown unit. */
export const rule = valueProblemRule('units', 'EFT0114', 'unit');
