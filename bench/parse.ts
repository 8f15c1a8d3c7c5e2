// Parse time of .eft files: a 100-line file (warm, many rounds), then generated files of 1,000,
// 10,000 and 20,000 lines, with the time per line of each to show how parsing grows. A small
// file is parsed and dropped within one young-generation GC cycle; the tokens, CST and AST of a
// large one survive several cycles and are copied by the collector, which raises the time per
// line by a constant factor between 1,000 and 10,000 lines; from 10,000 to 20,000 lines it stays
// flat, i.e. growth is linear.
// Prints a table and writes bench/results/parse.json. Run: npx tsx bench/parse.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from '../grammar/parse.js';
import { print } from '../grammar/print.js';
import { repoRoot } from '../test/grammar/support.js';

/** One experiment of 25 lines; `n` makes its names unique. */
function experiment(n: number): string {
  return `# variant ${n} of the DeiT-S recipe
experiment deit_s_${n} extends deit_base {
  model     deit_small
  dataset   imagenet1k { path "/data/imagenet"  resolution 224px  classes 1000  images 1_281_167 }
  baseline  { epochs 300ep }
  budget {
    speedup      1.5x within 2%
    device_hours <= 400h on a100 at 40%
  }
  curriculum efficienttrain_pp(family: deit, equivalent_epochs: 200ep) {
    stage 0% .. 50%   { resolution 160px  randaugment(m: 4, n: 2, mstd: 0.5) }
    stage 50% .. 100% { resolution 224px  replay(r: 1, k: 0) ; low_pass fft }
  }
  curriculum.randaugment.m 0 -> 9 in 10 steps
  train {
    optimizer adamw(lr: 4e-3, weight_decay: 0.05)
    schedule  cosine(warmup: 20%, min_lr: 1e-6)
    batch     4096
    seed      ${n}
    mixup 0.8  cutmix 1.0  label_smoothing 10%
  }
}
sweep seeds_${n} extends deit_s_${n} { vary { train.seed [0, 1, 2]  model [deit_tiny, deit_small] } }
table main_${n} { template "comparison"  rows [deit_s_${n}, seeds_${n}]  columns [model, top1, speedup] }

`;
}

/** A file of exactly `lines` lines. */
function fileOf(lines: number): string {
  const parts: string[] = ['import "common.eft"\n'];
  let count = 1;
  for (let n = 0; count < lines; n++) {
    const block = experiment(n);
    const blockLines = block.split('\n').length - 1;
    if (count + blockLines > lines) {
      parts.push('# filler\n'.repeat(lines - count));
      break;
    }
    parts.push(block);
    count += blockLines;
  }
  return parts.join('');
}

interface Timing {
  lines: number;
  rounds: number;
  meanMs: number;
  /** Process CPU time per round (includes the garbage collector's helper threads). */
  cpuMs: number;
  medianMs: number;
  minMs: number;
  perLineUs: number;
}

function time(text: string, warmup: number, rounds: number, run: (text: string) => unknown): Timing {
  for (let i = 0; i < warmup; i++) run(text);
  const times: number[] = [];
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    run(text);
    times.push(performance.now() - start);
  }
  const cpu = process.cpuUsage(cpuStart);
  times.sort((a, b) => a - b);
  const meanMs = times.reduce((a, b) => a + b, 0) / rounds;
  const lines = text.split('\n').length - 1;
  return { lines, rounds, meanMs, cpuMs: (cpu.user + cpu.system) / 1000 / rounds, medianMs: times[rounds >> 1], minMs: times[0], perLineUs: (meanMs * 1000) / lines };
}

function parseChecked(text: string): void {
  const { diagnostics } = parse(text, 'bench.eft');
  if (diagnostics.length > 0) throw new Error(`the bench file has syntax errors: ${diagnostics[0].message}`);
}

const small = fileOf(100);
const medium = fileOf(1_000);
const large = fileOf(10_000);
const huge = fileOf(20_000);
const parseSmall = time(small, 50, 500, parseChecked);
const parseMedium = time(medium, 10, 100, parseChecked);
const parseLarge = time(large, 3, 20, parseChecked);
const parseHuge = time(huge, 2, 8, parseChecked);
const largeAst = parse(large, 'bench.eft').ast;
const printLarge = time(large, 2, 10, () => print(largeAst));

const rows: [string, Timing][] = [
  ['parse 100 lines', parseSmall],
  ['parse 1,000 lines', parseMedium],
  ['parse 10,000 lines', parseLarge],
  ['parse 20,000 lines', parseHuge],
  ['print 10,000 lines', printLarge],
];
console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
console.log('what                  lines  rounds   mean ms  median ms   min ms   cpu ms  µs/line');
for (const [name, t] of rows) {
  console.log(
    `${name.padEnd(20)} ${String(t.lines).padStart(6)} ${String(t.rounds).padStart(7)} ${t.meanMs.toFixed(3).padStart(9)} ${t.medianMs.toFixed(3).padStart(10)} ${t.minMs.toFixed(3).padStart(8)} ${t.cpuMs.toFixed(3).padStart(8)} ${t.perLineUs.toFixed(2).padStart(8)}`,
  );
}
const growth = parseLarge.perLineUs / parseSmall.perLineUs;
const growthTo1000 = parseMedium.perLineUs / parseSmall.perLineUs;
const growthTo10000 = parseLarge.perLineUs / parseMedium.perLineUs;
const growthTo20000 = parseHuge.perLineUs / parseLarge.perLineUs;
console.log(
  `time per line: 10,000 vs 100 lines ${growth.toFixed(2)}×; 1,000 vs 100 ${growthTo1000.toFixed(2)}×; 10,000 vs 1,000 ${growthTo10000.toFixed(2)}×; 20,000 vs 10,000 ${growthTo20000.toFixed(2)}× (1.0 is linear)`,
);
console.log(`targets: 100 lines < 5 ms warm (${parseSmall.meanMs < 5 ? 'met' : 'MISSED'}), 10,000 lines < 500 ms (${parseLarge.meanMs < 500 ? 'met' : 'MISSED'})`);

const out = join(repoRoot(), 'bench', 'results');
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, 'parse.json'),
  `${JSON.stringify({ node: process.version, loadAverage: loadavg(), cores: cpus().length, parse100: parseSmall, parse1000: parseMedium, parse10000: parseLarge, parse20000: parseHuge, print10000: printLarge, perLineGrowth: { from100To10000: growth, from100To1000: growthTo1000, from1000To10000: growthTo10000, from10000To20000: growthTo20000 } }, null, 2)}\n`,
);
