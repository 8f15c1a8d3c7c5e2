// Two memory-bound gradients as WebAssembly SIMD functions on the backend's heap,
// four channels per instruction:
//  - max-pooling gradient for windows that tile the input (stride = window, no padding),
//    the case of every 2x2/stride-2 pooling layer;
//  - column sums (sum over leading axes, the gradient of a bias), accumulated in
//    blocks of rows so rounding stays that of short sums.
import { compiledFor } from './instantiate.js';
import { FunctionBuilder, type Local } from './wasm-assembler.js';

export type TiledMaxPoolGradFn = (
  x: number,
  dy: number,
  dx: number,
  batch: number,
  height: number,
  width: number,
  channels: number,
  windowHeight: number,
  windowWidth: number,
  outHeight: number,
  outWidth: number,
) => void;

/**
 * dx[window position p, c] = dy[window, c] where p is the first position (row-major)
 * holding the window maximum, else 0. Addresses in bytes; channels a multiple of 4;
 * positions no window covers are left untouched (the caller zeroes dx).
 */
function buildTiledMaxPoolGrad(): FunctionBuilder {
  const f = new FunctionBuilder('tiled_max_pool_grad', Array<'i32'>(11).fill('i32'));
  const [x, dy, dx, batch, height, width, channels, kh, kw, outH, outW] = f.params as Local[] as [
    Local, Local, Local, Local, Local, Local, Local, Local, Local, Local, Local,
  ];
  const n = f.local('i32');
  const oh = f.local('i32');
  const ow = f.local('i32');
  const c = f.local('i32');
  const r = f.local('i32');
  const q = f.local('i32');
  const rowBytes = f.local('i32');
  const pixelBytes = f.local('i32');
  const windowBase = f.local('i32'); // byte offset of the window's first pixel, channel 0
  const rowPtr = f.local('i32');
  const ptr = f.local('i32');
  const dyPtr = f.local('i32');
  const max = f.local('v128');
  const found = f.local('v128');
  const grad = f.local('v128');
  const hit = f.local('v128');

  f.get(channels).i32(4).mul().set(pixelBytes);
  f.get(width).get(pixelBytes).mul().set(rowBytes);
  f.get(dy).set(dyPtr);

  /** Visits the window's pixels in row-major order with ptr at (pixel, channel c). */
  const eachPixel = (body: () => void) => {
    f.get(windowBase).get(c).i32(4).mul().add().set(rowPtr);
    f.i32(0).set(r);
    f.whileLoop(
      (g) => g.get(r).get(kh).ltU(),
      (g) => {
        g.get(rowPtr).set(ptr);
        g.i32(0).set(q);
        g.whileLoop(
          (h) => h.get(q).get(kw).ltU(),
          (h) => {
            body();
            h.increment(ptr, pixelBytes).increment(q, 1);
          },
        );
        g.increment(rowPtr, rowBytes).increment(r, 1);
      },
    );
  };

  f.i32(0).set(n);
  f.whileLoop(
    (g) => g.get(n).get(batch).ltU(),
    (g) => {
      g.i32(0).set(oh);
      g.whileLoop(
        (h) => h.get(oh).get(outH).ltU(),
        (h) => {
          h.i32(0).set(ow);
          h.whileLoop(
            (i) => i.get(ow).get(outW).ltU(),
            (i) => {
              // windowBase = ((n*H + oh*kh) * W + ow*kw) * C * 4
              i.get(n).get(height).mul().get(oh).get(kh).mul().add().get(width).mul();
              i.get(ow).get(kw).mul().add().get(pixelBytes).mul().set(windowBase);
              i.i32(0).set(c);
              i.whileLoop(
                (j) => j.get(c).get(channels).ltU(),
                (j) => {
                  j.get(windowBase).get(c).i32(4).mul().add().get(x).add().v128Load().set(max);
                  eachPixel(() => {
                    f.get(max).get(x).get(ptr).add().v128Load().f32x4Max().set(max);
                  });
                  j.v128Zero().set(found);
                  j.get(dyPtr).v128Load().set(grad);
                  eachPixel(() => {
                    f.get(x).get(ptr).add().v128Load().get(max).f32x4Eq().get(found).v128AndNot().set(hit);
                    f.get(dx).get(ptr).add().get(grad).get(hit).v128And().v128Store();
                    f.get(found).get(hit).v128Or().set(found);
                  });
                  j.increment(dyPtr, 16).increment(c, 4);
                },
              );
              i.increment(ow, 1);
            },
          );
          h.increment(oh, 1);
        },
      );
      g.increment(n, 1);
    },
  );
  return f;
}

export type MaxPoolGrad2x2Fn = (x: number, dy: number, dx: number, windowRows: number, outWidth: number, channels: number) => void;

/**
 * The 2x2 stride-2 case when the windows cover the input exactly (even height and width):
 * one pass over the input, each window's four pixels loaded once, every dx element written
 * (dy where the first maximum is, else 0), so dx need not be zeroed first. windowRows is
 * batch * outHeight (input rows 2r and 2r+1 form window row r).
 */
function buildMaxPoolGrad2x2(): FunctionBuilder {
  const f = new FunctionBuilder('max_pool_grad_2x2', Array<'i32'>(6).fill('i32'));
  const [x, dy, dx, windowRows, outWidth, channels] = f.params as [Local, Local, Local, Local, Local, Local];
  const r = f.local('i32');
  const ow = f.local('i32');
  const c = f.local('i32');
  const o = f.local('i32');
  const i = f.local('i32');
  const dyPtr = f.local('i32');
  const pixelBytes = f.local('i32');
  const rowBytes = f.local('i32');
  const channelBytes = f.local('i32');
  const [a, b, cc, d, max, grad, found, hit] = Array.from({ length: 8 }, () => f.local('v128'));

  f.get(channels).i32(4).mul().set(pixelBytes);
  f.get(outWidth).get(pixelBytes).mul().i32(2).mul().set(rowBytes);
  f.get(channels).i32(4).mul().set(channelBytes);
  f.get(dy).set(dyPtr);
  f.i32(0).set(o);
  const at = (g: FunctionBuilder, base: Local, extra: Local[]) => {
    g.get(base).get(i).add();
    for (const e of extra) g.get(e).add();
  };
  f.i32(0).set(r);
  f.whileLoop(
    (g) => g.get(r).get(windowRows).ltU(),
    (g) => {
      g.i32(0).set(ow);
      g.whileLoop(
        (h) => h.get(ow).get(outWidth).ltU(),
        (h) => {
          h.i32(0).set(c);
          h.whileLoop(
            (k) => k.get(c).get(channelBytes).ltU(),
            (k) => {
              k.get(o).get(c).add().set(i);
              const corners: [Local, Local[]][] = [
                [a, []],
                [b, [pixelBytes]],
                [cc, [rowBytes]],
                [d, [rowBytes, pixelBytes]],
              ];
              for (const [value, extra] of corners) {
                at(k, x, extra);
                k.v128Load().set(value);
              }
              k.get(a).get(b).f32x4Max().get(cc).get(d).f32x4Max().f32x4Max().set(max);
              k.get(dyPtr).v128Load().set(grad);
              corners.forEach(([value, extra], n) => {
                k.get(value).get(max).f32x4Eq();
                if (n > 0) k.get(found).v128AndNot();
                k.set(hit);
                at(k, dx, extra);
                k.get(grad).get(hit).v128And().v128Store();
                if (n === 0) k.get(hit).set(found);
                else if (n < 3) k.get(found).get(hit).v128Or().set(found);
              });
              k.increment(dyPtr, 16).increment(c, 16);
            },
          );
          h.get(o).get(pixelBytes).i32(2).mul().add().set(o);
          h.increment(ow, 1);
        },
      );
      // o has crossed input row 2r; skip row 2r + 1.
      g.get(o).get(rowBytes).add().set(o);
      g.increment(r, 1);
    },
  );
  return f;
}

export type ColumnSumFn = (x: number, out: number, rows: number, width: number) => void;

const ROW_BLOCK = 256;

/** out[j] = sum over rows of x[row][j]; width a multiple of 4; addresses in bytes. */
function buildColumnSum(): FunctionBuilder {
  const f = new FunctionBuilder('column_sum', ['i32', 'i32', 'i32', 'i32']);
  const [x, out, rows, width] = f.params as [Local, Local, Local, Local];
  const j = f.local('i32');
  const r = f.local('i32');
  const blockEnd = f.local('i32');
  const ptr = f.local('i32');
  const rowBytes = f.local('i32');
  const total = f.local('v128');
  const block = f.local('v128');

  f.get(width).i32(4).mul().set(rowBytes);
  f.i32(0).set(j);
  f.whileLoop(
    (g) => g.get(j).get(width).ltU(),
    (g) => {
      g.v128Zero().set(total);
      g.get(x).get(j).i32(4).mul().add().set(ptr);
      g.i32(0).set(r);
      g.whileLoop(
        (h) => h.get(r).get(rows).ltU(),
        (h) => {
          h.get(r).i32(ROW_BLOCK).add().set(blockEnd);
          h.v128Zero().set(block);
          h.whileLoop(
            (i) => {
              // r < blockEnd && r < rows, as (r < blockEnd) & (r < rows)
              i.get(r).get(blockEnd).ltU().get(r).get(rows).ltU();
              i.i32And();
            },
            (i) => {
              i.get(block).get(ptr).v128Load().f32x4Add().set(block);
              i.increment(ptr, rowBytes).increment(r, 1);
            },
          );
          h.get(total).get(block).f32x4Add().set(total);
        },
      );
      g.get(out).get(j).i32(4).mul().add().get(total).v128Store();
      g.increment(j, 4);
    },
  );
  return f;
}

export const tiledMaxPoolGradFor = compiledFor<TiledMaxPoolGradFn>(buildTiledMaxPoolGrad, 'tiled_max_pool_grad');
export const maxPoolGrad2x2For = compiledFor<MaxPoolGrad2x2Fn>(buildMaxPoolGrad2x2, 'max_pool_grad_2x2');
export const columnSumFor = compiledFor<ColumnSumFn>(buildColumnSum, 'column_sum');
