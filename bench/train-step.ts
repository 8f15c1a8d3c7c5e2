// Training throughput (forward + backward + Adam update, images/s) of a small CNN and a
// tiny ViT (bench/train-step-models.ts; also vit-tiny, the curriculum benchmark's ViT
// trained through the runtime's step, with --models vit-tiny) on 16x16, 20x20 and 28x28 single-channel inputs,
// batch 64, on every backend configuration this machine offers, next to the same models
// in PyTorch (/usr/bin/python3, when torch is importable there).
//
// Each measurement runs in a fresh process (a wasm backend's thread count and kernel set
// are fixed once it starts). Prints a table and writes bench/results/train-step.json.
//
//   npx tsx bench/train-step.ts                  all configurations (pure JS takes minutes)
//   npx tsx bench/train-step.ts --quick          skip the pure-JS and stock-wasm columns
//   npx tsx bench/train-step.ts --models cnn --resolutions 28 --configs wasm,torch-2t --out cnn28
//                                                (writes bench/results/cnn28.json instead)
import * as tf from '@tensorflow/tfjs';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BackendName, describeBackend, selectBackend } from '../runtime/backend/select.js';
import { DataParallelTrainer } from '../runtime/parallel/data-parallel.js';
import { FusedAdamOptimizer } from '../runtime/train/fused-adam.js';
import { buildModel, meanLoss, type ModelName, type ModelOptions, runtimeTrainer } from './train-step-models.js';

const BATCH = 64;
const PYTHON = '/usr/bin/python3';

interface TfjsConfig {
  kind: 'tfjs';
  backend: BackendName;
  threads: number;
  fastKernels: boolean;
}
interface ParallelConfig {
  kind: 'parallel';
  workers: number;
}
interface TorchConfig {
  kind: 'torch';
  threads: number;
}
type Config = (TfjsConfig | ParallelConfig | TorchConfig) & { label: string; warmup: number; steps: number; reps: number };

const CONFIGS: Record<string, Config> = {
  cpu: { kind: 'tfjs', backend: 'cpu', threads: 1, fastKernels: false, label: 'cpu (pure JS)', warmup: 1, steps: 1, reps: 1 },
  'wasm-stock': { kind: 'tfjs', backend: 'wasm', threads: 1, fastKernels: false, label: 'wasm stock', warmup: 1, steps: 3, reps: 1 },
  wasm: { kind: 'tfjs', backend: 'wasm', threads: 1, fastKernels: true, label: 'wasm+kernels 1t', warmup: 3, steps: 10, reps: 5 },
  'wasm-2t': { kind: 'tfjs', backend: 'wasm', threads: 2, fastKernels: true, label: 'wasm+kernels 2t', warmup: 3, steps: 10, reps: 5 },
  'wasm-dp2': { kind: 'parallel', workers: 2, label: 'wasm+kernels 2 workers', warmup: 3, steps: 10, reps: 5 },
  'torch-1t': { kind: 'torch', threads: 1, label: 'PyTorch 1t', warmup: 3, steps: 10, reps: 3 },
  'torch-2t': { kind: 'torch', threads: 2, label: 'PyTorch 2t', warmup: 3, steps: 10, reps: 3 },
};

interface Job {
  config: string;
  model: ModelName;
  resolution: number;
}

interface Measurement extends Job {
  imagesPerSecond?: number;
  msPerStep?: number;
  /** CPU time of the whole process per step (all its threads). */
  cpuMsPerStep?: number;
  /** The least CPU time per step of any repetition (the least disturbed one). */
  bestCpuMsPerStep?: number;
  loss?: number;
  backend?: string;
  error?: string;
  /** 1-minute load average of the machine before and after (other processes compete). */
  loadBefore: number;
  loadAfter: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function syntheticBatch(resolution: number): { x: Float32Array; y: Float32Array } {
  let state = 12345;
  const next = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const x = Float32Array.from({ length: BATCH * resolution * resolution }, () => next() * 2 - 1);
  const y = new Float32Array(BATCH * 10);
  for (let i = 0; i < BATCH; i++) y[i * 10 + Math.floor(next() * 10)] = 1;
  return { x, y };
}

/** Times `reps` runs of `steps` steps after `warmup` steps; throughput from the median. */
async function timeSteps(config: Config, step: () => Promise<number> | number) {
  for (let i = 0; i < config.warmup; i++) await step();
  const wall: number[] = [];
  let cpuMs = 0;
  let bestCpuMs = Infinity;
  let loss = NaN;
  for (let r = 0; r < config.reps; r++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < config.steps; i++) loss = await step();
    wall.push((performance.now() - t0) / config.steps);
    const cpu = process.cpuUsage(cpu0);
    cpuMs += (cpu.user + cpu.system) / 1000 / config.steps;
    bestCpuMs = Math.min(bestCpuMs, (cpu.user + cpu.system) / 1000 / config.steps);
  }
  const msPerStep = median(wall);
  return { msPerStep, imagesPerSecond: (BATCH * 1000) / msPerStep, cpuMsPerStep: cpuMs / config.reps, bestCpuMsPerStep: bestCpuMs, loss };
}

async function measureTfjs(job: Job, config: TfjsConfig & Config) {
  const backend = await selectBackend({ backend: config.backend, threads: config.threads, fastKernels: config.fastKernels });
  const options: ModelOptions = { model: job.model, resolution: job.resolution, seed: 1 };
  const data = syntheticBatch(job.resolution);
  if (job.model === 'vit-tiny') {
    const train = runtimeTrainer(options);
    return { ...(await timeSteps(config, () => train(data.x, data.y, BATCH))), backend: describeBackend(backend) };
  }
  const model = buildModel(options);
  const x = tf.tensor4d(data.x, [BATCH, job.resolution, job.resolution, 1]);
  const y = tf.tensor2d(data.y, [BATCH, 10]);
  const optimizer = new FusedAdamOptimizer(1e-3);
  const step = () => {
    const loss = optimizer.minimize(() => meanLoss(model, x, y), true, model.variables)!;
    const value = loss.dataSync()[0]!;
    loss.dispose();
    return value;
  };
  return { ...(await timeSteps(config, step)), backend: describeBackend(backend) };
}

async function measureParallel(job: Job, config: ParallelConfig & Config) {
  if (job.model === 'vit-tiny') throw new Error('vit-tiny trains through the runtime step, which has no data-parallel version');
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const trainer = await DataParallelTrainer.start({
    replicaModule: new URL(`./train-step-models${ext}`, import.meta.url).href,
    replicaOptions: { model: job.model, resolution: job.resolution, seed: 1 } satisfies ModelOptions,
    workers: config.workers,
  });
  try {
    const data = syntheticBatch(job.resolution);
    const step = () =>
      trainer.step({ shape: [BATCH, job.resolution, job.resolution, 1], data: data.x }, { shape: [BATCH, 10], data: data.y });
    const timed = await timeSteps(config, step);
    return { ...timed, backend: `${config.workers} workers, each ${trainer.backend}` };
  } finally {
    await trainer.close();
  }
}

/** Child mode: one measurement, printed as a RESULT line. */
async function child(job: Job): Promise<void> {
  const config = CONFIGS[job.config]!;
  const loadBefore = os.loadavg()[0]!;
  let result: Partial<Measurement>;
  try {
    result = config.kind === 'tfjs' ? await measureTfjs(job, config) : await measureParallel(job, config as ParallelConfig & Config);
  } catch (err) {
    result = { error: (err instanceof Error ? err.message : String(err)).split('\n')[0] };
  }
  console.log(`RESULT ${JSON.stringify({ ...job, ...result, loadBefore, loadAfter: os.loadavg()[0] })}`);
}

function runChild(job: Job, timeoutMs: number): Promise<Measurement> {
  const thisFile = fileURLToPath(import.meta.url);
  return new Promise((resolve) => {
    const loadBefore = os.loadavg()[0]!;
    execFile(
      process.execPath,
      [...process.execArgv, thisFile, '--child', JSON.stringify(job)],
      { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout) => {
        const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
        if (line !== undefined) resolve(JSON.parse(line.slice(7)) as Measurement);
        else resolve({ ...job, error: err ? `process failed: ${err.message.split('\n')[0]}` : 'no result', loadBefore, loadAfter: os.loadavg()[0]! });
      },
    );
  });
}

const TORCH_SCRIPT = String.raw`
import json, math, os, statistics, sys, time
try:
    import torch
    import torch.nn as nn
except Exception as e:
    print(json.dumps({"unavailable": str(e)})); sys.exit(0)

class Vit(nn.Module):
    def __init__(self, res, patch=4, dim=64, depth=2, heads=4, mlp=256):
        super().__init__()
        self.heads, self.tokens = heads, (res // patch) ** 2
        self.embed = nn.Conv2d(1, dim, patch, stride=patch)
        self.position = nn.Parameter(torch.randn(1, self.tokens, dim) * 0.02)
        self.blocks = nn.ModuleList([nn.ModuleDict(dict(
            norm1=nn.LayerNorm(dim, eps=1e-6), qkv=nn.Linear(dim, 3 * dim), proj=nn.Linear(dim, dim),
            norm2=nn.LayerNorm(dim, eps=1e-6), fc1=nn.Linear(dim, mlp), fc2=nn.Linear(mlp, dim))) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.head = nn.Linear(dim, 10)
    def forward(self, x):
        h = self.embed(x).flatten(2).transpose(1, 2) + self.position
        b, n, d = h.shape
        for blk in self.blocks:
            qkv = blk["qkv"](blk["norm1"](h)).reshape(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]
            a = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(d // self.heads), dim=-1)
            h = h + blk["proj"]((a @ v).transpose(1, 2).reshape(b, n, d))
            h = h + blk["fc2"](torch.nn.functional.gelu(blk["fc1"](blk["norm2"](h)), approximate="tanh"))
        return self.head(self.norm(h).mean(1))

def cnn(res):
    return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear((res // 4) ** 2 * 64, 128), nn.ReLU(), nn.Linear(128, 10))

for job in json.loads(sys.argv[1]):
    torch.set_num_threads(job["threads"])
    torch.manual_seed(1)
    res = job["resolution"]
    model = cnn(res) if job["model"] == "cnn" else Vit(res)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(job["batch"], 1, res, res)
    y = torch.randint(0, 10, (job["batch"],))
    loss_fn = nn.CrossEntropyLoss()
    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()
    for _ in range(job["warmup"]): step()
    times, cpu = [], 0.0
    for _ in range(job["reps"]):
        c0, t0 = time.process_time(), time.perf_counter()
        for _ in range(job["steps"]): loss = step()
        times.append((time.perf_counter() - t0) / job["steps"])
        cpu += (time.process_time() - c0) / job["steps"]
    ms = statistics.median(times) * 1000
    print(json.dumps(dict(job, msPerStep=ms, imagesPerSecond=job["batch"] * 1000 / ms, cpuMsPerStep=cpu * 1000 / job["reps"],
        loss=loss, backend="PyTorch %s, %d thread(s)" % (torch.__version__, job["threads"]))), flush=True)
`;

let torchSkipReported = false;

async function runTorch(allJobs: Job[]): Promise<Measurement[]> {
  const untranslated = allJobs.filter((j) => j.model === 'vit-tiny').map((j) => ({ ...j, error: 'no PyTorch version', loadBefore: os.loadavg()[0]!, loadAfter: os.loadavg()[0]! }));
  const jobs = allJobs.filter((j) => j.model !== 'vit-tiny');
  if (jobs.length === 0) return untranslated;
  const dir = mkdtempSync(join(os.tmpdir(), 'eft-bench-'));
  const script = join(dir, 'train_step.py');
  writeFileSync(script, TORCH_SCRIPT);
  const payload = jobs.map((j) => {
    const c = CONFIGS[j.config] as TorchConfig & Config;
    return { ...j, threads: c.threads, batch: BATCH, warmup: c.warmup, steps: c.steps, reps: c.reps };
  });
  const loadBefore = os.loadavg()[0]!;
  const output = await new Promise<string>((resolve) => {
    execFile(PYTHON, [script, JSON.stringify(payload)], { timeout: 30 * 60 * 1000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout) =>
      resolve(err && stdout === '' ? JSON.stringify({ unavailable: err.message.split('\n')[0] }) : stdout),
    );
  });
  rmSync(dir, { recursive: true, force: true });
  const lines = output.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  const unavailable = lines.find((l) => 'unavailable' in l);
  if (unavailable !== undefined) {
    if (!torchSkipReported) console.log(`PyTorch columns skipped: torch is not importable from ${PYTHON} (${String(unavailable['unavailable'])})`);
    torchSkipReported = true;
    return [...untranslated, ...jobs.map((j) => ({ ...j, error: 'torch not available', loadBefore, loadAfter: os.loadavg()[0]! }))];
  }
  return [...untranslated, ...jobs.map((j) => {
    const r = lines.find((l) => l['config'] === j.config && l['model'] === j.model && l['resolution'] === j.resolution);
    const m = r as Partial<Measurement> | undefined;
    return { ...j, ...(m ?? { error: 'no result' }), loadBefore, loadAfter: os.loadavg()[0]! } as Measurement;
  })];
}

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

function cell(m: Measurement | undefined): string {
  if (m === undefined) return '';
  if (m.error !== undefined) {
    if (m.error.startsWith('Kernel')) return 'kernel missing';
    return /no PyTorch version|no data-parallel version/.test(m.error) ? 'n/a' : 'failed';
  }
  return Math.round(m.imagesPerSecond!).toString();
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const models = option('models', 'cnn,vit').split(',') as ModelName[];
  const resolutions = option('resolutions', '16,20,28').split(',').map(Number);
  const configs = option('configs', quick ? 'wasm,wasm-2t,wasm-dp2,torch-1t,torch-2t' : Object.keys(CONFIGS).join(',')).split(',');
  if (!/^[\w.-]+$/.test(option('out', 'train-step'))) throw new Error(`--out takes a file name without folders, got '${option('out', '')}'`);
  for (const c of configs) if (CONFIGS[c] === undefined) throw new Error(`unknown configuration '${c}': expected ${Object.keys(CONFIGS).join(', ')}`);

  const jobs: Job[] = models.flatMap((model) => resolutions.flatMap((resolution) => configs.map((config) => ({ config, model, resolution }))));
  const results: Measurement[] = [];
  // Row by row, PyTorch right after the TensorFlow.js configurations of the same row, so
  // that figures compared side by side were taken under similar machine load.
  for (const model of models) {
    for (const resolution of resolutions) {
      const row = jobs.filter((j) => j.model === model && j.resolution === resolution);
      for (const job of row.filter((j) => CONFIGS[j.config]!.kind !== 'torch')) {
        const timeout = job.config === 'cpu' || job.config === 'wasm-stock' ? 20 * 60 * 1000 : 5 * 60 * 1000;
        const m = await runChild(job, timeout);
        results.push(m);
        console.error(`  ${job.model} ${job.resolution} ${job.config}: ${cell(m)}${m.error ? ` (${m.error})` : ''}  [load ${m.loadBefore.toFixed(1)}]`);
      }
      const torch = await runTorch(row.filter((j) => CONFIGS[j.config]!.kind === 'torch'));
      for (const m of torch) console.error(`  ${m.model} ${m.resolution} ${m.config}: ${cell(m)}  [load ${m.loadBefore.toFixed(1)}]`);
      results.push(...torch);
    }
  }

  const header = ['model', 'res', ...configs.map((c) => CONFIGS[c]!.label)];
  const rows = models.flatMap((model) =>
    resolutions.map((resolution) => [
      model,
      `${resolution}x${resolution}`,
      ...configs.map((config) => cell(results.find((r) => r.model === model && r.resolution === resolution && r.config === config))),
    ]),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\nTraining images/s (forward + backward + Adam), batch ${BATCH}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'})`);
  console.log(line(header));
  for (const r of rows) console.log(line(r));

  const perCpuSecond = (m: Measurement | undefined) =>
    m?.cpuMsPerStep !== undefined && m.error === undefined ? Math.round((BATCH * 1000) / m.cpuMsPerStep).toString() : '';
  const cpuRows = models.flatMap((model) =>
    resolutions.map((resolution) => [
      model,
      `${resolution}x${resolution}`,
      ...configs.map((config) => perCpuSecond(results.find((r) => r.model === model && r.resolution === resolution && r.config === config))),
    ]),
  );
  console.log('\nImages per CPU-second (CPU time of all threads of the process; less disturbed by other load)');
  console.log(line(header));
  for (const r of cpuRows) console.log(line(r));

  const cpuMs = (m: Measurement | undefined) =>
    m?.bestCpuMsPerStep !== undefined && m.error === undefined ? m.bestCpuMsPerStep.toFixed(1) : '';
  console.log('\nCPU ms per step, least of the repetitions (all threads of the process)');
  console.log(line(header));
  for (const model of models) {
    for (const resolution of resolutions) {
      const found = (config: string) => results.find((r) => r.model === model && r.resolution === resolution && r.config === config);
      console.log(line([model, `${resolution}x${resolution}`, ...configs.map((config) => cpuMs(found(config)))]));
    }
  }

  const get = (config: string) => results.find((r) => r.model === 'cnn' && r.resolution === 28 && r.config === config)?.imagesPerSecond;
  const bestWasm = Math.max(...['wasm', 'wasm-2t', 'wasm-dp2'].map((c) => get(c) ?? 0));
  const torch2 = get('torch-2t');
  const target = {
    cnn28BestWasmImagesPerSecond: bestWasm || undefined,
    cnn28PyTorch2Threads: torch2,
    meets1000: bestWasm >= 1000,
    withinTwiceOfPyTorch: torch2 !== undefined ? bestWasm * 2 >= torch2 : undefined,
  };
  if (bestWasm > 0) {
    console.log(
      `\nCNN 28x28: best wasm ${Math.round(bestWasm)} images/s (target 1000: ${target.meets1000 ? 'met' : 'not met'})` +
        (torch2 !== undefined ? `, PyTorch 2 threads ${Math.round(torch2)} (${(torch2 / bestWasm).toFixed(2)}x of wasm; within 2x of the PyTorch measured here: ${target.withinTwiceOfPyTorch ? 'met' : 'not met'})` : ''),
    );
  }
  const loads = results.map((r) => r.loadBefore);
  console.log(`1-minute load average during the runs: ${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)} (other processes share the cores)`);

  const here = dirname(fileURLToPath(import.meta.url));
  const outDir = join(here.endsWith(join('dist', 'bench')) ? join(here, '..', '..', 'bench') : here, 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, `${option('out', 'train-step')}.json`),
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, tfjs: tf.version_core },
        batch: BATCH,
        configs: Object.fromEntries(configs.map((c) => [c, CONFIGS[c]])),
        target,
        results,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`wrote ${join(outDir, `${option('out', 'train-step')}.json`)}`);
}

const childIndex = process.argv.indexOf('--child');
if (childIndex >= 0) await child(JSON.parse(process.argv[childIndex + 1]!) as Job);
else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
