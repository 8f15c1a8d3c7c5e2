// UnsortedSegmentSum (the gradient of gather), missing from the wasm backend.
// out[s, ...] = sum of x[i, ...] over the i with segmentIds[i] = s; ids outside
// [0, numSegments) are dropped, as in TensorFlow.
import type * as tf from '@tensorflow/tfjs';
import { asWasmBackend, i32, sizeOf } from './wasm-heap.js';

export const unsortedSegmentSumKernel: tf.KernelFunc = (args) => {
  const x = args.inputs['x'] as tf.TensorInfo;
  const ids = args.inputs['segmentIds'] as tf.TensorInfo;
  const { numSegments } = args.attrs as { numSegments: number };
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum on wasm supports float32 and int32, got ${x.dtype}`);
  }
  const backend = asWasmBackend(args.backend);
  const rest = x.shape.slice(ids.shape.length);
  const inner = sizeOf(rest);
  const count = sizeOf(ids.shape);
  const out = backend.makeOutput([numSegments, ...rest], x.dtype);
  const outData = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
  const xData = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
  const idData = i32(backend, ids);
  outData.fill(0);
  for (let i = 0; i < count; i++) {
    const s = idData[i]!;
    if (s < 0 || s >= numSegments) continue;
    let dst = s * inner;
    let src = i * inner;
    for (let j = 0; j < inner; j++) outData[dst++]! += xData[src++]!;
  }
  return out;
};
