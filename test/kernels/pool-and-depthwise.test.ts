import * as tf from '@tensorflow/tfjs';
import { assertSameOnWasm, type Input, randomInput, useCpuAndWasm, weightedGradients } from './compare.js';

/** Small integers, so pooling windows contain ties. */
function tiedInput(shape: number[], seed: number): Input {
  const r = randomInput(shape, seed);
  return { shape, data: r.data.map((v) => Math.round(v * 2)) };
}

describe('wasm MaxPoolGrad', function () {
  this.timeout(30000);
  useCpuAndWasm();

  const cases: { name: string; shape: number[]; size: number; stride: number; pad: 'same' | 'valid' }[] = [
    { name: '2x2 stride 2 valid', shape: [2, 8, 8, 3], size: 2, stride: 2, pad: 'valid' },
    { name: '2x2 stride 2 valid, odd size', shape: [2, 7, 9, 3], size: 2, stride: 2, pad: 'valid' },
    { name: '3x3 stride 2 same', shape: [2, 7, 7, 4], size: 3, stride: 2, pad: 'same' },
    { name: '3x3 stride 1 same (overlapping windows)', shape: [1, 6, 6, 2], size: 3, stride: 1, pad: 'same' },
    { name: '2x2 stride 2 valid, 8 channels (exact-cover SIMD path)', shape: [2, 8, 8, 8], size: 2, stride: 2, pad: 'valid' },
    { name: '2x2 stride 2 valid, 4 channels, non-square (exact-cover SIMD path)', shape: [3, 4, 10, 4], size: 2, stride: 2, pad: 'valid' },
    { name: '2x2 stride 2 valid, odd size, 8 channels (general SIMD path)', shape: [2, 9, 8, 8], size: 2, stride: 2, pad: 'valid' },
    { name: '2x2 stride 2 valid, odd size, 4 channels (SIMD path, uncovered edge)', shape: [2, 7, 9, 4], size: 2, stride: 2, pad: 'valid' },
    { name: '3x3 stride 3 valid, 12 channels (SIMD path)', shape: [1, 9, 7, 12], size: 3, stride: 3, pad: 'valid' },
  ];
  for (const c of cases) {
    it(`matches the cpu backend: ${c.name}`, async () => {
      await assertSameOnWasm(c.name, [randomInput(c.shape, 41)], weightedGradients((x) => tf.maxPool(x as tf.Tensor4D, c.size, c.stride, c.pad)));
    });
    it(`matches the cpu backend with tied maxima: ${c.name}`, async () => {
      await assertSameOnWasm(c.name, [tiedInput(c.shape, 42)], weightedGradients((x) => tf.maxPool(x as tf.Tensor4D, c.size, c.stride, c.pad)));
    });
  }

  it('matches the cpu backend for avgPool gradients (stock kernel, listed for completeness)', async () => {
    await assertSameOnWasm('avgPool', [randomInput([2, 8, 8, 3], 43)], weightedGradients((x) => tf.avgPool(x as tf.Tensor4D, 2, 2, 'valid')));
  });
});

describe('wasm depthwise conv2d gradients', function () {
  this.timeout(30000);
  useCpuAndWasm();

  const cases: { name: string; x: number[]; filter: number[]; stride: number; pad: 'same' | 'valid' }[] = [
    { name: '3x3 multiplier 1 stride 1 same', x: [2, 6, 6, 3], filter: [3, 3, 3, 1], stride: 1, pad: 'same' },
    { name: '3x3 multiplier 2 stride 2 same', x: [2, 7, 7, 3], filter: [3, 3, 3, 2], stride: 2, pad: 'same' },
    { name: '5x5 multiplier 1 stride 1 valid', x: [1, 8, 8, 4], filter: [5, 5, 4, 1], stride: 1, pad: 'valid' },
    { name: '2x2 multiplier 3 stride 2 valid', x: [2, 6, 5, 2], filter: [2, 2, 2, 3], stride: 2, pad: 'valid' },
  ];
  for (const c of cases) {
    it(`match the cpu backend: ${c.name}`, async () => {
      await assertSameOnWasm(
        c.name,
        [randomInput(c.x, 51), randomInput(c.filter, 52)],
        weightedGradients((x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad)),
      );
    });
  }
});

describe('wasm Sum over leading axes', function () {
  this.timeout(30000);
  useCpuAndWasm();

  const cases: { axes: number | number[]; keepDims: boolean }[] = [
    { axes: 0, keepDims: false },
    { axes: [0, 1, 2], keepDims: false },
    { axes: [1, 0], keepDims: true },
    { axes: [-1], keepDims: false },
    { axes: [0, 2], keepDims: false },
    { axes: [0, 1, 2, 3], keepDims: false },
  ];
  const simdCases: { shape: number[]; axes: number[] }[] = [
    { shape: [6, 8, 12], axes: [0, 1] },
    { shape: [700, 8], axes: [0] },
    { shape: [3, 5, 20], axes: [0] },
  ];
  for (const c of simdCases) {
    it(`matches the cpu backend for [${c.shape}] over axes [${c.axes}] (SIMD path)`, async () => {
      await assertSameOnWasm('sum', [randomInput(c.shape, 82)], weightedGradients((x) => tf.sum(x, c.axes)));
    });
  }
  for (const c of cases) {
    it(`matches the cpu backend for axes ${JSON.stringify(c.axes)}, keepDims ${c.keepDims}`, async () => {
      await assertSameOnWasm('sum', [randomInput([4, 5, 6, 7], 81)], weightedGradients((x) => tf.sum(x, c.axes, c.keepDims)));
    });
  }
});
