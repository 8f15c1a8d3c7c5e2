import assert from 'node:assert/strict';
import { Random } from '../../runtime/random.js';
import { randomErasing } from '../../runtime/transforms/random-erasing.js';

const H = 28;
const W = 28;
const C = 3;

function erasedBoxes(before: Float32Array, after: Float32Array, count: number) {
  const boxes = [];
  for (let n = 0; n < count; n++) {
    let top = H;
    let bottom = -1;
    let left = W;
    let right = -1;
    let changed = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const i = (n * H * W + y * W + x) * C;
        if (after[i] !== before[i] || after[i + 1] !== before[i + 1]) {
          changed++;
          top = Math.min(top, y);
          bottom = Math.max(bottom, y);
          left = Math.min(left, x);
          right = Math.max(right, x);
        }
      }
    }
    boxes.push(changed === 0 ? undefined : { top, bottom, left, right, changed });
  }
  return boxes;
}

describe('random erasing (pixel mode)', () => {
  it('erases about a quarter of the images by default', () => {
    const count = 400;
    const images = new Float32Array(count * H * W * C).fill(5);
    const erased = randomErasing(images, count, H, W, C, new Random(1));
    assert.ok(erased > 70 && erased < 130, `${erased} of 400 erased`);
    assert.equal(erasedBoxes(new Float32Array(images.length).fill(5), images, count).filter(Boolean).length, erased);
  });

  it('fills one rectangle of 2 % … 33 % of the area with N(0, 1) noise', () => {
    const count = 50;
    const before = new Float32Array(count * H * W * C).fill(5);
    const images = before.slice();
    randomErasing(images, count, H, W, C, new Random(2), { probability: 1 });
    const boxes = erasedBoxes(before, images, count);
    let sum = 0;
    let squares = 0;
    let values = 0;
    for (const box of boxes) {
      assert.ok(box !== undefined);
      const area = (box.bottom - box.top + 1) * (box.right - box.left + 1);
      assert.equal(box.changed, area, 'the erased pixels form a rectangle');
      assert.ok(area >= 0.02 * H * W * 0.8 && area <= (H * W) / 3 + 2 * H, `area ${area}`);
    }
    for (let i = 0; i < images.length; i++) {
      if (images[i] === 5) continue;
      sum += images[i];
      squares += images[i] * images[i];
      values++;
    }
    assert.ok(Math.abs(sum / values) < 0.05);
    assert.ok(Math.abs(squares / values - 1) < 0.05);
  });

  it('does nothing with probability 0 and is deterministic under a seed', () => {
    const images = new Float32Array(4 * H * W * C).fill(1);
    assert.equal(randomErasing(images, 4, H, W, C, new Random(0), { probability: 0 }), 0);
    assert.ok(images.every((v) => v === 1));
    const a = new Float32Array(8 * H * W * C);
    const b = new Float32Array(8 * H * W * C);
    randomErasing(a, 8, H, W, C, new Random(3), { probability: 0.5 });
    randomErasing(b, 8, H, W, C, new Random(3), { probability: 0.5 });
    assert.deepEqual(a, b);
  });
});
