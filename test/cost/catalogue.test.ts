import assert from 'node:assert/strict';
import { forwardMacs, paramCount } from '../../compiler/cost/index.js';
import { FAMILY_NAMES, MODEL_NAMES, buildFamilyModel, convnet, lookupModel, resnet, retarget, vit } from '../../compiler/models/catalogue.js';
import { FamilyArgumentsError, familyArguments, type FamilyContext } from '../../compiler/models/families.js';
import { describeSpec, type ConvNetSpec, type ModelSpec, type ResNetSpec, type ViTSpec } from '../../compiler/models/spec.js';

const FMNIST: FamilyContext = { inChannels: 1, numClasses: 10, resolution: 28 };
const CIFAR: FamilyContext = { inChannels: 3, numClasses: 10, resolution: 32 };

function built(family: string, args: Record<string, number | string>, ctx: FamilyContext): ModelSpec {
  const result = buildFamilyModel(family, args, ctx);
  if ('errors' in result) assert.fail(result.errors.map((e) => e.message).join('; '));
  return result.spec;
}

function errorsOf(family: string, args: Record<string, number | string>, ctx: FamilyContext) {
  const result = buildFamilyModel(family, args, ctx);
  assert.ok('errors' in result, 'expected argument errors');
  return result.errors.map((e) => ({ kind: e.kind, argument: e.argument, message: e.message, help: e.help }));
}

describe('models: catalogue', () => {
  it('lists every required model', () => {
    for (const name of [
      'resnet18', 'resnet50', 'convnext_tiny', 'convnext_small', 'convnext_base', 'deit_tiny', 'deit_small', 'deit_base',
      'vit_base', 'vit_large', 'swin_tiny', 'swin_small', 'swin_base', 'pvt_tiny', 'pvt_small', 'pvt_medium', 'pvt_large',
      'cswin_tiny', 'cswin_small', 'cswin_base', 'caformer_s18', 'caformer_s36', 'caformer_m36', 'convnet_small',
    ]) {
      assert.ok(MODEL_NAMES.includes(name), name);
    }
    assert.equal(new Set(MODEL_NAMES).size, MODEL_NAMES.length);
    assert.deepEqual(FAMILY_NAMES, ['resnet', 'convnet', 'vit']);
  });

  it('returns ImageNet specs that survive a JSON round trip unchanged', () => {
    for (const name of MODEL_NAMES) {
      const spec = lookupModel(name)!;
      assert.equal(spec.name, name);
      const copy = JSON.parse(JSON.stringify(spec)) as ModelSpec;
      assert.deepEqual(copy, spec);
      assert.equal(forwardMacs(copy, spec.nativeResolution), forwardMacs(spec, spec.nativeResolution));
    }
    const r50 = lookupModel('resnet50')!;
    assert.deepEqual([r50.inChannels, r50.numClasses, r50.nativeResolution], [3, 1000, 224]);
  });

  it('returns undefined for unknown names', () => {
    assert.equal(lookupModel('resnet51'), undefined);
    assert.equal(lookupModel('toString'), undefined);
  });

  it('hands out copies: changing one does not change the catalogue', () => {
    const a = lookupModel('swin_tiny') as { depths: number[] };
    a.depths[2] = 99;
    assert.deepEqual((lookupModel('swin_tiny') as { depths: number[] }).depths, [2, 2, 6, 2]);
  });

  it('retargets to a data set\'s channels, classes and resolution', () => {
    const spec = lookupModel('deit_small', { inChannels: 1, numClasses: 10, resolution: 32 }) as ViTSpec;
    assert.deepEqual([spec.inChannels, spec.numClasses, spec.nativeResolution], [1, 10, 32]);
    // Position embedding for (32/16)² + 1 tokens instead of 197; one input channel; 10 classes.
    const full = lookupModel('deit_small')!;
    assert.equal(paramCount(full) - paramCount(spec), (197 - 5) * 384 + 2 * 16 * 16 * 384 + 990 * 384 + 990);
    const same = retarget(full, { inChannels: 3, numClasses: 1000 });
    assert.deepEqual(same, full);
  });

  it('describes a spec in one line', () => {
    assert.equal(describeSpec(lookupModel('resnet50')!), 'resnet50: ResNet (bottleneck, imagenet stem) depths 3-4-6-3 widths 64-128-256-512; 3×224² in, 1000 classes');
    assert.equal(describeSpec(lookupModel('swin_tiny')!), 'swin_tiny: Swin patch 4 dim 96 depths 2-2-6-2 heads 3-6-12-24 window B/32; 3×224² in, 1000 classes');
    assert.equal(describeSpec(lookupModel('convnet_small')!), 'convnet_small: ConvNet 32k3s1+maxpool2 64k3s1+maxpool2 128k3s1, BN, relu, same padding; 3×32² in, 10 classes');
    for (const name of MODEL_NAMES) assert.doesNotMatch(describeSpec(lookupModel(name)!), /\n|undefined|NaN/);
  });
});

describe('models: parametric families', () => {
  it('builds a CIFAR ResNet-20 from resnet(depth: 20)', () => {
    const spec = built('resnet', { depth: 20 }, CIFAR) as ResNetSpec;
    assert.equal(spec.name, 'resnet(depth: 20)');
    assert.deepEqual([spec.depths, spec.widths, spec.strides, spec.stem, spec.block], [[3, 3, 3], [16, 32, 64], [1, 2, 2], 'cifar', 'basic']);
    assert.equal(paramCount(spec), 272_474); // the ResNet-20 of He et al. has 0.27 M
    assert.equal(forwardMacs(spec, 32), forwardMacs(resnet({ depth: 20 }), 32));
  });

  it('picks the ImageNet stem above 64 px and builds bottlenecks', () => {
    const spec = built('resnet', { depth: 50, stages: 4, block: 'bottleneck', width: 64 }, { inChannels: 3, numClasses: 1000, resolution: 224 }) as ResNetSpec;
    assert.equal(spec.stem, 'imagenet');
    assert.deepEqual(spec.depths, [4, 4, 4, 4]);
  });

  it('builds a conv stack with pools between stages and the data set\'s channels and classes', () => {
    const spec = built('convnet', { width: 16, stages: 3, convs: 2, hidden: 64 }, FMNIST) as ConvNetSpec;
    assert.deepEqual(
      spec.layers.map((l) => [l.channels, l.kernel, l.stride, l.padding, l.pool?.kind ?? '-']),
      [
        [16, 3, 1, 'same', '-'],
        [16, 3, 1, 'same', 'max'],
        [32, 3, 1, 'same', '-'],
        [32, 3, 1, 'same', 'max'],
        [64, 3, 1, 'same', '-'],
        [64, 3, 1, 'same', '-'],
      ],
    );
    assert.deepEqual([spec.inChannels, spec.numClasses, spec.nativeResolution, spec.norm, spec.convBias], [1, 10, 28, 'batch', false]);
    assert.deepEqual(spec.head, { pool: 'avg', hidden: [64], dropout: 0 });
    // 28 → 14 → 7 with 'same' pooling.
    const expected = 28 * 28 * 9 * (1 * 16 + 16 * 16) + 14 * 14 * 9 * (16 * 32 + 32 * 32) + 7 * 7 * 9 * (32 * 64 + 64 * 64) + 64 * 64 + 64 * 10;
    assert.equal(forwardMacs(spec, 28), expected);
    assert.deepEqual(convnet({ width: 16, stages: 3, convs: 2, hidden: 64 }, FMNIST), spec);
  });

  it('builds a small ViT', () => {
    const spec = built('vit', { patch: 4, dim: 64, depth: 2, heads: 4 }, FMNIST) as ViTSpec;
    assert.deepEqual([spec.patchSize, spec.embedDim, spec.depth, spec.heads, spec.mlpRatio, spec.classToken, spec.inChannels], [4, 64, 2, 4, 4, true, 1]);
    assert.equal(spec.name, 'vit(patch: 4, dim: 64, depth: 2, heads: 4)');
    assert.equal(vit({ heads: 4, depth: 2, dim: 64, patch: 4 }, FMNIST).name, spec.name);
  });

  it('reports an unknown argument with a suggestion', () => {
    assert.deepEqual(errorsOf('vit', { patch: 4, head: 4 }, FMNIST), [
      { kind: 'unknown-argument', argument: 'head', message: '`vit` has no argument `head`', help: ['did you mean `heads`?'] },
    ]);
    assert.deepEqual(errorsOf('convnet', { colour: 1 }, FMNIST)[0].help, ['its arguments are width, stages, convs, kernel, growth, max_width, pool, norm, activation, hidden, dropout']);
  });

  it('reports an unknown family with a suggestion', () => {
    assert.deepEqual(errorsOf('resnt', {}, FMNIST), [
      { kind: 'unknown-family', argument: undefined, message: 'unknown model family `resnt`; families are resnet, convnet, vit', help: ['did you mean `resnet`?'] },
    ]);
  });

  it('reports out-of-range, wrong-type and unknown-choice arguments, all at once', () => {
    assert.deepEqual(errorsOf('convnet', { width: 0, stages: 'three', norm: 'bath', dropout: 0.95, kernel: 2.5 }, FMNIST), [
      { kind: 'out-of-range', argument: 'width', message: '`width` must be between 1 and 4096, got 0', help: [] },
      { kind: 'wrong-type', argument: 'stages', message: '`stages` takes a number, got `three`', help: [] },
      { kind: 'wrong-type', argument: 'kernel', message: '`kernel` takes a whole number, got 2.5', help: ['use 2 or 3'] },
      { kind: 'out-of-range', argument: 'norm', message: '`norm` must be one of batch, none, got `bath`', help: ['did you mean `batch`?'] },
      { kind: 'out-of-range', argument: 'dropout', message: '`dropout` must be between 0 and 0.9, got 0.95', help: [] },
    ]);
  });

  it('reports a ResNet depth that does not fit the blocks, with the nearest valid depths', () => {
    assert.deepEqual(errorsOf('resnet', { depth: 21 }, CIFAR), [
      { kind: 'invalid', argument: 'depth', message: 'depth 21 is not 2 + 2 × 3 × n: 3 stages of basic blocks need that', help: ['use depth 20 or 26'] },
    ]);
  });

  it('reports heads that do not divide dim and a patch that does not divide the resolution', () => {
    assert.deepEqual(errorsOf('vit', { dim: 96, heads: 5, patch: 5 }, FMNIST), [
      { kind: 'invalid', argument: 'heads', message: 'dim 96 is not divisible by 5 heads', help: ['use heads 4 or 6'] },
      { kind: 'invalid', argument: 'patch', message: 'patch 5 does not divide the data set\'s resolution 28', help: ['use patch 4 or 7'] },
    ]);
  });

  it('reports a network that downsamples more than the input allows', () => {
    assert.deepEqual(errorsOf('convnet', { stages: 6 }, FMNIST), [
      { kind: 'invalid', argument: 'stages', message: '6 stages downsample by 32, more than the 28-pixel input', help: [] },
    ]);
  });

  it('throws from the typed constructors with every problem', () => {
    assert.throws(() => vit({ dim: 100, heads: 3 }), (err: unknown) => err instanceof FamilyArgumentsError && err.errors.length === 1 && /dim 100 is not divisible by 3 heads/.test(err.message));
  });

  it('documents every argument with its range', () => {
    assert.deepEqual(familyArguments('vit')?.map((a) => `${a.name}: ${a.range}`), [
      'patch: whole number 1..64',
      'dim: whole number 4..4096',
      'depth: whole number 1..64',
      'heads: whole number 1..64',
      'mlp_ratio: 0.25..16',
      'pool: cls | mean',
    ]);
    assert.equal(familyArguments('nope'), undefined);
  });
});
