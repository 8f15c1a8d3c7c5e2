// The element-wise parts of the fused GELU (../gelu.ts) as WebAssembly SIMD functions on the
// backend's heap, four elements per instruction and a scalar tail. Each is written once
// against a small stack-machine interface and emitted in both widths, so the tail computes
// exactly what the vector body does.
import { compiledFor } from './instantiate.js';
import { FunctionBuilder, type Local } from './wasm-assembler.js';

/** GELU's tanh form: x·σ(k·(x + c·x³)). */
export const GELU_SCALE = 2 * Math.sqrt(2 / Math.PI);
export const GELU_CUBIC = 0.044715;

/** Inputs then output, addresses in bytes; `count` elements. */
export type Elementwise2Fn = (a: number, out: number, count: number) => void;
export type Elementwise3Fn = (a: number, b: number, out: number, count: number) => void;
export type Elementwise4Fn = (a: number, b: number, c: number, out: number, count: number) => void;

/** Pushes values of the current element; the operations pop two and push one. */
interface Element {
  input(i: number): void;
  constant(j: number): void;
  add(): void;
  sub(): void;
  mul(): void;
}

function buildElementwise(name: string, inputs: number, constants: number[], body: (e: Element) => void): FunctionBuilder {
  const f = new FunctionBuilder(name, Array<'i32'>(inputs + 2).fill('i32'));
  const pointers = f.params.slice(0, inputs);
  const [out, count] = f.params.slice(inputs) as [Local, Local];
  const offset = f.local('i32');
  const vectorBytes = f.local('i32');
  const bytes = f.local('i32');
  const splats = constants.map((value) => {
    const l = f.local('v128');
    f.f32(value).f32x4Splat().set(l);
    return l;
  });
  const at = (base: Local) => f.get(base).get(offset).add();
  const vector: Element = {
    input: (i) => at(pointers[i]!).v128Load(),
    constant: (j) => f.get(splats[j]!),
    add: () => f.f32x4Add(),
    sub: () => f.f32x4Sub(),
    mul: () => f.f32x4Mul(),
  };
  const scalar: Element = {
    input: (i) => at(pointers[i]!).f32Load(),
    constant: (j) => f.f32(constants[j]!),
    add: () => f.f32Add(),
    // a − b as a + (−1·b): the same IEEE result (negation is exact)
    sub: () => f.f32(-1).f32Mul().f32Add(),
    mul: () => f.f32Mul(),
  };
  f.get(count).i32(4).mul().set(bytes);
  f.get(count).i32(-4).i32And().i32(4).mul().set(vectorBytes);
  f.i32(0).set(offset);
  f.whileLoop(
    (w) => w.get(offset).get(vectorBytes).ltU(),
    (w) => {
      at(out);
      body(vector);
      w.v128Store().increment(offset, 16);
    },
  );
  f.whileLoop(
    (w) => w.get(offset).get(bytes).ltU(),
    (w) => {
      at(out);
      body(scalar);
      w.f32Store().increment(offset, 4);
    },
  );
  return f;
}

/** u = (x + (x·x·x)·c)·k: the argument of σ, in the op-by-op order. */
function buildArgument(): FunctionBuilder {
  return buildElementwise('gelu_argument', 1, [GELU_CUBIC, GELU_SCALE], (e) => {
    e.input(0);
    e.input(0);
    e.input(0);
    e.mul();
    e.input(0);
    e.mul();
    e.constant(0);
    e.mul();
    e.add();
    e.constant(1);
    e.mul();
  });
}

/** y = x·s. */
function buildProduct(): FunctionBuilder {
  return buildElementwise('gelu_product', 2, [], (e) => {
    e.input(0);
    e.input(1);
    e.mul();
  });
}

/** dx = dy·(s + ((x·x)·3ck + k)·(x·(s − s·s))); inputs dy, x, s. */
function buildGrad(): FunctionBuilder {
  return buildElementwise('gelu_grad', 3, [3 * GELU_CUBIC * GELU_SCALE, GELU_SCALE], (e) => {
    e.input(0);
    e.input(2);
    e.input(1);
    e.input(1);
    e.mul();
    e.constant(0);
    e.mul();
    e.constant(1);
    e.add();
    e.input(1);
    e.input(2);
    e.input(2);
    e.input(2);
    e.mul();
    e.sub();
    e.mul();
    e.mul();
    e.add();
    e.mul();
  });
}

export const geluArgumentFor = compiledFor<Elementwise2Fn>(buildArgument, 'gelu_argument');
export const geluProductFor = compiledFor<Elementwise3Fn>(buildProduct, 'gelu_product');
export const geluGradFor = compiledFor<Elementwise4Fn>(buildGrad, 'gelu_grad');
