import type { CodeInfo } from './types.js';

export const STRUCTURE_CODES: readonly CodeInfo[] = [
  { code: 'EFT0101', severity: 'error', title: 'imported file not found or unreadable' },
  { code: 'EFT0102', severity: 'error', title: 'import cycle' },
  { code: 'EFT0103', severity: 'error', title: 'import leaves the project root' },
  { code: 'EFT0104', severity: 'error', title: 'duplicate declaration' },
  { code: 'EFT0105', severity: 'error', title: 'undefined name' },
  { code: 'EFT0106', severity: 'error', title: 'extends cycle' },
  { code: 'EFT0110', severity: 'error', title: 'unknown key' },
  { code: 'EFT0111', severity: 'error', title: 'duplicate key' },
  { code: 'EFT0112', severity: 'error', title: 'missing required key' },
  { code: 'EFT0113', severity: 'error', title: 'wrong kind of value' },
  { code: 'EFT0114', severity: 'error', title: 'wrong or unknown unit' },
  { code: 'EFT0115', severity: 'error', title: 'value out of range' },
  { code: 'EFT0116', severity: 'error', title: 'unknown name in a fixed set' },
  { code: 'EFT0117', severity: 'error', title: 'unknown, missing or repeated call argument' },
  { code: 'EFT0201', severity: 'error', title: 'unknown model' },
  { code: 'EFT0202', severity: 'error', title: 'invalid model family arguments' },
];
