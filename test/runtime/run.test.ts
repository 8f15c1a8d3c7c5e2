import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { planFileText } from '../../plan/canonical.js';
import type { Plan } from '../../plan/types.js';
import type { ProgressEvent, ProgressSink } from '../../runtime/progress/index.js';
import { openRegistry } from '../../runtime/registry/index.js';
import { findBaseline, resumeRun, runPlan, RunError, type RunEnvironment } from '../../runtime/run.js';
import { summarise } from '../../runtime/train/summary.js';
import { scheduleRun } from '../../runtime/train/run-schedule.js';
import { freshProgress } from '../../runtime/train/progress-state.js';
import { eftNodeArgs } from '../helpers/cli.js';
import { compilePlans, tinyProgram } from './helpers.js';

interface Workspace {
  dir: string;
  env: RunEnvironment;
  printed: string[];
  events: ProgressEvent[];
}

function workspace(overrides: Partial<RunEnvironment> = {}, onEvent?: (e: ProgressEvent, dir: string) => void): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'eft-run-'));
  const printed: string[] = [];
  const events: ProgressEvent[] = [];
  const sink: ProgressSink = { emit: (e) => (events.push(e), onEvent?.(e, dir)), close: () => undefined };
  const env: RunEnvironment = {
    backend: 'cpu',
    registryPath: join(dir, 'runs', 'eft.sqlite'),
    runsDir: join(dir, 'runs'),
    json: false,
    eftVersion: '0.0.0-test',
    maxImages: 128,
    print: (text) => void printed.push(text),
    progress: () => sink,
    ...overrides,
  };
  return { dir, env, printed, events };
}

async function expectRunError(promise: Promise<unknown>, pattern: RegExp, exitCode: 1 | 2 = 1): Promise<RunError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof RunError, `expected a RunError, got ${String(err)}`);
    assert.match(err.message, pattern);
    assert.equal(err.exitCode, exitCode);
    return err;
  }
  assert.fail('the run did not fail');
}

function runsIn(path: string) {
  if (!existsSync(path)) return [];
  const registry = openRegistry(path);
  try {
    return registry.listRuns();
  } finally {
    registry.close();
  }
}

describe('eft run (runtime/run.ts)', function () {
  this.timeout(60_000);
  let plans: Map<string, Plan>;
  before(async () => {
    plans = await compilePlans(tinyProgram());
  });

  it('records a completed run: stages with measured times, metrics at every stage end, the result', async () => {
    const w = workspace();
    const { summary, exitCode } = await runPlan(plans.get('tiny_cur')!, null, w.env);
    assert.equal(exitCode, 0);
    const registry = openRegistry(w.env.registryPath);
    const detail = registry.getRun(summary.runId)!;
    registry.close();
    assert.equal(detail.run.status, 'completed');
    assert.equal(detail.run.curriculum, 'custom (max-images 128)', 'a shortened run is marked so it is never taken as a baseline');
    assert.equal(detail.run.backend, 'cpu (pure JavaScript, 1 thread)');
    assert.deepEqual(detail.stages.map((s) => [s.stageIndex, s.resolution]), [[0, 12], [1, 20], [2, 28]]);
    assert.ok(detail.stages.every((s) => s.measuredSeconds! > 0 && s.measuredImagesPerSecond! > 0));
    assert.equal(detail.metrics.length, 3);
    assert.equal(detail.result!.finalTop1, summary.top1);
    assert.equal(detail.result!.stageSeconds.length, 3);
    const text = w.printed.join('');
    assert.match(text, /backend cpu \(pure JavaScript, 1 thread\)/);
    assert.match(text, /planned compute\s+measured time/);
    assert.match(text, /no speedup measured for a run shortened with --max-images/);
    assert.ok(existsSync(join(w.env.runsDir, summary.runId, 'checkpoints')), 'stage-end checkpoints are written');
  });

  it('compares a curriculum run with an earlier baseline of the same model and data set: measured beside predicted speedup', async () => {
    const w = workspace({ maxImages: undefined, evaluation: 'final' });
    const baseline = await runPlan(plans.get('short_base')!, null, w.env);
    assert.equal(baseline.summary.comparisonNote, 'this run is a baseline');
    const cur = plans.get('short_cur')!;
    const { summary } = await runPlan(cur, null, w.env);
    assert.ok(summary.comparison, summary.comparisonNote ?? 'no comparison');
    assert.equal(summary.comparison.baseline, `run ${baseline.summary.runId}`);
    assert.equal(summary.comparison.baselineTrainSeconds, baseline.summary.trainSeconds);
    assert.equal(summary.comparison.measuredSpeedup, baseline.summary.trainSeconds / summary.trainSeconds);
    assert.equal(summary.comparison.predictedSpeedup, cur.totals.speedup);
    assert.match(w.printed.join(''), /speedup against baseline run \S+: measured \d+\.\d\d× .*predicted 1\.5\d×, measured\/predicted \d+\.\d\d/);
  });

  it('takes as baseline only a completed baseline run of the same setup on the same kind of backend', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eft-baseline-'));
    const registry = openRegistry(join(dir, 'eft.sqlite'));
    const base = plans.get('short_base')!;
    const cur = plans.get('short_cur')!;
    const record = (plan: Plan, backend: string, seconds: number[]) => {
      const run = registry.startRun({ experiment: plan.experiment.name, model: plan.model.name, dataset: plan.dataset.name, curriculum: plan.curriculum.name, planHash: plan.plan_sha256, planJson: JSON.stringify(plan), seed: 0, backend, eftVersion: 'test' });
      registry.finishRun(run.id, 'completed', { result: { finalTop1: 0.5, finalLoss: 1, wallSeconds: 10, imagesProcessed: 100, stageSeconds: seconds } });
      return run.id;
    };
    try {
      assert.match(String(findBaseline(registry, cur, 'cpu (pure JavaScript, 1 thread)', [])), /no completed baseline run of convnet\(width: 4, stages: 2\) on fashion_mnist/);
      const id = record(base, 'wasm (SIMD on, 2 threads)', [4, 2]);
      assert.deepEqual(findBaseline(registry, cur, 'wasm (SIMD on, 1 thread)', []), { id: `run ${id}`, trainSeconds: 6 });
      assert.match(String(findBaseline(registry, cur, 'cpu (pure JavaScript, 1 thread)', [])), /ran on wasm .*this one on cpu .*not comparable/);
      const bigger: Plan = { ...base, recipe: { ...base.recipe, batch_size: 64 } };
      record(bigger, 'wasm (SIMD on, 2 threads)', [1]);
      assert.match(String(findBaseline(registry, cur, 'wasm (SIMD on, 2 threads)', [])), /used another model spec, data set size, epochs or batch/);
      // A baseline run earlier in the same command comes first.
      const earlier = summarise(base, scheduleRun(base), freshProgress(1, 28, null), { runId: 'r1', backend: 'wasm (SIMD on, 2 threads)', status: 'completed', wallSeconds: 3, maxImages: null });
      assert.deepEqual(findBaseline(registry, cur, 'wasm (SIMD on, 2 threads)', [earlier]), { id: 'short_base (run r1)', trainSeconds: 0 });
      assert.notDeepEqual(findBaseline(registry, cur, 'wasm (SIMD on, 2 threads)', [{ ...earlier, maxImages: 100 }]), { id: 'short_base (run r1)', trainSeconds: 0 });
    } finally {
      registry.close();
    }
  });

  it('refuses a data set that does not match the plan, naming the file and the numbers, and records nothing', async () => {
    const w = workspace();
    const plan = plans.get('tiny_cur')!;
    const wrongClasses: Plan = { ...plan, dataset: { ...plan.dataset, classes: 12 } };
    await expectRunError(runPlan(wrongClasses, null, w.env), /fashion-mnist-small: its training labels use 10 classes \(0 … 9\) but the plan declares 12/);
    const fewerClasses: Plan = { ...plan, dataset: { ...plan.dataset, classes: 8 } };
    await expectRunError(runPlan(fewerClasses, null, w.env), /label 8 of item \d+ is out of range: there are 8 classes/);
    const wrongImages: Plan = { ...plan, dataset: { ...plan.dataset, val_images: 10000 } };
    await expectRunError(runPlan(wrongImages, null, w.env), /holds 1000 validation images but the plan declares 10000/);
    const wrongSize: Plan = { ...plan, dataset: { ...plan.dataset, resolution_px: 32 } };
    await expectRunError(runPlan(wrongSize, null, w.env), /images are 28×28 but the dataset declares 32×32/);
    const missing: Plan = { ...plan, dataset: { ...plan.dataset, path: join(w.dir, 'nowhere') } };
    await expectRunError(runPlan(missing, null, w.env), /nowhere: the data set `fashion_mnist` is not there/);
    const noFiles = join(w.dir, 'empty');
    mkdirSync(noFiles);
    await expectRunError(runPlan({ ...plan, dataset: { ...plan.dataset, path: noFiles } }, null, w.env), /train-images-idx3-ubyte\[\.gz\]: file not found/);
    assert.equal(existsSync(w.env.registryPath), false, 'no registry file was created for runs that never started');
  });

  it('refuses a model family it cannot train before anything is recorded', async () => {
    const w = workspace();
    const plan = plans.get('tiny_cur')!;
    const swin = { ...plan, model: { ...plan.model, name: 'swin_tiny', spec: { ...plan.model.spec, family: 'swin' } } } as unknown as Plan;
    await expectRunError(runPlan(swin, null, w.env), /swin_tiny is a swin network; this runtime trains convnet, resnet, vit networks/);
    assert.equal(existsSync(w.env.registryPath), false);
  });

  it('reports an unwritable registry or runs folder as an environment problem (exit 2)', async () => {
    const blocker = join(mkdtempSync(join(tmpdir(), 'eft-block-')), 'a-file');
    writeFileSync(blocker, 'not a folder');
    const w = workspace({ registryPath: join(blocker, 'eft.sqlite') });
    await expectRunError(runPlan(plans.get('tiny_cur')!, null, w.env), /run registry: .*a-file/, 2);
    const v = workspace({ runsDir: join(blocker, 'runs') });
    await expectRunError(runPlan(plans.get('tiny_cur')!, null, v.env), /cannot create the runs folder/, 2);
    assert.deepEqual(runsIn(v.env.registryPath), [], 'the run was never started');
  });

  it('marks the run failed, with the cause, when checkpoints cannot be written mid-run', async () => {
    // Once the run has its id, a file takes the place of its folder: the first checkpoint fails as on a full disk.
    const w = workspace({}, (e, dir) => {
      if (e.type === 'run_start') writeFileSync(join(dir, 'runs', e.runId), 'in the way');
    });
    await expectRunError(runPlan(plans.get('tiny_cur')!, null, w.env), /checkpoint: .*cannot create the checkpoint folder/, 2);
    const [run] = runsIn(w.env.registryPath);
    assert.equal(run.status, 'failed');
    const registry = openRegistry(w.env.registryPath);
    assert.match(registry.getRun(run.id)!.run.error ?? '', /cannot create the checkpoint folder/);
    registry.close();
  });

  it('--resume: refuses unknown and completed runs, with what to do', async () => {
    const w = workspace();
    const { summary } = await runPlan(plans.get('tiny_cur')!, null, w.env);
    await expectRunError(resumeRun('20990101-000000-ffff', w.env), /no run 20990101-000000-ffff in the registry/);
    await expectRunError(resumeRun(summary.runId, w.env), /is already completed; nothing to resume/);
  });

  it('--resume: refuses a run whose process still runs, and resumes it once that process is gone', async () => {
    const plan = plans.get('tiny_cur')!;
    let running = true;
    const w = workspace({ liveness: { host: hostname(), isRunning: () => running } });
    const registry = openRegistry(w.env.registryPath);
    const run = registry.startRun({ experiment: plan.experiment.name, model: plan.model.name, dataset: plan.dataset.name, curriculum: `${plan.curriculum.name} (max-images 128)`, planHash: plan.plan_sha256, planJson: planFileText(plan), seed: plan.recipe.seed, backend: 'cpu (pure JavaScript, 1 thread)', pid: 4242, eftVersion: 'test' });
    registry.close();
    await expectRunError(resumeRun(run.id, w.env), new RegExp(`^run ${run.id} is still running \\(process 4242 on this machine\\); wait for it to end, or stop it with \`kill -INT 4242\``));
    assert.equal(runsIn(w.env.registryPath)[0].status, 'running');
    running = false;
    const { summary } = await resumeRun(run.id, w.env);
    assert.doesNotMatch(w.printed.join(''), /cannot be checked|cannot check/);
    assert.equal(summary.status, 'completed');
    const statuses = runsIn(w.env.registryPath).map((r) => [r.id === run.id ? 'old' : 'new', r.status]);
    assert.deepEqual(statuses.sort(), [['new', 'completed'], ['old', 'interrupted']]);
  });

  it('--resume: resumes a run marked running on another host, with a warning that it could not be checked', async () => {
    const plan = plans.get('tiny_cur')!;
    const w = workspace({ liveness: { host: hostname(), isRunning: () => true } });
    const registry = openRegistry(w.env.registryPath);
    const run = registry.startRun({ experiment: plan.experiment.name, model: plan.model.name, dataset: plan.dataset.name, curriculum: `${plan.curriculum.name} (max-images 128)`, planHash: plan.plan_sha256, planJson: planFileText(plan), seed: plan.recipe.seed, backend: 'cpu (pure JavaScript, 1 thread)', host: 'elsewhere', pid: 4242, eftVersion: 'test' });
    registry.close();
    const { summary } = await resumeRun(run.id, w.env);
    assert.equal(summary.status, 'completed');
    assert.match(w.printed.join(''), new RegExp(`warning: run ${run.id} is marked running, but it ran on elsewhere \\(process 4242\\), which this machine cannot check; resuming it as a run whose process stopped`));
  });
});

describe('eft run: the command line', function () {
  this.timeout(90_000);
  const nodeArgs = eftNodeArgs();

  function eft(args: string[], onLine?: (line: string, kill: (signal: NodeJS.Signals) => void) => void): Promise<{ code: number | null; out: string; err: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [...nodeArgs, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        out += text;
        for (const line of text.split('\n')) onLine?.(line, (signal) => child.kill(signal));
      });
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (code) => resolve({ code, out, err }));
    });
  }

  it('bad plans and flags: a clear message, exit 1 for the input and 2 for usage, nothing recorded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eft-badplan-'));
    const places = ['--registry', join(dir, 'runs', 'eft.sqlite'), '--runs-dir', join(dir, 'runs')];
    const plan = (await compilePlans(tinyProgram())).get('tiny_cur')!;
    const edited = join(dir, 'edited.json');
    writeFileSync(edited, planFileText({ ...plan, recipe: { ...plan.recipe, batch_size: 33 } }));
    const broken = join(dir, 'broken.json');
    const { stages: _stages, ...withoutStages } = plan;
    writeFileSync(broken, JSON.stringify(withoutStages));
    const cases: { args: string[]; code: number; message: RegExp }[] = [
      { args: ['run', edited], code: 1, message: /edited\.json: the plan's content does not match its plan_sha256/ },
      { args: ['run', broken], code: 1, message: /broken\.json: .*stages/ },
      { args: ['run', join(dir, 'missing.json')], code: 1, message: /missing\.json: cannot read the plan: no such file/ },
      { args: ['run'], code: 2, message: /nothing to run: give an \.eft or plan file, or --resume RUN/ },
      { args: ['run', edited, '--backend', 'gpu'], code: 2, message: /--backend must be one of auto, wasm, cpu, tfjs-node, tfjs-node-gpu; got 'gpu'/ },
    ];
    for (const c of cases) {
      const result = await eft([...c.args, ...places]);
      assert.equal(result.code, c.code, `${c.args.join(' ')}: ${result.err}`);
      assert.match(result.err, c.message, c.args.join(' '));
      assert.doesNotMatch(result.err, /\n\s+at /, 'no stack trace');
    }
    assert.equal(existsSync(join(dir, 'runs', 'eft.sqlite')), false);
  });

  it('checkpoints, marks the run interrupted, exits 130 and says how to resume; the resumed run completes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eft-sigint-'));
    const file = join(dir, 'tiny.eft');
    writeFileSync(file, tinyProgram());
    const places = ['--registry', join(dir, 'runs', 'eft.sqlite'), '--runs-dir', join(dir, 'runs')];
    let sent = false;
    const stopped = await eft(['run', file, '--experiment', 'tiny_cur', '--backend', 'cpu', '--max-images', '160', '--eval', 'final', '--json', ...places], (line, kill) => {
      if (!sent && line.includes('"type":"stage_start"')) {
        sent = true;
        kill('SIGINT');
      }
    });
    assert.equal(stopped.code, 130, stopped.err);
    const resumeLine = /resume with: eft run --resume (\S+) --registry (\S+) --runs-dir (\S+)/.exec(stopped.err);
    assert.ok(resumeLine, `no complete resume hint in: ${stopped.err}`);
    const runId = resumeLine[1];
    const registry = openRegistry(join(dir, 'runs', 'eft.sqlite'));
    assert.equal(registry.getRun(runId)!.run.status, 'interrupted');
    assert.equal(registry.getRun(runId)!.run.planPath, file, 'the run records the .eft file its plan was compiled from');
    registry.close();
    const shown = await eft(['runs', 'show', runId, '--registry', join(dir, 'runs', 'eft.sqlite')]);
    assert.match(shown.out, new RegExp(`plan +compiled from ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, hash [0-9a-f]{64}`));
    const resumed = await eft(['run', '--resume', runId, '--backend', 'cpu', '--json', ...places]);
    assert.equal(resumed.code, 0, resumed.err);
    const summary = JSON.parse(resumed.out.trim().split('\n').pop()!) as { type: string; status: string; top1: number };
    assert.equal(summary.type, 'run_summary');
    assert.equal(summary.status, 'completed');
  });
});
