import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Plan, PlanLrSchedule } from '../../plan/types.js';
import { loadLatestCheckpoint } from '../../runtime/checkpoint/index.js';
import type { DatasetSplits } from '../../runtime/data/index.js';
import type { Parameter } from '../../runtime/models/index.js';
import type { ProgressEvent } from '../../runtime/progress/index.js';
import { FreshImageOrder } from '../../runtime/train/fresh-images.js';
import { computeFractionAt, imagesAtStep, learningRateAt, Optimizer, scheduleRun, train, type TrainOutcome } from '../../runtime/train/index.js';
import { loadPlanDataset } from '../../runtime/train/plan-data.js';
import { compilePlans, tinyProgram } from './helpers.js';

function close(actual: number, expected: number, tolerance = 1e-6): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`);
}

/** What must be identical between two runs of the same plan: everything but wall-clock times. */
function metricsOf(outcome: TrainOutcome) {
  return {
    evals: outcome.progress.evals.map(({ seconds: _seconds, ...rest }) => rest),
    stages: outcome.progress.stages.map(({ seconds: _seconds, cpuSeconds: _cpu, ...rest }) => rest),
    freshCursor: outcome.progress.freshCursor,
  };
}

describe('runtime training: learning rate on the compute clock', () => {
  const schedule: PlanLrSchedule = { shape: 'cosine', base_lr: 1e-3, min_lr: 1e-5, warmup_fraction: 0.2, warmup_start_lr: 0 };

  it('warms up linearly over the warm-up share of the compute, then follows the shape to min_lr', () => {
    close(learningRateAt(schedule, 0), 0);
    close(learningRateAt(schedule, 0.1), 5e-4);
    close(learningRateAt(schedule, 0.2), 1e-3);
    close(learningRateAt(schedule, 0.6), 1e-5 + (1e-3 - 1e-5) * 0.5);
    close(learningRateAt(schedule, 1), 1e-5);
    close(learningRateAt({ ...schedule, shape: 'linear' }, 0.6), 1e-3 + (1e-5 - 1e-3) * 0.5);
    close(learningRateAt({ ...schedule, shape: 'constant' }, 0.9), 1e-3);
  });
});

describe('runtime training: optimizers', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  function parameter(name: string, value: number[], weightDecay: boolean): Parameter {
    return { name, variable: tf.variable(tf.tensor1d(value)), weightDecay };
  }

  it('AdamW: decoupled weight decay, bias-corrected moments (PyTorch semantics)', () => {
    const decayed = parameter('w', [1, -2], true);
    const plain = parameter('b', [1, -2], false);
    const optimizer = new Optimizer({ name: 'adamw', lr: 0.1, weight_decay: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    tf.tidy(() => optimizer.apply([decayed, plain], new Map([['w', tf.tensor1d([0.5, 0.5])], ['b', tf.tensor1d([0.5, -0.25])]]), 0.1));
    // step 1: m̂ = g, v̂ = g², so the Adam step is lr·sign(g); decay multiplies by 1 − lr·wd first.
    const w = decayed.variable.dataSync();
    close(w[0], 1 * (1 - 0.01) - 0.1, 1e-6);
    close(w[1], -2 * (1 - 0.01) - 0.1, 1e-6);
    const b = plain.variable.dataSync();
    close(b[0], 0.9, 1e-6);
    close(b[1], -1.9, 1e-6);
    assert.equal(optimizer.step, 1);
    assert.deepEqual(optimizer.state().map((s) => s.name).sort(), ['b/exp_avg', 'b/exp_avg_sq', 'w/exp_avg', 'w/exp_avg_sq']);
  });

  it('SGD: weight decay in the gradient, momentum buffer, Nesterov step (PyTorch semantics)', () => {
    const p = parameter('w', [1], true);
    const optimizer = new Optimizer({ name: 'sgd', lr: 0.1, weight_decay: 0.5, momentum: 0.9, nesterov: true });
    tf.tidy(() => optimizer.apply([p], new Map([['w', tf.tensor1d([1])]]), 0.1));
    // d = 1 + 0.5·1 = 1.5; b = 1.5; step = d + 0.9·b = 2.85; p = 1 − 0.285
    close(p.variable.dataSync()[0], 0.715);
    tf.tidy(() => optimizer.apply([p], new Map([['w', tf.tensor1d([1])]]), 0.1));
    // d = 1 + 0.5·0.715 = 1.3575; b = 0.9·1.5 + 1.3575 = 2.7075; step = 1.3575 + 0.9·2.7075
    close(p.variable.dataSync()[0], 0.715 - 0.1 * (1.3575 + 0.9 * 2.7075), 1e-6);
  });

  it('maps a parameter\'s moments through a resize when the parameter changes shape', () => {
    const p = parameter('pos', [1, 2], false);
    const optimizer = new Optimizer({ name: 'adamw', lr: 0.1, weight_decay: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    tf.tidy(() => optimizer.apply([p], new Map([['pos', tf.tensor1d([1, 1])]]), 0.1));
    optimizer.resize('pos', (v) => tf.concat([v, v]));
    assert.deepEqual(optimizer.state().map((s) => s.variable.shape), [[4], [4]]);
    close(optimizer.state()[0].variable.dataSync()[3], 0.1);
  });
});

describe('runtime training: schedule and data order', () => {
  let plan: Plan;
  before(async () => {
    plan = (await compilePlans(tinyProgram())).get('tiny_cur')!;
  });

  it('runs each stage\'s planned images in ceil(images / batch) steps, on the compute clock of the plan', () => {
    const schedule = scheduleRun(plan);
    assert.deepEqual(schedule.stages.map((s) => s.steps), plan.stages.map((s) => s.steps));
    assert.equal(schedule.truncated, false);
    close(schedule.totalCompute / plan.totals.compute_macs, 1, 1e-9);
    schedule.stages.forEach((stage, i) => {
      close(computeFractionAt(schedule, stage, 0), plan.stages[i].compute_start_fraction, 1e-9);
      close(computeFractionAt(schedule, stage, stage.steps), plan.stages[i].compute_end_fraction, 1e-9);
      const last = imagesAtStep(schedule, stage, stage.steps - 1);
      assert.ok(last >= 1 && last <= plan.recipe.batch_size);
    });
    // replay r = 2 in stage 1: the loader reads half a batch of fresh images per step
    assert.equal(schedule.stages[0].loaderBatch, 16);
  });

  it('--max-images shortens every stage alike and keeps at least one step per stage', () => {
    const schedule = scheduleRun(plan, 200);
    assert.equal(schedule.truncated, true);
    assert.ok(schedule.stages.every((s) => s.steps >= 1));
    const trained = schedule.stages.reduce((sum, s) => sum + s.trainedImages, 0);
    assert.ok(trained >= 200 && trained <= 200 + 3 * plan.recipe.batch_size, `trained ${trained}`);
    close(computeFractionAt(schedule, schedule.stages[2], schedule.stages[2].steps), 1, 1e-12);
  });

  it('reads the data set in seeded epochs, each a permutation, continuing across calls', () => {
    const data = loadPlanDataset(plan.dataset);
    const order = new FreshImageOrder(data.train, 9);
    const two = order.take(0, 2 * data.train.count);
    for (const epoch of [0, 1]) {
      const seen = Array.from(two.subarray(epoch * data.train.count, (epoch + 1) * data.train.count)).sort((a, b) => a - b);
      assert.deepEqual(seen, Array.from({ length: data.train.count }, (_, i) => i));
    }
    assert.deepEqual(Array.from(order.take(4990, 20)), Array.from(two.subarray(4990, 5010)));
    assert.notDeepEqual(Array.from(new FreshImageOrder(data.train, 10).take(0, 20)), Array.from(two.subarray(0, 20)));
  });
});

describe('runtime training: the loop (cpu backend)', function () {
  this.timeout(120_000);
  const MAX_IMAGES = 256;
  let plans: Map<string, Plan>;
  let data: DatasetSplits;
  let reference: TrainOutcome;

  const dir = () => mkdtempSync(join(tmpdir(), 'eft-train-'));

  before(async () => {
    await tf.setBackend('cpu');
    plans = await compilePlans(
      tinyProgram(`
experiment tiny_vit extends tiny_cur {
  model vit(patch: 4, dim: 16, depth: 1, heads: 2, mlp_ratio: 2)
  curriculum {
    stages 2
    resolution [16px, 28px]
    low_pass fft
    randaugment { m 0 -> 4  n 1  mstd 0 }
    replay { r 1  k 0 }
  }
}`),
    );
    data = loadPlanDataset(plans.get('tiny_cur')!.dataset);
    reference = await train({ plan: plans.get('tiny_cur')!, data, runId: 'reference', checkpointDir: dir(), maxImages: MAX_IMAGES });
  });

  it('trains every stage and evaluates at full resolution (and at the stage resolution) at each stage end', () => {
    assert.equal(reference.status, 'completed');
    assert.deepEqual(reference.progress.evals.map((e) => e.stage), [0, 1, 2]);
    assert.ok(reference.progress.evals.every((e) => e.resolution === 28 && e.top1 >= 0 && e.top1 <= 1 && Number.isFinite(e.loss)));
    assert.deepEqual(reference.progress.evals.map((e) => e.top1StageResolution !== null), [true, true, false]);
    assert.ok(reference.progress.stages.every((s) => s.done && s.seconds > 0 && s.trainedImages > 0));
    assert.equal(reference.final, reference.progress.evals[2]);
  });

  it('is deterministic: the same plan and seed give the same metrics; another seed gives others', async () => {
    const again = await train({ plan: plans.get('tiny_cur')!, data, runId: 'again', checkpointDir: dir(), maxImages: MAX_IMAGES });
    assert.deepEqual(metricsOf(again), metricsOf(reference));
    const plan = plans.get('tiny_cur')!;
    const reseeded: Plan = { ...plan, recipe: { ...plan.recipe, seed: 4 } };
    const other = await train({ plan: reseeded, data, runId: 'other', checkpointDir: dir(), maxImages: MAX_IMAGES });
    assert.notDeepEqual(metricsOf(other).evals, metricsOf(reference).evals);
  });

  it('prepares batches on a worker thread with exactly the metrics of the main thread, resumed or not', async () => {
    const plan = plans.get('tiny_cur')!;
    const onWorker = await train({ plan, data, runId: 'worker', checkpointDir: dir(), maxImages: MAX_IMAGES, batchWorker: true });
    assert.deepEqual(metricsOf(onWorker), metricsOf(reference));
    // Stopped inside the first stage (replay r = 2): the worker refills the replay buffer on resume.
    const first = dir();
    let steps = 0;
    const stopped = await train({
      plan,
      data,
      runId: 'worker-stopped',
      checkpointDir: first,
      maxImages: MAX_IMAGES,
      batchWorker: true,
      progress: { emit: (e: ProgressEvent) => void (e.type === 'step' && steps++), close: () => undefined },
      shouldStop: () => steps >= 3,
    });
    assert.equal(stopped.status, 'interrupted');
    const { checkpoint } = await loadLatestCheckpoint(first);
    const resumed = await train({ plan, data, runId: 'worker-resumed', checkpointDir: dir(), resumeFrom: checkpoint, batchWorker: true });
    assert.deepEqual(metricsOf(resumed), metricsOf(reference));
  });

  it('keeps the number of live tensors constant from step to step', async () => {
    const counts: number[][] = [[], [], []];
    await train({
      plan: plans.get('tiny_cur')!,
      data,
      runId: 'memory',
      checkpointDir: dir(),
      maxImages: MAX_IMAGES,
      progress: { emit: (e: ProgressEvent) => void (e.type === 'step' && counts[e.stage].push(tf.memory().numTensors)), close: () => undefined },
    });
    for (const stage of counts) {
      // The first step of a stage may upload that resolution's low-pass matrices, kept for reuse.
      assert.ok(stage.length >= 1);
      assert.deepEqual(stage.slice(1), new Array<number>(stage.length - 1).fill(stage[0]), `tensors per step: ${stage.join(', ')}`);
    }
  });

  for (const stopAfter of [3, 6]) {
    it(`stopped after step ${stopAfter} and resumed from its checkpoint, ends with exactly the uninterrupted metrics`, async () => {
      const first = dir();
      let steps = 0;
      const stopped = await train({
        plan: plans.get('tiny_cur')!,
        data,
        runId: 'stopped',
        checkpointDir: first,
        maxImages: MAX_IMAGES,
        progress: { emit: (e: ProgressEvent) => void (e.type === 'step' && steps++), close: () => undefined },
        shouldStop: () => steps >= stopAfter,
      });
      assert.equal(stopped.status, 'interrupted');
      assert.equal(stopped.progress.step, stopAfter);
      const { checkpoint } = await loadLatestCheckpoint(first);
      assert.ok(checkpoint, 'a checkpoint was written when the run stopped');
      assert.equal(checkpoint.step, stopAfter);
      const resumed = await train({ plan: plans.get('tiny_cur')!, data, runId: 'resumed', checkpointDir: dir(), resumeFrom: checkpoint });
      assert.equal(resumed.status, 'completed');
      assert.deepEqual(metricsOf(resumed), metricsOf(reference));
    });
  }

  it('trains a ViT across resolutions, resizing its position embedding and moments between stages', async () => {
    const plan = plans.get('tiny_vit')!;
    const checkpoints = dir();
    const outcome = await train({ plan, data, runId: 'vit', checkpointDir: checkpoints, maxImages: 96 });
    assert.equal(outcome.status, 'completed');
    assert.deepEqual(outcome.progress.evals.map((e) => e.top1StageResolution !== null), [true, false]);
    assert.equal(outcome.progress.modelResolution, 28);
    const { checkpoint } = await loadLatestCheckpoint(checkpoints);
    const shape = (name: string) => checkpoint!.tensors.find((t) => t.name === name)?.shape;
    // class token + a 7×7 grid of 4px patches at 28px (it trained on 4×4 at 16px before)
    for (const name of ['model/pos_embed', 'optimizer/pos_embed/exp_avg', 'optimizer/pos_embed/exp_avg_sq', 'ema/pos_embed']) assert.deepEqual(shape(name), [1, 50, 16], name);
  });
});
