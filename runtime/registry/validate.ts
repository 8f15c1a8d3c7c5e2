// Checks on the values the training loop hands the registry: a NaN or a percentage where a
// fraction belongs is a bug in the caller, caught here rather than stored.

interface NumberRule {
  min?: number;
  max?: number;
  integer?: boolean;
}

export function checkNumber(what: string, value: number, rule: NumberRule = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`${what} must be a finite number, got ${String(value)}`);
  if (rule.integer && !Number.isInteger(value)) throw new RangeError(`${what} must be an integer, got ${value}`);
  if (rule.min !== undefined && value < rule.min) throw new RangeError(`${what} must be at least ${rule.min}, got ${value}`);
  if (rule.max !== undefined && value > rule.max) throw new RangeError(`${what} must be at most ${rule.max}, got ${value}`);
  return value;
}

export function checkOptionalNumber(what: string, value: number | null | undefined, rule: NumberRule = {}): number | null {
  return value === null || value === undefined ? null : checkNumber(what, value, rule);
}

export function checkText(what: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new TypeError(`${what} must be a non-empty string`);
  return value;
}

export const FRACTION: NumberRule = { min: 0, max: 1 };
export const COUNT: NumberRule = { min: 0, integer: true };
export const NON_NEGATIVE: NumberRule = { min: 0 };
