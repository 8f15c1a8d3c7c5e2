import { valueProblemRule } from '../value-problem-rule.js';

/** EFT0116: a name outside a fixed set (`low_pass fftt`, `optimizer adamx(...)`). */
export const rule = valueProblemRule('unknown-choice', 'EFT0116', 'enum');
