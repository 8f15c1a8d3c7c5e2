// The inner loop of every transpose: dst[r + c*dstColStride] = src[r*srcRowStride + c]
// for r < rows, c < cols, on 32-bit words, in 32x32 tiles. Each tile is written
// contiguously and read with a stride, which avoids the cache-set conflicts that strided
// writes hit when a stride is a multiple of a large power of two (12544x288, 50176x32).
// Scalar WebAssembly: about four times faster than the same loop in JavaScript.
import { compiledFor } from './instantiate.js';
import { FunctionBuilder, type Local } from './wasm-assembler.js';

export type TransposeTilesFn = (src: number, dst: number, rows: number, cols: number, srcRowStride: number, dstColStride: number) => void;

const TILE = 32;

function buildTransposeTiles(): FunctionBuilder {
  const f = new FunctionBuilder('transpose_tiles', ['i32', 'i32', 'i32', 'i32', 'i32', 'i32']);
  const [src, dst, rows, cols, srcStride, dstStride] = f.params as [Local, Local, Local, Local, Local, Local];
  const r0 = f.local('i32');
  const r1 = f.local('i32');
  const c0 = f.local('i32');
  const c1 = f.local('i32');
  const c = f.local('i32');
  const r = f.local('i32');
  const s = f.local('i32');
  const d = f.local('i32');
  const srcStep = f.local('i32');

  f.get(srcStride).i32(4).mul().set(srcStep);
  /** hi = min(lo + TILE, limit) */
  const tileEnd = (lo: Local, limit: Local, hi: Local) => {
    f.get(lo).i32(TILE).add().get(limit).get(lo).i32(TILE).add().get(limit).ltU().select().set(hi);
  };
  f.i32(0).set(r0);
  f.whileLoop(
    (g) => g.get(r0).get(rows).ltU(),
    (g) => {
      tileEnd(r0, rows, r1);
      g.i32(0).set(c0);
      g.whileLoop(
        (h) => h.get(c0).get(cols).ltU(),
        (h) => {
          tileEnd(c0, cols, c1);
          h.get(c0).set(c);
          h.whileLoop(
            (i) => i.get(c).get(c1).ltU(),
            (i) => {
              // s = src + (r0*srcStride + c)*4, d = dst + (r0 + c*dstStride)*4
              i.get(src).get(r0).get(srcStride).mul().get(c).add().i32(4).mul().add().set(s);
              i.get(dst).get(c).get(dstStride).mul().get(r0).add().i32(4).mul().add().set(d);
              i.get(r0).set(r);
              i.whileLoop(
                (j) => j.get(r).get(r1).ltU(),
                (j) => {
                  j.get(d).get(s).i32Load().i32Store();
                  j.increment(d, 4).increment(s, srcStep).increment(r, 1);
                },
              );
              i.increment(c, 1);
            },
          );
          h.get(c1).set(c0);
        },
      );
      g.get(r1).set(r0);
    },
  );
  return f;
}

export const transposeTilesFor = compiledFor<TransposeTilesFn>(buildTransposeTiles, 'transpose_tiles');
