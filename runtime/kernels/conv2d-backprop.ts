// Gradients of a 2-D convolution (NHWC) on the wasm backend, built on XNNPACK's GEMM
// and convolution instead of the scalar loops of the stock kernels.
//
// Filter gradient: dW[(kh,kw,i), o] = sum_p patches[(kh,kw,i), p] * dy[p, o] over the
// patch matrix (im2col, written directly in transposed layout), summed over the patches
// by the tall-product SIMD kernel (simd/tall-product.ts), which reads both operands in
// place and packs nothing; with fewer patches than patch rows or output channels, one
// XNNPACK GEMM instead.
// Input gradient, stride 1: a forward convolution of dy with the flipped filter
// (in/out channels swapped), padded so the output has the input's size.
// Input gradient, other strides: patch rows = dy x W^T (one GEMM), then added back
// into the image (col2im).
import type * as tf from '@tensorflow/tfjs';
import {
  col2imAdd,
  type ConvAttrs,
  type ConvGeometry,
  convGeometry,
  flipAndSwapFilter,
  im2colTransposed,
} from './conv-geometry.js';
import { transposeLastTwo } from './matmul.js';
import { tallProductChunk, tallProductFor } from './simd/tall-product.js';
import { transposeTilesFor } from './simd/transpose-tiles.js';
import { addressOf, asWasmBackend, f32, heapMemory, release, sizeOf, type WasmBackend, withShape } from './wasm-heap.js';

export interface ConvOriginals {
  /** The stock BatchMatMul kernel, used only for its fast 2-D path. */
  batchMatMul: tf.KernelFunc;
  /** The stock Conv2D kernel. */
  conv2d: tf.KernelFunc;
}

function gemm(originals: ConvOriginals, backend: unknown, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
  return originals.batchMatMul({
    inputs: { a, b },
    backend: backend as tf.KernelBackend,
    attrs: { transposeA: false, transposeB: false },
  }) as tf.TensorInfo;
}

function zeros(backend: WasmBackend, shape: number[]): tf.TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  f32(backend, out).fill(0);
  return out;
}

export function conv2DBackpropFilterKernel(originals: ConvOriginals): tf.KernelFunc {
  return (args) => {
    const x = args.inputs['x'] as tf.TensorInfo;
    const dy = args.inputs['dy'] as tf.TensorInfo;
    const attrs = args.attrs as unknown as ConvAttrs & { filterShape: number[] };
    const g = convGeometry('Conv2DBackpropFilter', x.shape, attrs.filterShape, attrs);
    const backend = asWasmBackend(args.backend);
    const patches = g.batch * g.outHeight * g.outWidth;
    const rows = g.filterHeight * g.filterWidth * g.inChannels;
    if (patches === 0 || rows === 0 || g.outChannels === 0) return zeros(backend, attrs.filterShape);
    const colsT = backend.makeOutput([rows, patches], 'float32');
    im2colTransposed(transposeTilesFor(heapMemory(backend)), f32(backend, x), g, f32(backend, colsT));
    if (patches < Math.max(rows, g.outChannels)) {
      // Few patches and wide sides (deep layers on small maps): XNNPACK's packed GEMM is faster.
      const dw = gemm(originals, args.backend, colsT, withShape(dy, [patches, g.outChannels]));
      release(backend, colsT);
      return withShape(dw, attrs.filterShape);
    }
    // colsT x dy summed over the patches: the tall product reads colsT in place and packs nothing.
    const dw = backend.makeOutput([rows, g.outChannels], 'float32');
    tallProductFor(heapMemory(backend))(
      addressOf(backend, colsT),
      addressOf(backend, dy),
      addressOf(backend, dw),
      patches,
      rows,
      g.outChannels,
      4,
      4 * patches,
      tallProductChunk(rows, g.outChannels),
    );
    release(backend, colsT);
    return withShape(dw, attrs.filterShape);
  };
}

/** Paddings that turn the input gradient into a stride-1 forward convolution, if any. */
function transposedPadding(g: ConvGeometry): [number, number, number, number] | undefined {
  if (g.strideHeight !== 1 || g.strideWidth !== 1 || g.dilationHeight !== 1 || g.dilationWidth !== 1) return undefined;
  const top = g.filterHeight - 1 - g.padTop;
  const left = g.filterWidth - 1 - g.padLeft;
  const bottom = g.inHeight + g.padTop - g.outHeight;
  const right = g.inWidth + g.padLeft - g.outWidth;
  return top >= 0 && left >= 0 && bottom >= 0 && right >= 0 ? [top, bottom, left, right] : undefined;
}

export function conv2DBackpropInputKernel(originals: ConvOriginals): tf.KernelFunc {
  return (args) => {
    const dy = args.inputs['dy'] as tf.TensorInfo;
    const filter = args.inputs['filter'] as tf.TensorInfo;
    const attrs = args.attrs as unknown as ConvAttrs & { inputShape: number[] };
    const g = convGeometry('Conv2DBackpropInput', attrs.inputShape, filter.shape, attrs);
    const backend = asWasmBackend(args.backend);
    const patches = g.batch * g.outHeight * g.outWidth;
    if (patches === 0 || sizeOf(filter.shape) === 0) return zeros(backend, attrs.inputShape);

    const pads = transposedPadding(g);
    if (pads !== undefined) {
      const flipped = backend.makeOutput([g.filterHeight, g.filterWidth, g.outChannels, g.inChannels], 'float32');
      flipAndSwapFilter(f32(backend, filter), g, f32(backend, flipped));
      const [top, bottom, left, right] = pads;
      const out = originals.conv2d({
        inputs: { x: dy, filter: flipped },
        backend: args.backend as tf.KernelBackend,
        attrs: {
          strides: [1, 1],
          pad: [
            [0, 0],
            [top, bottom],
            [left, right],
            [0, 0],
          ],
          dilations: [1, 1],
          dataFormat: 'NHWC',
        },
      }) as tf.TensorInfo;
      release(backend, flipped);
      return withShape(out, attrs.inputShape);
    }

    const rowLength = g.filterHeight * g.filterWidth * g.inChannels;
    const filterT = transposeLastTwo(backend, withShape(filter, [rowLength, g.outChannels]));
    const cols = gemm(originals, args.backend, withShape(dy, [patches, g.outChannels]), filterT);
    const dx = backend.makeOutput(attrs.inputShape, 'float32');
    const dxData = f32(backend, dx);
    dxData.fill(0);
    col2imAdd(f32(backend, cols), g, dxData);
    release(backend, filterT, cols);
    return dx;
  };
}
