import { valueProblemRule } from '../value-problem-rule.js';

/** EFT0113: a value of the wrong kind (a string where a number goes, a value where a block goes). */
export const rule = valueProblemRule('value-kind', 'EFT0113', 'kind');
