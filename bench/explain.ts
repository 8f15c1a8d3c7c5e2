// Times `eft explain` end to end (load, parse, check, elaborate, cost, explain), warm, over
// examples/paper/*.eft, or, where those are missing, over a file generated here with
// EfficientTrain++ (E = 200) and EfficientTrain for every model of the papers' tables.
// Prints the speedups and the timing, and writes bench/results/explain.json.
// Run: npx tsx bench/explain.ts
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { checkFiles } from '../compiler/check.js';
import { explainExperiment, type ExplainJson } from '../compiler/explain.js';

const TARGET_MS = 200;
const WARMUP_ROUNDS = 3;
const TIMED_ROUNDS = 20;

/** The repository: the nearest folder above this file with a package.json (also when run from dist/). */
function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

const root = repositoryRoot();

/** The models of the EfficientTrain papers' tables with published GMACs. */
const PAPER_MODELS = [
  'resnet18', 'resnet50', 'convnext_tiny', 'convnext_small', 'convnext_base', 'deit_tiny', 'deit_small', 'deit_base',
  'pvt_tiny', 'pvt_small', 'pvt_medium', 'pvt_large', 'swin_tiny', 'swin_small', 'swin_base', 'cswin_tiny', 'cswin_small', 'cswin_base',
];

function generatedFiles(): { files: string[]; root: string; source: string } {
  const dir = mkdtempSync(join(tmpdir(), 'eft-bench-explain-'));
  writeFileSync(join(dir, 'package.json'), '{}\n');
  const experiments = PAPER_MODELS.flatMap((model) => [
    `experiment ${model}_etpp {`,
    `  model      ${model}`,
    '  dataset    imagenet1k { path "/data/imagenet" }',
    '  baseline   { epochs 300ep }',
    '  budget     { device_hours <= 100000h on a100 at 40% }',
    '  curriculum efficienttrain_pp(equivalent_epochs: 200ep)',
    '  train      { optimizer adamw(lr: 4e-3, weight_decay: 0.05)  batch 4096 }',
    '}',
    `experiment ${model}_et extends ${model}_etpp {`,
    '  curriculum efficienttrain',
    '}',
  ]);
  const file = join(dir, 'paper.eft');
  writeFileSync(file, experiments.join('\n') + '\n');
  return { files: [file], root: dir, source: `generated (${PAPER_MODELS.length} models × 2 curricula)` };
}

function paperFiles(): { files: string[]; root: string; source: string } | undefined {
  const folder = join(root, 'examples', 'paper');
  if (!existsSync(folder)) return undefined;
  const files = readdirSync(folder).filter((f) => f.endsWith('.eft')).sort().map((f) => join(folder, f));
  return files.length > 0 ? { files, root, source: 'examples/paper/*.eft' } : undefined;
}

async function explainAll(files: string[], projectRoot: string): Promise<{ items: ExplainJson[]; errors: number }> {
  const result = await checkFiles(files, { root: projectRoot });
  const items = result.experiments.map(explainExperiment).flatMap((e) => (e ? [e.json] : []));
  return { items, errors: result.diagnostics.filter((d) => d.severity === 'error').length };
}

const input = paperFiles() ?? generatedFiles();
let last = await explainAll(input.files, input.root);
for (let i = 0; i < WARMUP_ROUNDS; i++) last = await explainAll(input.files, input.root);
const times: number[] = [];
for (let i = 0; i < TIMED_ROUNDS; i++) {
  const start = performance.now();
  last = await explainAll(input.files, input.root);
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const p95 = times[Math.min(times.length - 1, Math.floor(0.95 * times.length))];

const header = ['experiment', 'model', 'curriculum', 'stages', 'E', 'speedup', 'pixel proxy'];
const rows = last.items.map((i) => [i.name, i.model, i.curriculum, String(i.stages.length), i.equivalent_epochs.toFixed(1), `${i.speedup.toFixed(3)}x`, `${i.speedup_pixel_proxy.toFixed(3)}x`]);
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
const line = (cells: string[]) => cells.map((t, c) => (c < 3 ? t.padEnd(widths[c]) : t.padStart(widths[c]))).join('  ');
console.log(`input: ${input.source}`);
console.log(line(header));
for (const r of rows) console.log(line(r));
console.log(
  `\n${last.items.length} experiments explained, ${last.errors} errors; warm end-to-end: median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (target < ${TARGET_MS} ms): ${median < TARGET_MS ? 'ok' : 'OVER TARGET'}`,
);

const out = join(root, 'bench', 'results', 'explain.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  JSON.stringify(
    {
      benchmark: 'explain',
      input: input.source,
      what: 'checkFiles + explainExperiment over every experiment of the input, warm; milliseconds per pass',
      warmupRounds: WARMUP_ROUNDS,
      timedRounds: TIMED_ROUNDS,
      targetMs: TARGET_MS,
      medianMs: median,
      p95Ms: p95,
      node: process.version,
      experiments: last.items.map((i) => ({ name: i.name, model: i.model, curriculum: i.curriculum, stages: i.stages.length, equivalent_epochs: i.equivalent_epochs, speedup: i.speedup, speedup_pixel_proxy: i.speedup_pixel_proxy })),
    },
    null,
    2,
  ) + '\n',
);
console.log(`wrote ${out}`);
