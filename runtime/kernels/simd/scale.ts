// out[i] = a[i]·s as a WebAssembly SIMD function on the backend's heap (four elements per
// instruction, then a scalar tail); out may be a.
import { compiledFor } from './instantiate.js';
import { FunctionBuilder, type Local } from './wasm-assembler.js';

/** Addresses in bytes; `count` elements; the factor s. */
export type ScaleFn = (a: number, out: number, count: number, scale: number) => void;

function buildFunction(): FunctionBuilder {
  const f = new FunctionBuilder('scale', ['i32', 'i32', 'i32', 'f32']);
  const [a, out, count, scale] = f.params as [Local, Local, Local, Local];
  const offset = f.local('i32');
  const bytes = f.local('i32');
  const vectorBytes = f.local('i32');
  const scales = f.local('v128');
  f.get(count).i32(4).mul().set(bytes);
  f.get(count).i32(-4).i32And().i32(4).mul().set(vectorBytes);
  f.get(scale).f32x4Splat().set(scales);
  f.i32(0).set(offset);
  const at = (base: Local) => f.get(base).get(offset).add();
  f.whileLoop(
    (w) => w.get(offset).get(vectorBytes).ltU(),
    (w) => {
      at(out);
      at(a).v128Load();
      w.get(scales).f32x4Mul().v128Store().increment(offset, 16);
    },
  );
  f.whileLoop(
    (w) => w.get(offset).get(bytes).ltU(),
    (w) => {
      at(out);
      at(a).f32Load();
      w.get(scale).f32Mul().f32Store().increment(offset, 4);
    },
  );
  return f;
}

export const scaleFor = compiledFor<ScaleFn>(buildFunction, 'scale');
