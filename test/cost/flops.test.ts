import assert from 'node:assert/strict';
import {
  CostError,
  forwardBreakdown,
  forwardMacs,
  paramCount,
  pixelProxyMacs,
  trainingMacsPerImage,
  trainingPixelProxyMacsPerImage,
} from '../../compiler/cost/index.js';
import { MODEL_NAMES, lookupModel, retarget } from '../../compiler/models/catalogue.js';
import type { ModelSpec, ResNetSpec, SwinSpec } from '../../compiler/models/spec.js';

function model(name: string): ModelSpec {
  const spec = lookupModel(name);
  assert.ok(spec, `catalogue has ${name}`);
  return spec;
}

const G = 1e9;
const M = 1e6;

/**
 * Published forward GMACs at 224×224 (papers' "GFLOPs"), printed with one decimal. A computed
 * figure matches when it is within 2% of the published one, or rounds to it (DeiT-T: 1.254
 * prints as 1.3 in the DeiT paper, which is 3.6% away; fvcore gives 1.26 for it).
 */
const PUBLISHED_GMACS: Record<string, number> = {
  resnet18: 1.8,
  resnet50: 4.1,
  convnext_tiny: 4.5,
  convnext_small: 8.7,
  convnext_base: 15.4,
  deit_tiny: 1.3,
  deit_small: 4.6,
  deit_base: 17.6,
  pvt_tiny: 1.9,
  pvt_small: 3.8,
  pvt_medium: 6.7,
  pvt_large: 9.8,
  swin_tiny: 4.5,
  swin_small: 8.7,
  swin_base: 15.4,
  cswin_tiny: 4.3,
  cswin_small: 6.9,
  cswin_base: 15.0,
  // MetaFormer baselines paper (Yu et al., 2022), not in the EfficientTrain reference.
  caformer_s18: 4.1,
  caformer_s36: 8.0,
  caformer_m36: 13.2,
};

describe('cost: published FLOPs at 224×224', () => {
  for (const [name, published] of Object.entries(PUBLISHED_GMACS)) {
    it(`${name}: ${published} GMACs`, () => {
      const computed = forwardMacs(model(name), 224) / G;
      const within2pct = Math.abs(computed - published) <= 0.02 * published;
      const roundsToPublished = Math.abs(computed - published) <= 0.05;
      assert.ok(within2pct || roundsToPublished, `${name}: computed ${computed.toFixed(3)} GMACs, published ${published}`);
    });
  }

  it('every figure but DeiT-T is within 2% of the published one', () => {
    const outside = Object.entries(PUBLISHED_GMACS)
      .filter(([name, p]) => Math.abs(forwardMacs(model(name), 224) / G - p) > 0.02 * p)
      .map(([name]) => name);
    assert.deepEqual(outside, ['deit_tiny']);
  });

  it('pins the computed figures to three decimals', () => {
    const pinned = Object.fromEntries(['resnet50', 'deit_tiny', 'deit_small', 'swin_tiny', 'pvt_small', 'cswin_tiny', 'convnext_tiny'].map((n) => [n, (forwardMacs(model(n), 224) / G).toFixed(3)]));
    assert.deepEqual(pinned, {
      resnet50: '4.089',
      deit_tiny: '1.254',
      deit_small: '4.599',
      swin_tiny: '4.491',
      pvt_small: '3.816',
      cswin_tiny: '4.324',
      convnext_tiny: '4.456',
    });
  });

  it('ResNet-50 with the stride on the first 1×1 conv (the paper\'s v1) is the paper\'s 3.8', () => {
    const v1: ResNetSpec = { ...(model('resnet50') as ResNetSpec), bottleneckStrideOn: '1x1' };
    assert.equal((forwardMacs(v1, 224) / G).toFixed(2), '3.86');
    // The difference is exactly the three strided 1×1 convs running at 4× the positions.
    const saved = forwardMacs(model('resnet50'), 224) - forwardMacs(v1, 224);
    assert.equal(saved, 3 * (56 * 56 - 28 * 28) * 256 * 128);
  });
});

describe('cost: reference implementations at other resolutions', () => {
  // MACs of conv, linear and matmul calls in one forward pass of the official PyTorch model
  // code (EfficientTrain's Swin and CSWin with window/stripe = B/32, PVT, MetaFormer, ConvNeXt),
  // counted by intercepting those calls.
  const reference: Array<[string, number, number]> = [
    ['swin_tiny', 96, 804_412_416],
    ['swin_tiny', 160, 2_256_460_800],
    ['swin_base', 192, 11_277_869_056],
    ['cswin_tiny', 96, 758_606_336],
    ['cswin_small', 160, 3_377_024_000],
    ['cswin_base', 256, 19_750_139_904],
    ['pvt_tiny', 160, 970_466_304],
    ['pvt_large', 192, 7_152_131_072],
    ['caformer_s18', 256, 5_454_643_200],
    ['caformer_m36', 96, 2_354_046_336],
    ['convnext_tiny', 160, 2_273_606_400],
    ['convnext_base', 192, 11_281_297_408],
  ];
  for (const [name, b, macs] of reference) {
    it(`${name} at ${b}×${b}: ${macs} MACs`, () => {
      assert.equal(forwardMacs(model(name), b), macs);
    });
  }
});

describe('cost: parameter counts', () => {
  const published: Record<string, number> = {
    resnet18: 11.69,
    resnet50: 25.56,
    convnext_tiny: 28.59,
    convnext_base: 88.59,
    deit_tiny: 5.72,
    deit_small: 22.05,
    deit_base: 86.57,
    vit_large: 304.33,
    swin_tiny: 28.29,
    swin_base: 87.77,
    pvt_tiny: 13.2,
    pvt_large: 61.4,
    caformer_s18: 26.3,
  };
  for (const [name, millions] of Object.entries(published)) {
    it(`${name}: ${millions} M`, () => {
      const computed = paramCount(model(name)) / M;
      assert.ok(Math.abs(computed - millions) <= 0.005 * millions, `${name}: computed ${computed.toFixed(3)} M, published ${millions} M`);
    });
  }

  it('counts exactly what the model code holds', () => {
    assert.equal(paramCount(model('resnet50')), 25_557_032);
    assert.equal(paramCount(model('swin_tiny')), 28_288_354);
    assert.equal(paramCount(model('cswin_tiny')), 22_320_552); // the CSWin paper prints 23 M
    assert.equal(paramCount(model('pvt_tiny')), 13_229_288);
    assert.equal(paramCount(model('caformer_s18')), 26_341_656);
    assert.equal(paramCount(model('convnext_tiny')), 28_589_128);
  });

  it('retargeting changes only the stem and the head', () => {
    const spec = model('resnet50');
    const gray10 = retarget(spec, { inChannels: 1, numClasses: 10 });
    assert.equal(paramCount(spec) - paramCount(gray10), 2 * 7 * 7 * 64 + 2048 * 990 + 990);
  });
});

describe('cost: counting rules', () => {
  it('counts a small ViT term by term: patch embedding, 12ND² + 2N²D per block, head', () => {
    const spec = lookupModel('deit_tiny', { inChannels: 3, numClasses: 10, resolution: 32 })!;
    const vit: ModelSpec = { ...spec, family: 'vit', patchSize: 4, embedDim: 64, depth: 2, heads: 4, mlpRatio: 4, name: 'tiny' } as ModelSpec;
    const n = 64 + 1;
    const expected = 64 * (4 * 4 * 3 * 64) + 2 * (12 * n * 64 * 64 + 2 * n * n * 64) + 64 * 10;
    assert.equal(forwardMacs(vit, 32), expected);
  });

  it('counts the small ConvNet conv by conv', () => {
    const spec = model('convnet_small');
    const expected = 32 * 32 * 9 * 3 * 32 + 16 * 16 * 9 * 32 * 64 + 8 * 8 * 9 * 64 * 128 + 128 * 10;
    assert.equal(forwardMacs(spec, 32), expected);
  });

  it('rounds feature maps as strided convs do: floor((in + 2p − k) / s) + 1', () => {
    const stem = (b: number) => forwardBreakdown(model('resnet18'), b).find((blk) => blk.name === 'stem')!.macs;
    assert.equal(stem(224), 112 * 112 * 7 * 7 * 3 * 64);
    assert.equal(stem(225), 113 * 113 * 7 * 7 * 3 * 64);
    assert.equal(stem(97), 49 * 49 * 7 * 7 * 3 * 64);
  });

  it('keeps the N² attention term: a ViT costs less than the pixel proxy at low resolution', () => {
    const deit = model('deit_small');
    const exact = forwardMacs(deit, 112);
    const proxy = pixelProxyMacs(deit, 112, 224);
    assert.ok(exact < 0.97 * proxy, `exact ${exact} vs proxy ${proxy}`);
    const attentionAt224 = 12 * 2 * 197 * 197 * 384;
    const attentionAt112 = 12 * 2 * 50 * 50 * 384;
    const linearAt224 = 12 * 12 * 197 * 384 * 384;
    const linearAt112 = 12 * 12 * 50 * 384 * 384;
    assert.equal(forwardMacs(deit, 224) - exact, attentionAt224 - attentionAt112 + linearAt224 - linearAt112 + (196 - 49) * 16 * 16 * 3 * 384);
  });

  it('matches the pixel proxy for a ConvNet when the stride divides B, except for the head', () => {
    const r50 = model('resnet50');
    const head = 2048 * 1000;
    // The head costs the same at any resolution; the proxy scales it down with the rest.
    const gap = forwardMacs(r50, 128) - pixelProxyMacs(r50, 128, 224);
    assert.ok(Math.abs(gap - head * (1 - (128 / 224) ** 2)) < 1e-3, `gap ${gap}`);
  });

  it('scales the Swin window with the input (B/32): one window grid per stage, no padding', () => {
    const swin = model('swin_tiny');
    const block = forwardBreakdown(swin, 160).find((b) => b.name === 'stage1.block1')!;
    // 40×40 map, window 5: 64 windows of 25 tokens, 3 heads of 32 channels.
    const expected = 1600 * 96 * 288 + 2 * 3 * 64 * 25 * 25 * 32 + 1600 * 96 * 96 + 2 * 1600 * 96 * 384;
    assert.equal(block.macs, expected);
  });

  it('pads maps to whole windows for a fixed window', () => {
    const fixed: SwinSpec = { ...(model('swin_tiny') as SwinSpec), window: { kind: 'fixed', size: 7 } };
    const block = forwardBreakdown(fixed, 160).find((b) => b.name === 'stage1.block1')!;
    // 40×40 padded to 42×42: 36 windows of 49 tokens; the MLP runs on the 1600 real tokens.
    const expected = 1764 * 96 * 288 + 2 * 3 * 36 * 49 * 49 * 32 + 1764 * 96 * 96 + 2 * 1600 * 96 * 384;
    assert.equal(block.macs, expected);
    // At 224 the fixed window 7 and the scaled window B/32 are the same network.
    assert.equal(forwardMacs(fixed, 224), forwardMacs(model('swin_tiny'), 224));
  });

  it('shrinks a window larger than the map to the map, as Swin does', () => {
    const fixed: SwinSpec = { ...(model('swin_tiny') as SwinSpec), window: { kind: 'fixed', size: 7 } };
    const last = forwardBreakdown(fixed, 96).find((b) => b.name === 'stage4.block1')!;
    // 3×3 map in the last stage: one 9-token window, 24 heads of 32.
    const expected = 9 * 768 * 2304 + 2 * 24 * 9 * 9 * 32 + 9 * 768 * 768 + 2 * 9 * 768 * 3072;
    assert.equal(last.macs, expected);
  });

  it('counts PVT spatial-reduction attention against the reduced keys', () => {
    const block = forwardBreakdown(model('pvt_tiny'), 224).find((b) => b.name === 'stage1.block1')!;
    // 56×56 = 3136 queries, keys from a 7×7 map (sr 8), one head of 64, MLP ratio 8.
    const n = 3136;
    const keys = 49;
    const expected = n * 64 * 64 + 49 * 8 * 8 * 64 * 64 + keys * 64 * 128 + 2 * n * keys * 64 + n * 64 * 64 + 2 * n * 64 * 512;
    assert.equal(block.macs, expected);
  });

  it('counts CSWin stripes: each half of the heads attends within stripes of width sw', () => {
    const block = forwardBreakdown(model('cswin_tiny'), 224).find((b) => b.name === 'stage3.block1')!;
    // 14×14 map, 256 channels, 8 heads of 32, stripe width 7: per direction 2 stripes of 98 tokens.
    const n = 196;
    const attention = 2 * (2 * 4 * 2 * 98 * 98 * 32);
    const lepe = 2 * n * 9 * 128;
    const expected = n * 256 * 768 + attention + lepe + n * 256 * 256 + 2 * n * 256 * 1024;
    assert.equal(block.macs, expected);
  });

  it('sums the breakdown to the total and names blocks in network order', () => {
    for (const name of MODEL_NAMES) {
      const spec = model(name);
      const blocks = forwardBreakdown(spec, spec.nativeResolution);
      assert.equal(blocks.reduce((s, b) => s + b.macs, 0), forwardMacs(spec, spec.nativeResolution), name);
      assert.equal(blocks.reduce((s, b) => s + b.params, 0), paramCount(spec), name);
      assert.equal(blocks[blocks.length - 1].name, 'head', name);
    }
    assert.deepEqual(forwardBreakdown(model('swin_tiny'), 224).map((b) => b.name).slice(0, 5), ['patch_embed', 'stage1.block1', 'stage1.block2', 'stage1.merge', 'stage2.block1']);
  });

  it('trains at 3 × forward unless the spec says otherwise', () => {
    const spec = model('deit_small');
    assert.equal(trainingMacsPerImage(spec, 160), 3 * forwardMacs(spec, 160));
    assert.equal(trainingPixelProxyMacsPerImage(spec, 160, 224), 3 * pixelProxyMacs(spec, 160, 224));
    const custom = { ...spec, trainingMultiplier: 2.5 };
    assert.equal(trainingMacsPerImage(custom, 160), 2.5 * forwardMacs(spec, 160));
  });
});

describe('cost: impossible inputs', () => {
  function throwsCost(fn: () => unknown, kind: string, message: RegExp): void {
    assert.throws(fn, (err: unknown) => {
      assert.ok(err instanceof CostError, `expected CostError, got ${String(err)}`);
      assert.equal(err.kind, kind);
      assert.match(err.message, message);
      return true;
    });
  }

  it('rejects resolutions that are not positive whole numbers', () => {
    const spec = model('resnet50');
    throwsCost(() => forwardMacs(spec, 0), 'bad-resolution', /resnet50: resolution must be a positive whole number of pixels, got 0/);
    throwsCost(() => forwardMacs(spec, -32), 'bad-resolution', /got -32/);
    throwsCost(() => forwardMacs(spec, 160.5), 'bad-resolution', /got 160.5/);
    throwsCost(() => forwardMacs(spec, Number.NaN), 'bad-resolution', /got NaN/);
    throwsCost(() => forwardMacs(spec, Number.POSITIVE_INFINITY), 'bad-resolution', /got Infinity/);
    throwsCost(() => pixelProxyMacs(spec, 0, 224), 'bad-resolution', /got 0/);
  });

  it('rejects a resolution smaller than a patch or a downsampling window, naming the block', () => {
    throwsCost(() => forwardMacs(model('deit_small'), 8), 'too-small', /deit_small cannot run at 8×8: a 8×8 map is smaller than its 16×16 convolution in patch_embed/);
    throwsCost(() => forwardMacs(model('convnext_tiny'), 8), 'too-small', /convnext_tiny cannot run at 8×8: .* in stage3.downsample/);
  });

  it('rejects a Swin resolution that its window rule cannot tile', () => {
    throwsCost(() => forwardMacs(model('swin_tiny'), 100), 'incompatible', /swin_tiny cannot run at 100×100: its window size is the resolution \/ 32/);
  });

  it('rejects malformed specs instead of returning NaN', () => {
    const broken = { ...model('resnet18'), widths: [64, 128, Number.NaN, 512] } as ModelSpec;
    throwsCost(() => forwardMacs(broken, 224), 'bad-spec', /must be a positive whole number, got NaN/);
    const noClasses = { ...model('deit_tiny'), numClasses: 0 } as ModelSpec;
    throwsCost(() => forwardMacs(noClasses, 224), 'bad-spec', /number of classes must be a positive whole number, got 0/);
  });

  it('never returns NaN or Infinity: every catalogue model at 1..320 px gives a finite count or a CostError', () => {
    for (const name of MODEL_NAMES) {
      const spec = model(name);
      let counted = 0;
      for (let b = 1; b <= 320; b++) {
        try {
          const macs = forwardMacs(spec, b);
          assert.ok(Number.isFinite(macs) && macs > 0, `${name} at ${b}: ${macs}`);
          counted++;
        } catch (err) {
          if (!(err instanceof CostError)) throw err;
        }
      }
      assert.ok(counted >= 10, `${name} counted at ${counted} resolutions`);
    }
  });
});
