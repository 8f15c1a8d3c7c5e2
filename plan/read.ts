// Reading a plan, as every consumer must: the file, then JSON, then the plan_version, the
// schema, the content hash and the plan's internal consistency. Anything wrong is a PlanError
// that names the file and the place.
import { readFileSync } from 'node:fs';
import { PLAN_CODE } from '../diagnostics/codes/plan.js';
import { computePlanHash } from './canonical.js';
import { PlanError, formatProblem, type PlanProblem, type PlanWarning } from './errors.js';
import { findJsonSyntaxProblem } from './json-syntax.js';
import { PLAN_VERSION, type Plan } from './types.js';
import { consistencyProblems, schemaProblems } from './validate.js';

export interface ReadPlanOptions {
  /** Accept a plan whose content no longer matches its plan_sha256 (it was edited by hand). */
  allowEdited?: boolean;
}

export interface ReadPlanResult {
  /** The plan; when it was edited and accepted, its plan_sha256 is the hash of its content. */
  plan: Plan;
  warnings: PlanWarning[];
  /** Whether the content differs from what was compiled (accepted because allowEdited was set). */
  edited: boolean;
}

function causeOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory, not a plan file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (err as Error).message;
}

/** Reads and checks the plan file at `path`; `path` is also the name messages use. */
export function readPlan(path: string, options: ReadPlanOptions = {}): ReadPlanResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new PlanError(PLAN_CODE.planUnreadable, path, `cannot read the plan: ${causeOf(err)}`, {
      help: missing ? ['plans are written by `eft compile FILE.eft` (into ./plans by default)'] : [],
    });
  }
  return parsePlan(text, path, options);
}

function schemaError(file: string, problems: PlanProblem[], code: typeof PLAN_CODE.planSchemaViolation | typeof PLAN_CODE.planInconsistent): PlanError {
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length === 2 ? '' : 's'})` : '';
  return new PlanError(code, file, `${formatProblem(problems[0])}${more}`, {
    problems,
    help: ['compile the source again with `eft compile`; if you edited the plan by hand, undo that edit'],
  });
}

/** Checks a plan's text; `file` is the name messages use. */
export function parsePlan(text: string, file: string, options: ReadPlanOptions = {}): ReadPlanResult {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (body.trim() === '') throw new PlanError(PLAN_CODE.planNotJson, file, 'the file is empty, not a plan');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    const problem = findJsonSyntaxProblem(body);
    throw new PlanError(PLAN_CODE.planNotJson, file, `invalid JSON: ${problem?.message ?? 'not parseable'}`, {
      position: problem ? { line: problem.line, column: problem.column } : undefined,
    });
  }

  const version = (value as { plan_version?: unknown } | null)?.plan_version;
  if (typeof value === 'object' && value !== null && typeof version === 'number' && version !== PLAN_VERSION) {
    const newer = version > PLAN_VERSION;
    throw new PlanError(PLAN_CODE.planVersionUnknown, file, `plan_version ${version} is not one this eft reads (it reads plan_version ${PLAN_VERSION})`, {
      help: [newer ? 'the plan was written by a newer eft: read it with that version, or compile the source again with this one' : 'compile the source again with this eft'],
    });
  }

  const fromSchema = schemaProblems(value);
  if (fromSchema.length > 0) throw schemaError(file, fromSchema, PLAN_CODE.planSchemaViolation);
  let plan = value as Plan;

  const warnings: PlanWarning[] = [];
  const computed = computePlanHash(plan);
  const recorded = plan.plan_sha256;
  const edited = computed !== recorded;
  if (edited) {
    if (!options.allowEdited) {
      throw new PlanError(
        PLAN_CODE.planHashMismatch,
        file,
        `the plan's content does not match its plan_sha256: expected ${recorded} (recorded in the plan), found ${computed} (its content)`,
        {
          help: [
            'the plan was changed after it was compiled: compile the source again with `eft compile` to get a plan you can trust',
            'or pass --allow-edited to use the edited plan as it is',
          ],
        },
      );
    }
    plan = { ...plan, plan_sha256: computed };
    warnings.push({
      code: PLAN_CODE.planEditedAccepted,
      file,
      message: `${file}: the plan was edited after it was compiled (it records plan_sha256 ${recorded}, its content hashes to ${computed}); using it as edited, with plan_sha256 ${computed}`,
      help: ['results recorded from this plan carry the new hash, not the compiled one'],
    });
  }

  const fromConsistency = consistencyProblems(plan);
  if (fromConsistency.length > 0) throw schemaError(file, fromConsistency, PLAN_CODE.planInconsistent);
  return { plan, warnings, edited };
}
