import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { assertSameOnWasm, randomInput, runOn, useCpuAndWasm, weightedGradients } from './compare.js';

describe('wasm Slice, Unpack and SplitV', function () {
  this.timeout(30000);
  useCpuAndWasm();

  const slices: { shape: number[]; begin: number[]; size: number[] }[] = [
    { shape: [10], begin: [3], size: [5] },
    { shape: [6, 7], begin: [1, 2], size: [3, 4] },
    { shape: [6, 7], begin: [2, 0], size: [3, 7] },
    { shape: [3, 4, 5, 6], begin: [1, 0, 2, 0], size: [2, 4, 3, 6] },
    { shape: [2, 3, 40], begin: [0, 1, 3], size: [2, 2, 30] },
    { shape: [4, 5], begin: [0, 0], size: [-1, 2] },
  ];
  for (const c of slices) {
    it(`slices [${c.shape}] at [${c.begin}] size [${c.size}] as the cpu backend does`, async () => {
      await assertSameOnWasm('slice', [randomInput(c.shape, 91)], weightedGradients((x) => tf.slice(x, c.begin, c.size)));
    });
  }

  it('slices int32 and bool tensors exactly', async () => {
    const data = Int32Array.from({ length: 24 }, (_, i) => (i * 2654435761) | 0);
    const [ints] = await runOn('wasm', [{ shape: [4, 6], data, dtype: 'int32' }], (x) => tf.slice(x, [1, 2], [2, 3]));
    assert.deepEqual(Array.from(ints!.data), [8, 9, 10, 14, 15, 16].map((i) => data[i]));
    const [bools] = await runOn('wasm', [randomInput([4, 6], 92)], (x) => tf.slice(tf.greater(x, 0), [1, 2], [2, 3]));
    const expected = (await runOn('cpu', [randomInput([4, 6], 92)], (x) => tf.slice(tf.greater(x, 0), [1, 2], [2, 3])))[0]!;
    assert.deepEqual(Array.from(bools!.data), Array.from(expected.data));
  });

  for (const axis of [0, 1, 2, -1]) {
    it(`unstacks along axis ${axis} like the cpu backend`, async () => {
      await assertSameOnWasm('unstack', [randomInput([3, 4, 5], 93)], weightedGradients((x) => tf.stack(tf.unstack(x, axis).map((t, i) => tf.mul(t, i + 1)))));
    });
  }

  it('splits into equal and unequal parts like the cpu backend', async () => {
    await assertSameOnWasm('split equal', [randomInput([4, 6, 5], 94)], (x) => tf.split(x, 3, 1));
    await assertSameOnWasm('split sizes', [randomInput([4, 6, 5], 95)], weightedGradients((x) => tf.concat(tf.split(x, [1, 3, 1], -1).map((t, i) => tf.mul(t, i + 2)), -1)));
  });
});
