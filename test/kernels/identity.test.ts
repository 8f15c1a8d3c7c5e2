import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { assertSameOnWasm, randomInput, useCpuAndWasm, weightedGradients } from './compare.js';

describe('wasm Identity and Cast', function () {
  this.timeout(30000);
  useCpuAndWasm();

  it('clone shares the data and survives disposing the original', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numBytes;
    const a = tf.tensor([1, 2, 3]);
    const b = tf.clone(a);
    const c = tf.cast(a, 'float32');
    a.dispose();
    assert.deepEqual(Array.from(b.dataSync()), [1, 2, 3]);
    b.dispose();
    assert.deepEqual(Array.from(c.dataSync()), [1, 2, 3]);
    c.dispose();
    assert.equal(tf.memory().numBytes, before, 'no buffer leaked');
  });

  it('casts between types as the cpu backend does', async () => {
    await assertSameOnWasm('cast', [randomInput([3, 4], 101)], (x) => [
      tf.cast(tf.mul(x, 10), 'int32'),
      tf.cast(tf.cast(tf.mul(x, 10), 'int32'), 'float32'),
      tf.cast(tf.greater(x, 0), 'float32'),
    ]);
  });

  it('gives the same gradients through cast and clone', async () => {
    await assertSameOnWasm('cast gradient', [randomInput([5, 6], 102)], weightedGradients((x) => tf.mul(tf.clone(x), tf.cast(x, 'float32'))));
  });
});
