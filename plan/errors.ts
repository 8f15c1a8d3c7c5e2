// What goes wrong with plans, said so that a user can act: the file, where in it (a JSON
// pointer, or a line and column), what was expected and what was found, and what to do.
import type { PlanCode } from '../diagnostics/codes/plan.js';

/** One place where a plan is not what it must be. */
export interface PlanProblem {
  /** JSON pointer (RFC 6901); `/` for the document itself. */
  pointer: string;
  /** `expected integer ≥ 1, found -4` */
  message: string;
}

export function formatProblem(problem: PlanProblem): string {
  return `${problem.pointer}: ${problem.message}`;
}

export interface PlanErrorInit {
  help?: readonly string[];
  /** Every problem found; the first is the one the message states. */
  problems?: readonly PlanProblem[];
  /** For text that is not JSON: where it stops being JSON. */
  position?: { line: number; column: number };
}

export class PlanError extends Error {
  readonly help: readonly string[];
  readonly problems: readonly PlanProblem[];
  readonly position?: { line: number; column: number };

  constructor(
    readonly code: PlanCode,
    /** The file as the user named it. */
    readonly file: string,
    /** The fact, without the file name: `/stages/3/resolution_px: expected integer ≥ 1, found -4`. */
    readonly detail: string,
    init: PlanErrorInit = {},
  ) {
    const where = init.position ? `${file}:${init.position.line}:${init.position.column}` : file;
    super(`${where}: ${detail}`);
    this.name = 'PlanError';
    this.help = init.help ?? [];
    this.problems = init.problems ?? [];
    this.position = init.position;
  }
}

export interface PlanWarning {
  code: PlanCode;
  file: string;
  /** The whole warning, starting with the file name. */
  message: string;
  help: readonly string[];
}
