// Compiles a set of SIMD functions once per wasm-backend memory.
import { assembleModule, type FunctionBuilder } from './wasm-assembler.js';
import { type WasmMemory, WebAssemblyJs } from './webassembly.js';

export function compiledFor<T>(build: () => FunctionBuilder, exportName: string): (memory: WasmMemory) => T {
  const instances = new WeakMap<WasmMemory, T>();
  return (memory) => {
    let fn = instances.get(memory);
    if (fn === undefined) {
      const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
      const bytes = assembleModule([build()], { shared });
      const instance = new WebAssemblyJs.Instance(new WebAssemblyJs.Module(bytes), { env: { memory } });
      fn = instance.exports[exportName] as T;
      instances.set(memory, fn);
    }
    return fn;
  };
}
