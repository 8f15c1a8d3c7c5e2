// Window and stripe sizes at a given input resolution.
import type { WindowRule } from '../../models/spec.js';
import { CostError } from '../errors.js';

/** The window side a rule gives at input resolution `resolution` (tokens). */
export function windowAt(rule: WindowRule, resolution: number, model: string, what: string): number {
  if (rule.kind === 'fixed') {
    if (!Number.isInteger(rule.size) || rule.size <= 0) throw new CostError('bad-spec', `${model}: ${what} must be a positive whole number, got ${rule.size}`);
    return rule.size;
  }
  const size = resolution / rule.divisor;
  if (!Number.isInteger(size) || size <= 0) {
    throw new CostError(
      'incompatible',
      `${model} cannot run at ${resolution}×${resolution}: its ${what} is the resolution / ${rule.divisor}, which needs a multiple of ${rule.divisor}`,
      resolution,
    );
  }
  return size;
}
