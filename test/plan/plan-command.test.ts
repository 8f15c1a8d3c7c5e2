import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emitPlan } from '../../compiler/plan/emit.js';
import { planFileText } from '../../plan/canonical.js';
import type { Plan } from '../../plan/types.js';
import { DEIT_RESOLUTIONS, DEIT_SMALL_SPEC, deitContext, META } from './contexts.js';
import { runCommand } from './run-command.js';

describe('eft plan show / eft plan diff (hand-built plans)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eft-plan-cmd-'));
  const write = (name: string, plan: Plan | string) => {
    const path = join(dir, name);
    writeFileSync(path, typeof plan === 'string' ? plan : planFileText(plan));
    return path;
  };
  const base = write('base.plan.json', emitPlan(deitContext(), META));
  const copy = write('copy.plan.json', emitPlan(deitContext(), META));

  const changedContext = deitContext({ resolutions: DEIT_RESOLUTIONS.map((r, i) => (i === 2 ? 192 : r)) });
  changedContext.experiment.train.optimizer.value.lr = 0.002;
  changedContext.experiment.model = { kind: 'catalogue', name: 'deit_tiny', span: changedContext.experiment.span };
  changedContext.spec = { ...DEIT_SMALL_SPEC, name: 'deit_tiny', embedDim: 192, heads: 3 };
  const changed = write('changed.plan.json', emitPlan(changedContext, META));
  const cheaper = write('cheaper.plan.json', emitPlan(deitContext({ equivalentEpochs: 205.5 }), META));
  const eleven = write('eleven.plan.json', emitPlan(deitContext({ resolutions: [...DEIT_RESOLUTIONS.slice(0, 9), 208, 224] }), META));

  it('says that plans with the same content are identical', async () => {
    const r = await runCommand(['plan', 'diff', base, copy]);
    assert.deepEqual(r, { code: 0, stdout: 'plans are identical\n', stderr: '' });
  });

  it('tells settings that differ in a researcher\'s words', async () => {
    const r = await runCommand(['plan', 'diff', base, changed]);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    assert.equal(
      r.stdout,
      [
        'model: deit_small → deit_tiny',
        'optimizer.lr 0.004 → 0.002',
        'stage 3: resolution 160 → 192',
        'stage 3: epochs 20.27 → 13.87, images 25,972,970 → 17,770,889, trained images 51,945,940 → 35,541,777, steps 12,683 → 8,678, MACs per image 6.81 GMACs → 9.95 GMACs',
        'images 299,028,304 → 290,826,223',
        'steps 151,700 → 147,695',
        '',
      ].join('\n'),
    );
  });

  it('tells a change of speedup', async () => {
    const r = await runCommand(['plan', 'diff', base, cheaper]);
    assert.equal(r.code, 0);
    const lines = r.stdout.trimEnd().split('\n');
    assert.ok(lines.includes('speedup 1.50x → 1.46x'), r.stdout);
    assert.ok(lines.includes('equivalent epochs 200 → 205.5'), r.stdout);
    assert.ok(lines.includes('compute 3.54 EMACs → 3.63 EMACs'), r.stdout);
  });

  it('tells stages added and removed', async () => {
    const added = await runCommand(['plan', 'diff', base, eleven]);
    assert.equal(added.code, 0);
    assert.ok(added.stdout.includes('stage 10: resolution 224 → 208\n'), added.stdout);
    assert.ok(added.stdout.includes('stage 11 added: 90.9%–100% of compute at 224px, RandAugment m 9, 18.18 epochs\n'), added.stdout);
    const removed = await runCommand(['plan', 'diff', eleven, base]);
    assert.ok(removed.stdout.includes('stage 11 removed (was 90.9%–100% of compute at 224px, RandAugment m 9, 18.18 epochs)\n'), removed.stdout);
  });

  it('refuses an invalid plan with exit code 1, naming the file and the place', async () => {
    const broken = structuredClone(emitPlan(deitContext(), META));
    broken.stages[3].resolution_px = -4;
    const path = write('broken.plan.json', JSON.stringify(broken));
    const r = await runCommand(['plan', 'diff', base, path]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      `error[EFT0413]: ${path}: /stages/3/resolution_px: expected integer ≥ 1, found -4\n  = help: compile the source again with \`eft compile\`; if you edited the plan by hand, undo that edit\n\n1 error\n`,
    );
  });

  it('refuses a missing plan with exit code 2', async () => {
    const r = await runCommand(['plan', 'show', join(dir, 'missing.plan.json')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error\[EFT0410\]: .*missing\.plan\.json: cannot read the plan: no such file\n/);
  });

  it('refuses an edited plan unless --allow-edited, then shows it with a warning', async () => {
    const edited = JSON.parse(planFileText(emitPlan(deitContext(), META))) as Plan;
    edited.recipe.seed = 3;
    const path = write('edited.plan.json', JSON.stringify(edited, null, 2));
    const refused = await runCommand(['plan', 'show', path]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^error\[EFT0415\]: .*edited\.plan\.json: the plan's content does not match its plan_sha256: expected [0-9a-f]{64} \(recorded in the plan\), found [0-9a-f]{64} \(its content\)\n/);
    assert.match(refused.stderr, /= help: or pass --allow-edited to use the edited plan as it is\n/);
    const accepted = await runCommand(['plan', 'show', '--allow-edited', path]);
    assert.equal(accepted.code, 0);
    assert.match(accepted.stderr, /^warning\[EFT0416\]: .*edited\.plan\.json: the plan was edited after it was compiled/);
    assert.match(accepted.stdout, /batch 4096, seed 3\n/);
    const diff = await runCommand(['plan', 'diff', '--allow-edited', base, path]);
    assert.equal(diff.code, 0);
    assert.equal(diff.stdout, 'seed 0 → 3\n');
  });

  it('shows a plan: where it came from, the recipe, then the stage table and the totals', async () => {
    const r = await runCommand(['plan', 'show', base]);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    const plan = JSON.parse(planFileText(emitPlan(deitContext(), META))) as Plan;
    const lines = r.stdout.split('\n');
    assert.deepEqual(lines.slice(0, 13), [
      `plan deit_s_etpp: ${base}`,
      `  compiled by eft 0.1.0 from examples/deit.eft (sha256 aaaaaaaaaaaa); plan sha256 ${plan.plan_sha256.slice(0, 12)}`,
      '  model       deit_small: ViT patch 16 dim 384 depth 12 heads 6 mlp 4; 3×224² in, 1000 classes',
      '  dataset     imagenet1k (imagenet, /data/imagenet): 1,281,167 training images at 224px, 3 channels, 1000 classes',
      '  baseline    300 epochs at 224px',
      '  curriculum  efficienttrain_pp (stages declared on the compute clock)',
      '  budget      speedup 1.50x within 2%; device hours ≤ 400 h on 8× a100 at 40%',
      '  optimizer   adamw (lr 0.004, weight decay 0.05, betas 0.9/0.999, eps 1e-8), batch 4096, seed 0',
      '  lr          cosine 0.004 → 0.000001, warm-up 20% of compute from 0',
      '  augment     crop random-resized (area 8% .. 100%, aspect ratio 0.75 .. 1.333, bilinear), horizontal flip 50%; RandAugment per stage below',
      '  regularise  mixup 0.8, cutmix 1, label smoothing 0.1, random erasing 0.25, drop path 0.1, EMA off, clip grad 5',
      '  evaluation  at 224px, and at the stage resolution during low-resolution stages, 50,000 images',
      '',
    ]);
    assert.equal(lines[13], '  stage  compute         res  low-pass  m  r    K  epochs      images   steps  train GMACs/img   EMACs  share');
    assert.equal(lines[14], '      1  0.0%–10.0%     96px  fft       0  4  256   28.41  36,403,095  35,550            2.428  0.3535  10.0%');
    assert.equal(lines[23], '     10  90.0%–100.0%  224px  none      9  1    0   20.00  25,623,340   6,256            13.80  0.3535  10.0%');
    assert.ok(r.stdout.endsWith('  images, steps      299,028,304 images, 151,700 steps\n'));
  });
});
