// `eft run` without the command line: runs a checked plan (or resumes a recorded run) on the
// chosen backend, records it in the run registry, checkpoints it, and reports per stage the
// planned compute share beside the measured time share and the measured speedup against a
// baseline run beside the predicted one. Every input problem is found before the run is
// recorded, so bad input leaves the registry as it was.
import * as tf from '@tensorflow/tfjs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parsePlan } from '../plan/read.js';
import type { Plan } from '../plan/types.js';
import { coreCount, describeBackend, selectBackend, BackendUnavailableError, type BackendChoice, type BackendDescription } from './backend/select.js';
import { CheckpointError, loadLatestCheckpoint, type Checkpoint } from './checkpoint/index.js';
import { DataError, type DatasetSplits } from './data/index.js';
import { ModelBuildError, TRAINABLE_FAMILIES } from './models/index.js';
import { createProgress, type ProgressSink } from './progress/index.js';
import { BASELINE_CURRICULUM, openRegistry, RegistryError, runLiveness, type LivenessProbe, type Registry, type RunDetail, type RunRecord } from './registry/index.js';
import { train, TrainingDivergedError, type TrainObserver, type TrainOutcome } from './train/index.js';
import { loadPlanDataset } from './train/plan-data.js';
import { progressFromJson, type RunProgress } from './train/progress-state.js';
import { comparableSetup, formatRunSummary, summarise, type RunSummary } from './train/summary.js';

export interface RunEnvironment {
  backend: BackendChoice;
  /**
   * Threads of the wasm backend (default 1: XNNPACK's thread pool costs more than it gains on
   * the small feature maps of low-resolution stages, which distorts measured speedups).
   */
  threads?: number | 'auto';
  registryPath: string;
  /** Checkpoints go to `<runsDir>/<run id>/checkpoints`. */
  runsDir: string;
  checkpointEvery?: number;
  maxImages?: number;
  /** Evaluate at every stage end (default) or only at the end of the run. */
  evaluation?: 'stage-ends' | 'final';
  /**
   * Prepare the next batch on a worker thread while the current one trains. 'auto' (default):
   * when the machine has a core the backend's threads leave free.
   */
  batchWorker?: boolean | 'auto';
  json: boolean;
  eftVersion: string;
  /** Where human-readable lines go. */
  print: (text: string) => void;
  /** The progress display of one run. */
  progress?: () => ProgressSink;
  /** The folder relative data paths may also be relative to (the plan's project root). */
  projectRoot?: string;
  /** How `--resume` tells whether a `running` run's process still runs (default: this machine's processes). */
  liveness?: LivenessProbe;
}

export interface RunOutcome {
  summary: RunSummary;
  /** 0: completed; 130: interrupted by SIGINT. */
  exitCode: 0 | 130;
}

/** A problem with the input or the environment, stated for the user; the registry is left consistent. */
export class RunError extends Error {
  constructor(
    message: string,
    readonly help: string[] = [],
    /** 1: the input is wrong (plan, data, model); 2: the environment is (registry, disk, backend). */
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'RunError';
  }
}

function userError(err: unknown): RunError | undefined {
  if (err instanceof RunError) return err;
  if (err instanceof DataError) return new RunError(`data set: ${err.message}`);
  if (err instanceof RegistryError) return new RunError(`run registry: ${err.message}`, ['choose another registry file with --registry'], 2);
  if (err instanceof CheckpointError) return new RunError(`checkpoint: ${err.message}`, ['choose another runs folder with --runs-dir'], 2);
  if (err instanceof BackendUnavailableError) return new RunError(err.message, ['pick another one with --backend (auto, wasm, cpu)'], 2);
  if (err instanceof ModelBuildError || err instanceof TrainingDivergedError) return new RunError(err.message);
  return undefined;
}

let activeBackend: BackendDescription | undefined;
let activeChoice: string | undefined;

async function backendFor(env: RunEnvironment): Promise<BackendDescription> {
  const key = `${env.backend}:${String(env.threads ?? 1)}`;
  if (activeBackend === undefined || activeChoice !== key || tf.getBackend() !== activeBackend.tfBackend) {
    // Production mode: no console banner recommending the native backend.
    tf.env().set('PROD', true);
    activeBackend = await selectBackend({ backend: env.backend, threads: env.threads ?? 1 });
    activeChoice = key;
  }
  return activeBackend;
}

/** `wasm (SIMD on, 2 threads)`: what the registry records. */
function backendLabel(d: BackendDescription): string {
  return describeBackend(d).replace(/^backend /, '');
}

function checkTrainable(plan: Plan): void {
  const family = plan.model.spec.family;
  if (!(TRAINABLE_FAMILIES as readonly string[]).includes(family)) {
    throw new RunError(`${plan.model.name} is a ${family} network; this runtime trains ${TRAINABLE_FAMILIES.join(', ')} networks`, [
      'export the plan for PyTorch, or choose a convnet(...), resnet(...) or vit(...) model',
    ]);
  }
}

/** The curriculum name recorded in the registry; shortened runs are marked so they are never taken as a baseline. */
function recordedCurriculum(plan: Plan, maxImages: number | null): string {
  return maxImages === null ? plan.curriculum.name : `${plan.curriculum.name} (max-images ${maxImages})`;
}

/** The --max-images a run was started with, from its recorded curriculum (a run killed before its first checkpoint resumes with it too). */
function recordedMaxImages(curriculum: string): number | null {
  const match = /\(max-images (\d+)\)$/.exec(curriculum);
  return match ? Number(match[1]) : null;
}

function openRegistryChecked(path: string): Registry {
  try {
    return openRegistry(path);
  } catch (err) {
    throw userError(err) ?? err;
  }
}

function checkpointDir(env: RunEnvironment, runId: string): string {
  return join(env.runsDir, runId, 'checkpoints');
}

function prepareRunsDir(env: RunEnvironment): void {
  try {
    mkdirSync(env.runsDir, { recursive: true });
  } catch (err) {
    throw new RunError(`cannot create the runs folder ${env.runsDir}: ${(err as Error).message}`, ['choose another one with --runs-dir'], 2);
  }
}

function loadData(plan: Plan, env: RunEnvironment): DatasetSplits {
  try {
    return loadPlanDataset(plan.dataset, env.projectRoot);
  } catch (err) {
    if (err instanceof RangeError) throw new RunError(`data set \`${plan.dataset.name}\`: ${err.message}`);
    throw userError(err) ?? err;
  }
}

/**
 * The baseline to measure a run's speedup against: a completed baseline run (curriculum `none`)
 * of the same model and data set, earlier in the same command or else the latest in the
 * registry, with the same architecture, data-set size, epochs, batch and backend kind. Returns
 * why there is none otherwise.
 */
export function findBaseline(registry: Registry, plan: Plan, backend: string, earlier: readonly RunSummary[]): { id: string; trainSeconds: number } | string {
  const setup = comparableSetup(plan);
  const sameBackend = (other: string) => other.split(' ')[0] === backend.split(' ')[0];
  const here = [...earlier]
    .reverse()
    .find((s) => s.curriculum === BASELINE_CURRICULUM && s.setup === setup && s.status === 'completed' && s.maxImages === null && sameBackend(s.backend));
  if (here) return { id: `${here.experiment} (run ${here.runId})`, trainSeconds: here.trainSeconds };
  let detail: RunDetail | undefined;
  try {
    detail = registry.findBaselineRun({ model: plan.model.name, dataset: plan.dataset.name });
  } catch {
    return 'the registry could not be searched for a baseline';
  }
  if (!detail || !detail.result) return `no completed baseline run of ${plan.model.name} on ${plan.dataset.name} in the registry to measure the speedup against`;
  let other: Plan;
  try {
    other = JSON.parse(detail.run.planJson) as Plan;
  } catch {
    return `baseline run ${detail.run.id} has no readable plan`;
  }
  if (comparableSetup(other) !== setup) return `the latest baseline run ${detail.run.id} used another model spec, data set size, epochs or batch: no speedup measured`;
  if (!sameBackend(detail.run.backend)) return `the latest baseline run ${detail.run.id} ran on ${detail.run.backend}, this one on ${backend}: times are not comparable`;
  const trainSeconds = detail.result.stageSeconds.reduce((a, b) => a + b, 0);
  return { id: `run ${detail.run.id}`, trainSeconds };
}

function observerFor(registry: Registry, runId: string): TrainObserver {
  return {
    stageStarted(stage) {
      registry.recordStageStart(runId, {
        stageIndex: stage.index,
        resolution: stage.stage.resolution_px,
        plannedShare: Math.min(1, stage.stage.share),
        plannedImages: stage.trainedImages,
        plannedSteps: stage.steps,
      });
    },
    stageEnded(stage, measured) {
      registry.recordStageEnd(runId, stage.index, { seconds: measured.seconds, imagesPerSecond: measured.seconds > 0 ? measured.trainedImages / measured.seconds : 0 });
    },
    evaluated(record) {
      registry.recordMetrics(runId, {
        stageIndex: record.stage,
        step: record.step,
        epoch: record.epoch,
        computeFraction: Math.min(1, record.computeFraction),
        trainLoss: record.trainLoss,
        valLoss: record.loss,
        valTop1: record.top1,
        valTop1StageResolution: record.top1StageResolution,
        lr: record.lr,
        seconds: record.seconds,
      });
    },
  };
}

/** Copies what an earlier process of the run recorded (finished stages, evaluations) into the resumed run's record. */
function replayRecords(registry: Registry, runId: string, plan: Plan, progress: RunProgress): void {
  progress.stages.forEach((stage, i) => {
    if (!stage.done) return;
    const planned = plan.stages[i];
    registry.recordStageStart(runId, { stageIndex: i, resolution: planned.resolution_px, plannedShare: Math.min(1, planned.share), plannedImages: stage.trainedImages, plannedSteps: stage.steps });
    registry.recordStageEnd(runId, i, { seconds: stage.seconds, imagesPerSecond: stage.seconds > 0 ? stage.trainedImages / stage.seconds : 0 });
  });
  if (progress.evals.length > 0) {
    registry.recordMetrics(
      runId,
      progress.evals.map((e) => ({
        stageIndex: e.stage,
        step: e.step,
        epoch: e.epoch,
        computeFraction: Math.min(1, e.computeFraction),
        trainLoss: e.trainLoss,
        valLoss: e.loss,
        valTop1: e.top1,
        valTop1StageResolution: e.top1StageResolution,
        lr: e.lr,
        seconds: e.seconds,
      })),
    );
  }
}

interface Execution {
  plan: Plan;
  planPath: string | null;
  resumeOf: RunRecord | null;
  checkpoint: Checkpoint | null;
}

/** Marks the run failed, keeping the original error if the registry cannot be written either. */
function markFailed(registry: Registry, runId: string, message: string): void {
  try {
    registry.finishRun(runId, 'failed', { error: message });
  } catch {
    // The registry itself is what failed (disk full, say); the run stays `running` and is
    // listed as `running, process gone` and marked interrupted when resumed.
  }
}

async function execute(exec: Execution, env: RunEnvironment, earlier: readonly RunSummary[]): Promise<RunOutcome> {
  const { plan } = exec;
  checkTrainable(plan);
  const maxImages = exec.checkpoint
    ? (progressFromJson(exec.checkpoint.metrics, plan.stages.length).maxImages ?? null)
    : exec.resumeOf
      ? recordedMaxImages(exec.resumeOf.curriculum)
      : (env.maxImages ?? null);
  const data = loadData(plan, env);
  let backend: BackendDescription;
  try {
    backend = await backendFor(env);
  } catch (err) {
    throw userError(err) ?? err;
  }
  const label = backendLabel(backend);
  const registry = openRegistryChecked(env.registryPath);
  try {
    prepareRunsDir(env);
    if (exec.resumeOf && exec.resumeOf.backend !== label) {
      env.print(`warning: run ${exec.resumeOf.id} ran on ${exec.resumeOf.backend}; it resumes on ${label}, so its numbers may differ from an uninterrupted run\n`);
    }
    let run: RunRecord;
    try {
      run = registry.startRun({
        experiment: plan.experiment.name,
        model: plan.model.name,
        dataset: plan.dataset.name,
        curriculum: recordedCurriculum(plan, maxImages),
        planHash: plan.plan_sha256,
        planPath: exec.planPath,
        planJson: JSON.stringify(plan),
        seed: plan.recipe.seed,
        backend: label,
        eftVersion: env.eftVersion,
        resumedFrom: exec.resumeOf?.id ?? null,
      });
    } catch (err) {
      throw userError(err) ?? err;
    }
    const runId = run.id;
    const fastKernels = backend.fastKernels.length > 0 ? `, ${backend.fastKernels.length} fast kernels` : '';
    const batchWorker = env.batchWorker === undefined || env.batchWorker === 'auto' ? coreCount() > backend.threads : env.batchWorker;
    const resumed = exec.resumeOf ? `, resuming run ${exec.resumeOf.id}${exec.checkpoint ? ` from step ${exec.checkpoint.step}` : ' from the start (it left no checkpoint)'}` : '';
    if (!env.json) {
      env.print(`run ${runId}: experiment ${plan.experiment.name} (plan ${plan.plan_sha256.slice(0, 12)})${resumed}\n`);
      env.print(`${describeBackend(backend)}${fastKernels}; batches prepared on ${batchWorker ? 'a worker thread' : 'the main thread'}\n`);
      if (maxImages !== null) env.print(`--max-images ${maxImages}: every stage is shortened alike; this run is not a measurement\n`);
    }

    try {
      if (exec.checkpoint) replayRecords(registry, runId, plan, progressFromJson(exec.checkpoint.metrics, plan.stages.length));
    } catch (err) {
      markFailed(registry, runId, (err as Error).message);
      throw userError(err) ?? err;
    }

    let stopRequested = false;
    const onSigint = () => {
      if (stopRequested) {
        registry.markInterrupted(runId, 'interrupted by a second SIGINT before the checkpoint was written');
        process.exit(130);
      }
      stopRequested = true;
      process.stderr.write('\nstopping after this step: writing a checkpoint (press Ctrl-C again to stop at once, losing the steps since the last checkpoint)\n');
    };
    process.on('SIGINT', onSigint);
    const sink = env.progress ? env.progress() : createProgress({ json: env.json });
    let outcome: TrainOutcome;
    try {
      outcome = await train({
        plan,
        data,
        runId,
        checkpointDir: checkpointDir(env, runId),
        checkpointEvery: env.checkpointEvery,
        resumeFrom: exec.checkpoint,
        maxImages: maxImages ?? undefined,
        progress: sink,
        observer: observerFor(registry, runId),
        shouldStop: () => stopRequested,
        backendName: label,
        evaluation: env.evaluation,
        batchWorker,
      });
    } catch (err) {
      const friendly = userError(err);
      sink.emit({ type: 'run_end', status: 'failed', seconds: 0, top1: null, error: (friendly ?? (err as Error)).message });
      sink.close();
      markFailed(registry, runId, (friendly ?? (err as Error)).message);
      throw friendly ?? err;
    } finally {
      process.removeListener('SIGINT', onSigint);
    }

    const summary = summarise(plan, outcome.schedule, outcome.progress, { runId, backend: label, status: outcome.status, wallSeconds: outcome.wallSeconds, maxImages });
    sink.emit({ type: 'run_end', status: outcome.status, seconds: outcome.wallSeconds, top1: summary.top1, error: null });
    sink.close();

    if (outcome.status === 'interrupted') {
      registry.finishRun(runId, 'interrupted', { error: `interrupted by SIGINT at step ${outcome.progress.step}; checkpoint ${outcome.checkpoint ?? 'none'}` });
      const how = `eft run --resume ${runId}${env.registryPath !== defaultRegistry() ? ` --registry ${env.registryPath}` : ''}${env.runsDir !== defaultRunsDir() ? ` --runs-dir ${env.runsDir}` : ''}`;
      if (env.json) process.stdout.write(`${JSON.stringify({ type: 'run_summary', ...summary, resume: how })}\n`);
      env.print(`interrupted at step ${outcome.progress.step} (stage ${Math.min(outcome.progress.stageIndex + 1, plan.stages.length)}/${plan.stages.length}); checkpoint written.\nresume with: ${how}\n`);
      return { summary, exitCode: 130 };
    }

    if (maxImages === null) {
      const baseline = plan.curriculum.name === BASELINE_CURRICULUM ? 'this run is a baseline' : findBaseline(registry, plan, label, earlier);
      if (typeof baseline === 'string') summary.comparisonNote = baseline;
      else
        summary.comparison = {
          baseline: baseline.id,
          baselineTrainSeconds: baseline.trainSeconds,
          measuredSpeedup: summary.trainSeconds > 0 ? baseline.trainSeconds / summary.trainSeconds : 0,
          predictedSpeedup: plan.totals.speedup,
        };
    } else {
      summary.comparisonNote = 'no speedup measured for a run shortened with --max-images';
    }
    registry.finishRun(runId, 'completed', {
      result: {
        finalTop1: summary.top1,
        finalLoss: summary.loss,
        wallSeconds: summary.wallSeconds,
        imagesProcessed: summary.trainedImages,
        stageSeconds: outcome.progress.stages.map((s) => s.seconds),
      },
    });
    if (env.json) process.stdout.write(`${JSON.stringify({ type: 'run_summary', ...summary })}\n`);
    else env.print(formatRunSummary(summary));
    return { summary, exitCode: 0 };
  } finally {
    registry.close();
  }
}

function defaultRegistry(): string {
  return join('runs', 'eft.sqlite');
}

function defaultRunsDir(): string {
  return 'runs';
}

/** Runs a plan as a new run. `earlier` are the runs of the same command (for the baseline comparison). */
export async function runPlan(plan: Plan, planPath: string | null, env: RunEnvironment, earlier: readonly RunSummary[] = []): Promise<RunOutcome> {
  return execute({ plan, planPath, resumeOf: null, checkpoint: null }, env, earlier);
}

/** The run an id (or a unique beginning of one) names. */
function findRun(registry: Registry, idOrPrefix: string): RunRecord {
  const ids = registry.findRunIds(idOrPrefix);
  const exact = ids.find((id) => id === idOrPrefix);
  const id = exact ?? (ids.length === 1 ? ids[0] : undefined);
  if (id === undefined) {
    if (ids.length > 1) throw new RunError(`${ids.length} runs start with ${idOrPrefix}: ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}`, ['give more of the run id']);
    throw new RunError(`no run ${idOrPrefix} in the registry ${registry.path}`, ['list runs with `eft runs`, or point at another registry with --registry']);
  }
  return registry.getRun(id)!.run;
}

/** Continues a recorded run from its newest intact checkpoint (following earlier resumptions back). */
export async function resumeRun(idOrPrefix: string, env: RunEnvironment): Promise<RunOutcome> {
  const registry = openRegistryChecked(env.registryPath);
  let record: RunRecord;
  let checkpoint: Checkpoint | null = null;
  let plan: Plan;
  try {
    record = findRun(registry, idOrPrefix);
    if (record.status === 'completed') throw new RunError(`run ${record.id} is already completed; nothing to resume`);
    if (record.status === 'running') {
      const liveness = runLiveness(record, env.liveness);
      if (liveness === 'alive') {
        throw new RunError(
          `run ${record.id} is still running (process ${record.pid} on this machine); wait for it to end, or stop it with \`kill -INT ${record.pid}\` (it checkpoints first) and resume then`,
        );
      }
      if (liveness === 'unknown') {
        const why = record.pid === null ? 'its registry entry predates process ids, so its process cannot be checked' : `it ran on ${record.host} (process ${record.pid}), which this machine cannot check`;
        env.print(`warning: run ${record.id} is marked running, but ${why}; resuming it as a run whose process stopped\n`);
      }
      registry.markInterrupted(record.id, 'the process stopped without finishing the run (killed?)');
    }
    try {
      plan = parsePlan(record.planJson, `the plan of run ${record.id}`, { allowEdited: true }).plan;
    } catch (err) {
      throw new RunError(`run ${record.id}: its recorded plan cannot be read: ${(err as Error).message}`);
    }
    for (let at: RunRecord | undefined = record; at && checkpoint === null; ) {
      const loaded = await loadLatestCheckpoint(checkpointDir(env, at.id), { planHash: plan.plan_sha256 });
      for (const warning of loaded.warnings) env.print(`warning: ${warning}\n`);
      checkpoint = loaded.checkpoint;
      at = at.resumedFrom ? registry.getRun(at.resumedFrom)?.run : undefined;
    }
  } catch (err) {
    throw userError(err) ?? err;
  } finally {
    registry.close();
  }
  return execute({ plan, planPath: record.planPath, resumeOf: record, checkpoint }, env, []);
}
