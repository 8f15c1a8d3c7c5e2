// Sum over leading axes (the gradient of a broadcast bias add: [N, H, W, C] -> [C]).
// The stock wasm kernel first transposes the reduced axes to the end; summing rows
// in place reads memory once, in order (SIMD when the row width is a multiple of 4).
import * as tf from '@tensorflow/tfjs';
import { columnSumFor } from './simd/pooling-sums.js';
import { addressOf, asWasmBackend, f32, heapMemory, sizeOf } from './wasm-heap.js';

export function sumKernel(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = args.inputs['x'] as tf.TensorInfo;
    const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
    if (x.dtype !== 'float32' || !leading) return original(args);
    const kept = x.shape.slice(axes.length);
    const rows = sizeOf(x.shape.slice(0, axes.length));
    const width = sizeOf(kept);
    const backend = asWasmBackend(args.backend);
    const outShape = keepDims ? [...axes.map(() => 1), ...kept] : kept;
    const out = backend.makeOutput(outShape, 'float32');
    if (width % 4 === 0) {
      columnSumFor(heapMemory(backend))(addressOf(backend, x), addressOf(backend, out), rows, width);
      return out;
    }
    const acc = new Float64Array(width);
    const data = f32(backend, x);
    for (let r = 0, i = 0; r < rows; r++) {
      for (let j = 0; j < width; j++, i++) acc[j]! += data[i]!;
    }
    f32(backend, out).set(acc);
    return out;
  };
}
