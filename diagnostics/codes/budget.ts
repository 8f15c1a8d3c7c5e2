import type { CodeInfo } from './types.js';

/** Curricula, costs and budgets (EFT03xx). docs/curricula.md shows each with a wrong and a fixed example. */
export const BUDGET_CODES: readonly CodeInfo[] = [
  { code: 'EFT0301', severity: 'error', title: 'unknown curriculum' },
  { code: 'EFT0302', severity: 'error', title: 'invalid curriculum argument' },
  { code: 'EFT0303', severity: 'error', title: 'stages do not tile the run' },
  { code: 'EFT0304', severity: 'error', title: 'degenerate ramp' },
  { code: 'EFT0305', severity: 'error', title: 'per-stage values do not match the stages' },
  { code: 'EFT0306', severity: 'error', title: 'RandAugment setting out of range' },
  { code: 'EFT0307', severity: 'error', title: 'stage resolution cannot be used' },
  { code: 'EFT0308', severity: 'error', title: 'schedule size out of range' },
  { code: 'EFT0310', severity: 'error', title: 'declared speedup not met' },
  { code: 'EFT0311', severity: 'error', title: 'declared equivalent epochs not met' },
  { code: 'EFT0312', severity: 'warning', title: 'stage compute share differs from its declared share' },
  { code: 'EFT0313', severity: 'error', title: 'unknown hardware profile' },
  { code: 'EFT0314', severity: 'error', title: 'device-hours over the limit' },
  { code: 'EFT0315', severity: 'error', title: 'wall time over the limit' },
  { code: 'EFT0316', severity: 'warning', title: 'data loader likely bounds a stage' },
];
