import assert from 'node:assert/strict';
import { deriveSeed, hashString, Random } from '../../runtime/random.js';

describe('Random (xoshiro128**)', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const first = Array.from({ length: 8 }, () => a.nextUint32());
    assert.deepEqual(first, Array.from({ length: 8 }, () => b.nextUint32()));
    assert.notDeepEqual(first, Array.from({ length: 8 }, () => c.nextUint32()));
  });

  it('draws uniform floats in [0, 1) with the right mean and variance', () => {
    const random = new Random(1);
    const n = 20000;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const x = random.float();
      assert.ok(x >= 0 && x < 1);
      sum += x;
      squares += x * x;
    }
    const mean = sum / n;
    assert.ok(Math.abs(mean - 0.5) < 0.01);
    assert.ok(Math.abs(squares / n - mean * mean - 1 / 12) < 0.005);
  });

  it('draws integers covering [low, high) evenly, high excluded', () => {
    const random = new Random(2);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 6000; i++) counts[random.int(0, 6)]++;
    for (const count of counts) assert.ok(count > 850 && count < 1150, `count ${count}`);
    for (let i = 0; i < 100; i++) {
      const v = random.intInclusive(3, 4);
      assert.ok(v === 3 || v === 4);
    }
    assert.throws(() => random.int(5, 5), /0 < high - low/);
  });

  it('draws normals, gammas and betas with the right moments', () => {
    const random = new Random(3);
    const n = 20000;
    const moments = (draw: () => number) => {
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        const x = draw();
        s += x;
        s2 += x * x;
      }
      return { mean: s / n, variance: s2 / n - (s / n) ** 2 };
    };
    const normal = moments(() => random.normal(2, 0.5));
    assert.ok(Math.abs(normal.mean - 2) < 0.02 && Math.abs(normal.variance - 0.25) < 0.02);
    const gamma = moments(() => random.gamma(0.8));
    assert.ok(Math.abs(gamma.mean - 0.8) < 0.04 && Math.abs(gamma.variance - 0.8) < 0.08);
    // Beta(0.8, 0.8): mean 1/2, variance ab / ((a+b)²(a+b+1)) = 0.64 / (2.56 · 2.6)
    const beta = moments(() => random.beta(0.8, 0.8));
    assert.ok(Math.abs(beta.mean - 0.5) < 0.01 && Math.abs(beta.variance - 0.64 / (2.56 * 2.6)) < 0.005);
  });

  it('shuffles into a permutation, reproducibly', () => {
    const p = new Random(4).permutation(100);
    assert.deepEqual(Array.from(p).sort((x, y) => x - y), Array.from({ length: 100 }, (_, i) => i));
    assert.deepEqual(p, new Random(4).permutation(100));
    assert.notDeepEqual(Array.from(p), Array.from({ length: 100 }, (_, i) => i));
  });

  it('derives distinct seeds from (seed, parts) and hashes names', () => {
    assert.equal(deriveSeed(7, 1), deriveSeed(7, 1));
    assert.notEqual(deriveSeed(7, 1), deriveSeed(7, 2));
    assert.notEqual(deriveSeed(7, 1), deriveSeed(8, 1));
    assert.notEqual(hashString('mixup'), hashString('erasing'));
  });
});
