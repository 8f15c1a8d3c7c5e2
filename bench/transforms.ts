/**
 * Cost of the data pipeline's transforms per batch of 64 (28×28×1, and 224×224×3
 * for the low-pass methods), on the tfjs wasm backend (cpu if wasm is unavailable).
 * Prints a table and writes bench/results/transforms.json.
 *
 *   npx tsx bench/transforms.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import createKissFFT, { type KissFFTModule } from '@echogarden/kissfft-wasm';
import { BatchLoader } from '../runtime/data/loader.js';
import { loadDatasetSplits } from '../runtime/data/source.js';
import { Random } from '../runtime/random.js';
import { randomHorizontalFlip, randomResizedCrop } from '../runtime/transforms/crop-flip.js';
import { decodeHalf, encodeHalf } from '../runtime/transforms/half-float.js';
import { smoothOneHot } from '../runtime/transforms/label-smoothing.js';
import { LOW_PASS_METHODS, lowPass, lowPassBytes } from '../runtime/transforms/low-pass.js';
import { applyLowPass } from '../runtime/transforms/low-pass-tensors.js';
import { mixupCutmix } from '../runtime/transforms/mixup.js';
import { normalize } from '../runtime/transforms/normalize.js';
import { parseRandAugment, RandAugment } from '../runtime/transforms/rand-augment.js';
import { randomErasing } from '../runtime/transforms/random-erasing.js';
import { ReplayBuffer } from '../runtime/transforms/replay-buffer.js';

const BATCH = 64;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Measured range of one training step of a small CNN at 28×28, batch 64, on this class of machine. */
const STEP_MS = { low: 60, high: 220 };

interface Row {
  readonly transform: string;
  readonly input: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly runs: number;
  /** 'pipeline': part of the per-step pipeline at 28×28 whose total is compared with a training step. */
  readonly group: 'pipeline' | 'low-pass-28' | 'low-pass-224' | 'other';
}

async function measure(run: () => unknown | Promise<unknown>, budgetMs: number, maxRuns: number): Promise<{ median: number; min: number; runs: number }> {
  // Warm-up runs let the JIT compile the loops and the backend allocate its buffers.
  for (let i = 0; i < (maxRuns > 5 ? 5 : 1); i++) await run();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < maxRuns && (times.length < 3 || performance.now() - start < budgetMs)) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0], runs: times.length };
}

/** Low-frequency crop of N×H×W×1 planes with KISS FFT (1-D transforms along rows then columns). */
function kissFrequencyCrop(kiss: KissFFTModule, x: Float32Array, count: number, h: number, w: number, b: number): Float32Array {
  const rowFft = kiss._kiss_fft_alloc(w, 0, 0, 0);
  const colFft = kiss._kiss_fft_alloc(h, 0, 0, 0);
  const inverse = kiss._kiss_fft_alloc(b, 1, 0, 0);
  const input = kiss._malloc(h * w * 8);
  const spectrum = kiss._malloc(h * w * 8);
  const column = kiss._malloc(h * 8);
  const block = kiss._malloc(b * b * 8);
  const block2 = kiss._malloc(b * b * 8);
  const line = kiss._malloc(b * 8);
  const out = new Float32Array(count * b * b);
  const scale = (b / h) * (b / w) / (b * b);
  for (let n = 0; n < count; n++) {
    let heap = kiss.HEAPF32;
    for (let i = 0; i < h * w; i++) {
      heap[(input >> 2) + 2 * i] = x[n * h * w + i];
      heap[(input >> 2) + 2 * i + 1] = 0;
    }
    for (let r = 0; r < h; r++) kiss._kiss_fft(rowFft, input + r * w * 8, spectrum + r * w * 8);
    for (let j = 0; j < b; j++) {
      const kc = (j - b / 2 + w) % w;
      const bc = (j - b / 2 + b) % b;
      kiss._kiss_fft_stride(colFft, spectrum + kc * 8, column, w);
      heap = kiss.HEAPF32;
      for (let i = 0; i < b; i++) {
        const kr = (i - b / 2 + h) % h;
        const br = (i - b / 2 + b) % b;
        heap[(block >> 2) + 2 * (br * b + bc)] = heap[(column >> 2) + 2 * kr];
        heap[(block >> 2) + 2 * (br * b + bc) + 1] = heap[(column >> 2) + 2 * kr + 1];
      }
    }
    for (let r = 0; r < b; r++) kiss._kiss_fft(inverse, block + r * b * 8, block2 + r * b * 8);
    for (let c = 0; c < b; c++) {
      kiss._kiss_fft_stride(inverse, block2 + c * 8, line, b);
      heap = kiss.HEAPF32;
      for (let r = 0; r < b; r++) out[n * b * b + r * b + c] = heap[(line >> 2) + 2 * r] * scale;
    }
  }
  for (const pointer of [rowFft, colFft, inverse, input, spectrum, column, block, block2, line]) kiss._free(pointer);
  return out;
}

async function main(): Promise<void> {
  let backend = 'wasm';
  try {
    if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not initialise');
  } catch {
    backend = 'cpu';
    await tf.setBackend('cpu');
  }
  await tf.ready();
  const kiss = await createKissFFT();
  const rows: Row[] = [];
  const add = async (transform: string, input: string, group: Row['group'], run: () => unknown, budgetMs = 1000, maxRuns = 50) => {
    const { median, min, runs } = await measure(run, budgetMs, maxRuns);
    rows.push({ transform, input, medianMs: median, minMs: min, runs, group });
    process.stderr.write(`  ${transform} (${input}): ${median.toFixed(2)} ms\n`);
  };

  const { train } = loadDatasetSplits({ format: 'idx', path: join(ROOT, 'data', 'fashion-mnist-small'), validation: 'none' });
  const loader = new BatchLoader(train, { batchSize: BATCH, seed: 0 });
  const batch = loader.batchAt(0);
  const small = `${BATCH}×28×28×1`;
  const random = new Random(0);
  const floats = normalize(batch.images, 1, [0.286], [0.353]);

  // The per-step pipeline at 28×28, in the order a training step applies it.
  let step = 0;
  await add('gather batch (loader)', small, 'pipeline', () => loader.batchAt(step++));
  const randAugment = new RandAugment(parseRandAugment('rand-m9-mstd0.5-inc1'));
  await add('RandAugment rand-m9-mstd0.5-inc1', small, 'pipeline', () => randAugment.batch(batch.images, BATCH, 28, 28, 1, random));
  await add('random-resized crop + flip', small, 'pipeline', () =>
    randomHorizontalFlip(randomResizedCrop(batch.images, BATCH, 28, 28, 1, { outHeight: 28, outWidth: 28 }, random), BATCH, 28, 28, 1, random),
  );
  await add('normalize to float32', small, 'pipeline', () => normalize(batch.images, 1, [0.286], [0.353]));
  const input28 = tf.tensor4d(floats, [BATCH, 28, 28, 1]);
  for (const method of LOW_PASS_METHODS) {
    lowPass(method, 28, 28, 16);
    await add(`low-pass ${method} → 16`, small, method === 'fft' ? 'pipeline' : 'low-pass-28', async () => {
      const out = applyLowPass(method, input28, 16);
      await out.data();
      out.dispose();
    });
  }
  await add('low-pass fft → 16, KISS FFT', small, 'low-pass-28', () => kissFrequencyCrop(kiss, floats, BATCH, 28, 28, 16));
  // What the training loop runs: 8-bit images on plain arrays, in double precision (no backend).
  for (const size of [12, 16, 20]) {
    await add(`low-pass fft → ${size}, 8-bit on arrays`, small, 'low-pass-28', () => lowPassBytes('fft', batch.images, BATCH, 28, 28, 1, size));
  }
  const lowRes = floats.subarray(0, BATCH * 16 * 16);
  await add('mixup / cutmix (timm)', `${BATCH}×16×16×1`, 'pipeline', () => mixupCutmix(lowRes, batch.labels, 16, 16, 1, { classes: 10 }, random));
  await add('random erasing p=0.25', `${BATCH}×16×16×1`, 'pipeline', () => randomErasing(lowRes.slice(), BATCH, 16, 16, 1, random));
  await add('label smoothing 0.1', `${BATCH} labels`, 'other', () => smoothOneHot(batch.labels, 10, 0.1));
  const replay = new ReplayBuffer({ replayTimes: 4, bufferBatches: 8, seed: 0 });
  const fresh = { images: floats.subarray(0, 16 * 784), labels: batch.labels.subarray(0, 16), itemSize: 784 };
  await add('replay buffer step r=4 (16 fresh → 64)', `16×28×28×1`, 'other', () => replay.step(fresh));
  await add('fp16 encode + decode', small, 'other', () => decodeHalf(encodeHalf(floats)));
  input28.dispose();

  // Low-pass methods at ImageNet size.
  const big = `${BATCH}×224×224×3`;
  const bigRandom = new Random(1);
  const bigFloats = Float32Array.from({ length: BATCH * 224 * 224 * 3 }, () => bigRandom.float());
  const input224 = tf.tensor4d(bigFloats, [BATCH, 224, 224, 3]);
  for (const size of [96, 160]) {
    for (const method of LOW_PASS_METHODS) {
      lowPass(method, 224, 224, size);
      await add(`low-pass ${method} → ${size}`, big, 'low-pass-224', async () => {
        const out = applyLowPass(method, input224, size);
        await out.data();
        out.dispose();
      }, 2000, 5);
    }
    const planes = new Float32Array(BATCH * 3 * 224 * 224);
    await add(`low-pass fft → ${size}, KISS FFT`, big, 'low-pass-224', () => kissFrequencyCrop(kiss, planes, BATCH * 3, 224, 224, size), 2000, 5);
    const bigBytes = Uint8Array.from(bigFloats, (v) => v * 255);
    await add(`low-pass fft → ${size}, 8-bit on arrays`, big, 'low-pass-224', () => lowPassBytes('fft', bigBytes, BATCH, 224, 224, 3, size), 2000, 3);
  }
  input224.dispose();
  const bigImages = Uint8Array.from(bigFloats, (v) => v * 255);
  await add('RandAugment rand-m9-mstd0.5-inc1', big, 'other', () => randAugment.batch(bigImages, BATCH, 224, 224, 3, random), 2000, 5);

  // KISS FFT and the matrix form must agree before their timings mean anything.
  const check = tf.tensor4d(floats.subarray(0, 4 * 784), [4, 28, 28, 1]);
  const viaMatrices = applyLowPass('fft', check, 16).dataSync();
  const viaKiss = kissFrequencyCrop(kiss, floats.subarray(0, 4 * 784), 4, 28, 28, 16);
  const agreement = Math.max(...Array.from(viaKiss, (v, i) => Math.abs(v - viaMatrices[i])));
  check.dispose();

  const pipeline = rows.filter((r) => r.group === 'pipeline');
  const pipelineMs = pipeline.reduce((sum, r) => sum + r.medianMs, 0);
  const pipelineMinMs = pipeline.reduce((sum, r) => sum + r.minMs, 0);
  const width = Math.max(...rows.map((r) => r.transform.length));
  const inputWidth = Math.max(...rows.map((r) => r.input.length));
  const load = loadavg().map((l) => Number(l.toFixed(2)));
  console.log(`\ntransforms per batch of ${BATCH} — tfjs backend: ${backend}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, load average ${load.join(' ')}\n`);
  console.log(`${'transform'.padEnd(width)}  ${'input'.padEnd(inputWidth)}  ${'median ms'.padStart(10)}  ${'min ms'.padStart(8)}  runs`);
  for (const r of rows) {
    console.log(`${r.transform.padEnd(width)}  ${r.input.padEnd(inputWidth)}  ${r.medianMs.toFixed(2).padStart(10)}  ${r.minMs.toFixed(2).padStart(8)}  ${r.runs}`);
  }
  console.log(`\nper-step pipeline at 28×28: ${pipeline.map((r) => r.transform).join(', ')}`);
  console.log(
    `  sum of medians ${pipelineMs.toFixed(1)} ms = ${((100 * pipelineMs) / STEP_MS.high).toFixed(1)}–${((100 * pipelineMs) / STEP_MS.low).toFixed(1)} % ` +
      `of a ${STEP_MS.low}–${STEP_MS.high} ms training step (budget 10 %); sum of minima ${pipelineMinMs.toFixed(1)} ms`,
  );
  console.log(`KISS FFT vs matrix low-frequency crop, max |difference| at 28 → 16: ${agreement.toExponential(2)}`);

  const out = join(ROOT, 'bench', 'results', 'transforms.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        bench: 'transforms',
        date: new Date().toISOString(),
        backend,
        cpu: cpus()[0]?.model ?? 'unknown',
        cores: cpus().length,
        // Other processes competing for the cores inflate the medians; the minima are closer to the cost on an idle machine.
        loadAverage: load,
        node: process.version,
        batch: BATCH,
        trainingStepMs: STEP_MS,
        pipelineAt28: pipeline.map((r) => r.transform),
        pipelineAt28Ms: Number(pipelineMs.toFixed(2)),
        pipelineAt28MinMs: Number(pipelineMinMs.toFixed(2)),
        pipelineShareOfStep: { atSlowestStep: pipelineMs / STEP_MS.high, atFastestStep: pipelineMs / STEP_MS.low },
        kissVsMatrixMaxDifference: agreement,
        rows: rows.map((r) => ({ ...r, medianMs: Number(r.medianMs.toFixed(3)), minMs: Number(r.minMs.toFixed(3)) })),
      },
      null,
      2,
    )}\n`,
  );
  console.log(`wrote ${out}`);
}

await main();
