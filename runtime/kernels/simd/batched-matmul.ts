// out[g] = A[g] x B[g] for many small matrices (attention: batch x heads products of
// tokens x head-dim), as a WebAssembly SIMD function working in the wasm backend's
// heap. The stock kernel runs these through a scalar loop (~2 GFLOP/s); this one
// keeps 16 output columns in four f32x4 accumulators per row.
import { compiledFor } from './instantiate.js';
import { FunctionBuilder, type Local } from './wasm-assembler.js';

export type BatchedMatMulFn = (
  a: number,
  b: number,
  out: number,
  batch: number,
  m: number,
  k: number,
  n: number,
  aBatchStride: number,
  bBatchStride: number,
) => void;

/**
 * Arguments are byte addresses and sizes: A is [batch][m][k], B [batch][k][n], out
 * [batch][m][n], all row-major; a batch stride of 0 broadcasts that operand.
 */
function buildFunction(): FunctionBuilder {
  const f = new FunctionBuilder('batched_matmul', ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32']);
  const [a, b, out, batch, m, k, n, aStride, bStride] = f.params as [Local, Local, Local, Local, Local, Local, Local, Local, Local];
  const g = f.local('i32');
  const i = f.local('i32');
  const j = f.local('i32');
  const kk = f.local('i32');
  const aRow = f.local('i32');
  const ap = f.local('i32');
  const bp = f.local('i32');
  const outRow = f.local('i32');
  const rowBytes = f.local('i32');
  const kBytes = f.local('i32');
  const av = f.local('v128');
  const acc = [f.local('v128'), f.local('v128'), f.local('v128'), f.local('v128')];
  const s = f.local('f32');

  f.get(n).i32(4).mul().set(rowBytes);
  f.get(k).i32(4).mul().set(kBytes);
  f.get(out).set(outRow);
  f.i32(0).set(g);

  /** The k loop shared by the column blocks: `lanes` accumulators starting at column j. */
  const vectorBlock = (lanes: number) => {
    for (let v = 0; v < lanes; v++) f.v128Zero().set(acc[v]!);
    f.get(aRow).set(ap);
    f.get(b).get(j).i32(4).mul().add().set(bp);
    f.i32(0).set(kk);
    f.whileLoop(
      (c) => c.get(kk).get(k).ltU(),
      (c) => {
        c.get(ap).f32Load().f32x4Splat().set(av);
        for (let v = 0; v < lanes; v++) {
          c.get(acc[v]!).get(av).get(bp).v128Load(16 * v).f32x4Mul().f32x4Add().set(acc[v]!);
        }
        c.increment(ap, 4).increment(bp, rowBytes).increment(kk, 1);
      },
    );
    for (let v = 0; v < lanes; v++) f.get(outRow).get(j).i32(4).mul().add().get(acc[v]!).v128Store(16 * v);
    f.increment(j, 4 * lanes);
  };

  f.whileLoop(
    (c) => c.get(g).get(batch).ltU(),
    (c) => {
      c.get(a).set(aRow);
      c.i32(0).set(i);
      c.whileLoop(
        (d) => d.get(i).get(m).ltU(),
        (d) => {
          d.i32(0).set(j);
          d.whileLoop(
            (e) => e.get(j).i32(16).add().get(n).leU(),
            () => vectorBlock(4),
          );
          d.whileLoop(
            (e) => e.get(j).i32(4).add().get(n).leU(),
            () => vectorBlock(1),
          );
          d.whileLoop(
            (e) => e.get(j).get(n).ltU(),
            (e) => {
              e.f32(0).set(s);
              e.get(aRow).set(ap);
              e.get(b).get(j).i32(4).mul().add().set(bp);
              e.i32(0).set(kk);
              e.whileLoop(
                (h) => h.get(kk).get(k).ltU(),
                (h) => {
                  h.get(s).get(ap).f32Load().get(bp).f32Load().f32Mul().f32Add().set(s);
                  h.increment(ap, 4).increment(bp, rowBytes).increment(kk, 1);
                },
              );
              e.get(outRow).get(j).i32(4).mul().add().get(s).f32Store();
              e.increment(j, 1);
            },
          );
          d.increment(aRow, kBytes).increment(outRow, rowBytes).increment(i, 1);
        },
      );
      c.increment(a, aStride).increment(b, bStride).increment(g, 1);
    },
  );
  return f;
}

/** The batched product compiled against a given memory (once per memory). */
export const batchedMatMulFor = compiledFor<BatchedMatMulFn>(buildFunction, 'batched_matmul');
