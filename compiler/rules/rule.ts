// The two kinds of check rule. Each rule lives in its own file under rules/program/ or
// rules/experiment/, exports `rule`, and is found by rules/registry.ts: adding a rule is
// adding one file.
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ExperimentDef } from '../experiment.js';
import type { Program } from '../program.js';
import type { Schedule } from '../schedule.js';
import type { ModelSpec } from '../models/spec.js';

/** Runs over the parsed program (all files, imports resolved) before elaboration. */
export interface ProgramRule {
  kind: 'program';
  name: string;
  /** The diagnostic codes this rule may report. */
  codes: readonly string[];
  check(program: Program, report: (d: Diagnostic) => void): void;
}

export interface ExperimentContext {
  experiment: ExperimentDef;
  /** The model's architecture spec (retargeted to the data set's channels and classes). */
  spec: ModelSpec;
  /** The costed schedule; absent when the curriculum could not be expanded (its rule reported why). */
  schedule?: Schedule;
}

/** Runs over one elaborated experiment and its costed schedule. */
export interface ExperimentRule {
  kind: 'experiment';
  name: string;
  codes: readonly string[];
  check(ctx: ExperimentContext, report: (d: Diagnostic) => void): void;
}

export type Rule = ProgramRule | ExperimentRule;
