import * as tf from '@tensorflow/tfjs';
import { assertSameOnWasm, randomInput, useCpuAndWasm, weightedGradients } from './compare.js';

describe('wasm UnsortedSegmentSum', function () {
  this.timeout(30000);
  useCpuAndWasm();

  it('matches the cpu backend, repeated and missing segments included', async () => {
    const ids = { shape: [7], data: Int32Array.from([3, 0, 3, 1, 0, 3, 1]), dtype: 'int32' as const };
    await assertSameOnWasm('segment sum', [randomInput([7, 4], 61), ids], (x, s) => tf.unsortedSegmentSum(x!, s as tf.Tensor1D, 5));
  });

  it('sums int32 data', async () => {
    const x = { shape: [4, 2], data: Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), dtype: 'int32' as const };
    const ids = { shape: [4], data: Int32Array.from([1, 1, 0, 1]), dtype: 'int32' as const };
    await assertSameOnWasm('int32 segment sum', [x, ids], (a, s) => tf.unsortedSegmentSum(a!, s as tf.Tensor1D, 2));
  });

  it('gives gather its gradient (the reason it is needed)', async () => {
    const ids = { shape: [6], data: Int32Array.from([2, 0, 2, 4, 1, 2]), dtype: 'int32' as const };
    await assertSameOnWasm('gather gradient', [randomInput([5, 3], 62), ids], (x, i) => {
      const r = tf.tensor(randomInput([6, 3], 63).data, [6, 3]);
      return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, i as tf.Tensor1D), r)))(x!);
    });
  });
});
