import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Random } from '../../runtime/random.js';
import { loadDatasetSplits } from '../../runtime/data/source.js';
import { applySeparableMapToArray, type SeparableMap } from '../../runtime/transforms/separable-map.js';
import { FASHION_MNIST_SMALL } from '../runtime/helpers.js';
import { lowPass, lowPassBytes, LOW_PASS_METHODS } from '../../runtime/transforms/low-pass.js';
import { applyLowPass } from '../../runtime/transforms/low-pass-tensors.js';
import { resampleMatrix } from '../../runtime/transforms/resample.js';

/**
 * Reference low-frequency crop written straight from the definition: full 2-D DFT,
 * fftshift, centre B×B block, scale (B/H)(B/W), ifftshift, inverse DFT / B², real part.
 * `direct` evaluates the 2-D sums without factorising them (O(H²W²)).
 */
function naiveFrequencyCrop(x: Float64Array, h: number, w: number, bh: number, bw: number, direct: boolean): Float64Array {
  const re = new Float64Array(h * w);
  const im = new Float64Array(h * w);
  if (direct) {
    for (let u = 0; u < h; u++) {
      for (let v = 0; v < w; v++) {
        let sr = 0;
        let si = 0;
        for (let r = 0; r < h; r++) {
          for (let c = 0; c < w; c++) {
            const phase = -2 * Math.PI * ((u * r) / h + (v * c) / w);
            sr += x[r * w + c] * Math.cos(phase);
            si += x[r * w + c] * Math.sin(phase);
          }
        }
        re[u * w + v] = sr;
        im[u * w + v] = si;
      }
    }
  } else {
    // The same sums evaluated as row DFTs then column DFTs (still no FFT).
    const tr = new Float64Array(h * w);
    const ti = new Float64Array(h * w);
    for (let r = 0; r < h; r++) {
      for (let v = 0; v < w; v++) {
        let sr = 0;
        let si = 0;
        for (let c = 0; c < w; c++) {
          const phase = (-2 * Math.PI * v * c) / w;
          sr += x[r * w + c] * Math.cos(phase);
          si += x[r * w + c] * Math.sin(phase);
        }
        tr[r * w + v] = sr;
        ti[r * w + v] = si;
      }
    }
    for (let u = 0; u < h; u++) {
      for (let v = 0; v < w; v++) {
        let sr = 0;
        let si = 0;
        for (let r = 0; r < h; r++) {
          const phase = (-2 * Math.PI * u * r) / h;
          const cos = Math.cos(phase);
          const sin = Math.sin(phase);
          sr += tr[r * w + v] * cos - ti[r * w + v] * sin;
          si += tr[r * w + v] * sin + ti[r * w + v] * cos;
        }
        re[u * w + v] = sr;
        im[u * w + v] = si;
      }
    }
  }
  // fftshift then the centre block: shifted index s holds frequency s − n/2.
  const scale = (bh / h) * (bw / w);
  const blockRe = new Float64Array(bh * bw);
  const blockIm = new Float64Array(bh * bw);
  for (let i = 0; i < bh; i++) {
    for (let j = 0; j < bw; j++) {
      const shiftedRow = h / 2 - bh / 2 + i;
      const shiftedCol = w / 2 - bw / 2 + j;
      const u = (shiftedRow + h / 2) % h; // undo fftshift
      const v = (shiftedCol + w / 2) % w;
      const bi = (i + bh / 2) % bh; // ifftshift of the block
      const bj = (j + bw / 2) % bw;
      blockRe[bi * bw + bj] = re[u * w + v] * scale;
      blockIm[bi * bw + bj] = im[u * w + v] * scale;
    }
  }
  const y = new Float64Array(bh * bw);
  if (direct) {
    for (let a = 0; a < bh; a++) {
      for (let b = 0; b < bw; b++) {
        let sr = 0;
        for (let u = 0; u < bh; u++) {
          for (let v = 0; v < bw; v++) {
            const phase = 2 * Math.PI * ((u * a) / bh + (v * b) / bw);
            sr += blockRe[u * bw + v] * Math.cos(phase) - blockIm[u * bw + v] * Math.sin(phase);
          }
        }
        y[a * bw + b] = sr / (bh * bw);
      }
    }
    return y;
  }
  // Inverse along the columns index, then the real part of the inverse along the rows.
  const tr = new Float64Array(bh * bw);
  const ti = new Float64Array(bh * bw);
  for (let u = 0; u < bh; u++) {
    for (let b = 0; b < bw; b++) {
      let sr = 0;
      let si = 0;
      for (let v = 0; v < bw; v++) {
        const phase = (2 * Math.PI * v * b) / bw;
        sr += blockRe[u * bw + v] * Math.cos(phase) - blockIm[u * bw + v] * Math.sin(phase);
        si += blockRe[u * bw + v] * Math.sin(phase) + blockIm[u * bw + v] * Math.cos(phase);
      }
      tr[u * bw + b] = sr;
      ti[u * bw + b] = si;
    }
  }
  for (let a = 0; a < bh; a++) {
    for (let b = 0; b < bw; b++) {
      let sr = 0;
      for (let u = 0; u < bh; u++) {
        const phase = (2 * Math.PI * u * a) / bh;
        sr += tr[u * bw + b] * Math.cos(phase) - ti[u * bw + b] * Math.sin(phase);
      }
      y[a * bw + b] = sr / (bh * bw);
    }
  }
  return y;
}

function randomImages(count: number, h: number, w: number, c: number, seed: number): Float32Array {
  const random = new Random(seed);
  return Float32Array.from({ length: count * h * w * c }, () => random.float());
}

function plane(images: Float32Array, n: number, h: number, w: number, c: number, ch: number): Float64Array {
  const out = new Float64Array(h * w);
  for (let i = 0; i < h * w; i++) out[i] = images[(n * h * w + i) * c + ch];
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

function onBackend(images: Float32Array, shape: [number, number, number, number], method: (typeof LOW_PASS_METHODS)[number], size: number | [number, number]): Float32Array {
  const input = tf.tensor4d(images, shape);
  const output = applyLowPass(method, input, size);
  const values = output.dataSync() as Float32Array;
  input.dispose();
  output.dispose();
  return values;
}

/** Re(R·x·Cᵀ) with both complex products written out, clamped and rounded half to even: the map's definition on 8-bit images. */
function fullComplexBytes(map: SeparableMap, images: Uint8Array, count: number, channels: number): Uint8Array {
  const { inHeight: h, inWidth: w, outHeight: oh, outWidth: ow, rowMatrix: r, colMatrix: c } = map;
  const out = new Uint8Array(count * oh * ow * channels);
  const tempRe = new Float64Array(ow * h);
  const tempIm = new Float64Array(ow * h);
  for (let n = 0; n < count; n++) {
    for (let ch = 0; ch < channels; ch++) {
      const at = (i: number, k: number) => images[((n * h + i) * w + k) * channels + ch]!;
      for (let i = 0; i < h; i++) {
        for (let j = 0; j < ow; j++) {
          let re = 0;
          let im = 0;
          for (let k = 0; k < w; k++) {
            re += at(i, k) * c.re[j * w + k]!;
            im += at(i, k) * c.im![j * w + k]!;
          }
          tempRe[j * h + i] = re;
          tempIm[j * h + i] = im;
        }
      }
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          let sum = 0;
          for (let k = 0; k < h; k++) sum += r.re[i * h + k]! * tempRe[j * h + k]! - r.im![i * h + k]! * tempIm[j * h + k]!;
          const v = Math.min(255, Math.max(0, sum));
          const floor = Math.floor(v);
          const rounded = v - floor > 0.5 || (v - floor === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
          out[((n * oh + i) * ow + j) * channels + ch] = rounded;
        }
      }
    }
  }
  return out;
}

describe('low-frequency crop (fft)', () => {
  // 14: an output width that is not a whole number of the products' blocks of four.
  for (const b of [12, 14, 16, 20]) {
    it(`matches a naive 2-D DFT crop for 28×28 → ${b}×${b} (2 images, 2 channels)`, () => {
      const images = randomImages(2, 28, 28, 2, b);
      const got = onBackend(images, [2, 28, 28, 2], 'fft', b);
      for (let n = 0; n < 2; n++) {
        for (let ch = 0; ch < 2; ch++) {
          const expected = naiveFrequencyCrop(plane(images, n, 28, 28, 2, ch), 28, 28, b, b, true);
          assert.ok(maxAbsDiff(plane(got, n, b, b, 2, ch), expected) < 1e-4);
        }
      }
    });
  }

  it('matches the naive crop for 224×224 → 96×96', function () {
    this.timeout(30000);
    const images = randomImages(1, 224, 224, 1, 7);
    const got = onBackend(images, [1, 224, 224, 1], 'fft', 96);
    const expected = naiveFrequencyCrop(plane(images, 0, 224, 224, 1, 0), 224, 224, 96, 96, false);
    assert.ok(maxAbsDiff(got, expected) < 1e-4);
  });

  it('handles non-square images with separate row and column matrices (28×20 → 12×8)', () => {
    const images = randomImages(1, 28, 20, 1, 3);
    const got = onBackend(images, [1, 28, 20, 1], 'fft', [12, 8]);
    const expected = naiveFrequencyCrop(plane(images, 0, 28, 20, 1, 0), 28, 20, 12, 8, true);
    assert.equal(got.length, 12 * 8);
    assert.ok(maxAbsDiff(got, expected) < 1e-4);
    const square = onBackend(images, [1, 28, 20, 1], 'fft', 16);
    assert.ok(maxAbsDiff(square, naiveFrequencyCrop(plane(images, 0, 28, 20, 1, 0), 28, 20, 16, 16, true)) < 1e-4);
  });

  it('preserves the mean intensity of every image and channel', () => {
    const images = randomImages(3, 28, 28, 3, 11);
    const got = onBackend(images, [3, 28, 28, 3], 'fft', 12);
    for (let n = 0; n < 3; n++) {
      for (let ch = 0; ch < 3; ch++) {
        const mean = (p: Float64Array) => p.reduce((a, b) => a + b, 0) / p.length;
        assert.ok(Math.abs(mean(plane(images, n, 28, 28, 3, ch)) - mean(plane(got, n, 12, 12, 3, ch))) < 1e-5);
      }
    }
  });

  it('is the identity when B equals the image size', () => {
    const images = randomImages(1, 28, 28, 1, 5);
    assert.ok(maxAbsDiff(onBackend(images, [1, 28, 28, 1], 'fft', 28), images) < 1e-5);
  });

  it('gives the same values on typed arrays as on the backend', () => {
    const images = randomImages(2, 28, 28, 3, 9);
    const onArrays = applySeparableMapToArray(lowPass('fft', 28, 28, 16), images, 2, 3);
    assert.ok(maxAbsDiff(onArrays, onBackend(images, [2, 28, 28, 3], 'fft', 16)) < 1e-5);
  });

  it('on 8-bit arrays, with its imaginary part of rank one factored out, gives the bytes of the full complex product', () => {
    // The crop's maps are complex only through their Nyquist term, a rank-one imaginary part:
    // Im(R)·x·Im(C)ᵀ is then a·cᵀ times one number per image. The bytes must not change.
    const { train } = loadDatasetSplits({ format: 'idx', path: FASHION_MNIST_SMALL, validation: 'none' });
    const count = 300;
    const images = train.images.subarray(0, count * 28 * 28);
    for (const b of [12, 16, 20, 24]) {
      const map = lowPass('fft', 28, 28, b);
      assert.ok(map.rowMatrix.im !== undefined && map.colMatrix.im !== undefined, 'the crop is complex');
      assert.deepEqual(lowPassBytes('fft', images, count, 28, 28, 1, b), fullComplexBytes(map, images, count, 1), `28 → ${b}`);
    }
    const rgb = new Uint8Array(2 * 64 * 64 * 3);
    for (let i = 0; i < rgb.length; i++) rgb[i] = (i * 7919 + (i >> 7) * 31) % 256;
    assert.deepEqual(lowPassBytes('fft', rgb, 2, 64, 64, 3, 28), fullComplexBytes(lowPass('fft', 64, 64, 28), rgb, 2, 3), 'RGB 64 → 28');
  });

  it('gives 8-bit images on the CPU: the backend values clamped and rounded, flat images unchanged', () => {
    const count = 4;
    const bytes = new Uint8Array(count * 28 * 28);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    for (const method of LOW_PASS_METHODS) {
      const out = lowPassBytes(method, bytes, count, 28, 28, 1, 12);
      assert.equal(out.length, count * 12 * 12);
      const reference = onBackend(Float32Array.from(bytes), [count, 28, 28, 1], method, 12);
      for (let i = 0; i < out.length; i++) {
        const expected = Math.min(255, Math.max(0, reference[i]));
        // Only a value at a half (to float32 precision) may round either way.
        const atHalf = Math.abs(expected - Math.floor(expected) - 0.5) < 1e-3;
        if (!atHalf) assert.equal(out[i], Math.round(expected), `${method}: value ${i} is ${expected} on the backend`);
        else assert.ok(Math.abs(out[i] - expected) <= 0.5 + 1e-3, `${method}: ${out[i]} against ${expected} at ${i}`);
      }
      const flat = lowPassBytes(method, new Uint8Array(28 * 28).fill(200), 1, 28, 28, 1, 12);
      assert.ok(flat.every((v) => v === 200), `${method}: a flat image stays flat`);
    }
  });

  it('rejects odd and oversized bandwidths', () => {
    assert.throws(() => lowPass('fft', 28, 28, 15), /even integer ≥ 2, got 15/);
    assert.throws(() => lowPass('fft', 28, 28, 30), /bandwidth 30 exceeds the image height 28/);
    assert.throws(() => lowPass('fft', 28, 20, [16, 22]), /bandwidth 22 exceeds the image width 20/);
  });
});

describe('resize low-pass methods', () => {
  it('area averages whole blocks at integer factors', () => {
    const images = randomImages(1, 28, 28, 1, 13);
    const got = onBackend(images, [1, 28, 28, 1], 'area', 14);
    for (let i = 0; i < 14; i++) {
      for (let j = 0; j < 14; j++) {
        const block = [0, 1].flatMap((di) => [0, 1].map((dj) => images[(2 * i + di) * 28 + 2 * j + dj]));
        assert.ok(Math.abs(got[i * 14 + j] - block.reduce((a, b) => a + b, 0) / 4) < 1e-5);
      }
    }
  });

  for (const method of ['bilinear', 'area', 'lanczos'] as const) {
    it(`${method}: every output is a normalised weighted sum (a flat image stays flat)`, () => {
      for (const [n, b] of [[28, 16], [224, 96], [28, 12]]) {
        const m = resampleMatrix(method, n, b);
        for (let o = 0; o < b; o++) {
          let sum = 0;
          for (let i = 0; i < n; i++) sum += m[o * n + i];
          assert.ok(Math.abs(sum - 1) < 1e-9, `${method} ${n}→${b} row ${o} sums to ${sum}`);
        }
      }
      const flat = new Float32Array(2 * 28 * 28 * 3).fill(0.37);
      const got = onBackend(flat, [2, 28, 28, 3], method, 20);
      assert.ok(maxAbsDiff(got, new Float32Array(got.length).fill(0.37)) < 1e-5);
    });
  }

  it('lanczos weights follow the windowed sinc: 2× downsampling of a ramp is a ramp', () => {
    const ramp = Float32Array.from({ length: 28 * 28 }, (_, i) => i % 28);
    const got = onBackend(ramp, [1, 28, 28, 1], 'lanczos', 14);
    // Away from the borders the output samples the ramp at the centres of 2-pixel cells.
    for (let j = 3; j < 11; j++) assert.ok(Math.abs(got[5 * 14 + j] - (2 * j + 0.5)) < 1e-4);
  });

  it('rejects unknown methods and outputs larger than the input', () => {
    assert.throws(() => lowPass('cubic' as never, 28, 28, 14), /unknown low-pass method 'cubic'/);
    assert.throws(() => lowPass('area', 28, 28, 32), /output height must be an integer in 1 … 28, got 32/);
  });
});
