// Time of `eft check`: in process (warm) on a 100-line and a 10,000-line file of valid
// experiments, with the time per line to show growth, and the whole `eft check` process started
// cold (node start-up included) on the quick start. Needs `npm run build` for the cold runs.
// Prints a table and writes bench/results/check.json. Run: npx tsx bench/check.ts
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkFiles } from '../compiler/check.js';

const HEADER = `template recipe {
  dataset  fashion_mnist { path "data/fashion-mnist-small"  images 5000  val_images 1000 }
  baseline { epochs 10ep }
  train {
    optimizer adamw(lr: 3e-3, weight_decay: 0.05)
    schedule  cosine(warmup: 5%)
    batch     64
  }
}
`;

/** One experiment of 9 lines. */
function experiment(n: number): string {
  return `
# variant ${n}
experiment quick_${n} extends recipe {
  model      convnet(width: ${8 + (n % 8)}, stages: 3)
  budget     { speedup 1.5x within 3% }
  curriculum efficienttrain_pp
  train      { seed ${n} }
}
`;
}

function fileOf(lines: number): string {
  let text = HEADER;
  for (let n = 0; text.split('\n').length < lines; n++) text += experiment(n);
  return text;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median time of `rounds` checks after `warmup` untimed ones (warm: the JIT has compiled the hot code, as in a long-lived process). */
async function timeCheck(path: string, warmup: number, rounds: number): Promise<{ ms: number; errors: number }> {
  const first = await checkFiles([path]);
  const errors = first.diagnostics.filter((d) => d.severity === 'error').length;
  for (let i = 1; i < warmup; i++) await checkFiles([path]);
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await checkFiles([path]);
    times.push(performance.now() - start);
  }
  return { ms: median(times), errors };
}

const dir = mkdtempSync(join(tmpdir(), 'eft-bench-check-'));
writeFileSync(join(dir, 'package.json'), '{}');
const rows: { case: string; lines: number; ms: number; msPerLine: number; errors: number }[] = [];
for (const [lines, warmup, rounds] of [[100, 50, 200], [10_000, 3, 7]] as const) {
  const path = join(dir, `f${lines}.eft`);
  const text = fileOf(lines);
  writeFileSync(path, text);
  const n = text.split('\n').length;
  const { ms, errors } = await timeCheck(path, warmup, rounds);
  rows.push({ case: `check in process, warm`, lines: n, ms, msPerLine: ms / n, errors });
}

const bin = join(process.cwd(), 'dist', 'bundle', 'eft.js');
let cold: number | undefined;
if (existsSync(bin)) {
  // Alternating the two commands spreads the load of other processes evenly over both.
  const times: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < 15; i++) {
    let start = performance.now();
    const r = spawnSync(process.execPath, [bin, 'check', 'examples/quickstart.eft'], { encoding: 'utf8' });
    times.push(performance.now() - start);
    if (r.status !== 0) throw new Error(`eft check failed: ${r.stderr}`);
    start = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    bare.push(performance.now() - start);
  }
  cold = median(times);
  rows.push({ case: 'node -e 0 (start-up alone)', lines: 0, ms: median(bare), msPerLine: 0, errors: 0 });
  rows.push({ case: 'eft check, whole process, cold', lines: 19, ms: cold, msPerLine: 0, errors: 0 });
} else {
  console.log('dist/bundle/eft.js not built: run `npm run build` for the cold-start figure');
}

console.log(`eft check (load average ${loadavg()[0].toFixed(2)}, ${cpus().length} cores)`);
console.log('case                               lines        ms    µs/line  errors');
for (const r of rows) {
  console.log(`${r.case.padEnd(34)} ${String(r.lines).padStart(6)} ${r.ms.toFixed(2).padStart(9)} ${(r.msPerLine * 1000).toFixed(1).padStart(10)} ${String(r.errors).padStart(7)}`);
}
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/check.json', JSON.stringify({ date: new Date().toISOString(), loadAverage: loadavg()[0], cores: cpus().length, rows }, null, 2) + '\n');
