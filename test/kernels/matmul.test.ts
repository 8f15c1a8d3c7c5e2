import * as tf from '@tensorflow/tfjs';
import { assertSameOnWasm, randomInput, useCpuAndWasm, weightedGradients } from './compare.js';

describe('wasm matMul (BatchMatMul, _FusedMatMul) values and gradients', function () {
  this.timeout(30000);
  useCpuAndWasm();

  const flags: [boolean, boolean][] = [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ];

  for (const [ta, tb] of flags) {
    it(`2-D, transposeA=${ta}, transposeB=${tb}`, async () => {
      const a = randomInput(ta ? [7, 5] : [5, 7], 11);
      const b = randomInput(tb ? [6, 7] : [7, 6], 12);
      await assertSameOnWasm(
        'matMul 2-D',
        [a, b],
        weightedGradients((x, y) => tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D, ta, tb)),
      );
    });

    it(`batched 3-D, transposeA=${ta}, transposeB=${tb}`, async () => {
      const a = randomInput(ta ? [4, 9, 8] : [4, 8, 9], 13);
      const b = randomInput(tb ? [4, 5, 9] : [4, 9, 5], 14);
      await assertSameOnWasm(
        'matMul 3-D',
        [a, b],
        weightedGradients((x, y) => tf.matMul(x as tf.Tensor3D, y as tf.Tensor3D, ta, tb)),
      );
    });

    it(`batched left operand times one matrix, transposeA=${ta}, transposeB=${tb}`, async () => {
      const a = randomInput(ta ? [3, 6, 4] : [3, 4, 6], 15);
      const b = randomInput(tb ? [1, 5, 6] : [1, 6, 5], 16);
      await assertSameOnWasm('matMul broadcast', [a, b], (x, y) => tf.matMul(x as tf.Tensor3D, y as tf.Tensor3D, ta, tb));
    });
  }

  it('a large product that goes through the fast GEMM path', async () => {
    await assertSameOnWasm(
      'matMul 96x200x70',
      [randomInput([96, 200], 17), randomInput([200, 70], 18)],
      weightedGradients((x, y) => tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D)),
    );
  });

  it('attention-shaped products (4-D, heads as a batch axis)', async () => {
    await assertSameOnWasm(
      'attention',
      [randomInput([2, 4, 9, 16], 19), randomInput([2, 4, 9, 16], 20), randomInput([2, 4, 9, 16], 21)],
      weightedGradients((q, k, v) => tf.matMul(tf.softmax(tf.matMul(q, k, false, true)), v)),
    );
  });

  for (const [ta, tb] of flags) {
    it(`fused matMul with bias and relu, transposeA=${ta}, transposeB=${tb}`, async () => {
      const a = randomInput(ta ? [6, 10] : [10, 6], 22);
      const b = randomInput(tb ? [4, 6] : [6, 4], 23);
      await assertSameOnWasm(
        'fused matMul',
        [a, b, randomInput([4], 24)],
        weightedGradients((x, y, bias) =>
          tf.fused.matMul({ a: x as tf.Tensor2D, b: y as tf.Tensor2D, transposeA: ta, transposeB: tb, bias, activation: 'relu' }),
        ),
      );
    });
  }
});
