import assert from 'node:assert/strict';
import { Random } from '../../runtime/random.js';
import { smoothOneHot } from '../../runtime/transforms/label-smoothing.js';
import { mixupCutmix } from '../../runtime/transforms/mixup.js';

const H = 8;
const W = 6;
const C = 2;
const SIZE = H * W * C;

/** Image n is filled with the value n. */
function batch(count: number): { images: Float32Array; labels: Int32Array } {
  const images = new Float32Array(count * SIZE);
  for (let n = 0; n < count; n++) images.fill(n, n * SIZE, (n + 1) * SIZE);
  return { images, labels: Int32Array.from({ length: count }, (_, n) => n % 5) };
}

describe('label smoothing', () => {
  it('puts 1 − s + s/K on the label and s/K elsewhere', () => {
    const targets = smoothOneHot(Int32Array.from([2, 0]), 4, 0.1);
    const expected = [0.025, 0.025, 0.925, 0.025, 0.925, 0.025, 0.025, 0.025];
    targets.forEach((t, i) => assert.ok(Math.abs(t - expected[i]) < 1e-7));
    assert.deepEqual(Array.from(smoothOneHot(Int32Array.from([1]), 3)), [0, 1, 0]);
    assert.throws(() => smoothOneHot(Int32Array.from([3]), 3), /label 3 of item 0 is outside 0 … 2/);
  });
});

describe('mixup / cutmix', () => {
  it('mixes image i with image N−1−i by λ and mixes the smoothed targets the same way', () => {
    const { images, labels } = batch(4);
    const out = mixupCutmix(images, labels, H, W, C, { classes: 5, cutmixAlpha: 0 }, new Random(1));
    assert.equal(out.mode, 'mixup');
    assert.ok(out.lambda > 0 && out.lambda < 1);
    for (let n = 0; n < 4; n++) {
      const expected = out.lambda * n + (1 - out.lambda) * (3 - n);
      for (let i = 0; i < SIZE; i++) assert.ok(Math.abs(out.images[n * SIZE + i] - expected) < 1e-5);
    }
    const smooth = smoothOneHot(labels, 5, 0.1);
    for (let n = 0; n < 4; n++) {
      let sum = 0;
      for (let k = 0; k < 5; k++) {
        const t = out.targets[n * 5 + k];
        sum += t;
        assert.ok(Math.abs(t - (out.lambda * smooth[n * 5 + k] + (1 - out.lambda) * smooth[(3 - n) * 5 + k])) < 1e-6);
      }
      assert.ok(Math.abs(sum - 1) < 1e-6);
    }
  });

  it('cutmix pastes the partner\'s box and sets λ to the kept area', () => {
    const { images, labels } = batch(4);
    const out = mixupCutmix(images, labels, H, W, C, { classes: 5, mixupAlpha: 0 }, new Random(7));
    assert.equal(out.mode, 'cutmix');
    const box = out.box!;
    const area = (box.bottom - box.top) * (box.right - box.left);
    assert.ok(Math.abs(out.lambda - (1 - area / (H * W))) < 1e-12);
    for (let n = 0; n < 4; n++) {
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const inside = y >= box.top && y < box.bottom && x >= box.left && x < box.right;
          for (let c = 0; c < C; c++) assert.equal(out.images[n * SIZE + (y * W + x) * C + c], inside ? 3 - n : n);
        }
      }
    }
  });

  it('switches between mixup and cutmix with probability ½ and draws λ from the Betas', () => {
    const random = new Random(3);
    const { images, labels } = batch(2);
    let cutmix = 0;
    let mixupLambda = 0;
    let mixups = 0;
    for (let i = 0; i < 1000; i++) {
      const out = mixupCutmix(images, labels, H, W, C, { classes: 5 }, random);
      if (out.mode === 'cutmix') cutmix++;
      else {
        mixups++;
        mixupLambda += out.lambda;
      }
    }
    assert.ok(cutmix > 440 && cutmix < 560, `cutmix ${cutmix} of 1000`);
    assert.ok(Math.abs(mixupLambda / mixups - 0.5) < 0.04);
  });

  it('is deterministic under a seed and rejects odd batches', () => {
    const { images, labels } = batch(4);
    const a = mixupCutmix(images, labels, H, W, C, { classes: 5 }, new Random(9));
    const b = mixupCutmix(images, labels, H, W, C, { classes: 5 }, new Random(9));
    assert.deepEqual(a.images, b.images);
    assert.deepEqual(a.targets, b.targets);
    const odd = batch(3);
    assert.throws(() => mixupCutmix(odd.images, odd.labels, H, W, C, { classes: 5 }, new Random(0)), /even batch size, got 3/);
  });

  it('leaves the batch unmixed when the mix probability is 0', () => {
    const { images, labels } = batch(2);
    const out = mixupCutmix(images, labels, H, W, C, { classes: 5, probability: 0, labelSmoothing: 0 }, new Random(0));
    assert.equal(out.mode, 'none');
    assert.deepEqual(out.images, images);
    assert.deepEqual(Array.from(out.targets), [1, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
  });
});
