import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFiles } from '../../compiler/check.js';
import { renderDiagnostics } from '../../diagnostics/render.js';

function writeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'eft-elab-'));
  writeFileSync(join(dir, 'package.json'), '{}');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const RECIPE = `
template recipe {
  dataset  imagenet1k { path "/data/imagenet" }
  baseline { epochs 300ep }
  train {
    optimizer adamw(lr: 4e-3, weight_decay: 0.05)
    schedule  cosine(warmup: 20%)
    batch     4096
    seed      1
    label_smoothing 10%
  }
}
`;

async function experiments(source: string, extra: Record<string, string> = {}) {
  const dir = writeProject({ 'main.eft': source, ...extra });
  const result = await checkFiles([join(dir, 'main.eft')]);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.length, 0, renderDiagnostics(result.diagnostics, result.texts));
  return result.experiments.map((e) => e.experiment);
}

describe('elaboration', () => {
  it('compiles the experiments that extend a template, not the template', async () => {
    const exps = await experiments(`${RECIPE}\nexperiment r50 extends recipe { model resnet50 }\n`);
    assert.deepEqual(exps.map((e) => e.name), ['r50']);
    const [r50] = exps;
    assert.deepEqual(r50.lineage, ['recipe']);
    assert.equal(r50.dataset.resolution.value, 224);
    assert.equal(r50.dataset.trainImages.value, 1_281_167);
    assert.equal(r50.dataset.channels, 3);
    assert.equal(r50.train.schedule.value.warmup, 0.2);
    assert.equal(r50.train.labelSmoothing, 0.1);
    assert.equal(r50.train.seed.value, 1);
    assert.deepEqual(r50.train.optimizer.value, { name: 'adamw', lr: 4e-3, weightDecay: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    assert.deepEqual(r50.curriculum, { kind: 'none' });
  });

  it('merges overrides: blocks key by key, dotted keys, values whole', async () => {
    const exps = await experiments(`${RECIPE}
experiment a extends recipe {
  model resnet50
  budget { speedup 1.5x within 5%  device_hours <= 400h on v100 at 50% }
  curriculum efficienttrain_pp
}
experiment b extends a {
  train { batch 1024 }
  budget.speedup 2x
  model resnet18
}
`);
    const b = exps.find((e) => e.name === 'b')!;
    assert.equal(b.train.batch.value, 1024);
    assert.equal(b.train.optimizer.value.lr, 4e-3);
    assert.equal(b.budget.speedup?.value, 2);
    assert.equal(b.budget.tolerance.value, 0.02, 'a value replaces the whole entry, so `within` is not inherited');
    assert.equal(b.budget.limits.length, 1);
    assert.equal(b.budget.limits[0].hardware.profile.value, 'v100');
    assert.equal(b.budget.limits[0].hardware.utilisation.value, 0.5);
    assert.deepEqual(b.model.kind === 'catalogue' && b.model.name, 'resnet18');
    assert.deepEqual(b.lineage, ['a', 'recipe']);
  });

  it('reads imports', async () => {
    const exps = await experiments(`import "common.eft"\nexperiment r50 extends recipe { model resnet50 }\n`, { 'common.eft': RECIPE });
    assert.deepEqual(exps.map((e) => e.name), ['r50']);
  });

  it('expands a sweep into one experiment per point, in written order', async () => {
    const exps = await experiments(`${RECIPE}
experiment r50 extends recipe { model resnet50 }
sweep grid extends r50 { vary { train.seed [0, 1]  model [resnet18, resnet50] } }
`);
    const points = exps.filter((e) => e.sweep);
    assert.deepEqual(points.map((e) => e.name), [
      'grid[train.seed=0,model=resnet18]',
      'grid[train.seed=0,model=resnet50]',
      'grid[train.seed=1,model=resnet18]',
      'grid[train.seed=1,model=resnet50]',
    ]);
    assert.deepEqual(points[2].sweep, { name: 'grid', point: { 'train.seed': 1, model: 'resnet18' } });
    assert.equal(points[2].train.seed.value, 1);
  });

  it('reads a written-out curriculum', async () => {
    const [exp] = await experiments(`${RECIPE}
experiment c extends recipe {
  model resnet50
  curriculum {
    over epochs
    randaugment { m 0 -> 9  n 2 }
    stage 0ep .. 150ep { resolution 50%  low_pass lanczos  replay { r 2  k 64 } }
    stage 150ep .. 300ep { resolution 224px }
  }
}
`);
    const c = exp.curriculum;
    assert.equal(c.kind, 'custom');
    if (c.kind !== 'custom') return;
    assert.equal(c.clock, 'epochs');
    assert.equal(c.settings.randaugmentM?.kind, 'ramp');
    assert.equal(c.settings.randaugmentN?.value, 2);
    assert.deepEqual(c.stages.map((s) => s.selector), [
      { kind: 'range', start: 0, end: 150 },
      { kind: 'range', start: 150, end: 300 },
    ]);
    assert.deepEqual(c.stages[0].settings.resolution?.value, { fraction: 0.5 });
    assert.equal(c.stages[0].settings.lowPass?.value, 'lanczos');
    assert.deepEqual(c.stages[0].settings.replay?.value, { r: 2, k: 64 });
    assert.deepEqual(c.stages[1].settings.resolution?.value, { pixels: 224 });
  });

  it('reads the crop and flip of the recipe: timm defaults for a bare random_resized, none when not written', async () => {
    const exps = await experiments(`${RECIPE}
experiment plain extends recipe { model resnet50 }
experiment timm extends recipe { model resnet50  train.crop random_resized  train.hflip 50% }
experiment narrow extends recipe { model resnet50  train.crop random_resized(scale: 35% .. 100%, ratio: 0.5 .. 2) }
`);
    const byName = new Map(exps.map((e) => [e.name, e.train]));
    assert.deepEqual(byName.get('plain')?.crop, { kind: 'none' });
    assert.equal(byName.get('plain')?.hflip, 0);
    assert.deepEqual(byName.get('timm')?.crop, { kind: 'random_resized', scale: [0.08, 1], ratio: [0.75, 4 / 3] });
    assert.equal(byName.get('timm')?.hflip, 0.5);
    assert.deepEqual(byName.get('narrow')?.crop, { kind: 'random_resized', scale: [0.35, 1], ratio: [0.5, 2] });
  });

  it('reports a crop written wrong: a backwards range, a bound out of range, a single number, an unknown crop', async () => {
    const dir = writeProject({
      'main.eft': `${RECIPE}
experiment a extends recipe { model resnet50  train.crop random_resized(scale: 100% .. 8%) }
experiment b extends recipe { model resnet50  train.crop random_resized(scale: 0% .. 100%, ratio: 0.75) }
experiment c extends recipe { model resnet50  train.crop random_resize  train.hflip 150% }
`,
    });
    const result = await checkFiles([join(dir, 'main.eft')]);
    const lines = result.diagnostics.map((d) => `${d.code} ${d.span?.line}:${d.span?.column} ${d.message}${d.help?.length ? ` (${d.help.join('; ')})` : ''}`);
    assert.deepEqual(lines, [
      'EFT0115 14:80 range `100% .. 8%` runs backwards (write `8% .. 100%`)',
      'EFT0115 15:80 `0%` is out of range: must be greater than 0% and at most 100%',
      'EFT0113 15:99 expected a range `a .. b` of a plain number, found the number `0.75`',
      'EFT0116 16:58 unknown `random_resize`: expected one of `none`, `random_resized` (did you mean `random_resized`?)',
      'EFT0115 16:85 `150%` is out of range: must be at least 0% and at most 100%',
    ]);
  });
});
