// The softmax gradient of attention rows as a WebAssembly SIMD function on the backend's heap:
//   dP ← s·P ⊙ (dP − Σ_row P ⊙ dP)
// row by row, in place, four elements per instruction with a scalar tail per row. The row sum
// runs in four lanes and is then added lane by lane (through a 16-byte scratch), then the tail.
import { compiledFor } from './instantiate.js';
import { FunctionBuilder, type Local } from './wasm-assembler.js';

/** Addresses in bytes: P, dP (overwritten), a 16-byte scratch; `rows` rows of `width` elements; the scale s. */
export type SoftmaxGradFn = (p: number, dp: number, scratch: number, rows: number, width: number, scale: number) => void;

function buildFunction(): FunctionBuilder {
  const f = new FunctionBuilder('softmax_grad_rows', ['i32', 'i32', 'i32', 'i32', 'i32', 'f32']);
  const [p, dp, scratch, rows, width, scale] = f.params as [Local, Local, Local, Local, Local, Local];
  const row = f.local('i32');
  const offset = f.local('i32');
  const rowBytes = f.local('i32');
  const vectorBytes = f.local('i32');
  const acc = f.local('v128');
  const sum = f.local('f32');
  const sums = f.local('v128');
  const scales = f.local('v128');
  const minusSum = f.local('f32');
  f.get(width).i32(4).mul().set(rowBytes);
  f.get(width).i32(-4).i32And().i32(4).mul().set(vectorBytes);
  f.get(scale).f32x4Splat().set(scales);
  f.i32(0).set(row);
  const at = (base: Local) => f.get(base).get(offset).add();
  f.whileLoop(
    (w) => w.get(row).get(rows).ltU(),
    (w) => {
      // Σ P ⊙ dP over the row
      w.v128Zero().set(acc);
      w.i32(0).set(offset);
      w.whileLoop(
        (c) => c.get(offset).get(vectorBytes).ltU(),
        (c) => {
          c.get(acc);
          at(p).v128Load();
          at(dp).v128Load();
          c.f32x4Mul().f32x4Add().set(acc).increment(offset, 16);
        },
      );
      w.get(scratch).get(acc).v128Store();
      w.get(scratch).f32Load(0).get(scratch).f32Load(4).f32Add().get(scratch).f32Load(8).f32Add().get(scratch).f32Load(12).f32Add().set(sum);
      w.whileLoop(
        (c) => c.get(offset).get(rowBytes).ltU(),
        (c) => {
          c.get(sum);
          at(p).f32Load();
          at(dp).f32Load();
          c.f32Mul().f32Add().set(sum).increment(offset, 4);
        },
      );
      w.get(sum).f32x4Splat().set(sums);
      w.get(sum).f32(-1).f32Mul().set(minusSum);
      // dP ← s·(P·(dP − sum))
      w.i32(0).set(offset);
      w.whileLoop(
        (c) => c.get(offset).get(vectorBytes).ltU(),
        (c) => {
          at(dp);
          c.get(scales);
          at(p).v128Load();
          at(dp).v128Load();
          c.get(sums).f32x4Sub().f32x4Mul().f32x4Mul().v128Store().increment(offset, 16);
        },
      );
      w.whileLoop(
        (c) => c.get(offset).get(rowBytes).ltU(),
        (c) => {
          at(dp);
          c.get(scale);
          at(p).f32Load();
          at(dp).f32Load();
          c.get(minusSum).f32Add().f32Mul().f32Mul().f32Store().increment(offset, 4);
        },
      );
      w.increment(p, rowBytes).increment(dp, rowBytes).increment(row, 1);
    },
  );
  return f;
}

export const softmaxGradFor = compiledFor<SoftmaxGradFn>(buildFunction, 'softmax_grad_rows');
