import assert from 'node:assert/strict';
import { assembleModule, FunctionBuilder, type Local } from '../../runtime/kernels/simd/wasm-assembler.js';
import { batchedMatMulFor } from '../../runtime/kernels/simd/batched-matmul.js';
import { WebAssemblyJs } from '../../runtime/kernels/simd/webassembly.js';

/** A memory like the one the wasm backend exports, for instantiating test modules. */
function memory(shared: boolean) {
  const Memory = WebAssemblyJs.Memory as unknown as new (d: { initial: number; maximum?: number; shared?: boolean }) => { buffer: ArrayBuffer };
  return new Memory(shared ? { initial: 1, maximum: 65536, shared: true } : { initial: 1 });
}

describe('WebAssembly writer for the SIMD kernels', () => {
  for (const shared of [false, true]) {
    it(`encodes constants, locals, loops and memory access (${shared ? 'shared' : 'plain'} memory)`, () => {
      // sum_{i < n} mem[i] * c + bias, with c and bias negative and large (multi-byte LEB)
      const f = new FunctionBuilder('weighted_sum', ['i32', 'i32']);
      const [ptr, n] = f.params as [Local, Local];
      const i = f.local('i32');
      const acc = f.local('i32');
      f.i32(-1234567).set(acc);
      f.i32(0).set(i);
      f.whileLoop(
        (g) => g.get(i).get(n).ltU(),
        (g) => {
          g.get(acc).get(ptr).i32Load().i32(-300).mul().add().set(acc);
          g.increment(ptr, 4).increment(i, 1);
        },
      );
      f.get(ptr).get(acc).i32Store();
      const mem = memory(shared);
      const module = new WebAssemblyJs.Module(assembleModule([f], { shared }));
      const run = new WebAssemblyJs.Instance(module, { env: { memory: mem } }).exports['weighted_sum'] as (p: number, n: number) => void;
      const words = new Int32Array(mem.buffer);
      words.set([5, -7, 11], 4);
      run(16, 3);
      assert.equal(words[7], -1234567 + -300 * (5 - 7 + 11));
    });
  }

  it('runs the batched matrix product on both kinds of memory, with broadcasting', () => {
    for (const shared of [false, true]) {
      const mem = memory(shared);
      const product = batchedMatMulFor(mem as never);
      const f = new Float32Array(mem.buffer);
      // A: 2 batches of 2x3, B: one 3x17 matrix broadcast (16 SIMD columns + 1 scalar)
      const a = Float32Array.from({ length: 12 }, (_, i) => i - 5);
      const b = Float32Array.from({ length: 51 }, (_, i) => (i % 7) - 3);
      f.set(a, 0);
      f.set(b, 16);
      product(0, 64, 512, 2, 2, 3, 17, 24, 0);
      for (let g = 0; g < 2; g++) {
        for (let r = 0; r < 2; r++) {
          for (let c = 0; c < 17; c++) {
            let s = 0;
            for (let k = 0; k < 3; k++) s += a[g * 6 + r * 3 + k]! * b[k * 17 + c]!;
            assert.equal(f[128 + (g * 2 + r) * 17 + c], s);
          }
        }
      }
    }
  });
});
