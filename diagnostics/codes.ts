// The registry of every diagnostic code. Codes are stable: never renumber or reuse one.
// Ranges: EFT00xx syntax and files; EFT01xx names, structure and values; EFT02xx models and
// resolutions; EFT03xx cost and budget; EFT04xx plans.
import type { CodeInfo } from './codes/types.js';
import { SYNTAX_CODES } from './codes/syntax.js';
import { STRUCTURE_CODES } from './codes/structure.js';
import { BUDGET_CODES } from './codes/budget.js';
import { PLAN_CODES } from './codes/plan.js';

export type { CodeInfo };

export const ALL_CODES: readonly CodeInfo[] = [...SYNTAX_CODES, ...STRUCTURE_CODES, ...BUDGET_CODES, ...PLAN_CODES];

const byCode = new Map(ALL_CODES.map((c) => [c.code, c]));

export function codeInfo(code: string): CodeInfo {
  const info = byCode.get(code);
  if (!info) throw new Error(`unregistered diagnostic code ${code}`);
  return info;
}
