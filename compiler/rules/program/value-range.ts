import { valueProblemRule } from '../value-problem-rule.js';

/** EFT0115: a number outside its key's range, or fractional where a whole number goes. */
export const rule = valueProblemRule('value-range', 'EFT0115', 'range');
