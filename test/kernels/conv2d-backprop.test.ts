import * as tf from '@tensorflow/tfjs';
import { assertSameOnWasm, randomInput, useCpuAndWasm, weightedGradients } from './compare.js';

type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;

interface ConvCase {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
}

const CASES: ConvCase[] = [
  { name: '3x3 stride 1 same', x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { name: '3x3 stride 1 valid', x: [2, 6, 7, 2], filter: [3, 3, 2, 5], strides: 1, pad: 'valid' },
  { name: '3x3 stride 2 same', x: [2, 8, 8, 3], filter: [3, 3, 3, 5], strides: 2, pad: 'same' },
  { name: '3x3 stride 2 valid, odd size', x: [2, 9, 9, 2], filter: [3, 3, 2, 4], strides: 2, pad: 'valid' },
  { name: 'patch embedding 4x4 stride 4', x: [2, 8, 8, 1], filter: [4, 4, 1, 8], strides: 4, pad: 'valid' },
  { name: 'patch embedding 4x4 stride 4, 3 channels', x: [1, 12, 12, 3], filter: [4, 4, 3, 6], strides: 4, pad: 'valid' },
  { name: '2x2 stride 1 same (uneven padding)', x: [1, 5, 5, 2], filter: [2, 2, 2, 3], strides: 1, pad: 'same' },
  { name: '5x5 stride 1 same', x: [1, 6, 6, 2], filter: [5, 5, 2, 3], strides: 1, pad: 'same' },
  { name: '1x1 stride 1', x: [2, 4, 4, 6], filter: [1, 1, 6, 3], strides: 1, pad: 'valid' },
  { name: '3x3, 1 input channel to 16 (9 patch rows, 16 columns)', x: [2, 6, 6, 1], filter: [3, 3, 1, 16], strides: 1, pad: 'same' },
  { name: '3x3, 1 input channel to 32 on 28x28 (9 patch rows, 1568 patches)', x: [2, 28, 28, 1], filter: [3, 3, 1, 32], strides: 1, pad: 'same' },
  { name: '3x3, 1 input channel to 10 (few patch rows, column tail)', x: [3, 9, 9, 1], filter: [3, 3, 1, 10], strides: 1, pad: 'same' },
  { name: '3x3, 16 channels to 32 on 14x14 (patch rows in 4-row bands, patches in several passes)', x: [2, 14, 14, 16], filter: [3, 3, 16, 32], strides: 1, pad: 'same' },
  { name: '3x3, 32 channels to 48 on 3x3 (fewer patches than patch rows: packed GEMM)', x: [2, 3, 3, 32], filter: [3, 3, 32, 48], strides: 1, pad: 'same' },
  { name: '2x3 filter, strides [1, 2]', x: [2, 6, 7, 3], filter: [2, 3, 3, 4], strides: [1, 2], pad: 'valid' },
  { name: '3x3 stride 3 same', x: [1, 10, 10, 2], filter: [3, 3, 2, 3], strides: 3, pad: 'same' },
  {
    name: 'explicit padding, stride 1',
    x: [1, 6, 5, 2],
    filter: [3, 3, 2, 3],
    strides: 1,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
  {
    name: 'explicit padding, stride 2',
    x: [2, 7, 6, 2],
    filter: [3, 3, 2, 3],
    strides: 2,
    pad: [
      [0, 0],
      [2, 0],
      [1, 1],
      [0, 0],
    ],
  },
];

describe('wasm conv2d gradients (Conv2DBackpropFilter, Conv2DBackpropInput)', function () {
  this.timeout(30000);
  useCpuAndWasm();

  for (const c of CASES) {
    it(`match the cpu backend: ${c.name}`, async () => {
      await assertSameOnWasm(
        c.name,
        [randomInput(c.x, 1), randomInput(c.filter, 2)],
        weightedGradients((x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.strides, c.pad)),
      );
    });
  }

  it('match the cpu backend for a fused conv2d with bias and relu', async () => {
    await assertSameOnWasm(
      'fused conv2d',
      [randomInput([2, 8, 8, 3], 3), randomInput([3, 3, 3, 4], 4), randomInput([4], 5)],
      weightedGradients((x, w, b) =>
        tf.fused.conv2d({
          x: x as tf.Tensor4D,
          filter: w as tf.Tensor4D,
          bias: b,
          strides: 2,
          pad: 'same',
          activation: 'relu',
        }),
      ),
    );
  });

  it('give conv2dTranspose (which runs Conv2DBackpropInput forward) the cpu result', async () => {
    await assertSameOnWasm('conv2dTranspose stride 2', [randomInput([2, 4, 4, 5], 6), randomInput([3, 3, 3, 5], 7)], (dy, w) =>
      tf.conv2dTranspose(dy as tf.Tensor4D, w as tf.Tensor4D, [2, 8, 8, 3], 2, 'same'),
    );
    await assertSameOnWasm('conv2dTranspose stride 1', [randomInput([2, 6, 6, 5], 8), randomInput([3, 3, 3, 5], 9)], (dy, w) =>
      tf.conv2dTranspose(dy as tf.Tensor4D, w as tf.Tensor4D, [2, 6, 6, 3], 1, 'same'),
    );
  });
});
