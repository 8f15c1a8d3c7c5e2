// Types for the parts of the KISS FFT WebAssembly build that the transforms bench uses.
declare module '@echogarden/kissfft-wasm' {
  export interface KissFFTModule {
    HEAPF32: Float32Array;
    _malloc(bytes: number): number;
    _free(pointer: number): void;
    _kiss_fft_alloc(size: number, inverse: number, memory: number, memoryLength: number): number;
    _kiss_fft(config: number, input: number, output: number): void;
    _kiss_fft_stride(config: number, input: number, output: number, stride: number): void;
  }
  const createModule: () => Promise<KissFFTModule>;
  export default createModule;
}
