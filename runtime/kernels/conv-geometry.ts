// Shapes, paddings and patch copies (im2col / col2im) shared by the convolution
// gradient kernels. Layout is NHWC throughout; filters are [kh, kw, in, out].
import * as tf from '@tensorflow/tfjs';
import type { TransposeTilesFn } from './simd/transpose-tiles.js';

export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
  padBottom: number;
  padRight: number;
}

export interface ConvAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dilations?: number | [number, number];
}

export function convGeometry(
  kernelName: string,
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: ConvAttrs,
  depthwise = false,
): ConvGeometry {
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') {
    throw new Error(`${kernelName} on wasm supports dataFormat 'NHWC' only, got '${attrs.dataFormat}'`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
    padBottom: info.padInfo.bottom,
    padRight: info.padInfo.right,
  };
}

/** The range [lo, hi) of output columns whose tap at offset `tap` lands inside the input. */
function insideRange(outSize: number, inSize: number, stride: number, pad: number, tap: number): [number, number] {
  const lo = Math.min(outSize, Math.max(0, Math.ceil((pad - tap) / stride)));
  const hi = Math.max(lo, Math.min(outSize, Math.ceil((inSize + pad - tap) / stride)));
  return [lo, hi];
}

/**
 * Patches of x laid out as rows: colsT[(kh*KW + kw)*C + c][p] with p = (n, oh, ow);
 * zero where the window hangs over the padding. For one filter tap and one output row,
 * the valid stretch is a transpose of a [ow, C] block of x into C rows of colsT, done
 * by the WebAssembly tile function; x and colsT are views into the same heap.
 */
export function im2colTransposed(tiles: TransposeTilesFn, x: Float32Array, g: ConvGeometry, colsT: Float32Array): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const P = batch * OH * OW;
  colsT.fill(0);
  for (let kh = 0; kh < g.filterHeight; kh++) {
    for (let kw = 0; kw < g.filterWidth; kw++) {
      const tapW = kw * g.dilationWidth;
      const [lo, hi] = insideRange(OW, W, g.strideWidth, g.padLeft, tapW);
      if (hi <= lo) continue;
      const firstColumn = lo * g.strideWidth - g.padLeft + tapW;
      const rowBase = colsT.byteOffset + 4 * (kh * g.filterWidth + kw) * C * P;
      for (let n = 0; n < batch; n++) {
        for (let oh = 0; oh < OH; oh++) {
          const ih = oh * g.strideHeight - g.padTop + kh * g.dilationHeight;
          if (ih < 0 || ih >= H) continue;
          const src = x.byteOffset + 4 * ((n * H + ih) * W + firstColumn) * C;
          const dst = rowBase + 4 * ((n * OH + oh) * OW + lo);
          tiles(src, dst, hi - lo, C, g.strideWidth * C, P);
        }
      }
    }
  }
}

/**
 * Adds patch rows back into an image: dx[n, ih, iw, c] += cols[p][(kh*KW + kw)*C + c].
 * dx must be zeroed by the caller.
 */
export function col2imAdd(cols: Float32Array, g: ConvGeometry, dx: Float32Array): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const KH = g.filterHeight;
  const KW = g.filterWidth;
  const rowLength = KH * KW * C;
  let p = 0;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, p++) {
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * g.strideHeight - g.padTop + kh * g.dilationHeight;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * g.strideWidth - g.padLeft + kw * g.dilationWidth;
            if (iw < 0 || iw >= W) continue;
            let src = p * rowLength + (kh * KW + kw) * C;
            let dst = ((n * H + ih) * W + iw) * C;
            for (let c = 0; c < C; c++) dx[dst++]! += cols[src++]!;
          }
        }
      }
    }
  }
}

/** filter[kh, kw, i, o] -> flipped[KH-1-kh, KW-1-kw, o, i] (correlation <-> convolution). */
export function flipAndSwapFilter(filter: Float32Array, g: ConvGeometry, flipped: Float32Array): void {
  const { filterHeight: KH, filterWidth: KW, inChannels: I, outChannels: O } = g;
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      const src = (kh * KW + kw) * I * O;
      const dst = ((KH - 1 - kh) * KW + (KW - 1 - kw)) * O * I;
      for (let i = 0; i < I; i++) {
        for (let o = 0; o < O; o++) flipped[dst + o * I + i] = filter[src + i * O + o]!;
      }
    }
  }
}
