// The fused layer norm (../layer-norm.ts) as WebAssembly SIMD functions on the backend's
// heap: rows of `width` float32 values, four per instruction, with a scalar tail where the
// width is not a multiple of 4. Row sums run in four lanes, then across them; column sums
// (dγ, dβ) accumulate in blocks of rows, as the column sums of ../sum.ts do, so rounding
// stays that of short sums.
import { compiledFor } from './instantiate.js';
import { FunctionBuilder, type Local } from './wasm-assembler.js';

/** Floats of scratch memory layerNorm needs. */
export const FORWARD_SCRATCH = 4;

/** Floats of scratch memory layerNormGrad needs for a row width. */
export function backwardScratch(width: number): number {
  return 4 + 2 * width;
}

/**
 * Addresses in bytes. Writes y ([rows, width]) and stats ([rows, 2]: mean, 1/σ).
 * `scratch` holds FORWARD_SCRATCH floats.
 */
export type LayerNormSimdFn = (
  x: number,
  gamma: number,
  beta: number,
  y: number,
  stats: number,
  scratch: number,
  rows: number,
  width: number,
  eps: number,
  inverseWidth: number,
) => void;

/**
 * Addresses in bytes. Writes dx ([rows, width]), dGamma and dBeta ([width]).
 * `scratch` holds backwardScratch(width) floats.
 */
export type LayerNormGradSimdFn = (
  dy: number,
  x: number,
  stats: number,
  gamma: number,
  dx: number,
  dGamma: number,
  dBeta: number,
  scratch: number,
  rows: number,
  width: number,
  inverseWidth: number,
) => void;

const ROW_BLOCK = 128;

/** Loops `offset` (bytes) from 0 below vectorBytes, 16 at a time. */
function vectorPart(f: FunctionBuilder, offset: Local, vectorBytes: Local, body: (at: (base: Local) => FunctionBuilder) => void): void {
  f.i32(0).set(offset);
  f.whileLoop(
    (w) => w.get(offset).get(vectorBytes).ltU(),
    (w) => {
      body((base) => w.get(base).get(offset).add());
      w.increment(offset, 16);
    },
  );
}

/** Continues `offset` (bytes) from where vectorPart left it below rowBytes, 4 at a time. */
function scalarTail(f: FunctionBuilder, offset: Local, rowBytes: Local, body: (at: (base: Local) => FunctionBuilder) => void): void {
  f.whileLoop(
    (w) => w.get(offset).get(rowBytes).ltU(),
    (w) => {
      body((base) => w.get(base).get(offset).add());
      w.increment(offset, 4);
    },
  );
}

/** The whole row: the vectorised part, then the scalar tail. */
function eachInRow(
  f: FunctionBuilder,
  offset: Local,
  vectorBytes: Local,
  rowBytes: Local,
  vectorBody: (at: (base: Local) => FunctionBuilder) => void,
  scalarBody: (at: (base: Local) => FunctionBuilder) => void,
): void {
  vectorPart(f, offset, vectorBytes, vectorBody);
  scalarTail(f, offset, rowBytes, scalarBody);
}

/** Leaves the sum of the four lanes of `v` (stored at scratch) on the stack as an f32. */
function sumLanes(f: FunctionBuilder, v: Local, scratch: Local): void {
  f.get(scratch).get(v).v128Store();
  f.get(scratch).f32Load(0).get(scratch).f32Load(4).f32Add();
  f.get(scratch).f32Load(8).get(scratch).f32Load(12).f32Add().f32Add();
}

/** Declares the common row geometry: bytes per row and its vectorised part. */
function rowGeometry(f: FunctionBuilder, width: Local): { rowBytes: Local; vectorBytes: Local } {
  const rowBytes = f.local('i32');
  const vectorBytes = f.local('i32');
  f.get(width).i32(4).mul().set(rowBytes);
  f.get(width).i32(-4).i32And().i32(4).mul().set(vectorBytes);
  return { rowBytes, vectorBytes };
}

function splat(f: FunctionBuilder, scalar: Local | number): Local {
  const v = f.local('v128');
  if (typeof scalar === 'number') f.f32(scalar);
  else f.get(scalar);
  f.f32x4Splat().set(v);
  return v;
}

function buildLayerNorm(): FunctionBuilder {
  const f = new FunctionBuilder('layer_norm', ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'f32', 'f32']);
  const [x, gamma, beta, y, stats, scratch, rows, width, eps, inverseWidth] = f.params as [
    Local, Local, Local, Local, Local, Local, Local, Local, Local, Local,
  ];
  const { rowBytes, vectorBytes } = rowGeometry(f, width);
  const r = f.local('i32');
  const offset = f.local('i32');
  const mean = f.local('f32');
  const negMean = f.local('f32');
  const inverse = f.local('f32');
  const squares = f.local('f32');
  const acc = f.local('v128');
  const centred = f.local('v128');
  const c = f.local('f32');
  const meanV = f.local('v128');
  const inverseV = f.local('v128');
  const epsV = splat(f, eps);
  const oneV = splat(f, 1);

  f.i32(0).set(r);
  f.whileLoop(
    (w) => w.get(r).get(rows).ltU(),
    (w) => {
      // mean = Σx / width
      w.v128Zero().set(acc);
      vectorPart(w, offset, vectorBytes, (at) => {
        w.get(acc);
        at(x).v128Load().f32x4Add().set(acc);
      });
      sumLanes(w, acc, scratch);
      w.set(mean);
      scalarTail(w, offset, rowBytes, (at) => {
        w.get(mean);
        at(x).f32Load().f32Add().set(mean);
      });
      w.get(mean).get(inverseWidth).f32Mul().set(mean);
      w.get(mean).f32(-1).f32Mul().set(negMean);
      w.get(mean).f32x4Splat().set(meanV);
      // 1/σ = 1/√(Σ(x − mean)²/width + eps)
      w.v128Zero().set(acc);
      vectorPart(w, offset, vectorBytes, (at) => {
        at(x).v128Load().get(meanV).f32x4Sub().set(centred);
        w.get(acc).get(centred).get(centred).f32x4Mul().f32x4Add().set(acc);
      });
      sumLanes(w, acc, scratch);
      w.set(squares);
      scalarTail(w, offset, rowBytes, (at) => {
        at(x).f32Load().get(negMean).f32Add().set(c);
        w.get(squares).get(c).get(c).f32Mul().f32Add().set(squares);
      });
      w.get(oneV);
      w.get(squares).get(inverseWidth).f32Mul().f32x4Splat().get(epsV).f32x4Add().f32x4Sqrt();
      w.f32x4Div().set(inverseV);
      w.get(scratch).get(inverseV).v128Store();
      w.get(scratch).f32Load().set(inverse);
      w.get(stats).get(mean).f32Store(0);
      w.get(stats).get(inverse).f32Store(4);
      // y = (x − mean)·(1/σ)·γ + β
      eachInRow(
        w, offset, vectorBytes, rowBytes,
        (at) => {
          at(y);
          at(x).v128Load().get(meanV).f32x4Sub().get(inverseV).f32x4Mul();
          at(gamma).v128Load().f32x4Mul();
          at(beta).v128Load().f32x4Add().v128Store();
        },
        (at) => {
          at(y);
          at(x).f32Load().get(negMean).f32Add().get(inverse).f32Mul();
          at(gamma).f32Load().f32Mul();
          at(beta).f32Load().f32Add().f32Store();
        },
      );
      w.increment(x, rowBytes).increment(y, rowBytes).increment(stats, 8).increment(r, 1);
    },
  );
  return f;
}

function buildLayerNormGrad(): FunctionBuilder {
  const f = new FunctionBuilder('layer_norm_grad', ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'f32']);
  const [dy, x, stats, gamma, dx, dGamma, dBeta, scratch, rows, width, inverseWidth] = f.params as [
    Local, Local, Local, Local, Local, Local, Local, Local, Local, Local, Local,
  ];
  const { rowBytes, vectorBytes } = rowGeometry(f, width);
  const blockGamma = f.local('i32');
  const blockBeta = f.local('i32');
  const r = f.local('i32');
  const blockEnd = f.local('i32');
  const offset = f.local('i32');
  const negMean = f.local('f32');
  const inverse = f.local('f32');
  const meanV = f.local('v128');
  const inverseV = f.local('v128');
  const accG = f.local('v128');
  const accGN = f.local('v128');
  const d = f.local('v128');
  const n = f.local('v128');
  const g = f.local('v128');
  const sumG = f.local('f32');
  const sumGN = f.local('f32');
  const ds = f.local('f32');
  const ns = f.local('f32');
  const gs = f.local('f32');
  const negMeanG = f.local('f32');
  const negMeanGN = f.local('f32');
  const negMeanGV = f.local('v128');
  const negMeanGNV = f.local('v128');

  f.get(scratch).i32(16).add().set(blockGamma);
  f.get(blockGamma).get(rowBytes).add().set(blockBeta);

  /** Sets every float of `width` at each address to 0. */
  const zero = (...bases: Local[]) =>
    eachInRow(
      f, offset, vectorBytes, rowBytes,
      (at) => bases.forEach((b) => at(b).v128Zero().v128Store()),
      (at) => bases.forEach((b) => at(b).f32(0).f32Store()),
    );
  /** total += block, for both sums. */
  const flush = () =>
    eachInRow(
      f, offset, vectorBytes, rowBytes,
      (at) => {
        for (const [total, block] of [[dGamma, blockGamma], [dBeta, blockBeta]] as const) {
          at(total);
          at(total).v128Load();
          at(block).v128Load().f32x4Add().v128Store();
        }
      },
      (at) => {
        for (const [total, block] of [[dGamma, blockGamma], [dBeta, blockBeta]] as const) {
          at(total);
          at(total).f32Load();
          at(block).f32Load().f32Add().f32Store();
        }
      },
    );

  zero(dGamma, dBeta);
  f.i32(0).set(r);
  f.whileLoop(
    (w) => w.get(r).get(rows).ltU(),
    (w) => {
      zero(blockGamma, blockBeta);
      // blockEnd = min(r + ROW_BLOCK, rows)
      w.get(r).i32(ROW_BLOCK).add().get(rows).get(r).i32(ROW_BLOCK).add().get(rows).ltU().select().set(blockEnd);
      w.whileLoop(
        (v) => v.get(r).get(blockEnd).ltU(),
        (v) => {
          v.get(stats).f32Load(0).tee(negMean).f32x4Splat().set(meanV);
          v.get(negMean).f32(-1).f32Mul().set(negMean);
          v.get(stats).f32Load(4).tee(inverse).f32x4Splat().set(inverseV);
          // first pass: Σg and Σg·n of the row; the block's Σdy·n and Σdy per column
          v.v128Zero().set(accG);
          v.v128Zero().set(accGN);
          vectorPart(v, offset, vectorBytes, (at) => {
            at(dy).v128Load().set(d);
            at(x).v128Load().get(meanV).f32x4Sub().get(inverseV).f32x4Mul().set(n);
            v.get(d);
            at(gamma).v128Load().f32x4Mul().set(g);
            v.get(accG).get(g).f32x4Add().set(accG);
            v.get(accGN).get(g).get(n).f32x4Mul().f32x4Add().set(accGN);
            at(blockGamma);
            at(blockGamma).v128Load().get(d).get(n).f32x4Mul().f32x4Add().v128Store();
            at(blockBeta);
            at(blockBeta).v128Load().get(d).f32x4Add().v128Store();
          });
          sumLanes(v, accG, scratch);
          v.set(sumG);
          sumLanes(v, accGN, scratch);
          v.set(sumGN);
          scalarTail(v, offset, rowBytes, (at) => {
            at(dy).f32Load().set(ds);
            at(x).f32Load().get(negMean).f32Add().get(inverse).f32Mul().set(ns);
            v.get(ds);
            at(gamma).f32Load().f32Mul().set(gs);
            v.get(sumG).get(gs).f32Add().set(sumG);
            v.get(sumGN).get(gs).get(ns).f32Mul().f32Add().set(sumGN);
            at(blockGamma);
            at(blockGamma).f32Load().get(ds).get(ns).f32Mul().f32Add().f32Store();
            at(blockBeta);
            at(blockBeta).f32Load().get(ds).f32Add().f32Store();
          });
          v.get(sumG).get(inverseWidth).f32Mul().f32(-1).f32Mul().tee(negMeanG).f32x4Splat().set(negMeanGV);
          v.get(sumGN).get(inverseWidth).f32Mul().f32(-1).f32Mul().tee(negMeanGN).f32x4Splat().set(negMeanGNV);
          // second pass: dx = (g − mean(g) − n·mean(g·n))·(1/σ)
          eachInRow(
            v, offset, vectorBytes, rowBytes,
            (at) => {
              at(dx);
              at(dy).v128Load();
              at(gamma).v128Load().f32x4Mul().get(negMeanGV).f32x4Add();
              at(x).v128Load().get(meanV).f32x4Sub().get(inverseV).f32x4Mul().get(negMeanGNV).f32x4Mul().f32x4Add();
              v.get(inverseV).f32x4Mul().v128Store();
            },
            (at) => {
              at(dx);
              at(dy).f32Load();
              at(gamma).f32Load().f32Mul().get(negMeanG).f32Add();
              at(x).f32Load().get(negMean).f32Add().get(inverse).f32Mul().get(negMeanGN).f32Mul().f32Add();
              v.get(inverse).f32Mul().f32Store();
            },
          );
          v.increment(dy, rowBytes).increment(x, rowBytes).increment(dx, rowBytes).increment(stats, 8).increment(r, 1);
        },
      );
      flush();
    },
  );
  return f;
}

export const layerNormSimdFor = compiledFor<LayerNormSimdFn>(buildLayerNorm, 'layer_norm');
export const layerNormGradSimdFor = compiledFor<LayerNormGradSimdFn>(buildLayerNormGrad, 'layer_norm_grad');
