import assert from 'node:assert/strict';
import { Random } from '../../runtime/random.js';
import { randomCropBox, randomHorizontalFlip, randomResizedCrop } from '../../runtime/transforms/crop-flip.js';
import { normalize } from '../../runtime/transforms/normalize.js';
import { resampleWeights } from '../../runtime/transforms/resample.js';
import { resizeWithWeights } from '../../runtime/transforms/resize.js';
import { roundHalfEven } from '../../runtime/transforms/rounding.js';

function gradient(count: number, h: number, w: number, c: number): Uint8Array {
  const out = new Uint8Array(count * h * w * c);
  for (let n = 0; n < count; n++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) out[((n * h + y) * w + x) * c + ch] = (x * 9 + y * 2 + ch * 50 + n) % 256;
  return out;
}

describe('random-resized crop and flip', () => {
  it('draws crop boxes inside the image with area and aspect in range', () => {
    const random = new Random(1);
    for (let i = 0; i < 500; i++) {
      const box = randomCropBox(28, 28, random);
      assert.ok(box.top >= 0 && box.left >= 0 && box.top + box.height <= 28 && box.left + box.width <= 28);
      const area = box.height * box.width;
      assert.ok(area >= 0.08 * 784 * 0.8 && area <= 784, `area ${area}`);
      const aspect = box.width / box.height;
      assert.ok(aspect > 0.6 && aspect < 1.7, `aspect ${aspect}`);
    }
  });

  it('falls back to the central crop when no attempt fits', () => {
    // A 10×100 strip: crops of aspect ≤ 4/3 are at most 13 wide; the fallback keeps full height.
    const box = randomCropBox(10, 100, new Random(2), [0.9, 1]);
    assert.deepEqual(box, { top: 0, left: 43, height: 10, width: 13 });
  });

  it('with the whole image as crop and the same size, returns the image', () => {
    const images = gradient(3, 28, 28, 3);
    const out = randomResizedCrop(images, 3, 28, 28, 3, { outHeight: 28, outWidth: 28, scale: [1, 1], ratio: [1, 1] }, new Random(0));
    assert.deepEqual(out, images);
  });

  it('produces batches of the output size, reproducibly', () => {
    const images = gradient(4, 32, 32, 1);
    const a = randomResizedCrop(images, 4, 32, 32, 1, { outHeight: 16, outWidth: 16 }, new Random(5));
    const b = randomResizedCrop(images, 4, 32, 32, 1, { outHeight: 16, outWidth: 16 }, new Random(5));
    assert.equal(a.length, 4 * 16 * 16);
    assert.deepEqual(a, b);
  });

  it('resizes each image over its own box, as weights computed afresh for it do (boxes repeat across calls)', () => {
    const count = 200;
    const images = new Uint8Array(count * 28 * 28 * 2).map((_, i) => (i * 7919 + (i >> 7) * 31) % 256);
    const options = { outHeight: 20, outWidth: 24, kernel: 'lanczos' as const };
    // Two calls, so the second meets boxes of the first.
    for (const seed of [8, 9]) {
      const out = randomResizedCrop(images, count, 28, 28, 2, options, new Random(seed));
      const boxes = new Random(seed);
      for (let n = 0; n < count; n++) {
        const box = randomCropBox(28, 28, boxes);
        const expected = new Uint8Array(20 * 24 * 2);
        const rows = resampleWeights('lanczos', 28, 20, [box.top, box.top + box.height]);
        const cols = resampleWeights('lanczos', 28, 24, [box.left, box.left + box.width]);
        resizeWithWeights(images, n * 28 * 28 * 2, 28, 2, rows, cols, expected, 0);
        assert.deepEqual(out.subarray(n * expected.length, (n + 1) * expected.length), expected, `seed ${seed}, image ${n}`);
      }
    }
  });

  it('flips left-right with the given probability', () => {
    const images = gradient(2, 4, 5, 2);
    const flipped = randomHorizontalFlip(images, 2, 4, 5, 2, new Random(0), 1);
    for (let n = 0; n < 2; n++) for (let y = 0; y < 4; y++) for (let x = 0; x < 5; x++) for (let c = 0; c < 2; c++) {
      assert.equal(flipped[((n * 4 + y) * 5 + x) * 2 + c], images[((n * 4 + y) * 5 + (4 - x)) * 2 + c]);
    }
    assert.deepEqual(randomHorizontalFlip(images, 2, 4, 5, 2, new Random(0), 0), images);
    const many = gradient(1000, 1, 2, 1);
    const half = randomHorizontalFlip(many, 1000, 1, 2, 1, new Random(3));
    let count = 0;
    for (let n = 0; n < 1000; n++) if (half[2 * n] !== many[2 * n]) count++;
    assert.ok(count > 440 && count < 560, `${count} of 1000 flipped`);
  });

  it('rounds halves to even like Python and normalises with mean and std', () => {
    assert.deepEqual([0.5, 1.5, 2.5, 2.51, -1.5].map(roundHalfEven), [0, 2, 2, 3, -2]);
    const out = normalize(Uint8Array.from([0, 255, 51, 102]), 2, [0.5, 0.2], [0.5, 0.4]);
    assert.deepEqual(Array.from(out, (v) => Number(v.toFixed(5))), [-1, 2, -0.6, 0.5]);
  });
});
