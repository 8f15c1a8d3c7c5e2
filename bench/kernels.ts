// Per-kernel timings on shapes from the benchmark models (batch 64): the pure-JS cpu
// backend, the stock wasm backend, and wasm with registerFastKernels(). Each column runs
// in its own process (the kernel set of a backend is fixed once installed). Times are
// process CPU time per call (best of three rounds; one call on cpu), which other processes on the
// machine disturb less than wall time. Prints a table, writes bench/results/kernels.json.
//
//   npx tsx bench/kernels.ts            all three columns (the cpu column takes a while)
//   npx tsx bench/kernels.ts --no-cpu   wasm columns only
import * as tf from '@tensorflow/tfjs';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { selectBackend } from '../runtime/backend/select.js';

type Mode = 'cpu' | 'wasm-stock' | 'wasm-fast';

interface Case {
  name: string;
  kernel: string;
  /** Builds the inputs and returns the call to time. */
  make(): () => tf.Tensor | tf.Tensor[];
}

const run = (kernel: string, inputs: tf.NamedTensorMap, attrs: Record<string, unknown> = {}) => () =>
  tf.engine().runKernel(kernel, inputs, attrs as tf.NamedAttrMap) as tf.Tensor | tf.Tensor[];
const normal = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);

const CASES: Case[] = [
  {
    name: 'conv 3x3 32->64 on 14x14, filter gradient',
    kernel: 'Conv2DBackpropFilter',
    make: () => run('Conv2DBackpropFilter', { x: normal([64, 14, 14, 32], 1), dy: normal([64, 14, 14, 64], 2) }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 32, 64] }),
  },
  {
    name: 'conv 3x3 32->64 on 14x14, input gradient',
    kernel: 'Conv2DBackpropInput',
    make: () => run('Conv2DBackpropInput', { dy: normal([64, 14, 14, 64], 3), filter: normal([3, 3, 32, 64], 4) }, { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: [64, 14, 14, 32] }),
  },
  {
    name: 'conv 3x3 stride 2 32->64 on 14x14, input gradient',
    kernel: 'Conv2DBackpropInput',
    make: () => run('Conv2DBackpropInput', { dy: normal([64, 7, 7, 64], 5), filter: normal([3, 3, 32, 64], 6) }, { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [64, 14, 14, 32] }),
  },
  {
    name: 'patch embedding 4x4/4 1->64 on 28x28, filter gradient',
    kernel: 'Conv2DBackpropFilter',
    make: () => run('Conv2DBackpropFilter', { x: normal([64, 28, 28, 1], 7), dy: normal([64, 7, 7, 64], 8) }, { strides: 4, pad: 'valid', dataFormat: 'NHWC', filterShape: [4, 4, 1, 64] }),
  },
  {
    name: 'dense weight gradient x^T dy, 3136x64 by 3136x256',
    kernel: 'BatchMatMul',
    make: () => run('BatchMatMul', { a: normal([3136, 64], 9), b: normal([3136, 256], 10) }, { transposeA: true, transposeB: false }),
  },
  {
    name: 'dense input gradient dy W^T, 3136x256 by (64x256)^T',
    kernel: 'BatchMatMul',
    make: () => run('BatchMatMul', { a: normal([3136, 256], 11), b: normal([64, 256], 12) }, { transposeA: false, transposeB: true }),
  },
  {
    name: 'attention scores q k^T, 64x4 heads of 49x16',
    kernel: 'BatchMatMul',
    make: () => run('BatchMatMul', { a: normal([64, 4, 49, 16], 13), b: normal([64, 4, 49, 16], 14) }, { transposeA: false, transposeB: true }),
  },
  {
    name: 'attention values a v, 64x4 heads of 49x49 by 49x16',
    kernel: 'BatchMatMul',
    make: () => run('BatchMatMul', { a: normal([64, 4, 49, 49], 15), b: normal([64, 4, 49, 16], 16) }, { transposeA: false, transposeB: false }),
  },
  {
    name: 'transpose 12544x288',
    kernel: 'Transpose',
    make: () => run('Transpose', { x: normal([12544, 288], 17) }, { perm: [1, 0] }),
  },
  {
    name: 'transpose heads [64,49,4,16] -> [64,4,49,16]',
    kernel: 'Transpose',
    make: () => run('Transpose', { x: normal([64, 49, 4, 16], 18) }, { perm: [0, 2, 1, 3] }),
  },
  {
    name: 'max-pool 2x2 gradient on 64x28x28x32',
    kernel: 'MaxPoolGrad',
    make: () => {
      const x = normal([64, 28, 28, 32], 19);
      const y = tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid');
      return run('MaxPoolGrad', { dy: y, input: x, output: y }, { filterSize: 2, strides: 2, pad: 'valid' });
    },
  },
  {
    name: 'bias gradient: sum of 64x28x28x32 over [0,1,2]',
    kernel: 'Sum',
    make: () => run('Sum', { x: normal([64, 28, 28, 32], 20) }, { axis: [0, 1, 2], keepDims: false }),
  },
  {
    name: 'unstack q/k/v [3,64,4,49,16]',
    kernel: 'Unpack',
    make: () => run('Unpack', { value: normal([3, 64, 4, 49, 16], 21) }, { axis: 0 }),
  },
  {
    name: 'cast float32 -> float32 (in many gradients), 3136x256',
    kernel: 'Cast',
    make: () => run('Cast', { x: normal([3136, 256], 22) }, { dtype: 'float32' }),
  },
  {
    name: 'depthwise 3x3 on 64x14x14x32, filter gradient',
    kernel: 'DepthwiseConv2dNativeBackpropFilter',
    make: () => run('DepthwiseConv2dNativeBackpropFilter', { x: normal([64, 14, 14, 32], 23), dy: normal([64, 14, 14, 32], 24) }, { strides: 1, pad: 'same', dilations: 1, filterShape: [3, 3, 32, 1] }),
  },
  {
    name: 'gather gradient (UnsortedSegmentSum), 3136 rows of 64 into 100',
    kernel: 'UnsortedSegmentSum',
    make: () => run('UnsortedSegmentSum', { x: normal([3136, 64], 25), segmentIds: tf.tensor1d(Array.from({ length: 3136 }, (_, i) => (i * 7) % 100), 'int32') }, { numSegments: 100 }),
  },
];

interface Timing {
  name: string;
  kernel: string;
  ms?: number;
  error?: string;
}

function cpuMsPerCall(call: () => tf.Tensor | tf.Tensor[], budgetMs: number, rounds: number): number {
  const once = () => {
    const c0 = process.cpuUsage();
    tf.dispose(call());
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
  const first = once();
  const calls = Math.max(1, Math.min(20, Math.floor(budgetMs / Math.max(first, 0.01))));
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < calls; i++) tf.dispose(call());
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1000 / calls);
  }
  return best;
}

async function child(mode: Mode): Promise<void> {
  await selectBackend({ backend: mode === 'cpu' ? 'cpu' : 'wasm', threads: 1, fastKernels: mode === 'wasm-fast' });
  const timings: Timing[] = [];
  for (const c of CASES) {
    try {
      const call = c.make();
      // The pure-JS backend takes seconds on some of these: one timed call after a warm one.
      timings.push({ name: c.name, kernel: c.kernel, ms: mode === 'cpu' ? cpuMsPerCall(call, 0, 1) : cpuMsPerCall(call, 300, 3) });
    } catch (err) {
      timings.push({ name: c.name, kernel: c.kernel, error: (err instanceof Error ? err.message : String(err)).split('\n')[0] });
    }
  }
  console.log(`RESULT ${JSON.stringify(timings)}`);
}

function runChild(mode: Mode): Promise<Timing[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--child', mode],
      { timeout: 30 * 60 * 1000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout) => {
        const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
        if (line === undefined) reject(new Error(`${mode} run failed: ${err?.message ?? 'no result'}`));
        else resolve(JSON.parse(line.slice(7)) as Timing[]);
      },
    );
  });
}

async function main(): Promise<void> {
  const modes: Mode[] = process.argv.includes('--no-cpu') ? ['wasm-stock', 'wasm-fast'] : ['cpu', 'wasm-stock', 'wasm-fast'];
  const columns: Partial<Record<Mode, Timing[]>> = {};
  for (const mode of modes) {
    console.error(`  timing ${mode} ...`);
    columns[mode] = await runChild(mode);
  }
  const fmt = (t: Timing | undefined) => (t === undefined ? '' : t.error !== undefined ? 'missing' : t.ms! < 10 ? t.ms!.toFixed(2) : t.ms!.toFixed(1));
  const header = ['kernel', 'case', ...modes.map((m) => `${m} ms`), 'stock/fast'];
  const rows = CASES.map((c, i) => {
    const stock = columns['wasm-stock']?.[i];
    const fast = columns['wasm-fast']?.[i];
    const ratio = stock?.ms !== undefined && fast?.ms !== undefined ? `${(stock.ms / fast.ms).toFixed(1)}x` : stock?.error !== undefined ? 'added' : '';
    return [c.kernel, c.name, ...modes.map((m) => fmt(columns[m]?.[i])), ratio];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\nKernel CPU time per call (ms), batch 64, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), 1-min load ${os.loadavg()[0]!.toFixed(1)}`);
  console.log(line(header));
  for (const r of rows) console.log(line(r));

  const here = dirname(fileURLToPath(import.meta.url));
  const outDir = join(here.endsWith(join('dist', 'bench')) ? join(here, '..', '..', 'bench') : here, 'results');
  mkdirSync(outDir, { recursive: true });
  const results = CASES.map((c, i) => ({
    kernel: c.kernel,
    case: c.name,
    ...Object.fromEntries(modes.map((m) => [m, columns[m]?.[i]?.ms ?? columns[m]?.[i]?.error ?? null])),
  }));
  writeFileSync(
    join(outDir, 'kernels.json'),
    JSON.stringify({ date: new Date().toISOString(), unit: 'ms of process CPU time per call', loadAverage: os.loadavg(), results }, null, 2) + '\n',
  );
  console.log(`wrote ${join(outDir, 'kernels.json')}`);
}

const childIndex = process.argv.indexOf('--child');
if (childIndex >= 0) await child(process.argv[childIndex + 1] as Mode);
else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
