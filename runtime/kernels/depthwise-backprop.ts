// Gradients of a depthwise 2-D convolution (NHWC, filter [kh, kw, channels, multiplier]),
// which the wasm backend does not register at all. Direct loops: a depthwise layer has
// few multiply-adds per output, so there is no GEMM to hand them to.
import type * as tf from '@tensorflow/tfjs';
import { type ConvAttrs, type ConvGeometry, convGeometry } from './conv-geometry.js';
import { asWasmBackend, f32 } from './wasm-heap.js';

/**
 * Both gradients walk the same (output pixel, filter position) pairs that read an input pixel
 * inside the image. `'input'`: out = dx from dy and the filter w; `'filter'`: out = dw from dy
 * and the input x. One loop nest with the branch inside measured within 5% of two separate
 * copies; a callback per pair was a third slower.
 */
function accumulate(kind: 'input' | 'filter', g: ConvGeometry, dy: Float32Array, other: Float32Array, out: Float32Array): void {
  const C = g.inChannels;
  const M = g.outChannels / C;
  const { inHeight: H, inWidth: W, outHeight: OH, outWidth: OW } = g;
  const inputGradient = kind === 'input';
  out.fill(0);
  for (let n = 0; n < g.batch; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const dyBase = ((n * OH + oh) * OW + ow) * C * M;
        for (let kh = 0; kh < g.filterHeight; kh++) {
          const ih = oh * g.strideHeight - g.padTop + kh * g.dilationHeight;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < g.filterWidth; kw++) {
            const iw = ow * g.strideWidth - g.padLeft + kw * g.dilationWidth;
            if (iw < 0 || iw >= W) continue;
            const wBase = (kh * g.filterWidth + kw) * C * M;
            const xBase = ((n * H + ih) * W + iw) * C;
            if (inputGradient) {
              for (let c = 0; c < C; c++) {
                let sum = 0;
                for (let m = 0; m < M; m++) sum += dy[dyBase + c * M + m]! * other[wBase + c * M + m]!;
                out[xBase + c]! += sum;
              }
            } else {
              for (let c = 0; c < C; c++) {
                const xv = other[xBase + c]!;
                for (let m = 0; m < M; m++) out[wBase + c * M + m]! += xv * dy[dyBase + c * M + m]!;
              }
            }
          }
        }
      }
    }
  }
}

export const depthwiseBackpropInputKernel: tf.KernelFunc = (args) => {
  const dy = args.inputs['dy'] as tf.TensorInfo;
  const filter = args.inputs['filter'] as tf.TensorInfo;
  const attrs = args.attrs as unknown as ConvAttrs & { inputShape: number[] };
  const g = convGeometry('DepthwiseConv2dNativeBackpropInput', attrs.inputShape, filter.shape, attrs, true);
  const backend = asWasmBackend(args.backend);
  const dx = backend.makeOutput(attrs.inputShape, 'float32');
  accumulate('input', g, f32(backend, dy), f32(backend, filter), f32(backend, dx));
  return dx;
};

export const depthwiseBackpropFilterKernel: tf.KernelFunc = (args) => {
  const x = args.inputs['x'] as tf.TensorInfo;
  const dy = args.inputs['dy'] as tf.TensorInfo;
  const attrs = args.attrs as unknown as ConvAttrs & { filterShape: number[] };
  const g = convGeometry('DepthwiseConv2dNativeBackpropFilter', x.shape, attrs.filterShape, attrs, true);
  const backend = asWasmBackend(args.backend);
  const dw = backend.makeOutput(attrs.filterShape, 'float32');
  accumulate('filter', g, f32(backend, dy), f32(backend, x), f32(backend, dw));
  return dw;
};
