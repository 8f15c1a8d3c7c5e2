// The fused attention kernels of the wasm backend give what the op-by-op attention gives on the
// cpu backend: the merged heads and the gradient of the qkv rows.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { ATTENTION, ATTENTION_GRAD, hasFusedAttention, type AttentionAttrs } from '../../runtime/kernels/attention.js';
import { multiHeadAttention } from '../../runtime/models/layers.js';
import { assertClose, randomArray, useCpuAndWasm } from '../kernels/compare.js';

interface Result {
  shape: number[];
  data: Float32Array;
}

/** y = attention(qkv) and d(Σ y·w)/d qkv for random qkv (spread 2: peaked softmax rows) and w; also the kernels that ran. */
async function attentionOn(backend: 'cpu' | 'wasm', attrs: AttentionAttrs, width: number): Promise<{ results: Result[]; kernels: string[] }> {
  await tf.setBackend(backend);
  const rows = attrs.images * attrs.tokens;
  let results: Result[] = [];
  const profile = await tf.profile(() =>
    tf.tidy(() => {
      const qkv = tf.mul(tf.tensor2d(randomArray(rows * 3 * width, 11), [rows, 3 * width]), 2) as tf.Tensor2D;
      const w = tf.tensor2d(randomArray(rows * width, 12), [rows, width]);
      const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(multiHeadAttention(x as tf.Tensor2D, attrs), w)))(qkv);
      results = [multiHeadAttention(qkv, attrs), grad].map((t) => ({ shape: t.shape, data: t.dataSync() as Float32Array }));
    }),
  );
  return { results, kernels: profile.kernelNames };
}

describe('fused attention kernels (wasm)', function () {
  this.timeout(30000);
  useCpuAndWasm();

  it('are registered on wasm only', async () => {
    await tf.setBackend('wasm');
    assert.ok(hasFusedAttention(), 'wasm has both kernels');
    await tf.setBackend('cpu');
    assert.ok(!hasFusedAttention(), 'cpu takes the op-by-op path');
  });

  // Token counts of a patch-4 ViT with a class token at 12, 20 and 28 px, one head, odd head widths.
  const cases: [AttentionAttrs, number][] = [
    [{ images: 3, tokens: 10, heads: 2 }, 32],
    [{ images: 2, tokens: 26, heads: 2 }, 32],
    [{ images: 2, tokens: 50, heads: 4 }, 64],
    [{ images: 5, tokens: 7, heads: 1 }, 12],
    [{ images: 1, tokens: 3, heads: 3 }, 9],
  ];
  for (const [attrs, width] of cases) {
    it(`${attrs.images} images × ${attrs.tokens} tokens, ${attrs.heads} heads of ${width / attrs.heads}: output and qkv gradient agree with the op-by-op version on cpu`, async () => {
      const expected = await attentionOn('cpu', attrs, width);
      const actual = await attentionOn('wasm', attrs, width);
      assert.ok(!expected.kernels.includes(ATTENTION), 'cpu ran the op-by-op version');
      assert.ok(actual.kernels.includes(ATTENTION) && actual.kernels.includes(ATTENTION_GRAD), 'wasm ran the fused kernels');
      assertClose(actual.results[0]!, expected.results[0]!, 'y', 1e-5);
      assertClose(actual.results[1]!, expected.results[1]!, 'dqkv', 1e-5);
    });
  }

  it('refuse rows that do not hold the images and tokens they are said to', async () => {
    await tf.setBackend('wasm');
    const qkv = tf.zeros([20, 96]);
    assert.throws(
      () => tf.engine().runKernel(ATTENTION, { qkv } as unknown as tf.NamedTensorMap, { images: 3, tokens: 10, heads: 2 }),
      /rows of shape \[20,96\] do not hold 3 images of 10 tokens of width 96/,
    );
    assert.throws(
      () => tf.engine().runKernel(ATTENTION, { qkv } as unknown as tf.NamedTensorMap, { images: 2, tokens: 10, heads: 5 }),
      /width 96 does not split into 5 heads of q, k and v/,
    );
    qkv.dispose();
  });
});
