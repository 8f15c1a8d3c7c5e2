import { valueProblemRule } from '../value-problem-rule.js';

/** EFT0117: an unknown, repeated, positional or missing argument of a call. */
export const rule = valueProblemRule('call-arguments', 'EFT0117', 'argument');
