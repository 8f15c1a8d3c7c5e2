// `eft compile` without the printing: check one .eft file, pick its experiments, emit one plan
// per experiment and decide where each goes. Nothing is written here (see write.ts), so that a
// file with errors, or with one experiment that fails, leaves no plan behind.
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { makeDiagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { PLAN_CODE } from '../../diagnostics/codes/plan.js';
import { planFileText } from '../../plan/canonical.js';
import type { Plan } from '../../plan/types.js';
import { checkFiles } from '../check.js';
import { findProjectRoot } from '../program.js';
import type { ExperimentContext } from '../rules/rule.js';
import { emitPlan, PlanEmitError } from './emit.js';
import { planFileName } from './file-name.js';

export interface CompileOptions {
  /** A directory for the plans, or a `.json` file when there is exactly one experiment. Default `plans`. */
  output?: string;
  /** Only this experiment, or every point of this sweep. */
  experiment?: string;
  /** Project root (default: found from the file). */
  root?: string;
  compilerVersion: string;
}

export interface CompiledPlan {
  /** The experiment's name (a sweep point's is `sweep[axis=value,...]`). */
  experiment: string;
  plan: Plan;
  /** Where the plan goes, as the user will read it (relative to the working directory when given so). */
  path: string;
  /** The file's bytes. */
  text: string;
}

export type CompileOutcome =
  /** Problems in the source (or an internal error): exit 1, nothing written. */
  | { kind: 'failed'; diagnostics: Diagnostic[]; texts: Map<string, string> }
  /** The command line asks for something impossible: exit 2, nothing written. */
  | { kind: 'usage'; diagnostics: Diagnostic[]; texts: Map<string, string> }
  | { kind: 'compiled'; plans: CompiledPlan[]; diagnostics: Diagnostic[]; texts: Map<string, string> };

/** The source path recorded in plans: relative to the project root, `/` separators. */
export function sourcePathInProject(file: string, root: string): string {
  const rel = relative(root, resolve(file));
  // Only a file on another drive than the root has no relative path.
  return (isAbsolute(rel) ? resolve(file) : rel).split(sep).join('/');
}

function selected(contexts: ExperimentContext[], name: string | undefined): ExperimentContext[] {
  if (name === undefined) return contexts;
  return contexts.filter((c) => c.experiment.name === name || c.experiment.sweep?.name === name);
}

function namesOf(contexts: ExperimentContext[]): string[] {
  return [...new Set(contexts.map((c) => c.experiment.sweep?.name ?? c.experiment.name))];
}

export async function compileFile(file: string, options: CompileOptions): Promise<CompileOutcome> {
  const checked = await checkFiles([file], { root: options.root });
  const { texts } = checked;
  const warnings = checked.diagnostics.filter((d) => d.severity === 'warning');
  if (checked.diagnostics.some((d) => d.severity === 'error')) return { kind: 'failed', diagnostics: checked.diagnostics, texts };

  const all = checked.experiments;
  if (all.length === 0) {
    const d = makeDiagnostic(PLAN_CODE.nothingToCompile, 'error', `${file} declares no complete experiment: nothing to compile`, {
      help: ['an experiment needs a model, a dataset, a baseline and a train block (directly or through `extends`)'],
    });
    return { kind: 'failed', diagnostics: [...warnings, d], texts };
  }
  const contexts = selected(all, options.experiment);
  if (contexts.length === 0) {
    const d = makeDiagnostic(PLAN_CODE.unknownExperiment, 'error', `${file} has no experiment or sweep named \`${options.experiment}\``, {
      notes: [`it declares: ${namesOf(all).join(', ')}`],
    });
    return { kind: 'usage', diagnostics: [...warnings, d], texts };
  }

  const output = options.output ?? 'plans';
  const singleFile = output.toLowerCase().endsWith('.json');
  if (singleFile && contexts.length > 1) {
    const d = makeDiagnostic(PLAN_CODE.singleFileForSeveralPlans, 'error', `-o ${output} names one file, but ${file} compiles to ${contexts.length} plans`, {
      help: ['give a directory with -o (one plan file per experiment), or pick one with --experiment NAME'],
    });
    return { kind: 'usage', diagnostics: [...warnings, d], texts };
  }

  const plans: CompiledPlan[] = [];
  const byPath = new Map<string, CompiledPlan>();
  const failures: Diagnostic[] = [];
  for (const ctx of contexts) {
    const source = ctx.experiment.file;
    const root = checked.roots.get(source) ?? options.root ?? findProjectRoot(source);
    const hash = checked.hashes.get(source);
    if (hash === undefined) throw new Error(`internal error: no hash recorded for ${source}`);
    let plan: Plan;
    try {
      plan = emitPlan(ctx, { compilerVersion: options.compilerVersion, sourceFile: sourcePathInProject(source, root), sourceHash: hash });
    } catch (err) {
      if (!(err instanceof PlanEmitError)) throw err;
      failures.push(
        makeDiagnostic(err.code, 'error', `internal error: the plan of experiment \`${ctx.experiment.name}\` fails the plan schema: ${err.problems[0].pointer}: ${err.problems[0].message}`, {
          span: ctx.experiment.span,
          notes: err.problems.slice(1).map((p) => `also ${p.pointer}: ${p.message}`),
          help: ['this is a bug in eft, not in your file; please report it with the file'],
        }),
      );
      continue;
    }
    const path = singleFile ? output : join(output, planFileName(ctx.experiment));
    const compiled: CompiledPlan = { experiment: ctx.experiment.name, plan, path, text: planFileText(plan) };
    const clash = byPath.get(resolve(path));
    if (clash) {
      failures.push(
        makeDiagnostic(PLAN_CODE.planNameCollision, 'error', `experiments \`${clash.experiment}\` and \`${ctx.experiment.name}\` would both be written to ${path}`, {
          span: ctx.experiment.span,
          notes: ['plan file names keep only letters, digits, `.`, `_` and `-`; other characters become `_`'],
          help: ['rename one of them, or compile them one at a time with --experiment NAME and -o FILE.json'],
        }),
      );
      continue;
    }
    byPath.set(resolve(path), compiled);
    plans.push(compiled);
  }
  if (failures.length > 0) return { kind: 'failed', diagnostics: [...warnings, ...failures], texts };
  return { kind: 'compiled', plans, diagnostics: warnings, texts };
}
