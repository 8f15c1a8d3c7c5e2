// A minimal WebAssembly binary writer: enough to build small SIMD compute functions
// that import the TensorFlow.js wasm backend's memory and work on tensors in place.
// (No toolchain is needed at build or run time; the module is assembled in memory.)

export type ValueType = 'i32' | 'f32' | 'v128';

const TYPE_CODE: Record<ValueType, number> = { i32: 0x7f, f32: 0x7d, v128: 0x7b };

function unsignedLeb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function signedLeb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...unsignedLeb(bytes.length), ...bytes];
}

function vector(items: number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...unsignedLeb(body.length), ...body];
}

/** A local variable (parameters first, then declared locals). */
export interface Local {
  readonly index: number;
  readonly type: ValueType;
}

/** Emits the body of one function; each method appends instructions. */
export class FunctionBuilder {
  readonly params: Local[];
  private readonly locals: Local[] = [];
  private readonly code: number[] = [];

  constructor(
    readonly exportName: string,
    paramTypes: ValueType[],
  ) {
    this.params = paramTypes.map((type, index) => ({ index, type }));
  }

  local(type: ValueType): Local {
    const l = { index: this.params.length + this.locals.length, type };
    this.locals.push(l);
    return l;
  }

  private emit(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }

  private simd(opcode: number, ...immediates: number[]): this {
    return this.emit(0xfd, ...unsignedLeb(opcode), ...immediates);
  }

  get(l: Local): this {
    return this.emit(0x20, ...unsignedLeb(l.index));
  }
  set(l: Local): this {
    return this.emit(0x21, ...unsignedLeb(l.index));
  }
  tee(l: Local): this {
    return this.emit(0x22, ...unsignedLeb(l.index));
  }
  i32(value: number): this {
    return this.emit(0x41, ...signedLeb(value));
  }
  f32(value: number): this {
    const bytes = new Uint8Array(new Float32Array([value]).buffer);
    return this.emit(0x43, ...bytes);
  }
  add(): this {
    return this.emit(0x6a);
  }
  sub(): this {
    return this.emit(0x6b);
  }
  mul(): this {
    return this.emit(0x6c);
  }
  ltU(): this {
    return this.emit(0x49);
  }
  leU(): this {
    return this.emit(0x4d);
  }
  geU(): this {
    return this.emit(0x4f);
  }
  i32And(): this {
    return this.emit(0x71);
  }
  f32Add(): this {
    return this.emit(0x92);
  }
  f32Mul(): this {
    return this.emit(0x94);
  }
  /** (a, b, cond) -> cond ? a : b */
  select(): this {
    return this.emit(0x1b);
  }
  i32Load(offset = 0): this {
    return this.emit(0x28, 2, ...unsignedLeb(offset));
  }
  i32Store(offset = 0): this {
    return this.emit(0x36, 2, ...unsignedLeb(offset));
  }
  /** f32.load with a constant byte offset from the address on the stack. */
  f32Load(offset = 0): this {
    return this.emit(0x2a, 2, ...unsignedLeb(offset));
  }
  f32Store(offset = 0): this {
    return this.emit(0x38, 2, ...unsignedLeb(offset));
  }
  v128Load(offset = 0): this {
    return this.simd(0x00, 0, ...unsignedLeb(offset));
  }
  v128Store(offset = 0): this {
    return this.simd(0x0b, 0, ...unsignedLeb(offset));
  }
  v128Zero(): this {
    return this.simd(0x0c, ...new Array<number>(16).fill(0));
  }
  f32x4Splat(): this {
    return this.simd(0x13);
  }
  f32x4Add(): this {
    return this.simd(0xe4);
  }
  f32x4Sub(): this {
    return this.simd(0xe5);
  }
  f32x4Mul(): this {
    return this.simd(0xe6);
  }
  f32x4Div(): this {
    return this.simd(0xe7);
  }
  f32x4Sqrt(): this {
    return this.simd(0xe3);
  }
  f32x4Max(): this {
    return this.simd(0xe9);
  }
  f32x4Eq(): this {
    return this.simd(0x41);
  }
  v128And(): this {
    return this.simd(0x4e);
  }
  /** a & ~b */
  v128AndNot(): this {
    return this.simd(0x4f);
  }
  v128Or(): this {
    return this.simd(0x50);
  }

  /** local += value (i32). */
  increment(l: Local, value: number | Local): this {
    this.get(l);
    if (typeof value === 'number') this.i32(value);
    else this.get(value);
    return this.add().set(l);
  }

  /** block { loop { if !(cond) break; body; continue } }, cond leaves an i32 on the stack. */
  whileLoop(cond: (f: this) => void, body: (f: this) => void): this {
    this.emit(0x02, 0x40, 0x03, 0x40);
    cond(this);
    this.emit(0x45, 0x0d, 0x01); // i32.eqz; br_if 1 (leave the block)
    body(this);
    return this.emit(0x0c, 0x00, 0x0b, 0x0b); // br 0 (next iteration); end loop; end block
  }

  encodeType(): number[] {
    return [0x60, ...vector(this.params.map((p) => [TYPE_CODE[p.type]])), 0x00];
  }

  encodeBody(): number[] {
    const declared = vector(this.locals.map((l) => [1, TYPE_CODE[l.type]]));
    const body = [...declared, ...this.code, 0x0b];
    return [...unsignedLeb(body.length), ...body];
  }
}

/**
 * A module of functions (each with its own type) importing one memory as env.memory.
 * `shared` must match the memory it will be instantiated with.
 */
export function assembleModule(functions: FunctionBuilder[], memory: { shared: boolean }): Uint8Array {
  const maxPages = 65536;
  const limits = memory.shared ? [0x03, ...unsignedLeb(1), ...unsignedLeb(maxPages)] : [0x00, ...unsignedLeb(1)];
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(functions.map((f) => f.encodeType()))),
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, ...limits]])),
    ...section(3, vector(functions.map((_, i) => unsignedLeb(i)))),
    ...section(7, vector(functions.map((f, i) => [...name(f.exportName), 0x00, ...unsignedLeb(i)]))),
    ...section(10, vector(functions.map((f) => f.encodeBody()))),
  ];
  return new Uint8Array(bytes);
}
