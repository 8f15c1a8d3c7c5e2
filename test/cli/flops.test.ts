import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eftNodeArgs, type CliResult } from '../helpers/cli.js';

/** Runs `eft` in a child process, from source or from the bundle like the rest of the suite. */
function eft(...args: string[]): CliResult {
  const r = spawnSync(process.execPath, [...eftNodeArgs(), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface FlopsJson {
  model: string;
  dataset: string | null;
  description: string;
  nativeResolution: number;
  params: number;
  resolutions: { resolution: number; forwardMacs: number; trainingMacsPerImage: number }[];
}

function flopsJson(...args: string[]): FlopsJson {
  const r = eft('flops', '--json', ...args);
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
  return JSON.parse(r.stdout) as FlopsJson;
}

const VIT = 'vit(patch: 4, dim: 32, depth: 3, heads: 2, mlp_ratio: 2)';
const CONVNET = 'convnet(width: 16, stages: 3)';

/** `eft explain --json` of one experiment per (model, data set), at full resolution only. */
function explainedTrainingMacs(runs: { model: string; dataset: string }[]): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'eft-flops-'));
  const file = join(dir, 'models.eft');
  writeFileSync(
    file,
    runs
      .map(
        (run, i) => `experiment e${i} {
  model ${run.model}
  dataset ${run.dataset} { path "data/none"  images 1000 }
  baseline { epochs 1ep }
  train { optimizer adamw(lr: 1e-3)  batch 50 }
}
`,
      )
      .join('\n'),
  );
  const r = eft('explain', '--json', file);
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
  const parsed = JSON.parse(r.stdout) as { experiments: { stages: { training_macs_per_image: number }[] }[] };
  return parsed.experiments.map((e) => {
    assert.equal(e.stages.length, 1);
    return e.stages[0].training_macs_per_image;
  });
}

describe('eft flops with model family expressions (command line)', function () {
  // Every case starts a process; on a busy two-core machine that takes a few seconds.
  this.timeout(60_000);

  it('counts a family call, built for the family default (32×32 RGB, 10 classes)', () => {
    const r = eft('flops', VIT);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], `${VIT}: ViT patch 4 dim 32 depth 3 heads 2 mlp 2; 3×32² in, 10 classes`);
    assert.match(lines[1], /^parameters: 0\.02971 M \(29,706\)$/);
    assert.equal(lines[3], 'resolution  forward GMACs  training GMACs  pixel proxy (vs 32)');
    assert.match(lines[4], /^\s+32\s+0\.002507\s+0\.007522\s+0\.002507$/);
  });

  it('gives the same training MACs per image as `eft explain` of an experiment with that model', () => {
    const [vitOnCifar, convnetOnFmnist, resnetOnCifar] = explainedTrainingMacs([
      { model: VIT, dataset: 'cifar10' },
      { model: CONVNET, dataset: 'fashion_mnist' },
      { model: 'resnet18', dataset: 'cifar10' },
    ]);
    // No --dataset: the family default is CIFAR-10's shape.
    assert.equal(flopsJson(VIT).resolutions[0].trainingMacsPerImage, vitOnCifar);
    const convnet = flopsJson(CONVNET, '--dataset', 'fashion_mnist');
    assert.equal(convnet.resolutions[0].trainingMacsPerImage, convnetOnFmnist);
    assert.equal(convnet.resolutions[0].trainingMacsPerImage, 5_759_616);
    // A catalogue model is retargeted the same way.
    assert.equal(flopsJson('resnet18', '--dataset', 'cifar10').resolutions[0].trainingMacsPerImage, resnetOnCifar);
  });

  it('retargets channels, classes and resolution with --dataset', () => {
    const plain = flopsJson(CONVNET);
    assert.equal(plain.dataset, null);
    assert.equal(plain.nativeResolution, 32);
    assert.match(plain.description, /; 3×32² in, 10 classes$/);

    const r = eft('flops', CONVNET, '--dataset', 'fashion_mnist', '--detail');
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    const lines = r.stdout.split('\n');
    assert.match(lines[0], /; 1×28² in, 10 classes \(for fashion_mnist\)$/);
    assert.equal(lines[3], 'resolution  forward GMACs  training GMACs  pixel proxy (vs 28)');
    assert.match(lines[4], /^\s+28\s+0\.001920\s+0\.005760\s+0\.001920$/);
    const blocks = r.stdout.slice(r.stdout.indexOf('blocks at 28×28:'));
    assert.match(blocks, /^blocks at 28×28:\nblock\s+GMACs\s+params\n/);
    assert.match(blocks, /\nhead\s/);

    const wide = flopsJson(VIT, '--dataset', 'cifar100', '-r', '32', '16');
    assert.match(wide.description, /; 3×32² in, 100 classes$/);
    assert.deepEqual(wide.resolutions.map((row) => row.resolution), [32, 16]);
    // 100 classes: a bigger classifier than the 10-class default, same body.
    assert.equal(wide.params - flopsJson(VIT).params, 90 * (32 + 1));
  });

  it('exits 2 on an argument the family rejects, pointing at it in the written text', () => {
    const r = eft('flops', 'vit(patch: 5)');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      "error[EFT0202]: patch 5 does not divide the data set's resolution 32\n" +
        ' --> <model>:1:5\n' +
        '  |\n' +
        '1 | vit(patch: 5)\n' +
        '  |     ^^^^^^^^ invalid argument\n' +
        '  = note: no data set given: the family is built for 3×32² input and 10 classes\n' +
        '  = help: use patch 4 or 8\n' +
        '\n' +
        '1 error\n',
    );
  });

  it('adds the note on the default input only to problems that come from the input', () => {
    const r = eft('flops', 'vit(dim: 30, heads: 4)');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error\[EFT0202\]: dim 30 is not divisible by 4 heads\n/);
    assert.doesNotMatch(r.stderr, /no data set given/);
  });

  it('exits 2 on --list with a model, a data set or resolutions, which it would ignore', () => {
    for (const extra of [['--dataset', 'cifar10'], ['-r', '64'], ['resnet50']]) {
      const r = eft('flops', '--list', ...extra);
      assert.equal(r.code, 2, extra.join(' '));
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, 'error: --list prints the whole catalogue, each model at its own input; give a model instead to count it at other resolutions or for --dataset\n');
    }
  });

  it('exits 2 on an unknown argument, with a suggestion', () => {
    const r = eft('flops', 'vit(dim: 32, pach: 4)', '--dataset', 'fashion_mnist');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error\[EFT0202\]: `vit` has no argument `pach`\n --> <model>:1:14\n/);
    assert.match(r.stderr, /\n {2}\| {14}\^{7} unknown argument\n/);
    assert.match(r.stderr, /= help: did you mean `patch`\?/);
  });

  it('exits 2 on an unknown family, with a suggestion', () => {
    const r = eft('flops', 'vitt(patch: 4)');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error\[EFT0201\]: unknown model family `vitt`; families are resnet, convnet, vit\n --> <model>:1:1\n/);
    assert.match(r.stderr, /= help: did you mean `vit`\?/);
  });

  it('exits 2 on a syntax error, with its column in the written text', () => {
    const r = eft('flops', 'vit(patch: )');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'error[EFT0005]: expected a value, found `)`\n --> <model>:1:12\n  |\n1 | vit(patch: )\n  |            ^\n\n1 error\n');
  });

  it('exits 2 on an unknown data set, with a suggestion', () => {
    const r = eft('flops', CONVNET, '--dataset', 'imagenet');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'error: unknown data set `imagenet`; did you mean `imagenet1k`? (known: mnist, fashion_mnist, cifar10, cifar100, imagenet1k)\n');
  });

  it('exits 2 on a family named without arguments, saying how to call it', () => {
    const r = eft('flops', 'convnet');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error: unknown model `convnet`; `convnet` is a family: give it arguments, e\.g\. `convnet\(\.\.\.\)`, or write `convnet\(\)` for its defaults/);
  });
});
