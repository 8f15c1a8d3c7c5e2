// Validation of plans: the JSON Schema (plan/schema.json, draft 2020-12, compiled once on first
// use), then the facts a schema cannot state (stages numbered in order and covering the compute
// clock from 0 to 1 without gaps, totals that are the sums of the stages, values repeated in two
// places that agree). Both the compiler (on what it emits) and every reader run this.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import schema from './schema.json' with { type: 'json' };
import { problemsFromAjv } from './schema-messages.js';
import type { PlanProblem } from './errors.js';
import type { Plan } from './types.js';

export const PLAN_SCHEMA: Readonly<Record<string, unknown>> = schema;
export const PLAN_SCHEMA_ID = 'urn:eft:plan:2';

let compiled: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  compiled ??= new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, discriminator: true, verbose: true }).compile(schema);
  return compiled;
}

/** Where the value breaks the plan schema; empty when it does not. */
export function schemaProblems(value: unknown): PlanProblem[] {
  const validate = schemaValidator();
  if (validate(value)) return [];
  return problemsFromAjv(validate.errors ?? [], schema as Record<string, unknown>);
}

const ABSOLUTE = 1e-9;
const RELATIVE = 1e-6;

function near(a: number, b: number, tolerance = ABSOLUTE): boolean {
  return Math.abs(a - b) <= tolerance;
}

function nearRelative(a: number, b: number): boolean {
  return Math.abs(a - b) <= RELATIVE * Math.max(Math.abs(a), Math.abs(b));
}

/** The timm RandAugment string of a stage's settings. */
export function timmRandAugment(m: number, n: number, mstd: number): string {
  return `rand-m${m}-n${n}-mstd${mstd}-inc1`;
}

/** The resolutions a stage evaluates at: always the full one, its own when asked and different. */
export function evalResolutions(stageResolution: number, fullResolution: number, atStageResolution: boolean): number[] {
  const set = new Set([fullResolution, ...(atStageResolution ? [stageResolution] : [])]);
  return [...set].sort((a, b) => a - b);
}

/** Contradictions inside a plan that already matches the schema. */
export function consistencyProblems(plan: Plan): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const report = (pointer: string, message: string) => problems.push({ pointer, message });
  const stages = plan.stages;

  const crop = plan.recipe.crop;
  if (crop.kind === 'random_resized') {
    for (const key of ['scale_fraction', 'aspect_ratio'] as const) {
      const [low, high] = crop[key];
      if (low > high) report(`/recipe/crop/${key}`, `expected [min, max] with min ≤ max, found [${low}, ${high}]`);
    }
  }

  stages.forEach((stage, i) => {
    const at = `/stages/${i}`;
    if (stage.index !== i + 1) report(`${at}/index`, `expected ${i + 1} (stages are numbered 1, 2, 3, … in order), found ${stage.index}`);
    const expectedStart = i === 0 ? 0 : stages[i - 1].compute_end_fraction;
    if (!near(stage.compute_start_fraction, expectedStart)) {
      const why = i === 0 ? 'the first stage starts the run' : `where stage ${stages[i - 1].index} ends`;
      report(`${at}/compute_start_fraction`, `expected ${expectedStart} (${why}), found ${stage.compute_start_fraction}`);
    }
    if (stage.compute_end_fraction < stage.compute_start_fraction) {
      report(`${at}/compute_end_fraction`, `expected ≥ ${stage.compute_start_fraction} (the stage's start), found ${stage.compute_end_fraction}`);
    }
    const timm = timmRandAugment(stage.randaugment.m, stage.randaugment.n, stage.randaugment.mstd);
    if (stage.randaugment.timm_config !== timm) report(`${at}/randaugment/timm_config`, `expected ${JSON.stringify(timm)} (from m, n and mstd), found ${JSON.stringify(stage.randaugment.timm_config)}`);
    const evalAt = evalResolutions(stage.resolution_px, plan.dataset.resolution_px, plan.evaluation.at_stage_resolution);
    if (JSON.stringify(stage.eval_resolutions_px) !== JSON.stringify(evalAt)) {
      report(`${at}/eval_resolutions_px`, `expected [${evalAt.join(', ')}] (full resolution${plan.evaluation.at_stage_resolution ? ' and the stage resolution' : ''}), found [${stage.eval_resolutions_px.join(', ')}]`);
    }
    const fresh = Math.ceil(stage.trained_images / stage.replay.r);
    if (stage.images !== fresh) report(`${at}/images`, `expected ${fresh} (ceil(trained_images / replay.r)), found ${stage.images}`);
    const steps = Math.ceil(stage.trained_images / plan.recipe.batch_size);
    if (stage.steps !== steps) report(`${at}/steps`, `expected ${steps} (ceil(trained_images / recipe.batch_size)), found ${stage.steps}`);
    if (!nearRelative(stage.compute_macs, stage.trained_images * stage.macs_per_image)) {
      report(`${at}/compute_macs`, `expected ${stage.trained_images * stage.macs_per_image} (trained_images × macs_per_image), found ${stage.compute_macs}`);
    }
    if (!nearRelative(stage.epochs, stage.images / plan.dataset.train_images)) {
      report(`${at}/epochs`, `expected ${stage.images / plan.dataset.train_images} (images / dataset.train_images), found ${stage.epochs}`);
    }
    if (!near(stage.share, stage.compute_macs / plan.totals.compute_macs, RELATIVE)) {
      report(`${at}/share`, `expected ${stage.compute_macs / plan.totals.compute_macs} (compute_macs / totals.compute_macs), found ${stage.share}`);
    }
  });
  const last = stages[stages.length - 1];
  if (last && !near(last.compute_end_fraction, 1)) {
    report(`/stages/${stages.length - 1}/compute_end_fraction`, `expected 1 (the last stage ends the run), found ${last.compute_end_fraction}`);
  }

  const steps = plan.schedules.randaugment_m;
  if (steps.length !== stages.length) {
    report('/schedules/randaugment_m', `expected ${stages.length} entries (one per stage), found ${steps.length}`);
  } else {
    steps.forEach((step, i) => {
      const stage = stages[i];
      const at = `/schedules/randaugment_m/${i}`;
      if (step.stage !== stage.index) report(`${at}/stage`, `expected ${stage.index} (the index of stage ${i + 1} in /stages), found ${step.stage}`);
      if (step.compute_start_fraction !== stage.compute_start_fraction) report(`${at}/compute_start_fraction`, `expected ${stage.compute_start_fraction} (stage ${stage.index}'s start), found ${step.compute_start_fraction}`);
      if (step.compute_end_fraction !== stage.compute_end_fraction) report(`${at}/compute_end_fraction`, `expected ${stage.compute_end_fraction} (stage ${stage.index}'s end), found ${step.compute_end_fraction}`);
      if (step.m !== stage.randaugment.m) report(`${at}/m`, `expected ${stage.randaugment.m} (stage ${stage.index}'s randaugment.m), found ${step.m}`);
    });
  }

  if (plan.schedules.lr.base_lr !== plan.recipe.optimizer.lr) {
    report('/schedules/lr/base_lr', `expected ${plan.recipe.optimizer.lr} (recipe.optimizer.lr), found ${plan.schedules.lr.base_lr}`);
  }
  if (plan.evaluation.resolution_px !== plan.dataset.resolution_px) {
    report('/evaluation/resolution_px', `expected ${plan.dataset.resolution_px} (dataset.resolution_px), found ${plan.evaluation.resolution_px}`);
  }

  const totals = plan.totals;
  const sum = (pick: (s: Plan['stages'][number]) => number) => stages.reduce((acc, s) => acc + pick(s), 0);
  const images = sum((s) => s.images);
  const stepCount = sum((s) => s.steps);
  const compute = sum((s) => s.compute_macs);
  if (totals.images !== images) report('/totals/images', `expected ${images} (the sum of the stages' images), found ${totals.images}`);
  if (totals.steps !== stepCount) report('/totals/steps', `expected ${stepCount} (the sum of the stages' steps), found ${totals.steps}`);
  if (!nearRelative(totals.compute_macs, compute)) report('/totals/compute_macs', `expected ${compute} (the sum of the stages' compute_macs), found ${totals.compute_macs}`);
  const speedup = totals.baseline_compute_macs / totals.compute_macs;
  if (!nearRelative(totals.speedup, speedup)) report('/totals/speedup', `expected ${speedup} (baseline_compute_macs / compute_macs), found ${totals.speedup}`);
  const equivalent = (plan.baseline.epochs * totals.compute_macs) / totals.baseline_compute_macs;
  if (!nearRelative(totals.equivalent_epochs, equivalent)) report('/totals/equivalent_epochs', `expected ${equivalent} (baseline.epochs × compute_macs / baseline_compute_macs), found ${totals.equivalent_epochs}`);
  return problems;
}

export type PlanCheck =
  | { ok: true; plan: Plan }
  | { ok: false; kind: 'schema' | 'consistency'; problems: PlanProblem[] };

/** Schema first; the consistency checks only on a value the schema accepts. */
export function checkPlan(value: unknown): PlanCheck {
  const fromSchema = schemaProblems(value);
  if (fromSchema.length > 0) return { ok: false, kind: 'schema', problems: fromSchema };
  const plan = value as Plan;
  const fromConsistency = consistencyProblems(plan);
  if (fromConsistency.length > 0) return { ok: false, kind: 'consistency', problems: fromConsistency };
  return { ok: true, plan };
}
