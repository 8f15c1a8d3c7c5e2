// The inner loops of a transpose that keeps the last axis in place: whole rows gathered
// from two strided axes of the source and written one after another, 16 bytes per
// instruction (rows of a multiple of four 32-bit words).
import { compiledFor } from './instantiate.js';
import { FunctionBuilder, type Local } from './wasm-assembler.js';

/** Addresses, strides and rowBytes in bytes; rowBytes a multiple of 16. Returns nothing; dst advances row by row. */
export type CopyRowsFn = (src: number, dst: number, countA: number, strideA: number, countB: number, strideB: number, rowBytes: number) => void;

function buildCopyRows(): FunctionBuilder {
  const f = new FunctionBuilder('copy_rows', Array<'i32'>(7).fill('i32'));
  const [src, dst, countA, strideA, countB, strideB, rowBytes] = f.params as [Local, Local, Local, Local, Local, Local, Local];
  const a = f.local('i32');
  const b = f.local('i32');
  const rowA = f.local('i32');
  const s = f.local('i32');
  const end = f.local('i32');
  const d = f.local('i32');
  f.get(dst).set(d);
  f.get(src).set(rowA);
  f.i32(0).set(a);
  f.whileLoop(
    (g) => g.get(a).get(countA).ltU(),
    (g) => {
      g.i32(0).set(b);
      g.whileLoop(
        (h) => h.get(b).get(countB).ltU(),
        (h) => {
          h.get(rowA).get(b).get(strideB).mul().add().tee(s).get(rowBytes).add().set(end);
          h.whileLoop(
            (k) => k.get(s).get(end).ltU(),
            (k) => {
              k.get(d).get(s).v128Load().v128Store();
              k.increment(s, 16).increment(d, 16);
            },
          );
          h.increment(b, 1);
        },
      );
      g.increment(rowA, strideA).increment(a, 1);
    },
  );
  return f;
}

export const copyRowsFor = compiledFor<CopyRowsFn>(buildCopyRows, 'copy_rows');
