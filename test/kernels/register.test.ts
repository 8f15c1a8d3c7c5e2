import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { fastKernelNames, registerFastKernels } from '../../runtime/kernels/index.js';
import { assertSameOnWasm, randomInput, useCpuAndWasm, weightedGradients } from './compare.js';

describe('registerFastKernels', function () {
  this.timeout(30000);
  useCpuAndWasm();

  it('lists the kernels it installs on the wasm backend', () => {
    const names = registerFastKernels();
    assert.deepEqual(names, fastKernelNames());
    for (const name of [
      'Conv2DBackpropFilter',
      'Conv2DBackpropInput',
      'BatchMatMul',
      '_FusedMatMul',
      'Transpose',
      'MaxPoolGrad',
      'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
      'UnsortedSegmentSum',
    ]) {
      assert.ok(names.includes(name), `${name} is registered`);
      assert.ok(tf.getKernel(name, 'wasm') !== undefined, `${name} is in the registry`);
    }
  });

  it('is idempotent: a second call wraps nothing twice and results stay right', async () => {
    const before = fastKernelNames().map((n) => tf.getKernel(n, 'wasm')!.kernelFunc);
    registerFastKernels();
    registerFastKernels();
    const after = fastKernelNames().map((n) => tf.getKernel(n, 'wasm')!.kernelFunc);
    assert.deepEqual(after, before);
    await assertSameOnWasm(
      'matMul after re-registration',
      [randomInput([5, 6], 71), randomInput([5, 4], 72)],
      weightedGradients((a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, true, false)),
    );
  });
});
