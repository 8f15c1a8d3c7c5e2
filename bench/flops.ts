// Times the cost model: forward MACs of every catalogue model at ten resolutions, warm.
// Prints a table and writes bench/results/flops.json. Run: npx tsx bench/flops.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { forwardMacs, paramCount } from '../compiler/cost/index.js';
import { MODEL_NAMES, lookupModel } from '../compiler/models/catalogue.js';

const RESOLUTIONS = [64, 96, 128, 160, 192, 224, 256, 288, 320, 352];
const WARMUP_ROUNDS = 20;
const TIMED_ROUNDS = 200;
const TARGET_MS = 5;

interface ModelResult {
  model: string;
  family: string;
  params: number;
  gmacs: Record<string, number>;
  /** Median wall time of one sweep over all ten resolutions, in milliseconds. */
  medianMs: number;
  p95Ms: number;
}

function sweep(name: string): number {
  const spec = lookupModel(name)!;
  let total = 0;
  for (const b of RESOLUTIONS) total += forwardMacs(spec, b);
  return total;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function measure(name: string): { medianMs: number; p95Ms: number } {
  let sink = 0;
  for (let i = 0; i < WARMUP_ROUNDS; i++) sink += sweep(name);
  const times: number[] = [];
  for (let i = 0; i < TIMED_ROUNDS; i++) {
    const start = performance.now();
    sink += sweep(name);
    times.push(performance.now() - start);
  }
  if (!Number.isFinite(sink)) throw new Error(`${name}: non-finite MACs`);
  times.sort((a, b) => a - b);
  return { medianMs: quantile(times, 0.5), p95Ms: quantile(times, 0.95) };
}

const results: ModelResult[] = MODEL_NAMES.map((name) => {
  const spec = lookupModel(name)!;
  const gmacs = Object.fromEntries(RESOLUTIONS.map((b) => [String(b), forwardMacs(spec, b) / 1e9]));
  return { model: name, family: spec.family, params: paramCount(spec), gmacs, ...measure(name) };
});

const header = ['model', 'GMACs@96', 'GMACs@160', 'GMACs@224', 'ms/10 res (median)', 'p95'];
const rows = results.map((r) => [r.model, r.gmacs['96'].toFixed(3), r.gmacs['160'].toFixed(3), r.gmacs['224'].toFixed(3), r.medianMs.toFixed(3), r.p95Ms.toFixed(3)]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(line(header));
for (const row of rows) console.log(line(row));
const worst = Math.max(...results.map((r) => r.medianMs));
console.log(`\nslowest model: ${worst.toFixed(3)} ms per 10 resolutions (target < ${TARGET_MS} ms): ${worst < TARGET_MS ? 'ok' : 'OVER TARGET'}`);

const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'flops.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  JSON.stringify(
    {
      benchmark: 'flops',
      unit: 'MACs (forward, one image); times in milliseconds per sweep of all resolutions',
      resolutions: RESOLUTIONS,
      warmupRounds: WARMUP_ROUNDS,
      timedRounds: TIMED_ROUNDS,
      targetMs: TARGET_MS,
      node: process.version,
      results,
    },
    null,
    2,
  ) + '\n',
);
console.log(`wrote ${out}`);
