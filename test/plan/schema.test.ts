import assert from 'node:assert/strict';
import { emitPlan } from '../../compiler/plan/emit.js';
import { withPlanHash } from '../../plan/canonical.js';
import { checkPlan, schemaProblems, consistencyProblems } from '../../plan/validate.js';
import type { Plan } from '../../plan/types.js';
import { deitContext, META } from './contexts.js';

type Mutable = Record<string, any>;

function validPlan(): Plan {
  return emitPlan(deitContext(), META);
}

/** The first schema problem of a plan changed by `edit`, as `pointer: message`. */
function firstProblem(edit: (plan: Mutable) => void): string {
  const plan = structuredClone(validPlan()) as Mutable;
  edit(plan);
  const problems = schemaProblems(plan);
  assert.ok(problems.length > 0, 'expected the schema to reject the plan');
  return `${problems[0].pointer}: ${problems[0].message}`;
}

describe('plan schema', () => {
  it('accepts the plans the compiler emits', () => {
    assert.deepEqual(schemaProblems(validPlan()), []);
    const sgd = emitPlan(
      deitContext({
        experiment: {
          model: { kind: 'family', family: 'vit', args: { depth: 12, dim: 384 }, span: deitContext().experiment.span, argSpans: {} },
          sweep: { name: 'seeds', point: { 'train.seed': 1 } },
          train: { ...deitContext().experiment.train, optimizer: { value: { name: 'sgd', lr: 0.1, weightDecay: 1e-4, momentum: 0.9, nesterov: true }, span: deitContext().experiment.span } },
        },
      }),
      META,
    );
    assert.deepEqual(schemaProblems(sgd), []);
  });

  const cases: [string, (p: Mutable) => void, string][] = [
    ['a resolution below its range', (p) => (p.stages[3].resolution_px = -4), '/stages/3/resolution_px: expected integer ≥ 1, found -4'],
    ['a resolution above its range', (p) => (p.stages[3].resolution_px = 1e6), '/stages/3/resolution_px: expected integer ≤ 100000, found 1000000'],
    ['a fractional resolution', (p) => (p.stages[0].resolution_px = 95.5), '/stages/0/resolution_px: expected integer in [1, 100000], found 95.5'],
    ['a number written as a string', (p) => (p.recipe.batch_size = '4096'), '/recipe/batch_size: expected integer in [1, 10000000], found "4096"'],
    ['a fraction above 1', (p) => (p.schedules.lr.warmup_fraction = 20), '/schedules/lr/warmup_fraction: expected number ≤ 1, found 20'],
    ['a missing key', (p) => delete p.stages[1].steps, '/stages/1/steps: expected integer in [0, 1000000000000000], found nothing (the key is missing)'],
    [
      'an unknown key',
      (p) => (p.totals.speedup_wallclock = 1.4),
      '/totals/speedup_wallclock: unknown key; the keys of /totals are compute_macs, baseline_compute_macs, speedup, speedup_pixel_proxy, equivalent_epochs, images, steps',
    ],
    ['a value outside an enumeration', (p) => (p.stages[2].low_pass = 'gauss'), '/stages/2/low_pass: expected one of "fft", "lanczos", "bilinear", "area", "none", found "gauss"'],
    ['an unknown optimizer', (p) => (p.recipe.optimizer.name = 'adam'), '/recipe/optimizer/name: expected one of "adamw", "sgd", found "adam"'],
    ['an sgd key on adamw', (p) => (p.recipe.optimizer.momentum = 0.9), '/recipe/optimizer/momentum: unknown key; the keys of /recipe/optimizer are name, lr, weight_decay, beta1, beta2, eps'],
    ['a bad model spec value', (p) => (p.model.spec.depth = 0), '/model/spec/depth: expected integer ≥ 1, found 0'],
    ['an unknown model family', (p) => (p.model.spec.family = 'mlp_mixer'), '/model/spec/family: expected one of "resnet", "convnext", "vit", "swin", "pvt", "cswin", "caformer", "convnet", found "mlp_mixer"'],
    ['a bad padding', (p) => (p.model.spec = { family: 'convnet', name: 'c', inChannels: 1, numClasses: 10, nativeResolution: 28, layers: [{ channels: 8, kernel: 3, stride: 1, padding: 'full' }], norm: 'batch', activation: 'relu', convBias: false, head: { pool: 'avg', hidden: [], dropout: 0 } }), '/model/spec/layers/0/padding: expected integer in [0, 10000] or one of "same", "valid", found "full"'],
    ['a nullable object of the wrong type', (p) => (p.experiment.sweep = 5), '/experiment/sweep: expected object or null, found 5'],
    ['a malformed hash', (p) => (p.source.sha256 = 'XYZ'), '/source/sha256: expected 64 lowercase hexadecimal digits, found "XYZ"'],
    ['an absolute source path', (p) => (p.source.file = '/home/me/deit.eft'), '/source/file: expected a path relative to the project root with / separators, found "/home/me/deit.eft"'],
    ['no stages', (p) => (p.stages = []), '/stages: expected array of at least 1 item, found an array of 0 items'],
    ['a crop with one bound', (p) => (p.recipe.crop = { kind: 'random_resized', scale_fraction: [0.08], aspect_ratio: [0.75, 1.333], interpolation: 'bilinear' }), '/recipe/crop/scale_fraction: expected array of at least 2 items, found an array of 1 item'],
    ['a repeated evaluation resolution', (p) => (p.stages[0].eval_resolutions_px = [224, 224]), '/stages/0/eval_resolutions_px: expected distinct items, found item 1 repeating item 0'],
    ['the wrong version', (p) => (p.plan_version = '2'), '/plan_version: expected 2, found "2"'],
    ['a document that is not an object', (p) => { for (const k of Object.keys(p)) delete p[k]; }, '/plan_version: expected 2, found nothing (the key is missing)'],
  ];
  for (const [what, edit, message] of cases) {
    it(`rejects ${what}`, () => assert.equal(firstProblem(edit), message));
  }

  it('reports every problem, one per place', () => {
    const plan = structuredClone(validPlan()) as Mutable;
    plan.stages[0].resolution_px = 0;
    plan.stages[5].replay.r = 0;
    plan.recipe.seed = -1;
    assert.deepEqual(
      schemaProblems(plan).map((p) => p.pointer),
      ['/recipe/seed', '/stages/0/resolution_px', '/stages/5/replay/r'],
    );
  });
});

describe('plan consistency', () => {
  function problems(edit: (plan: Mutable) => void): string[] {
    const plan = structuredClone(validPlan()) as Mutable;
    edit(plan);
    const rehashed = withPlanHash(plan as Plan);
    assert.deepEqual(schemaProblems(rehashed), []);
    return consistencyProblems(rehashed).map((p) => `${p.pointer}: ${p.message}`);
  }

  it('finds nothing to say about an emitted plan', () => {
    assert.deepEqual(consistencyProblems(validPlan()), []);
    assert.equal(checkPlan(validPlan()).ok, true);
  });

  it('requires crop ranges written min first', () => {
    assert.deepEqual(
      problems((p) => (p.recipe.crop = { kind: 'random_resized', scale_fraction: [1, 0.08], aspect_ratio: [0.75, 1.333], interpolation: 'bilinear' })),
      ['/recipe/crop/scale_fraction: expected [min, max] with min ≤ max, found [1, 0.08]'],
    );
  });

  it('requires stages numbered in order', () => {
    assert.deepEqual(problems((p) => (p.stages[2].index = 7)), [
      '/stages/2/index: expected 3 (stages are numbered 1, 2, 3, … in order), found 7',
      '/schedules/randaugment_m/2/stage: expected 7 (the index of stage 3 in /stages), found 3',
    ]);
  });

  it('requires the stages to cover the compute clock from 0 to 1 without gaps', () => {
    assert.deepEqual(
      problems((p) => {
        p.stages[4].compute_start_fraction = 0.45;
        p.schedules.randaugment_m[4].compute_start_fraction = 0.45;
      }),
      ['/stages/4/compute_start_fraction: expected 0.4 (where stage 4 ends), found 0.45'],
    );
    assert.deepEqual(
      problems((p) => {
        p.stages[9].compute_end_fraction = 0.95;
        p.schedules.randaugment_m[9].compute_end_fraction = 0.95;
      }),
      ['/stages/9/compute_end_fraction: expected 1 (the last stage ends the run), found 0.95'],
    );
  });

  it('requires the RandAugment schedule to mirror the stages', () => {
    assert.deepEqual(problems((p) => (p.schedules.randaugment_m[3].m = 7)), ["/schedules/randaugment_m/3/m: expected 3 (stage 4's randaugment.m), found 7"]);
    assert.deepEqual(problems((p) => (p.stages[3].randaugment.m = 7)), [
      '/stages/3/randaugment/timm_config: expected "rand-m7-n2-mstd0.5-inc1" (from m, n and mstd), found "rand-m3-n2-mstd0.5-inc1"',
      "/schedules/randaugment_m/3/m: expected 7 (stage 4's randaugment.m), found 3",
    ]);
  });

  it('requires the learning rate, evaluation resolutions and totals to agree with what they repeat', () => {
    assert.deepEqual(problems((p) => (p.schedules.lr.base_lr = 0.002)), ['/schedules/lr/base_lr: expected 0.004 (recipe.optimizer.lr), found 0.002']);
    assert.deepEqual(problems((p) => (p.stages[0].eval_resolutions_px = [224])), ['/stages/0/eval_resolutions_px: expected [96, 224] (full resolution and the stage resolution), found [224]']);
    const plan = validPlan();
    assert.deepEqual(problems((p) => (p.totals.steps += 1)), [`/totals/steps: expected ${plan.totals.steps} (the sum of the stages' steps), found ${plan.totals.steps + 1}`]);
    assert.deepEqual(
      problems((p) => (p.totals.speedup = 2)),
      [`/totals/speedup: expected ${plan.totals.baseline_compute_macs / plan.totals.compute_macs} (baseline_compute_macs / compute_macs), found 2`],
    );
  });
});
