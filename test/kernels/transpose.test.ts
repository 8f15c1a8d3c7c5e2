import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { simplifyPermutation } from '../../runtime/kernels/transpose.js';
import { assertSameOnWasm, randomInput, runOn, useCpuAndWasm, weightedGradients } from './compare.js';

describe('wasm Transpose', function () {
  this.timeout(30000);
  useCpuAndWasm();

  const cases: [number[], number[]][] = [
    [[5, 7], [1, 0]],
    [[70, 45], [1, 0]],
    [[2, 3, 4], [2, 0, 1]],
    [[2, 3, 4], [1, 0, 2]],
    [[2, 3, 4], [0, 2, 1]],
    [[3, 9, 4, 16], [0, 2, 1, 3]],
    [[3, 9, 4, 16], [0, 2, 3, 1]],
    [[2, 1, 5, 1, 3], [4, 2, 0, 3, 1]],
    [[2, 3, 4, 5, 6], [4, 3, 2, 1, 0]],
    [[1, 1, 6], [2, 1, 0]],
    [[4, 6], [0, 1]],
    // rank 5, last axis kept: rows of a multiple of four words (SIMD row copies) and not
    [[4, 5, 3, 2, 8], [2, 0, 3, 1, 4]],
    [[3, 4, 2, 5, 8], [1, 3, 0, 2, 4]],
    [[2, 3, 4, 5, 4], [3, 1, 0, 2, 4]],
    [[2, 3, 3, 2, 6], [2, 0, 3, 1, 4]],
  ];

  for (const [shape, perm] of cases) {
    it(`matches the cpu backend for shape [${shape}] perm [${perm}]`, async () => {
      await assertSameOnWasm('transpose', [randomInput(shape, 31)], weightedGradients((x) => tf.transpose(x, perm)));
    });
  }

  it('moves int32 values exactly, including bit patterns that read as NaN in float32', async () => {
    const data = Int32Array.from([0x7fc00001, -1, 2147483647, -2147483648, 5, 6]);
    const [out] = await runOn('wasm', [{ shape: [2, 3], data, dtype: 'int32' }], (x) => tf.transpose(x));
    assert.deepEqual(Array.from(out!.data), [0x7fc00001, -2147483648, -1, 5, 2147483647, 6]);
  });

  it('simplifies unit axes and adjacent axes before moving data', () => {
    assert.deepEqual(simplifyPermutation([2, 3, 4, 5], [0, 1, 3, 2]), { shape: [6, 4, 5], perm: [0, 2, 1] });
    assert.deepEqual(simplifyPermutation([2, 1, 3], [2, 1, 0]), { shape: [2, 3], perm: [1, 0] });
    assert.deepEqual(simplifyPermutation([2, 3, 4], [0, 1, 2]), { shape: [24], perm: [0] });
  });
});
