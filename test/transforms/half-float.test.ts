import assert from 'node:assert/strict';
import { decodeHalf, encodeHalf, floatToHalf, halfToFloat } from '../../runtime/transforms/half-float.js';

describe('half-precision encoding', () => {
  it('encodes known values to their binary16 bits', () => {
    assert.equal(floatToHalf(0), 0x0000);
    assert.equal(floatToHalf(-0), 0x8000);
    assert.equal(floatToHalf(1), 0x3c00);
    assert.equal(floatToHalf(-2), 0xc000);
    assert.equal(floatToHalf(0.5), 0x3800);
    assert.equal(floatToHalf(65504), 0x7bff);
    assert.equal(floatToHalf(2 ** -14), 0x0400); // smallest normal
    assert.equal(floatToHalf(2 ** -24), 0x0001); // smallest subnormal
    assert.equal(floatToHalf(2 ** -26), 0x0000); // underflows to zero
    assert.equal(floatToHalf(1e6), 0x7c00); // overflows to infinity
    assert.equal(floatToHalf(Number.NEGATIVE_INFINITY), 0xfc00);
    assert.ok(Number.isNaN(halfToFloat(floatToHalf(Number.NaN))));
  });

  it('rounds to nearest, ties to even', () => {
    // Between 1 and the next half (1 + 2^-10): the midpoint goes to the even 1.
    assert.equal(floatToHalf(1 + 2 ** -11), 0x3c00);
    assert.equal(floatToHalf(1 + 3 * 2 ** -11), 0x3c02);
    assert.equal(floatToHalf(1 + 2 ** -11 + 2 ** -20), 0x3c01);
    // 65520 is the midpoint between 65504 and 65536 (not representable): rounds to infinity.
    assert.equal(floatToHalf(65520), 0x7c00);
    assert.equal(floatToHalf(65519), 0x7bff);
  });

  it('round-trips every finite half exactly', () => {
    for (let h = 0; h < 65536; h++) {
      const value = halfToFloat(h);
      if (Number.isNaN(value)) continue;
      assert.equal(floatToHalf(value), h, `half 0x${h.toString(16)}`);
    }
  });

  it('keeps the relative error of normalised pixel values under 2^-11', () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => -2.1 + (i * 4.7) / 1000);
    const back = decodeHalf(encodeHalf(values));
    for (let i = 0; i < values.length; i++) {
      if (Math.abs(values[i]) < 2 ** -14) continue;
      assert.ok(Math.abs(back[i] - values[i]) <= Math.abs(values[i]) * 2 ** -11);
    }
  });
});
