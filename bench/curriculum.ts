// EfficientTrain++ against the baseline on the full Fashion-MNIST (60,000 training images,
// /usr/share/datasets/fashion-mnist), for a small ConvNet and a small ViT: the baseline for N
// epochs and EfficientTrain++ at 1.5× and 2× less compute (same recipe), each with 3 seeds,
// through the real runtime (eft run), each run in a process of its own. Reports per model and configuration: top-1 mean ± sd,
// wall and training time, the measured speedup (baseline training time / this run's, seed by
// seed) beside the predicted one and their ratio, and images/s per stage. Targets: measured /
// predicted ≥ 0.9; EfficientTrain++ at 1.5× within 0.3 points of the baseline's top-1.
//
// The recipe is the paper's (timm's ImageNet training transform: random-resized crop at its
// defaults, 50% horizontal flip, RandAugment m 9). Writes bench/results/curriculum.json after
// every run (so an interrupted bench keeps what it measured) and bench/RESULTS.md at the end.
// With --recipe randaugment the runs get RandAugment m 9 alone (no crop, no flip), and the
// results go to curriculum-randaugment.json and RESULTS-randaugment.md.
//
// With --ablation it also runs three 1.5× ablations per model and seed (see CONFIGS).
// Without --epochs both models train the baseline for 5 epochs. With --report it runs nothing
// and writes the recipe's RESULTS markdown again from its JSON (after a change to the report).
//
//   npx tsx bench/curriculum.ts [--epochs N | --epochs cnn=N,vit=M] [--seeds 0,1,2] [--models cnn,vit] [--threads 1] [--ablation] [--recipe timm|randaugment] [--report]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { VERSION } from '../cli/version.js';
import { compileFile } from '../compiler/plan/compile-file.js';
import type { Plan } from '../plan/types.js';
import { createProgress } from '../runtime/progress/index.js';
import { runPlan, type RunEnvironment } from '../runtime/run.js';
import type { RunSummary } from '../runtime/train/summary.js';
import { MODELS, type ModelKey } from './curriculum-models.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DATASET = '/usr/share/datasets/fashion-mnist';
const OUT = join(ROOT, 'bench', 'out');

/**
 * The training recipe shared by every run: timm's ImageNet augmentation, as the paper trains
 * with (the default), or RandAugment m 9 alone, without the scale augmentation.
 */
const RECIPES = {
  timm: {
    suffix: '',
    title: '',
    train: ['crop random_resized', 'hflip 50%'],
    text: "RandAugment m 9 after timm's random-resized crop (area 8%–100%, aspect ratio 3/4–4/3) and a 50% horizontal flip",
  },
  randaugment: { suffix: '-randaugment', title: ', with RandAugment alone', train: [], text: 'RandAugment m 9 (no crop, no flip)' },
} as const;
type RecipeKey = keyof typeof RECIPES;

const jsonPath = (recipe: RecipeKey) => join(ROOT, 'bench', 'results', `curriculum${RECIPES[recipe].suffix}.json`);
const markdownPath = (recipe: RecipeKey) => join(ROOT, 'bench', `RESULTS${RECIPES[recipe].suffix}.md`);

/**
 * The runs of each model and seed. The ablation configurations (`--ablation`) take
 * EfficientTrain++ 1.5× apart: the same compute spent as plain shorter training, with only the
 * curriculum's resolutions, or with only its RandAugment ramp.
 */
const CONFIGS = [
  { key: 'baseline', label: 'baseline', speedup: null, ablation: false, curriculum: null },
  { key: 'etpp15', label: 'EfficientTrain++ 1.5×', speedup: 1.5, ablation: false, curriculum: (family: string) => `efficienttrain_pp(family: ${family})` },
  { key: 'etpp20', label: 'EfficientTrain++ 2×', speedup: 2, ablation: false, curriculum: (family: string) => `efficienttrain_pp(family: ${family})` },
  {
    key: 'short15',
    label: 'ablation: full resolution, m 9, 1.5× shorter',
    speedup: 1.5,
    ablation: true,
    curriculum: () => '{\n    stages 1\n    resolution [100%]\n    randaugment { m 9 }\n  }',
  },
  {
    key: 'res15',
    label: 'ablation: EfficientTrain++ 1.5× resolutions only (m 9 throughout)',
    speedup: 1.5,
    ablation: true,
    curriculum: (family: string) => `efficienttrain_pp(family: ${family}) { randaugment { m 9 } }`,
  },
  {
    key: 'ramp15',
    label: 'ablation: EfficientTrain++ 1.5× RandAugment ramp only (full resolution throughout)',
    speedup: 1.5,
    ablation: true,
    curriculum: () => `{\n    stages 10\n    resolution [${new Array(10).fill('100%').join(', ')}]\n    randaugment { m 0 -> 9 }\n  }`,
  },
] as const;
type ConfigKey = (typeof CONFIGS)[number]['key'];

interface Options {
  /** Baseline epochs per model. */
  epochs: Record<ModelKey, number>;
  seeds: number[];
  models: ModelKey[];
  threads: number;
  /** Also run the ablation configurations. */
  ablation: boolean;
  recipe: RecipeKey;
  /** Only write the markdown again from the recipe's JSON. */
  report: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      epochs: { type: 'string' },
      seeds: { type: 'string' },
      models: { type: 'string' },
      threads: { type: 'string' },
      ablation: { type: 'boolean' },
      recipe: { type: 'string', default: 'timm' },
      report: { type: 'boolean' },
    },
  });
  if (!(values.recipe! in RECIPES)) throw new Error(`--recipe: unknown recipe ${values.recipe} (${Object.keys(RECIPES).join(', ')})`);
  const models = values.models === undefined ? ['cnn', 'vit'] : values.models.split(',');
  for (const m of models) if (!(m in MODELS)) throw new Error(`unknown model ${m} (cnn, vit)`);
  const options: Options = {
    epochs: values.epochs === undefined ? { cnn: 5, vit: 5 } : parseEpochs(values.epochs, models),
    seeds: values.seeds === undefined ? [0, 1, 2] : values.seeds.split(',').map(Number),
    models: models as ModelKey[],
    threads: values.threads === undefined ? 1 : Number(values.threads),
    ablation: values.ablation ?? false,
    recipe: values.recipe as RecipeKey,
    report: values.report ?? false,
  };
  return options;
}

/** `2` for every model, or `cnn=5,vit=2`. */
function parseEpochs(text: string, models: readonly string[]): Record<ModelKey, number> {
  const epochs: Record<ModelKey, number> = { cnn: Number(text), vit: Number(text) };
  if (text.includes('=')) {
    for (const part of text.split(',')) {
      const [model, value] = part.split('=');
      if (!(model in MODELS)) throw new Error(`--epochs: unknown model ${model} (cnn, vit)`);
      epochs[model as ModelKey] = Number(value);
    }
  }
  for (const model of models) {
    const value = epochs[model as ModelKey];
    if (!(value > 0)) throw new Error(`--epochs: ${model} needs a positive number of epochs, got '${text}'`);
  }
  return epochs;
}

function configsOf(options: Options): (typeof CONFIGS)[number][] {
  return CONFIGS.filter((c) => options.ablation || !c.ablation);
}

function experimentName(model: ModelKey, config: ConfigKey, seed: number, recipe: RecipeKey): string {
  return `${model}_${config}_s${seed}${RECIPES[recipe].suffix.replace('-', '_')}`;
}

/** The .eft source of every run of the bench. */
function program(options: Options): string {
  const parts: string[] = [];
  for (const model of options.models) {
    parts.push(`experiment ${model}_recipe {
  model    ${MODELS[model].model}
  dataset  fashion_mnist { path "${DATASET}" }
  baseline { epochs ${options.epochs[model]}ep }
  train {
    optimizer adamw(lr: 3e-3, weight_decay: 0.05)
    schedule  cosine(warmup: 5%)
    batch     128
    seed      0${RECIPES[options.recipe].train.map((line) => `\n    ${line}`).join('')}
  }
}`);
    for (const seed of options.seeds) {
      for (const config of configsOf(options)) {
        const body = [`  train.seed ${seed}`];
        if (config.curriculum !== null) {
          body.push(`  budget { speedup ${config.speedup}x within 3% }`, `  curriculum ${config.curriculum(MODELS[model].family)}`);
        }
        parts.push(`experiment ${experimentName(model, config.key, seed, options.recipe)} extends ${model}_recipe {\n${body.join('\n')}\n}`);
      }
    }
  }
  return parts.join('\n\n') + '\n';
}

interface RunRecord {
  model: ModelKey;
  config: ConfigKey;
  seed: number;
  summary: RunSummary;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function sd(values: number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1));
}

interface Row {
  model: ModelKey;
  config: ConfigKey;
  label: string;
  seeds: number[];
  top1Mean: number;
  top1Sd: number;
  wallSecondsMean: number;
  trainSecondsMean: number;
  predictedSpeedup: number;
  measuredSpeedupMean: number | null;
  measuredSpeedupSd: number | null;
  ratioMean: number | null;
  /** Measured / predicted by wall time, seed by seed (in the order of `seeds`). */
  ratiosBySeed: number[];
  trainCpuSecondsMean: number;
  cpuSpeedupMean: number | null;
  cpuSpeedupSd: number | null;
  cpuRatioMean: number | null;
  top1DeltaVsBaseline: number | null;
  imagesPerSecondByStage: { stage: number; resolution: number; imagesPerSecond: number }[];
}

function aggregate(records: RunRecord[]): Row[] {
  const rows: Row[] = [];
  for (const model of Object.keys(MODELS) as ModelKey[]) {
    for (const config of CONFIGS) {
      const runs = records.filter((r) => r.model === model && r.config === config.key);
      if (runs.length === 0) continue;
      const baseOf = (r: RunRecord) => records.find((b) => b.model === model && b.config === 'baseline' && b.seed === r.seed);
      const speedups = runs.flatMap((r) => {
        const base = baseOf(r);
        return base ? [base.summary.trainSeconds / r.summary.trainSeconds] : [];
      });
      const cpuSpeedups = runs.flatMap((r) => {
        const base = baseOf(r);
        return base ? [base.summary.trainCpuSeconds / r.summary.trainCpuSeconds] : [];
      });
      const predicted = runs[0].summary.predictedSpeedup;
      const baseTop1 = records.filter((b) => b.model === model && b.config === 'baseline').map((b) => b.summary.top1 ?? 0);
      const top1 = runs.map((r) => r.summary.top1 ?? 0);
      rows.push({
        model,
        config: config.key,
        label: config.label,
        seeds: runs.map((r) => r.seed),
        top1Mean: mean(top1),
        top1Sd: sd(top1),
        wallSecondsMean: mean(runs.map((r) => r.summary.wallSeconds)),
        trainSecondsMean: mean(runs.map((r) => r.summary.trainSeconds)),
        predictedSpeedup: predicted,
        measuredSpeedupMean: speedups.length > 0 ? mean(speedups) : null,
        measuredSpeedupSd: speedups.length > 0 ? sd(speedups) : null,
        ratioMean: speedups.length > 0 ? mean(speedups) / predicted : null,
        ratiosBySeed: speedups.map((x) => x / predicted),
        trainCpuSecondsMean: mean(runs.map((r) => r.summary.trainCpuSeconds)),
        cpuSpeedupMean: cpuSpeedups.length > 0 ? mean(cpuSpeedups) : null,
        cpuSpeedupSd: cpuSpeedups.length > 0 ? sd(cpuSpeedups) : null,
        cpuRatioMean: cpuSpeedups.length > 0 ? mean(cpuSpeedups) / predicted : null,
        top1DeltaVsBaseline: config.key !== 'baseline' && baseTop1.length > 0 ? mean(top1) - mean(baseTop1) : null,
        imagesPerSecondByStage: runs[0].summary.stages.map((s, i) => ({
          stage: s.stage,
          resolution: s.resolution,
          imagesPerSecond: mean(runs.map((r) => r.summary.stages[i].imagesPerSecond)),
        })),
      });
    }
  }
  return rows;
}

const pct = (f: number) => (f * 100).toFixed(2);
const fixed = (v: number | null, digits = 2) => (v === null ? '-' : v.toFixed(digits));

function markdown(rows: Row[], options: Options, command: string, meta: Record<string, unknown>): string {
  const lines: string[] = [];
  lines.push(`# Curriculum benchmark: EfficientTrain++ against the baseline on Fashion-MNIST${RECIPES[options.recipe].title}`, '');
  lines.push(
    `Made with \`${command}\` on ${String(meta.cpu)} (${String(meta.cores)} cores), node ${String(meta.node)}, backend ${String(meta.backend)}, ${String(meta.date)}; ` +
      `${Number(meta.minutes).toFixed(0)} minutes; 1-minute load average ${Number(meta.loadAverageAtStart).toFixed(1)} at the start and ${Number(meta.loadAverageAtEnd).toFixed(1)} at the end (other processes shared the machine).`,
    '',
  );
  lines.push(
    `Full Fashion-MNIST (60,000 training, 10,000 test images, 28 px), baseline at 28 px with ${RECIPES[options.recipe].text} for ${options.models.map((m) => `${options.epochs[m]} epoch(s) (${MODELS[m].model})`).join(' and ')}; EfficientTrain++ with the same recipe (AdamW 3e-3, wd 0.05, cosine with 5% warm-up on the compute clock, batch 128) at 1.5× and 2× less compute; seeds ${options.seeds.join(', ')}. Top-1 on the 10,000 test images at 28 px, evaluated once at the end of each run (--eval final); each run in a process of its own. Training time is the stages' measured time (the steps, with any wait for a batch from the batch worker; evaluations excluded); measured speedup = the baseline's training time / the run's, seed by seed, by wall time and by the process's CPU time (the machine is shared, so wall times carry the load of other processes; CPU time hardly does, but it includes the batch worker's thread, whose share is larger in the cheap low-resolution steps, so the CPU speedup understates the training speedup).`,
    '',
  );
  if (options.ablation) {
    lines.push(
      'Ablations (same recipe and seeds, each at the compute of EfficientTrain++ 1.5×, measured against the same baseline): plain training 1.5× shorter at full resolution with m 9; the EfficientTrain++ stages with their resolutions but RandAugment m 9 throughout; the same ten equal-compute stages all at full resolution with only the RandAugment ramp m 0 → 9. They show which half of the curriculum the accuracy comes from.',
      '',
    );
  }
  lines.push('| model | run | top-1 % (mean ± sd) | Δ top-1 vs baseline | wall s | train s | train CPU s | predicted speedup | measured speedup (wall) | measured / predicted | measured speedup (CPU) | measured / predicted |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const speedup = (m: number | null, s: number | null) => (m === null ? '-' : `${m.toFixed(2)}× ± ${fixed(s)}`);
    const delta = r.top1DeltaVsBaseline === null ? '' : `${r.top1DeltaVsBaseline >= 0 ? '+' : ''}${pct(r.top1DeltaVsBaseline)}`;
    const base = r.config === 'baseline';
    lines.push(
      `| ${MODELS[r.model].model} | ${r.label} | ${pct(r.top1Mean)} ± ${pct(r.top1Sd)} | ${delta} | ${r.wallSecondsMean.toFixed(0)} | ${r.trainSecondsMean.toFixed(0)} | ${r.trainCpuSecondsMean.toFixed(0)} | ${r.predictedSpeedup.toFixed(2)}× | ${base ? '-' : speedup(r.measuredSpeedupMean, r.measuredSpeedupSd)} | ${fixed(base ? null : r.ratioMean, 3)} | ${base ? '-' : speedup(r.cpuSpeedupMean, r.cpuSpeedupSd)} | ${fixed(base ? null : r.cpuRatioMean, 3)} |`,
    );
  }
  lines.push('', '## Images/s per stage (mean over seeds)', '');
  for (const r of rows) {
    lines.push(`- ${MODELS[r.model].model}, ${r.label}: ${r.imagesPerSecondByStage.map((s) => `${s.resolution}px ${s.imagesPerSecond.toFixed(0)}`).join(', ')}`);
  }
  lines.push('', '## Targets', '');
  for (const r of rows.filter((x) => x.config === 'etpp15' || x.config === 'etpp20')) {
    const met = (v: number | null) => (v !== null && v >= 0.9 ? 'met' : 'not met');
    const bySeed = r.ratiosBySeed.length > 1 ? ` (seed by seed ${r.ratiosBySeed.map((x) => x.toFixed(3)).join(', ')})` : '';
    lines.push(`- ${MODELS[r.model].model}, ${r.label}: measured / predicted ${fixed(r.ratioMean, 3)} by wall time${bySeed}, ${fixed(r.cpuRatioMean, 3)} by CPU time (target ≥ 0.90: ${met(r.ratioMean)} / ${met(r.cpuRatioMean)})`);
    if (r.config === 'etpp15' && r.top1DeltaVsBaseline !== null) {
      const ok = r.top1DeltaVsBaseline >= -0.003;
      lines.push(`- ${MODELS[r.model].model}, ${r.label}: top-1 ${r.top1DeltaVsBaseline >= 0 ? '+' : ''}${pct(r.top1DeltaVsBaseline)} points against the baseline (target: within 0.3 points: ${ok ? 'met' : 'not met'})`);
    }
  }
  lines.push('');
  return lines.join('\n');
}

/** Where the runs write their registry, checkpoints, plans and summaries. */
function environment(threads: number): RunEnvironment {
  return {
    backend: 'wasm',
    threads,
    registryPath: join(OUT, 'curriculum.sqlite'),
    runsDir: join(OUT, 'runs'),
    json: false,
    // Only the final accuracy is compared; evaluating 10,000 images at every stage end would double the bench.
    evaluation: 'final',
    eftVersion: VERSION,
    print: (text) => void process.stdout.write(text),
    progress: () => createProgress({ every: 200 }),
  };
}

const planPath = (name: string) => join(OUT, 'plans', `${name}.json`);
const summaryPath = (name: string) => join(OUT, 'summaries', `${name}.json`);

/**
 * Each run gets a process of its own, as a user's `eft run` does: run in one process after
 * another, the first ViT run after the ConvNet runs (the baseline) trained 6–13% slower than the
 * identical run that came later, which skewed every speedup measured against it.
 */
function runInFreshProcess(name: string, plan: Plan, threads: number): Promise<RunSummary> {
  mkdirSync(dirname(planPath(name)), { recursive: true });
  mkdirSync(dirname(summaryPath(name)), { recursive: true });
  writeFileSync(planPath(name), JSON.stringify(plan));
  rmSync(summaryPath(name), { force: true });
  const args = [...process.execArgv, fileURLToPath(import.meta.url), '--child', name, '--threads', String(threads)];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0) reject(new Error(`the run of ${name} failed (${signal ?? `exit ${code}`})`));
      else resolve(JSON.parse(readFileSync(summaryPath(name), 'utf8')) as RunSummary);
    });
  });
}

/** The child's side: runs one plan and leaves its summary for the parent. */
async function child(name: string, threads: number): Promise<void> {
  const plan = JSON.parse(readFileSync(planPath(name), 'utf8')) as Plan;
  const { summary } = await runPlan(plan, null, environment(threads));
  writeFileSync(summaryPath(name), JSON.stringify(summary));
}

/** Writes the recipe's markdown again from its JSON, as the run that made the JSON described itself. */
function report(recipe: RecipeKey): void {
  const saved = JSON.parse(readFileSync(jsonPath(recipe), 'utf8')) as Record<string, unknown> & { options: Options; runs: RunRecord[]; command: string };
  if (saved.minutes === undefined) throw new Error(`${jsonPath(recipe)} is from an unfinished bench: no report`);
  const text = markdown(aggregate(saved.runs), saved.options, saved.command, saved);
  writeFileSync(markdownPath(recipe), text);
  process.stdout.write(`${text}\nwrote ${markdownPath(recipe)} from ${jsonPath(recipe)}\n`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.report) return report(options.recipe);
  if (!existsSync(join(DATASET, 'train-images-idx3-ubyte.gz')) && !existsSync(join(DATASET, 'train-images-idx3-ubyte'))) {
    process.stdout.write(`skipped: the full Fashion-MNIST is not at ${DATASET} (apt-get install dataset-fashion-mnist)\n`);
    return;
  }
  const command = `npx tsx bench/curriculum.ts ${process.argv.slice(2).join(' ')}`.trim();
  mkdirSync(OUT, { recursive: true });
  mkdirSync(dirname(jsonPath(options.recipe)), { recursive: true });
  const source = join(OUT, 'curriculum.eft');
  writeFileSync(source, program(options));
  const compiled = await compileFile(source, { root: ROOT, compilerVersion: VERSION });
  if (compiled.kind !== 'compiled') throw new Error(`the bench program does not compile: ${compiled.diagnostics.map((d) => d.message).join('; ')}`);
  const plans = new Map<string, Plan>(compiled.plans.map((p) => [p.experiment, p.plan]));

  const meta = { date: new Date().toISOString(), loadAverageAtStart: os.loadavg()[0], cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', node: process.version, backend: `wasm, ${options.threads} thread(s), batches prepared on ${os.availableParallelism() > options.threads ? 'a worker thread' : 'the main thread'}`, command, options };
  const records: RunRecord[] = [];
  // After every run; at the end with the bench's minutes and closing load (which --report needs).
  const save = (end: Record<string, number> = {}) =>
    writeFileSync(jsonPath(options.recipe), `${JSON.stringify({ ...meta, ...end, runs: records.map((r) => ({ model: r.model, config: r.config, seed: r.seed, summary: r.summary })), rows: aggregate(records) }, null, 2)}\n`);
  const started = Date.now();
  for (const seed of options.seeds) {
    for (const model of options.models) {
      for (const config of configsOf(options)) {
        const name = experimentName(model, config.key, seed, options.recipe);
        process.stdout.write(`\n== ${name} (${((Date.now() - started) / 60000).toFixed(1)} min into the bench) ==\n`);
        const summary = await runInFreshProcess(name, plans.get(name)!, options.threads);
        records.push({ model, config: config.key, seed, summary });
        save();
      }
    }
  }
  const end = { loadAverageAtEnd: os.loadavg()[0]!, minutes: (Date.now() - started) / 60000 };
  save(end);
  const text = markdown(aggregate(records), options, command, { ...meta, ...end });
  writeFileSync(markdownPath(options.recipe), text);
  process.stdout.write(`\n${text}\nwrote ${jsonPath(options.recipe)} and ${markdownPath(options.recipe)} (${((Date.now() - started) / 60000).toFixed(1)} min)\n`);
}

if (process.argv.includes('--child')) {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { child: { type: 'string' }, threads: { type: 'string', default: '1' } } });
  await child(values.child!, Number(values.threads));
} else await main();
