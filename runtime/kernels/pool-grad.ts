// Gradient of max pooling (NHWC): the maximum of each window is found again in the
// input and receives the window's gradient. 2x2 stride-2 windows that cover the input
// exactly, and other windows that tile it (stride = window, 'valid'), with channels in
// fours, run in SIMD functions; other shapes in JavaScript.
// Ties go to the first maximum in row-major window order, as in the cpu backend.
import * as tf from '@tensorflow/tfjs';
import { maxPoolGrad2x2For, tiledMaxPoolGradFor } from './simd/pooling-sums.js';
import { addressOf, asWasmBackend, f32, heapMemory } from './wasm-heap.js';

interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export const maxPoolGradKernel: tf.KernelFunc = (args) => {
  const dy = args.inputs['dy'] as tf.TensorInfo;
  const x = args.inputs['input'] as tf.TensorInfo;
  const attrs = args.attrs as unknown as PoolAttrs;
  const info = tf.backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const backend = asWasmBackend(args.backend);
  const dx = backend.makeOutput(x.shape, 'float32');
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const p = info.padInfo;
  const exact2x2 =
    info.filterHeight === 2 && info.filterWidth === 2 && info.strideHeight === 2 && info.strideWidth === 2 &&
    H === 2 * OH && W === 2 * OW && p.top === 0 && p.left === 0 && C % 4 === 0;
  if (exact2x2) {
    maxPoolGrad2x2For(heapMemory(backend))(addressOf(backend, x), addressOf(backend, dy), addressOf(backend, dx), batchSize * OH, OW, C);
    return dx;
  }
  const dxData = f32(backend, dx);
  dxData.fill(0);
  const tiled =
    info.strideHeight === info.filterHeight &&
    info.strideWidth === info.filterWidth &&
    p.top === 0 && p.left === 0 && p.bottom === 0 && p.right === 0 &&
    C % 4 === 0;
  if (tiled) {
    tiledMaxPoolGradFor(heapMemory(backend))(
      addressOf(backend, x), addressOf(backend, dy), addressOf(backend, dx),
      batchSize, H, W, C, info.filterHeight, info.filterWidth, OH, OW,
    );
    return dx;
  }
  const xData = f32(backend, x);
  const dyData = f32(backend, dy);
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const top = oh * info.strideHeight - info.padInfo.top;
      const r0 = Math.max(0, top);
      const r1 = Math.min(H, top + info.filterHeight);
      for (let ow = 0; ow < OW; ow++) {
        const left = ow * info.strideWidth - info.padInfo.left;
        const c0 = Math.max(0, left);
        const c1 = Math.min(W, left + info.filterWidth);
        const dyBase = ((n * OH + oh) * OW + ow) * C;
        for (let c = 0; c < C; c++) {
          let best = -Infinity;
          let at = -1;
          for (let r = r0; r < r1; r++) {
            let i = ((n * H + r) * W + c0) * C + c;
            for (let col = c0; col < c1; col++, i += C) {
              const v = xData[i]!;
              if (v > best) {
                best = v;
                at = i;
              }
            }
          }
          if (at >= 0) dxData[at]! += dyData[dyBase + c]!;
        }
      }
    }
  }
  return dx;
};
