import type { Severity } from '../diagnostic.js';

/** A registered diagnostic code: its number, default severity, and what it is about (for docs and `--explain`). */
export interface CodeInfo {
  code: string;
  severity: Severity;
  title: string;
}
