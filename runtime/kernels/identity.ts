// Identity and same-type Cast without copies. The stock wasm kernels copy the data;
// many gradient functions call cast(x, 'float32') on float32 tensors, so a ViT step
// made hundreds of full copies. Tensors are immutable, so sharing the buffer (with a
// reference count, as Reshape does and as the cpu backend's Identity does) is safe.
import type * as tf from '@tensorflow/tfjs';
import { asWasmBackend } from './wasm-heap.js';

function share(backend: unknown, x: tf.TensorInfo): tf.TensorInfo {
  asWasmBackend(backend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export function identityKernel(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = args.inputs['x'] as tf.TensorInfo;
    return x.dtype === 'string' ? original(args) : share(args.backend, x);
  };
}

export function castKernel(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = args.inputs['x'] as tf.TensorInfo;
    const { dtype } = args.attrs as { dtype: tf.DataType };
    return dtype === x.dtype && x.dtype !== 'string' ? share(args.backend, x) : original(args);
  };
}
