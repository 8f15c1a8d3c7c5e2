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

  // Aᵀ·B summed over more rows than either side of the result: the tall-product kernel.
  it('Aᵀ·B over many rows, in several passes, with every tile edge (4- and 1-row bands; 8-, 4- and 1-column tiles)', async () => {
    await assertSameOnWasm(
      'matMul tall 300x13 x 300x29',
      [randomInput([300, 13], 25), randomInput([300, 29], 26)],
      (x, y) => tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D, true, false),
    );
  });

  it('a dense layer on 1280 token rows (dim 32 → 96): values and both gradients', async () => {
    await assertSameOnWasm(
      'dense 1280x32 x 32x96',
      [randomInput([1280, 32], 27), randomInput([32, 96], 28)],
      weightedGradients((x, w) => tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D)),
    );
  });

  it('Aᵀ·B with fewer rows than a side of the result keeps the packed GEMM and agrees too', async () => {
    await assertSameOnWasm(
      'matMul short 20x40 x 20x30',
      [randomInput([20, 40], 29), randomInput([20, 30], 30)],
      (x, y) => tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D, true, false),
    );
  });
});
