import assert from 'node:assert/strict';
import { Random } from '../../runtime/random.js';
import { affineTransform, rotateCoefficients, translateXCoefficients } from '../../runtime/transforms/affine.js';
import {
  autoContrast,
  brightness,
  color,
  contrast,
  equalize,
  invert,
  posterize,
  sharpness,
  solarize,
  solarizeAdd,
  type Image,
} from '../../runtime/transforms/image-ops.js';
import {
  applyOp,
  formatRandAugment,
  INCREASING_OPS,
  parseRandAugment,
  RandAugment,
} from '../../runtime/transforms/rand-augment.js';

function image(height: number, width: number, channels: number, values: (y: number, x: number, c: number) => number): Image {
  const data = new Uint8Array(height * width * channels);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < channels; c++) data[(y * width + x) * channels + c] = values(y, x, c);
  return { height, width, channels, data };
}

const grey = image(8, 8, 1, (y, x) => 40 + 20 * y + x);
const rgb = image(6, 6, 3, (y, x, c) => (30 * y + 7 * x + 60 * c) % 256);

describe('RandAugment image ops (PIL semantics)', () => {
  it('invert, solarize, solarize-add and posterize map each value through a table', () => {
    const values = image(1, 6, 1, (_, x) => [0, 1, 127, 128, 200, 255][x]);
    assert.deepEqual(Array.from(invert(values).data), [255, 254, 128, 127, 55, 0]);
    assert.deepEqual(Array.from(solarize(values, 128).data), [0, 1, 127, 127, 55, 0]);
    assert.deepEqual(solarize(values, 256).data, values.data);
    assert.deepEqual(Array.from(solarizeAdd(values, 30).data), [30, 31, 157, 128, 200, 255]);
    assert.deepEqual(Array.from(posterize(values, 2).data), [0, 0, 64, 128, 192, 192]);
    assert.deepEqual(Array.from(posterize(values, 0).data), [0, 0, 0, 0, 0, 0]);
    assert.deepEqual(posterize(values, 8).data, values.data);
  });

  it('auto-contrast stretches each channel to 0 … 255 and leaves flat channels alone', () => {
    const img = image(1, 3, 2, (_, x, c) => (c === 0 ? [50, 100, 150][x] : 77));
    assert.deepEqual(Array.from(autoContrast(img).data), [0, 77, 127, 77, 255, 77]);
  });

  it('equalize spreads the histogram per channel (PIL cumulative lookup table)', () => {
    const img = image(1, 8, 1, (_, x) => [10, 10, 10, 10, 20, 20, 30, 40][x]);
    // step = (8 − 1) // 255 = 0: PIL leaves the image unchanged.
    assert.deepEqual(equalize(img).data, img.data);
    const big = image(32, 32, 1, (y) => (y < 16 ? 10 : y < 24 ? 100 : 200));
    const out = equalize(big).data;
    // step = (1024 − 256) // 255 = 3; value 10 → 1 // 3 = 0, 100 → (1 + 512) // 3 = 171, 200 → (1 + 768) // 3 = 256 → 255.
    assert.equal(out[0], 0);
    assert.equal(out[16 * 32], 171);
    assert.equal(out[24 * 32], 255);
  });

  it('brightness, contrast and colour blend with a degenerate image, truncating', () => {
    assert.deepEqual(Array.from(brightness(image(1, 3, 1, (_, x) => [10, 101, 250][x]), 0.5).data), [5, 50, 125]);
    assert.deepEqual(Array.from(brightness(image(1, 2, 1, (_, x) => [100, 200][x]), 1.9).data), [190, 255]);
    const flat = contrast(grey, 0).data;
    assert.ok(flat.every((v) => v === flat[0]));
    const mean = Math.trunc(grey.data.reduce((a, b) => a + b, 0) / 64 + 0.5);
    assert.equal(flat[0], mean);
    assert.deepEqual(color(grey, 0.1).data, grey.data);
    const desaturated = color(rgb, 0).data;
    for (let p = 0; p < 36; p++) {
      assert.equal(desaturated[3 * p], desaturated[3 * p + 1]);
      assert.equal(desaturated[3 * p], desaturated[3 * p + 2]);
    }
    assert.deepEqual(sharpness(rgb, 1).data, rgb.data);
  });

  it('sharpness at 0 is the 3×3 smooth filter and keeps the border', () => {
    const dot = image(5, 5, 1, (y, x) => (y === 2 && x === 2 ? 130 : 0));
    const out = sharpness(dot, 0).data;
    assert.equal(out[2 * 5 + 2], 50); // 130 · 5 / 13
    assert.equal(out[1 * 5 + 1], 10); // 130 / 13
    assert.equal(out[0], 0);
  });

  it('translates and rotates with PIL coordinates (nearest sampling, fill outside)', () => {
    const shifted = affineTransform(grey, translateXCoefficients(2), 'nearest', [128]).data;
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) assert.equal(shifted[y * 8 + x], x < 6 ? grey.data[y * 8 + x + 2] : 128);
    }
    // 90° counter-clockwise: out[y][x] = in[x][W − 1 − y].
    const turned = affineTransform(grey, rotateCoefficients(90, 8, 8), 'nearest', [0]).data;
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) assert.equal(turned[y * 8 + x], grey.data[x * 8 + (7 - y)]);
    // Bilinear at the identity is exact.
    assert.deepEqual(affineTransform(rgb, rotateCoefficients(0, 6, 6), 'bilinear', [0, 0, 0]).data, rgb.data);
  });
});

describe('RandAugment level mapping (timm increasing ops)', () => {
  const random = new Random(0);
  it('maps the magnitude of posterize, solarize and solarize-add as timm does', () => {
    const values = image(1, 4, 1, (_, x) => [3, 100, 130, 255][x]);
    assert.deepEqual(Array.from(applyOp('PosterizeIncreasing', values, 0, random).data), [0, 96, 128, 240]); // 4 bits
    assert.deepEqual(Array.from(applyOp('PosterizeIncreasing', values, 10, random).data), [0, 0, 0, 0]); // 0 bits
    assert.deepEqual(applyOp('SolarizeIncreasing', values, 0, random).data, values.data); // threshold 256
    assert.deepEqual(Array.from(applyOp('SolarizeIncreasing', values, 10, random).data), [252, 155, 125, 0]); // threshold 0
    assert.deepEqual(Array.from(applyOp('SolarizeAdd', values, 5, random).data), [58, 155, 130, 255]); // add 55 below 128
  });

  it('leaves the image unchanged at magnitude 0 for the enhance and geometric ops', () => {
    for (const op of ['ColorIncreasing', 'ContrastIncreasing', 'BrightnessIncreasing', 'SharpnessIncreasing', 'Rotate', 'ShearX', 'ShearY', 'TranslateXRel', 'TranslateYRel'] as const) {
      assert.deepEqual(applyOp(op, rgb, 0, random).data, rgb.data, op);
    }
  });

  it('gives enhancement factors 1 ± 0.9·m/10 (at least 0.1)', () => {
    const values = image(1, 2, 1, (_, x) => [100, 20][x]);
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) seen.add(Array.from(applyOp('BrightnessIncreasing', values, 10, random).data).join(','));
    assert.deepEqual([...seen].sort(), ['10,2', '190,38']); // factors 0.1 and 1.9
  });

  it('translates by up to 0.45 of the side in either direction', () => {
    const wide = image(1, 20, 1, (_, x) => 10 * x);
    const seen = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const out = applyOp('TranslateXRel', wide, 10, random, { interpolation: 'nearest', fill: [255], translateFraction: 0.45 }).data;
      seen.add(out.indexOf(255) === 0 ? -(out.lastIndexOf(255) + 1) : 20 - out.indexOf(255));
    }
    assert.deepEqual([...seen].sort((a, b) => a - b), [-9, 9]);
  });
});

describe('RandAugment', () => {
  it('parses and formats timm configuration strings', () => {
    assert.deepEqual(parseRandAugment('rand-m9-mstd0.5-inc1'), {
      magnitude: 9,
      numOps: undefined,
      magnitudeStd: 0.5,
      magnitudeMax: undefined,
      increasing: true,
    });
    assert.equal(formatRandAugment(parseRandAugment('rand-m9-mstd0.5-inc1')), 'rand-m9-n2-mstd0.5-inc1');
    assert.equal(parseRandAugment('rand-m3-n3-mstd101').magnitudeStd, Number.POSITIVE_INFINITY);
    assert.throws(() => parseRandAugment('auto-m9'), /must start with 'rand'/);
    assert.throws(() => parseRandAugment('rand-m9-w0'), /unknown section 'w'/);
    assert.throws(() => new RandAugment({ magnitude: -1 }), /magnitude must be a number ≥ 0/);
  });

  it('uses the 15 ops of the increasing set', () => {
    assert.equal(INCREASING_OPS.length, 15);
    assert.ok(INCREASING_OPS.includes('PosterizeIncreasing') && !INCREASING_OPS.includes('Posterize' as never));
  });

  it('augments grey and RGB batches reproducibly under a seed', () => {
    for (const channels of [1, 3]) {
      const count = 16;
      const src = image(count * 12, 12, channels, (y, x, c) => (y * 13 + x * 7 + c * 40) % 256).data;
      const ra = new RandAugment(parseRandAugment('rand-m9-mstd0.5-inc1'));
      const a = ra.batch(src, count, 12, 12, channels, new Random(1));
      const b = ra.batch(src, count, 12, 12, channels, new Random(1));
      const c = ra.batch(src, count, 12, 12, channels, new Random(2));
      assert.equal(a.length, src.length);
      assert.deepEqual(a, b);
      assert.notDeepEqual(a, c);
      assert.notDeepEqual(a, src);
    }
  });

  it('changes nothing when the op probability is 0 or n is 0', () => {
    const src = image(4 * 10, 10, 3, (y, x, c) => (y * 11 + x * 3 + c) % 256).data;
    assert.deepEqual(new RandAugment({ magnitude: 9, probability: 0 }).batch(src, 4, 10, 10, 3, new Random(0)), src);
    assert.deepEqual(new RandAugment({ magnitude: 9, numOps: 0 }).batch(src, 4, 10, 10, 3, new Random(0)), src);
  });

  it('applies each chosen op with probability ½', () => {
    // Invert-only check: with n = 1 on a random image, AutoContrast/Equalize etc. may also
    // leave it unchanged, so count images that changed at all: P(unchanged) ≥ ½.
    const count = 400;
    const src = image(count * 6, 6, 1, (y, x) => (y * 37 + x * 91) % 256).data;
    const out = new RandAugment({ magnitude: 9, numOps: 1 }).batch(src, count, 6, 6, 1, new Random(4));
    let unchanged = 0;
    for (let n = 0; n < count; n++) {
      if (out.subarray(n * 36, (n + 1) * 36).every((v, i) => v === src[n * 36 + i])) unchanged++;
    }
    assert.ok(unchanged > 170 && unchanged < 260, `${unchanged} of ${count} unchanged`);
  });

  it('rejects images that are neither grey nor RGB', () => {
    assert.throws(() => new RandAugment({ magnitude: 5 }).batch(new Uint8Array(8), 1, 1, 2, 4, new Random(0)), /1- or 3-channel/);
  });
});
