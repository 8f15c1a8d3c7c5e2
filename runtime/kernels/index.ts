// Registers the fast and the missing kernels of the wasm backend. The replaced stock
// kernels stay reachable (our kernels call them for the parts they do well).
import * as tf from '@tensorflow/tfjs';
import { ADAM_UPDATE, adamUpdateKernel } from './adam-update.js';
import { ATTENTION, ATTENTION_GRAD, attentionGradKernel, attentionKernel } from './attention.js';
import { conv2DBackpropFilterKernel, conv2DBackpropInputKernel, type ConvOriginals } from './conv2d-backprop.js';
import { depthwiseBackpropFilterKernel, depthwiseBackpropInputKernel } from './depthwise-backprop.js';
import { GELU, GELU_GRAD, geluGradKernel, geluKernel } from './gelu.js';
import { castKernel, identityKernel } from './identity.js';
import { LAYER_NORM, LAYER_NORM_GRAD, layerNormGradKernel, layerNormKernel } from './layer-norm.js';
import { batchMatMulKernel, fusedMatMulKernel } from './matmul.js';
import { maxPoolGradKernel } from './pool-grad.js';
import { sliceKernel, splitKernel, unpackKernel } from './slice.js';
import { sumKernel } from './sum.js';
import { transposeKernel } from './transpose.js';
import { TRANSFORMER_BLOCK, TRANSFORMER_BLOCK_GRAD, transformerBlockGradKernel, transformerBlockKernel } from './transformer-block.js';
import { unsortedSegmentSumKernel } from './unsorted-segment-sum.js';

const BACKEND = 'wasm';

interface FastKernel {
  kernelName: string;
  /** Builds our kernel from the stock one of that name (undefined where wasm has none). */
  make(original: tf.KernelFunc | undefined, originals: ConvOriginals): tf.KernelFunc;
}

function requireOriginal(name: string, original: tf.KernelFunc | undefined): tf.KernelFunc {
  if (original === undefined) throw new Error(`the wasm backend has no '${name}' kernel to build on`);
  return original;
}

// Replacements of slow stock kernels, and the kernels the wasm package lacks
// (Conv2DBackpropFilter, the two depthwise gradients, UnsortedSegmentSum), and the fused
// Adam update, layer norm, GELU, attention and transformer block (adam-update.ts, layer-norm.ts,
// gelu.ts, attention.ts, transformer-block.ts).
const FAST_KERNELS: FastKernel[] = [
  { kernelName: 'Identity', make: (o) => identityKernel(requireOriginal('Identity', o)) },
  { kernelName: 'Cast', make: (o) => castKernel(requireOriginal('Cast', o)) },
  { kernelName: 'Transpose', make: (o) => transposeKernel(requireOriginal('Transpose', o)) },
  { kernelName: 'BatchMatMul', make: (o) => batchMatMulKernel(requireOriginal('BatchMatMul', o)) },
  { kernelName: '_FusedMatMul', make: (o) => fusedMatMulKernel(requireOriginal('_FusedMatMul', o)) },
  { kernelName: 'Conv2DBackpropFilter', make: (_o, originals) => conv2DBackpropFilterKernel(originals) },
  { kernelName: 'Conv2DBackpropInput', make: (_o, originals) => conv2DBackpropInputKernel(originals) },
  { kernelName: 'MaxPoolGrad', make: () => maxPoolGradKernel },
  { kernelName: 'Sum', make: (o) => sumKernel(requireOriginal('Sum', o)) },
  { kernelName: 'Slice', make: (o) => sliceKernel(requireOriginal('Slice', o)) },
  { kernelName: 'Unpack', make: (o) => unpackKernel(requireOriginal('Unpack', o)) },
  { kernelName: 'SplitV', make: (o) => splitKernel(requireOriginal('SplitV', o)) },
  { kernelName: 'DepthwiseConv2dNativeBackpropFilter', make: () => depthwiseBackpropFilterKernel },
  { kernelName: 'DepthwiseConv2dNativeBackpropInput', make: () => depthwiseBackpropInputKernel },
  { kernelName: 'UnsortedSegmentSum', make: () => unsortedSegmentSumKernel },
  { kernelName: ADAM_UPDATE, make: () => adamUpdateKernel },
  { kernelName: LAYER_NORM, make: () => layerNormKernel },
  { kernelName: LAYER_NORM_GRAD, make: () => layerNormGradKernel },
  { kernelName: GELU, make: () => geluKernel(requireOriginal('Sigmoid', tf.getKernel('Sigmoid', BACKEND)?.kernelFunc)) },
  { kernelName: GELU_GRAD, make: () => geluGradKernel },
  { kernelName: ATTENTION, make: () => attentionKernel(requireOriginal('Softmax', tf.getKernel('Softmax', BACKEND)?.kernelFunc)) },
  { kernelName: ATTENTION_GRAD, make: () => attentionGradKernel },
  { kernelName: TRANSFORMER_BLOCK, make: () => transformerBlockKernel },
  { kernelName: TRANSFORMER_BLOCK_GRAD, make: () => transformerBlockGradKernel },
];

/** Kernel functions registered by this module, to recognise them on a second call. */
const ours = new WeakSet<tf.KernelFunc>();

/** Stock kernels this module replaced, by name. */
const replacedStock = new Map<string, tf.KernelConfig>();

function findOriginal(name: string): tf.KernelConfig {
  const config = replacedStock.get(name);
  if (config === undefined) throw new Error(`registerFastKernels: lost the stock '${name}' kernel`);
  return config;
}

function stockKernel(name: string): tf.KernelConfig | undefined {
  const config = tf.getKernel(name, BACKEND);
  return config !== undefined && !ours.has(config.kernelFunc) ? config : undefined;
}

/** The names of the kernels registerFastKernels installs, in registration order. */
export function fastKernelNames(): string[] {
  return FAST_KERNELS.map((k) => k.kernelName);
}

/**
 * Installs the fast kernels on the wasm backend; safe to call any number of times.
 * The @tensorflow/tfjs-backend-wasm package must have been imported (it registers the
 * stock kernels this builds on). Returns the names of the kernels in place.
 */
export function registerFastKernels(): string[] {
  const batchMatMul = tf.getKernel('BatchMatMul', BACKEND);
  const conv2d = tf.getKernel('Conv2D', BACKEND);
  if (batchMatMul === undefined || conv2d === undefined) {
    throw new Error('registerFastKernels: the wasm backend is not loaded (import @tensorflow/tfjs-backend-wasm first)');
  }
  const originals: ConvOriginals = {
    batchMatMul: (stockKernel('BatchMatMul') ?? findOriginal('BatchMatMul')).kernelFunc,
    conv2d: conv2d.kernelFunc,
  };
  for (const spec of FAST_KERNELS) {
    const existing = tf.getKernel(spec.kernelName, BACKEND);
    if (existing !== undefined && ours.has(existing.kernelFunc)) continue;
    const kernelFunc = spec.make(existing?.kernelFunc, originals);
    ours.add(kernelFunc);
    if (existing !== undefined) {
      replacedStock.set(spec.kernelName, existing);
      tf.unregisterKernel(spec.kernelName, BACKEND);
    }
    tf.registerKernel({
      kernelName: spec.kernelName,
      backendName: BACKEND,
      kernelFunc,
      setupFunc: existing?.setupFunc,
      disposeFunc: existing?.disposeFunc,
    });
  }
  return fastKernelNames();
}
