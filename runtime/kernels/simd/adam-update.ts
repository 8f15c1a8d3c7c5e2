// The fused Adam update (../adam-update.ts) four elements per instruction. Every step is
// an IEEE float32 operation in the scalar order, so the result is the same to the bit.
import { compiledFor } from './instantiate.js';
import { FunctionBuilder, type Local } from './wasm-assembler.js';

/**
 * Addresses in bytes; `count` a multiple of 4 (elements). Without weight decay pass
 * decay = 1: p·1 is p exactly. Writes p', m', v' to pOut, mOut, vOut.
 */
export type AdamUpdateSimdFn = (
  p: number,
  m: number,
  v: number,
  g: number,
  pOut: number,
  mOut: number,
  vOut: number,
  count: number,
  beta1: number,
  oneMinusBeta1: number,
  beta2: number,
  oneMinusBeta2: number,
  correction1: number,
  correction2: number,
  epsilon: number,
  lr: number,
  decay: number,
) => void;

function buildAdamUpdate(): FunctionBuilder {
  const f = new FunctionBuilder('adam_update', [...Array<'i32'>(8).fill('i32'), ...Array<'f32'>(9).fill('f32')]);
  const [p, m, v, g, pOut, mOut, vOut, count, ...scalars] = f.params as Local[];
  const [b1, omb1, b2, omb2, c1, c2, eps, lr, decay] = scalars.map((s) => {
    const splat = f.local('v128');
    f.get(s).f32x4Splat().set(splat);
    return splat;
  }) as [Local, Local, Local, Local, Local, Local, Local, Local, Local];
  const offset = f.local('i32');
  const end = f.local('i32');
  const gi = f.local('v128');
  const mi = f.local('v128');
  const vi = f.local('v128');
  f.get(count).i32(4).mul().set(end);
  f.i32(0).set(offset);
  f.whileLoop(
    (w) => w.get(offset).get(end).ltU(),
    (w) => {
      w.get(g!).get(offset).add().v128Load().set(gi);
      // m' = m·β1 + g·(1−β1)
      w.get(m!).get(offset).add().v128Load().get(b1).f32x4Mul().get(gi).get(omb1).f32x4Mul().f32x4Add().set(mi);
      // v' = v·β2 + (g·g)·(1−β2)
      w.get(v!).get(offset).add().v128Load().get(b2).f32x4Mul().get(gi).get(gi).f32x4Mul().get(omb2).f32x4Mul().f32x4Add().set(vi);
      w.get(mOut!).get(offset).add().get(mi).v128Store();
      w.get(vOut!).get(offset).add().get(vi).v128Store();
      // p' = p·decay − ((m'/c1) / (√(v'/c2) + ε))·lr
      w.get(pOut!).get(offset).add();
      w.get(p!).get(offset).add().v128Load().get(decay).f32x4Mul();
      w.get(mi).get(c1).f32x4Div();
      w.get(vi).get(c2).f32x4Div().f32x4Sqrt().get(eps).f32x4Add();
      w.f32x4Div().get(lr).f32x4Mul().f32x4Sub().v128Store();
      w.increment(offset, 16);
    },
  );
  return f;
}

export const adamUpdateSimdFor = compiledFor<AdamUpdateSimdFn>(buildAdamUpdate, 'adam_update');
