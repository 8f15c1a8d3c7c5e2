// How much of a curriculum's predicted speedup the runtime's training steps can deliver, in a
// few minutes instead of the hour bench/curriculum.ts takes. For each model of the curriculum
// benchmark it compiles EfficientTrain++ at the given speedups, times steady-state training
// steps (the runtime's model, trainStep and optimizer, on synthetic batches of the recipe's
// size) at every resolution the stages use, and reports per resolution the stage efficiency
//   e(B) = (step time at full resolution / step time at B) / (MACs at full / MACs at B),
// 1 when a step's time falls exactly with its MACs. A curriculum whose stage i takes the
// compute share s_i then delivers measured / predicted speedup = 1 / Σ s_i / e(B_i).
//
// Not included: preparing batches (the batch worker runs beside the step and competes for
// the second core at low resolution), the first step at each new resolution, evaluation.
// Blocks of steps visit the resolutions in turn; a resolution's step time is the fastest of its
// blocks (their median is shown beside it), so that slow spells of a shared machine do not
// decide the figure.
//
//   npx tsx bench/stage-efficiency.ts [--models cnn,vit] [--speedups 1.5,2] [--blocks 12] [--steps 20] [--warmup 100]
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { VERSION } from '../cli/version.js';
import { compileFile } from '../compiler/plan/compile-file.js';
import type { Plan } from '../plan/types.js';
import { describeBackend, selectBackend } from '../runtime/backend/select.js';
import { buildModel } from '../runtime/models/index.js';
import { Random } from '../runtime/random.js';
import { Optimizer } from '../runtime/train/optimizer.js';
import { trainStep } from '../runtime/train/step.js';
import { MODELS, type ModelKey } from './curriculum-models.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench', 'out');
const JSON_PATH = join(ROOT, 'bench', 'results', 'stage-efficiency.json');
/** The committed subset: the plans need a data set's shape, the steps run on synthetic batches. */
const SUBSET = join(ROOT, 'data', 'fashion-mnist-small');

interface Options {
  models: ModelKey[];
  speedups: number[];
  blocks: number;
  steps: number;
  warmup: number;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      models: { type: 'string', default: 'cnn,vit' },
      speedups: { type: 'string', default: '1.5,2' },
      blocks: { type: 'string', default: '12' },
      steps: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '100' },
    },
  });
  const models = values.models.split(',');
  for (const m of models) if (!(m in MODELS)) throw new Error(`unknown model ${m} (${Object.keys(MODELS).join(', ')})`);
  const positive = (name: string, text: string) => {
    const value = Number(text);
    if (!(value > 0)) throw new Error(`--${name} must be positive, got ${text}`);
    return value;
  };
  return {
    models: models as ModelKey[],
    speedups: values.speedups.split(',').map((s) => positive('speedups', s)),
    blocks: positive('blocks', values.blocks),
    steps: positive('steps', values.steps),
    warmup: positive('warmup', values.warmup),
  };
}

/** The baseline and EfficientTrain++ at each speedup, for one model (1 epoch: only the stages' shares matter). */
function program(model: ModelKey, speedups: number[]): string {
  const experiments = [
    `experiment ${model}_baseline {
  model    ${MODELS[model].model}
  dataset  fashion_mnist { path "${SUBSET}"  images 5000  val_images 1000 }
  baseline { epochs 1ep }
  train { optimizer adamw(lr: 3e-3, weight_decay: 0.05)  schedule cosine(warmup: 5%)  batch 128  seed 0 }
}`,
  ];
  for (const s of speedups) {
    experiments.push(`experiment ${model}_etpp_${String(s).replace('.', '_')} extends ${model}_baseline {
  budget { speedup ${s}x within 3% }
  curriculum efficienttrain_pp(family: ${MODELS[model].family})
}`);
  }
  return experiments.join('\n\n') + '\n';
}

interface StepTiming {
  resolution: number;
  macsPerImage: number;
  fastestMs: number;
  medianMs: number;
}

/**
 * Steady-state milliseconds per step at each resolution: one model and optimizer per resolution,
 * each warmed up, then timed in rounds that visit every resolution in turn, so that a slow spell
 * of the machine falls on all of them alike.
 */
function timeSteps(plan: Plan, resolutions: number[], options: Options): { fastestMs: number; medianMs: number }[] {
  const batch = plan.recipe.batch_size;
  const { channels } = plan.dataset;
  const classes = plan.model.spec.numClasses;
  const random = new Random(1);
  const trainers = resolutions.map((b) => {
    const model = buildModel(plan.model.spec, { seed: 1, dropPathRate: plan.recipe.drop_path_rate, resolution: b });
    const optimizer = new Optimizer(plan.recipe.optimizer);
    const images = new Float32Array(batch * b * b * channels);
    for (let i = 0; i < images.length; i++) images[i] = random.float() * 2 - 1;
    const targets = new Float32Array(batch * classes);
    for (let i = 0; i < batch; i++) targets[i * classes + (i % classes)] = 1;
    const prepared = { count: batch, resolution: b, channels, images, targets };
    return { model, step: () => trainStep(model, optimizer, prepared, { lr: 1e-3, clipGradNorm: 0, random, ema: null }) };
  });
  for (const t of trainers) for (let i = 0; i < options.warmup; i++) t.step();
  const blocks: number[][] = trainers.map(() => []);
  for (let round = 0; round < options.blocks; round++) {
    trainers.forEach((t, r) => {
      t.step(); // untimed: the first step after another model's runs on cold caches
      const t0 = performance.now();
      for (let i = 0; i < options.steps; i++) t.step();
      blocks[r]!.push((performance.now() - t0) / options.steps);
    });
  }
  for (const t of trainers) t.model.dispose();
  return blocks.map((times) => {
    const sorted = [...times].sort((x, y) => x - y);
    return { fastestMs: sorted[0]!, medianMs: sorted[Math.floor(sorted.length / 2)]! };
  });
}

interface CurriculumRow {
  experiment: string;
  predictedSpeedup: number;
  stages: { resolution: number; share: number }[];
  /** 1 / Σ share / e, from the fastest and from the median block times. */
  ratioFastest: number;
  ratioMedian: number;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const backend = await selectBackend({ backend: 'wasm', threads: 1 });
  mkdirSync(OUT, { recursive: true });
  mkdirSync(dirname(JSON_PATH), { recursive: true });
  const started = Date.now();
  const loadAtStart = os.loadavg()[0]!;
  const results: { model: string; timings: StepTiming[]; curricula: CurriculumRow[] }[] = [];
  const lines: string[] = [];
  for (const key of options.models) {
    const source = join(OUT, `stage-efficiency-${key}.eft`);
    writeFileSync(source, program(key, options.speedups));
    const compiled = await compileFile(source, { root: ROOT, compilerVersion: VERSION });
    if (compiled.kind !== 'compiled') throw new Error(`the bench program does not compile: ${compiled.diagnostics.map((d) => d.message).join('; ')}`);
    const plans = compiled.plans.map((p) => p.plan);
    const baseline = compiled.plans.find((p) => p.experiment === `${key}_baseline`)!.plan;
    const full = baseline.stages[0]!.resolution_px;
    const macs = new Map<number, number>([[full, baseline.stages[0]!.macs_per_image]]);
    for (const plan of plans) for (const s of plan.stages) macs.set(s.resolution_px, s.macs_per_image);
    // Lowest resolution first, as a curriculum visits them; full resolution last.
    const resolutions = [...macs.keys()].sort((a, b) => a - b);
    const measured = timeSteps(baseline, resolutions, options);
    const timings: StepTiming[] = resolutions.map((resolution, i) => ({ resolution, macsPerImage: macs.get(resolution)!, ...measured[i]! }));
    const at = (b: number) => timings.find((t) => t.resolution === b)!;
    const efficiency = (b: number, which: 'fastestMs' | 'medianMs') => at(full)[which] / at(b)[which] / (at(full).macsPerImage / at(b).macsPerImage);
    const curricula: CurriculumRow[] = plans
      .filter((p) => p !== baseline)
      .map((p) => {
        const stages = p.stages.map((s) => ({ resolution: s.resolution_px, share: s.share }));
        const ratio = (which: 'fastestMs' | 'medianMs') => 1 / stages.reduce((sum, s) => sum + s.share / efficiency(s.resolution, which), 0);
        return { experiment: p.experiment.name, predictedSpeedup: p.totals.speedup, stages, ratioFastest: ratio('fastestMs'), ratioMedian: ratio('medianMs') };
      });
    results.push({ model: MODELS[key].model, timings, curricula });

    lines.push(`${MODELS[key].model}, batch ${baseline.recipe.batch_size}:`);
    lines.push('  res   training MACs/image   ms/step (fastest / median)   images/s   MAC ratio to full   time ratio to full   efficiency e');
    for (const t of timings) {
      const macRatio = at(full).macsPerImage / t.macsPerImage;
      const timeRatio = at(full).fastestMs / t.fastestMs;
      lines.push(
        `  ${String(t.resolution).padStart(3)}   ${Math.round(t.macsPerImage).toLocaleString('en-US').padStart(19)}   ${t.fastestMs.toFixed(2).padStart(9)} / ${t.medianMs.toFixed(2).padEnd(14)}   ${Math.round((baseline.recipe.batch_size / t.fastestMs) * 1000).toLocaleString('en-US').padStart(8)}   ${macRatio.toFixed(2).padStart(17)}   ${timeRatio.toFixed(2).padStart(18)}   ${efficiency(t.resolution, 'fastestMs').toFixed(2).padStart(12)}`,
      );
    }
    for (const c of curricula) {
      const stageList = c.stages.map((s) => s.resolution).join(', ');
      lines.push(`  ${c.experiment} (predicted ${c.predictedSpeedup.toFixed(2)}×; stages ${stageList} px): measured / predicted from step times ${c.ratioFastest.toFixed(3)} (fastest blocks), ${c.ratioMedian.toFixed(3)} (median blocks)`);
    }
    lines.push('');
  }
  const meta = {
    date: new Date().toISOString(),
    command: `npx tsx bench/stage-efficiency.ts ${process.argv.slice(2).join(' ')}`.trim(),
    backend: describeBackend(backend),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    node: process.version,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: os.loadavg()[0]!,
    seconds: (Date.now() - started) / 1000,
    options,
  };
  writeFileSync(JSON_PATH, `${JSON.stringify({ ...meta, results }, null, 2)}\n`);
  process.stdout.write(`Stage efficiency on ${meta.backend}, ${meta.cpu} (${meta.cores} cores), load ${loadAtStart.toFixed(1)} → ${meta.loadAverageAtEnd.toFixed(1)}, ${meta.seconds.toFixed(0)} s\n\n${lines.join('\n')}\nwrote ${JSON_PATH}\n`);
}

await main();
