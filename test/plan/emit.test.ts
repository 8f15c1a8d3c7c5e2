import assert from 'node:assert/strict';
import { emitPlan, PlanEmitError } from '../../compiler/plan/emit.js';
import { planFileName } from '../../compiler/plan/file-name.js';
import { planFileText } from '../../plan/canonical.js';
import { deitContext, META } from './contexts.js';

describe('plan emitter', () => {
  const ctx = deitContext();
  const plan = emitPlan(ctx, META);

  it('records what it was compiled from', () => {
    assert.equal(plan.plan_version, 2);
    assert.equal(plan.compiler_version, '0.1.0');
    assert.deepEqual(plan.source, { file: 'examples/deit.eft', sha256: 'a'.repeat(64) });
    assert.match(plan.plan_sha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(plan.experiment, { lineage: [], name: 'deit_s_etpp', sweep: null });
  });

  it('carries the model spec, the dataset, the recipe and the budget as declared', () => {
    assert.equal(plan.model.name, ctx.spec.name);
    assert.deepEqual(plan.model.ref, { kind: 'catalogue', name: 'deit_small' });
    assert.deepEqual(plan.model.spec, ctx.spec);
    assert.deepEqual(plan.dataset, { channels: 3, classes: 1000, format: 'imagenet', name: 'imagenet1k', path: '/data/imagenet', resolution_px: 224, train_images: 1281167, val_images: 50000 });
    assert.deepEqual(plan.recipe, {
      batch_size: 4096,
      clip_grad_norm: 5,
      crop: { aspect_ratio: [0.75, 4 / 3], interpolation: 'bilinear', kind: 'random_resized', scale_fraction: [0.08, 1] },
      cutmix_alpha: 1,
      drop_path_rate: 0.1,
      ema_decay: 0,
      hflip_probability: 0.5,
      label_smoothing: 0.1,
      mixup_alpha: 0.8,
      optimizer: { beta1: 0.9, beta2: 0.999, eps: 1e-8, lr: 0.004, name: 'adamw', weight_decay: 0.05 },
      random_erasing_probability: 0.25,
      seed: 0,
    });
    assert.deepEqual(plan.budget, {
      equivalent_epochs: null,
      limits: [{ hardware: { devices: 8, profile: 'a100', utilisation_fraction: 0.4 }, kind: 'device_hours', max_hours: 400 }],
      loader_images_per_second: null,
      speedup: 1.5,
      speedup_tolerance_fraction: 0.02,
    });
    assert.deepEqual(plan.baseline, { epochs: 300 });
    assert.deepEqual(plan.curriculum, { clock: 'compute', name: 'efficienttrain_pp' });
  });

  it('states the schedules on the compute clock', () => {
    assert.deepEqual(plan.schedules.lr, { base_lr: 0.004, min_lr: 1e-6, shape: 'cosine', warmup_fraction: 0.2, warmup_start_lr: 0 });
    assert.equal(plan.schedules.clock, 'compute_fraction');
    assert.deepEqual(
      plan.schedules.randaugment_m.map((s) => [s.stage, s.compute_start_fraction, s.m]),
      ctx.schedule!.stages.map((s) => [s.index, s.computeStart, s.randaugment.m]),
    );
  });

  it('states every stage with its units, as the costed schedule has it', () => {
    const source = ctx.schedule!.stages[2];
    assert.deepEqual(plan.stages[2], {
      batch_split: { accumulation: 1, per_device: 512 },
      compute_end_fraction: 0.3,
      compute_macs: source.compute,
      compute_start_fraction: 0.2,
      declared_share: 0.1,
      epochs: source.epochs,
      eval_resolutions_px: [160, 224],
      images: source.images,
      index: 3,
      low_pass: 'fft',
      macs_per_image: source.macsPerImage,
      macs_per_image_pixel_proxy: source.macsPerImagePixelProxy,
      randaugment: { m: 2, mstd: 0.5, n: 2, timm_config: 'rand-m2-n2-mstd0.5-inc1' },
      replay: { k_batches: 256, r: 2 },
      resolution_px: 160,
      resolution_requested_px: 160,
      resolution_rounding_reason: null,
      share: source.share,
      steps: source.steps,
      trained_images: 51945940,
    });
    assert.equal(plan.stages[2].trained_images, source.trainedImages);
    assert.equal(plan.stages[2].trained_images, plan.stages[2].images * plan.stages[2].replay.r);
    assert.deepEqual(plan.stages[9].eval_resolutions_px, [224]);
    assert.deepEqual(plan.evaluation, { at_stage_resolution: true, resolution_px: 224 });
    assert.equal(plan.totals.speedup, ctx.schedule!.totals.speedup);
    assert.equal(plan.totals.compute_macs, ctx.schedule!.totals.compute);
  });

  it('records a rounded resolution with what was asked and why', () => {
    const rounded = deitContext();
    rounded.schedule!.stages[0].rounding = { requested: 100.8, chosen: 96, reason: 'rounded down to a multiple of the patch size 16' };
    const stage = emitPlan(rounded, META).stages[0];
    assert.equal(stage.resolution_requested_px, 100.8);
    assert.equal(stage.resolution_rounding_reason, 'rounded down to a multiple of the patch size 16');
  });

  it('evaluates at the full resolution only, unless asked', () => {
    const fullOnly = deitContext();
    fullOnly.experiment.train.evalAtStageResolution = false;
    assert.deepEqual(emitPlan(fullOnly, META).stages.map((s) => s.eval_resolutions_px), Array(10).fill([224]));
  });

  it('is deterministic: the same context and version give the same bytes', () => {
    assert.equal(planFileText(emitPlan(deitContext(), META)), planFileText(emitPlan(deitContext(), META)));
    assert.notEqual(emitPlan(deitContext(), { ...META, compilerVersion: '0.2.0' }).plan_sha256, plan.plan_sha256);
  });

  it('records sweep points with their axes in the order written', () => {
    const point = emitPlan(deitContext({ experiment: { name: 'seeds[train.seed=1,model=deit_tiny]', sweep: { name: 'seeds', point: { 'train.seed': 1, model: 'deit_tiny' } } } }), META);
    assert.deepEqual(point.experiment.sweep, { name: 'seeds', point: [{ axis: 'train.seed', value: 1 }, { axis: 'model', value: 'deit_tiny' }] });
  });

  it('reports a plan it cannot make valid as an internal error with the pointer', () => {
    const broken = deitContext();
    broken.schedule!.stages[4].images = 12.5;
    assert.throws(() => emitPlan(broken, META), (err: unknown) => {
      assert.ok(err instanceof PlanEmitError);
      assert.equal(err.code, 'EFT0401');
      assert.equal(err.problems[0].pointer, '/stages/4/images');
      assert.equal(err.problems[0].message, 'expected integer in [0, 1000000000000000], found 12.5');
      return true;
    });
    const infinite = deitContext();
    infinite.schedule!.stages[1].epochs = Number.POSITIVE_INFINITY;
    assert.throws(() => emitPlan(infinite, META), /internal error: the plan of experiment deit_s_etpp is invalid: \/stages\/1\/epochs: expected a finite JSON value, found Infinity/);
    const unexpanded = deitContext();
    delete unexpanded.schedule;
    assert.throws(() => emitPlan(unexpanded, META), /\/stages: expected the costed stages of the curriculum, found none/);
  });
});

describe('plan file names', () => {
  it('names a plan after its experiment', () => {
    assert.equal(planFileName({ name: 'deit_s_etpp' }), 'deit_s_etpp.plan.json');
  });

  it('names a sweep point after the sweep and its axes, in the order written', () => {
    assert.equal(planFileName({ name: 'seeds[train.seed=0,model=deit_tiny]', sweep: { name: 'seeds', point: { 'train.seed': 0, model: 'deit_tiny' } } }), 'seeds--train.seed-0--model-deit_tiny.plan.json');
    assert.equal(planFileName({ name: 'b[budget.speedup=1.5x]', sweep: { name: 'budgets', point: { 'budget.speedup': '1.5x' } } }), 'budgets--budget.speedup-1.5x.plan.json');
  });

  it('keeps only safe characters', () => {
    assert.equal(planFileName({ name: 'p', sweep: { name: 'paths', point: { 'dataset.path': '/data/a b', x: '..' } } }), 'paths--dataset.path-_data_a_b--x-__.plan.json');
  });

});
