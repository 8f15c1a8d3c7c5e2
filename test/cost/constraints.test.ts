import assert from 'node:assert/strict';
import { checkResolution, resolutionRule } from '../../compiler/cost/index.js';
import { lookupModel } from '../../compiler/models/catalogue.js';
import { buildFamilyModel } from '../../compiler/models/families.js';
import type { ModelSpec } from '../../compiler/models/spec.js';

function model(name: string): ModelSpec {
  return lookupModel(name)!;
}

function failure(spec: ModelSpec, b: number, full: number) {
  const check = checkResolution(spec, b, full);
  assert.ok(!check.ok, `${spec.name} should reject ${b}`);
  return { problem: check.problem, reason: check.reason, nearestValid: check.nearestValid };
}

describe('models: resolution constraints', () => {
  it('ViT/DeiT: multiples of the patch size', () => {
    const deit = model('deit_small');
    for (const b of [16, 96, 160, 192, 224]) assert.deepEqual(checkResolution(deit, b, 224), { ok: true });
    assert.deepEqual(failure(deit, 100, 224), {
      problem: 'not-multiple',
      reason: 'deit_small needs a multiple of 16 (its 16×16 patches must tile the image); 100 is not',
      nearestValid: [96, 112],
    });
  });

  it('Swin and CSWin: multiples of 32, with the help line\'s two neighbours', () => {
    assert.deepEqual(failure(model('swin_tiny'), 100, 224), {
      problem: 'not-multiple',
      reason: 'swin_tiny needs a multiple of 32 (its stages downsample by 32 and its window is resolution/32); 100 is not',
      nearestValid: [96, 128],
    });
    assert.deepEqual(failure(model('cswin_tiny'), 150, 224).nearestValid, [128, 160]);
    for (const b of [96, 160, 224]) {
      assert.deepEqual(checkResolution(model('swin_base'), b, 224), { ok: true });
      assert.deepEqual(checkResolution(model('cswin_base'), b, 224), { ok: true });
    }
    assert.equal(resolutionRule(model('cswin_small')).multipleOf, 32);
    assert.equal(resolutionRule(model('pvt_small')).multipleOf, 32);
  });

  it('ResNet, ConvNeXt, CAFormer: any whole number from the total stride (32) up', () => {
    for (const name of ['resnet50', 'convnext_tiny', 'caformer_s18']) {
      for (const b of [32, 33, 97, 100, 161, 224]) assert.deepEqual(checkResolution(model(name), b, 224), { ok: true }, `${name} at ${b}`);
      assert.deepEqual(failure(model(name), 31, 224), {
        problem: 'too-small',
        reason: `${name} needs at least 32 pixels (its total stride is 32); 31 is smaller`,
        nearestValid: [32],
      });
    }
  });

  it('small families: the minimum follows their stride', () => {
    const cifarResNet = buildFamilyModel('resnet', { depth: 20 }, { inChannels: 3, numClasses: 10, resolution: 32 });
    assert.ok('spec' in cifarResNet);
    assert.deepEqual(resolutionRule(cifarResNet.spec), { multipleOf: 1, minimum: 4, why: 'its total stride is 4' });
    assert.deepEqual(checkResolution(cifarResNet.spec, 17, 32), { ok: true });
    const convnet = model('convnet_small');
    assert.equal(resolutionRule(convnet).minimum, 4);
    assert.deepEqual(failure(convnet, 3, 32).nearestValid, [4]);
  });

  it('keeps suggestions within (0, full]', () => {
    assert.deepEqual(failure(model('swin_tiny'), 240, 224), {
      problem: 'above-full',
      reason: 'resolution 240 is above the full resolution 224',
      nearestValid: [224],
    });
    assert.deepEqual(failure(model('swin_tiny'), 230, 230).nearestValid, [224]);
    assert.deepEqual(failure(model('deit_small'), 8, 224).nearestValid, [16]);
    assert.deepEqual(failure(model('swin_tiny'), 1e9, 224).nearestValid, [224]);
  });

  it('rejects resolutions that are not positive whole numbers', () => {
    assert.deepEqual(failure(model('deit_small'), 160.5, 224), {
      problem: 'not-integer',
      reason: 'resolution 160.5 is not a whole number of pixels',
      nearestValid: [160, 176],
    });
    assert.equal(failure(model('resnet50'), 0, 224).problem, 'not-positive');
    assert.equal(failure(model('resnet50'), Number.NaN, 224).problem, 'not-integer');
    assert.deepEqual(failure(model('resnet50'), Number.NaN, 224).nearestValid, []);
  });

  it('accepts every resolution of the EfficientTrain++ curricula for the models they name', () => {
    const used: Record<string, number[]> = {
      swin_tiny: [96, 160, 224],
      cswin_tiny: [96, 160, 224],
      resnet50: [96, 160, 224],
      deit_small: [96, 160, 192, 224],
      convnext_tiny: [160, 224],
    };
    for (const [name, sizes] of Object.entries(used)) {
      for (const b of sizes) assert.deepEqual(checkResolution(model(name), b, 224), { ok: true }, `${name} at ${b}`);
    }
  });
});
