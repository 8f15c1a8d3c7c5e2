// out = A·B for a long summed axis k and a small result (m×n), as a WebAssembly SIMD
// function on the backend's heap. B is [k][n] row-major; A is read through strides, so the
// same function takes A as [m][k] (a convolution's transposed patch matrix) or as [k][m]
// (Aᵀ·B: a dense layer's weight gradient xᵀ·dy) without transposing it.
//
// It sums outer products along k: a tile of 4 result rows × 8 result columns stays in eight
// f32x4 accumulators while the tile's slice of every k-row of A and B streams past. Nothing is
// transposed or repacked; the stock route transposes one operand and XNNPACK repacks the
// other on every call, which costs as much as the product when k is large and m, n small.
// k is walked in passes of `chunk` rows, each adding to out, so a pass of B stays in cache
// while every tile reads it. Edges: tiles of 4 or 1 rows; 8, 4 or 1 columns. The sum over k
// runs in order, one float32 addition at a time, per result element.
import { compiledFor } from './instantiate.js';
import { FunctionBuilder, type Local } from './wasm-assembler.js';

/**
 * Byte addresses of A, B and out; k, m, n; A's strides in bytes from one k to the next and
 * from one result row to the next; the k-rows summed per pass.
 */
export type TallProductFn = (a: number, b: number, out: number, k: number, m: number, n: number, aStrideK: number, aStrideRow: number, chunk: number) => void;

const TILE_ROWS = 4;
const TILE_VECTORS = 2;

function buildFunction(): FunctionBuilder {
  const f = new FunctionBuilder('tall_product', ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32']);
  const [a, b, out, k, m, n, aStrideK, aStrideRow, chunk] = f.params as [Local, Local, Local, Local, Local, Local, Local, Local, Local];
  const i = f.local('i32');
  const j = f.local('i32');
  const r = f.local('i32');
  const first = f.local('i32');
  const last = f.local('i32');
  const byte = f.local('i32');
  const bp = f.local('i32');
  const bRowBytes = f.local('i32');
  const ap = Array.from({ length: TILE_ROWS }, () => f.local('i32'));
  const splats = Array.from({ length: TILE_ROWS }, () => f.local('v128'));
  const bVectors = Array.from({ length: TILE_VECTORS }, () => f.local('v128'));
  const acc = Array.from({ length: TILE_ROWS * TILE_VECTORS }, () => f.local('v128'));
  const sums = Array.from({ length: TILE_ROWS }, () => f.local('f32'));
  const bValue = f.local('f32');

  f.get(n).i32(4).mul().set(bRowBytes);

  /** Points ap[q] at A(first, i + q), bp at B[first][j], r at first. */
  const start = (height: number) => {
    for (let q = 0; q < height; q++) {
      f.get(a).get(first).get(aStrideK).mul().add().get(i).i32(q).add().get(aStrideRow).mul().add().set(ap[q]!);
    }
    f.get(b).get(first).get(bRowBytes).mul().add().get(j).i32(4).mul().add().set(bp);
    f.get(first).set(r);
  };
  const next = (c: FunctionBuilder, height: number) => {
    for (let q = 0; q < height; q++) c.increment(ap[q]!, aStrideK);
    c.increment(bp, bRowBytes).increment(r, 1);
  };
  /** Pushes the byte address of out[i + q][j]. */
  const outAt = (q: number) => f.get(out).get(i).i32(q).add().get(n).mul().get(j).add().i32(4).mul().add();

  /** Adds this pass to out[i … i+height)[j … j+4·vectors), in vector accumulators; j advances past it. */
  const vectorTile = (height: number, vectors: number) => {
    for (let q = 0; q < height; q++) for (let v = 0; v < vectors; v++) outAt(q).v128Load(16 * v).set(acc[q * vectors + v]!);
    start(height);
    f.whileLoop(
      (c) => c.get(r).get(last).ltU(),
      (c) => {
        for (let q = 0; q < height; q++) c.get(ap[q]!).f32Load().f32x4Splat().set(splats[q]!);
        for (let v = 0; v < vectors; v++) c.get(bp).v128Load(16 * v).set(bVectors[v]!);
        for (let q = 0; q < height; q++) {
          for (let v = 0; v < vectors; v++) {
            const t = acc[q * vectors + v]!;
            c.get(t).get(splats[q]!).get(bVectors[v]!).f32x4Mul().f32x4Add().set(t);
          }
        }
        next(c, height);
      },
    );
    for (let q = 0; q < height; q++) for (let v = 0; v < vectors; v++) outAt(q).get(acc[q * vectors + v]!).v128Store(16 * v);
    f.increment(j, 4 * vectors);
  };

  /** Adds this pass to out[i … i+height)[j], in scalar accumulators; j advances by one. */
  const scalarColumn = (height: number) => {
    for (let q = 0; q < height; q++) outAt(q).f32Load().set(sums[q]!);
    start(height);
    f.whileLoop(
      (c) => c.get(r).get(last).ltU(),
      (c) => {
        c.get(bp).f32Load().set(bValue);
        for (let q = 0; q < height; q++) c.get(sums[q]!).get(ap[q]!).f32Load().get(bValue).f32Mul().f32Add().set(sums[q]!);
        next(c, height);
      },
    );
    for (let q = 0; q < height; q++) outAt(q).get(sums[q]!).f32Store();
    f.increment(j, 1);
  };

  /** Every column of result rows i … i+height for this pass; then i advances. */
  const rowBand = (height: number) => {
    f.i32(0).set(j);
    f.whileLoop(
      (c) => c.get(j).i32(4 * TILE_VECTORS).add().get(n).leU(),
      () => vectorTile(height, TILE_VECTORS),
    );
    f.whileLoop(
      (c) => c.get(j).i32(4).add().get(n).leU(),
      () => vectorTile(height, 1),
    );
    f.whileLoop(
      (c) => c.get(j).get(n).ltU(),
      () => scalarColumn(height),
    );
    f.increment(i, height);
  };

  // out = 0
  f.i32(0).set(byte);
  f.get(m).get(n).mul().i32(4).mul().set(last);
  f.whileLoop(
    (c) => c.get(byte).get(last).ltU(),
    (c) => c.get(out).get(byte).add().f32(0).f32Store().increment(byte, 4),
  );
  // Passes over k: first … last = min(first + chunk, k).
  f.i32(0).set(first);
  f.whileLoop(
    (c) => c.get(first).get(k).ltU(),
    (c) => {
      c.get(first).get(chunk).add().set(last);
      c.get(last).get(k).get(last).get(k).ltU().select().set(last);
      c.i32(0).set(i);
      c.whileLoop(
        (d) => d.get(i).i32(TILE_ROWS).add().get(m).leU(),
        () => rowBand(TILE_ROWS),
      );
      c.whileLoop(
        (d) => d.get(i).get(m).ltU(),
        () => rowBand(1),
      );
      c.get(last).set(first);
    },
  );
  return f;
}

/** The product compiled against a given memory (once per memory). */
export const tallProductFor = compiledFor<TallProductFn>(buildFunction, 'tall_product');

/** k-rows summed per pass: a pass of A's and B's slices fits a 32 KB cache. */
export function tallProductChunk(m: number, n: number): number {
  return Math.max(64, Math.min(1024, Math.floor(32768 / (4 * (m + n)))));
}
