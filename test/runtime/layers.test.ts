import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { activate, BatchNorm, Conv2d, globalPool, LayerNorm, type BufferUpdate } from '../../runtime/models/layers.js';
import { MacCounter } from '../../runtime/models/macs.js';
import { ParameterSet } from '../../runtime/models/parameters.js';

/** Batch norm written plainly, differentiated by tfjs: the reference for the hand-written gradient. */
function referenceBatchNorm(x: tf.Tensor4D, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, BatchNorm.EPS))), gamma), beta);
}

/** Layer norm and tanh-form GELU written plainly, differentiated by tfjs. */
function referenceLayerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, LayerNorm.EPS))), gamma), beta);
}

function referenceGelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(x, tf.sigmoid(tf.mul(tf.add(x, tf.mul(tf.mul(tf.square(x), x), 0.044715)), 2 * Math.sqrt(2 / Math.PI))));
}

function maxDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('runtime layers', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('batch norm: values and gradients (input, scale, shift) match the plainly written version', () => {
    const set = new ParameterSet(5);
    const bn = new BatchNorm(set, 'bn', 3);
    bn.gamma.variable.assign(tf.tensor1d([0.5, 2, -1]));
    bn.beta.variable.assign(tf.tensor1d([0.1, 0, -0.3]));
    const x = tf.randomNormal([4, 5, 5, 3], 1, 2, 'float32', 11) as tf.Tensor4D;
    const weights = tf.randomNormal([4, 5, 5, 3], 0, 1, 'float32', 12);
    const loss = (f: (x: tf.Tensor4D, g: tf.Tensor, b: tf.Tensor) => tf.Tensor) => (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a as tf.Tensor4D, g, b), weights));
    const ours = tf.grads(loss((a) => bn.apply(a, { training: true })));
    const reference = tf.grads(loss(referenceBatchNorm));
    const gamma = bn.gamma.variable;
    const beta = bn.beta.variable;
    assert.ok(maxDifference(bn.apply(x, { training: true }), referenceBatchNorm(x, gamma, beta)) < 1e-5, 'forward');
    const [dx, dg, db] = ours([x, gamma, beta]);
    const [rx, rg, rb] = reference([x, gamma, beta]);
    assert.ok(maxDifference(dx, rx) < 1e-4, `d/dx differs by ${maxDifference(dx, rx)}`);
    assert.ok(maxDifference(dg, rg) < 1e-3, `d/dgamma differs by ${maxDifference(dg, rg)}`);
    assert.ok(maxDifference(db, rb) < 1e-3, `d/dbeta differs by ${maxDifference(db, rb)}`);
    set.dispose();
  });

  it('layer norm: values and gradients (input, scale, shift) match the plainly written version', () => {
    const set = new ParameterSet(3);
    const ln = new LayerNorm(set, 'ln', 6);
    ln.gamma.variable.assign(tf.tensor1d([0.5, 2, -1, 1, 0.3, 1.5]));
    ln.beta.variable.assign(tf.tensor1d([0.1, 0, -0.3, 0.2, 0, 1]));
    const x = tf.randomNormal([3, 5, 6], 1, 2, 'float32', 21);
    const weights = tf.randomNormal([3, 5, 6], 0, 1, 'float32', 22);
    const loss = (f: (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor) => (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, g, b), weights));
    const gamma = ln.gamma.variable;
    const beta = ln.beta.variable;
    assert.equal(maxDifference(ln.apply(x), referenceLayerNorm(x, gamma, beta)), 0, 'forward');
    const [dx, dg, db] = tf.grads(loss((a) => ln.apply(a)))([x, gamma, beta]);
    const [rx, rg, rb] = tf.grads(loss(referenceLayerNorm))([x, gamma, beta]);
    assert.ok(maxDifference(dx, rx) < 1e-4, `d/dx differs by ${maxDifference(dx, rx)}`);
    assert.ok(maxDifference(dg, rg) < 1e-4, `d/dgamma differs by ${maxDifference(dg, rg)}`);
    assert.ok(maxDifference(db, rb) < 1e-4, `d/dbeta differs by ${maxDifference(db, rb)}`);
    set.dispose();
  });

  it('a convolution whose windows tile the input (patch embedding) runs as one product: values, gradients and MACs of tf.conv2d', async () => {
    const set = new ParameterSet(9);
    const conv = new Conv2d(set, 'patch', 3, 5, 4, 4, 0, true, { kind: 'uniform-fan-in', fanIn: 48 });
    conv.bias!.variable.assign(tf.tensor1d([0.1, -0.2, 0.3, 0, 0.5]));
    const x = tf.randomNormal([2, 8, 12, 3], 0, 1, 'float32', 31) as tf.Tensor4D;
    const weights = tf.randomNormal([2, 2, 3, 5], 0, 1, 'float32', 32);
    const w = conv.weight.variable;
    const b = conv.bias!.variable;
    const reference = (a: tf.Tensor4D, kernel: tf.Tensor, bias: tf.Tensor) => tf.add(tf.conv2d(a, kernel as tf.Tensor4D, 4, 0), bias);
    const macs = new MacCounter();
    const profile = await tf.profile(() => {
      tf.tidy(() => {
        conv.apply(x, { training: false, macs });
      });
    });
    assert.ok(!profile.kernelNames.includes('Conv2D'), `ran ${profile.kernelNames.join(', ')}`);
    assert.equal(macs.macs, 2 * 3 * 4 * 4 * 3 * 5, 'MACs of the 2×3 windows');
    assert.ok(maxDifference(conv.apply(x, { training: false }), reference(x, w, b)) < 1e-5, 'forward');
    const loss = (f: (a: tf.Tensor4D, k: tf.Tensor, c: tf.Tensor) => tf.Tensor) => (a: tf.Tensor, k: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(f(a as tf.Tensor4D, k, c), weights));
    const ours = tf.grads(loss((a) => conv.apply(a, { training: true })))([x, w, b]);
    const theirs = tf.grads(loss(reference))([x, w, b]);
    ['input', 'kernel', 'bias'].forEach((what, i) => assert.ok(maxDifference(ours[i]!, theirs[i]!) < 1e-4, `d/d${what} differs by ${maxDifference(ours[i]!, theirs[i]!)}`));
    set.dispose();
  });

  it('GELU: values and gradient match the plainly written tanh form', () => {
    const x = tf.mul(tf.randomNormal([200], 0, 1, 'float32', 31), 3);
    const weights = tf.randomNormal([200], 0, 1, 'float32', 32);
    assert.equal(maxDifference(activate(x, 'gelu'), referenceGelu(x)), 0, 'forward');
    const ours = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(activate(a, 'gelu'), weights)))(x);
    const reference = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(referenceGelu(a), weights)))(x);
    assert.ok(maxDifference(ours, reference) < 1e-5, `d/dx differs by ${maxDifference(ours, reference)}`);
  });

  it('batch norm: a training pass leaves running statistics (momentum 0.1, unbiased variance) to apply after the step', () => {
    const set = new ParameterSet(1);
    const bn = new BatchNorm(set, 'bn', 1);
    const x = tf.tensor4d([1, 2, 3, 6], [4, 1, 1, 1]);
    const updates: BufferUpdate[] = [];
    tf.tidy(() => bn.apply(x, { training: true, updates }));
    assert.equal(updates.length, 2);
    const [mean, variance] = updates.map((u) => u.value.dataSync()[0]);
    // mean 3, unbiased variance 14/3; running values start at 0 and 1
    assert.ok(Math.abs(mean - 0.3) < 1e-6);
    assert.ok(Math.abs(variance - (0.9 + 0.1 * (14 / 3))) < 1e-6);
    tf.dispose(updates.map((u) => u.value));
    set.dispose();
  });

  it('average pooling over the map equals the mean over height and width', () => {
    const x = tf.randomNormal([3, 4, 5, 6], 0, 1, 'float32', 7) as tf.Tensor4D;
    assert.ok(maxDifference(globalPool(x, 'avg'), tf.mean(x, [1, 2])) < 1e-6);
    assert.deepEqual(globalPool(x, 'max').shape, [3, 6]);
  });
});
