import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS, openRegistry, RegistryError, type Registry } from '../../runtime/registry/index.js';
import { FakeClock, runInput, sequence, tempDir } from './helpers.js';

describe('run registry', () => {
  let dir: string;
  let clock: FakeClock;
  let registry: Registry;

  beforeEach(() => {
    dir = tempDir();
    clock = new FakeClock();
    registry = openRegistry(join(dir, 'runs', 'eft.sqlite'), { now: clock.now, random: sequence(0.5, 0.25, 0.75, 0.125) });
  });

  afterEach(() => registry.close());

  it('creates the file and its folder, in WAL mode with foreign keys and the current schema', async () => {
    const file = join(dir, 'runs', 'eft.sqlite');
    assert.ok(existsSync(file));
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(file);
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
      const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((t) => t.name);
      assert.deepEqual(tables, ['epoch_metrics', 'results', 'runs', 'stages']);
    } finally {
      db.close();
    }
  });

  it('defaults to runs/eft.sqlite under the working directory', () => {
    const before = process.cwd();
    process.chdir(dir);
    try {
      const r = openRegistry();
      r.close();
      assert.equal(r.path, join('runs', 'eft.sqlite'));
      assert.ok(existsSync(join(dir, 'runs', 'eft.sqlite')));
    } finally {
      process.chdir(before);
    }
  });

  it('starts a run with a sortable id taken from the clock', () => {
    const run = registry.startRun(runInput({ pid: undefined }));
    assert.equal(run.id, '20261128-093012-8000');
    assert.equal(run.status, 'running');
    assert.equal(run.startedAt, '2026-11-28T09:30:12.000Z');
    assert.equal(run.endedAt, null);
    assert.equal(run.host, 'testhost');
    assert.equal(run.pid, process.pid);
    assert.equal(run.planJson, runInput().planJson);
    assert.equal(run.resumedFrom, null);
  });

  it('gives two runs started in the same second different ids', () => {
    const r = openRegistry(join(dir, 'same.sqlite'), { now: clock.now, random: sequence(0.5, 0.5, 0.5, 0.25) });
    try {
      const a = r.startRun(runInput());
      const b = r.startRun(runInput());
      assert.equal(a.id, '20261128-093012-8000');
      assert.equal(b.id, '20261128-093012-4000');
    } finally {
      r.close();
    }
  });

  it('records stages, metrics and the result of a completed run', () => {
    const run = registry.startRun(runInput());
    registry.recordStageStart(run.id, { stageIndex: 0, resolution: 16, plannedShare: 0.4, plannedImages: 2000, plannedSteps: 20 });
    clock.advance(30);
    registry.recordMetrics(run.id, [
      { stageIndex: 0, step: 10, epoch: 0.5, computeFraction: 0.2, trainLoss: 2.1, lr: 0.01, seconds: 15 },
      { stageIndex: 0, step: 20, epoch: 1, computeFraction: 0.4, trainLoss: 1.9, valLoss: 1.8, valTop1: 0.35, valTop1StageResolution: 0.3, lr: 0.009, seconds: 30 },
    ]);
    registry.recordStageEnd(run.id, 0, { seconds: 30, imagesPerSecond: 66.7 });
    registry.recordStageStart(run.id, { stageIndex: 1, resolution: 32, plannedShare: 0.6, plannedImages: 750, plannedSteps: 8 });
    clock.advance(45);
    registry.recordMetrics(run.id, { stageIndex: 1, step: 28, epoch: 1.375, computeFraction: 1, trainLoss: 1.5, valLoss: 1.4, valTop1: 0.5, lr: 0, seconds: 75 });
    registry.recordStageEnd(run.id, 1, { seconds: 45, imagesPerSecond: 16.7 });
    registry.finishRun(run.id, 'completed', { result: { finalTop1: 0.5, finalLoss: 1.4, wallSeconds: 75, imagesProcessed: 2750, stageSeconds: [30, 45] } });

    const detail = registry.getRun(run.id);
    assert.ok(detail);
    assert.equal(detail.run.status, 'completed');
    assert.equal(detail.run.endedAt, '2026-11-28T09:31:27.000Z');
    assert.equal(detail.run.error, null);
    assert.deepEqual(
      detail.stages.map((s) => [s.stageIndex, s.resolution, s.plannedShare, s.plannedSteps, s.measuredSeconds, s.measuredImagesPerSecond, s.startedAt, s.endedAt]),
      [
        [0, 16, 0.4, 20, 30, 66.7, '2026-11-28T09:30:12.000Z', '2026-11-28T09:30:42.000Z'],
        [1, 32, 0.6, 8, 45, 16.7, '2026-11-28T09:30:42.000Z', '2026-11-28T09:31:27.000Z'],
      ],
    );
    assert.deepEqual(
      detail.metrics.map((m) => [m.step, m.epoch, m.trainLoss, m.valLoss, m.valTop1, m.valTop1StageResolution]),
      [
        [10, 0.5, 2.1, null, null, null],
        [20, 1, 1.9, 1.8, 0.35, 0.3],
        [28, 1.375, 1.5, 1.4, 0.5, null],
      ],
    );
    assert.deepEqual(detail.result, { runId: run.id, finalTop1: 0.5, finalLoss: 1.4, wallSeconds: 75, imagesProcessed: 2750, stageSeconds: [30, 45] });
  });

  it('keeps everything across closing and reopening', () => {
    const run = registry.startRun(runInput({ planJson: '{"big":[1,2,3]}' }));
    registry.finishRun(run.id, 'failed', { error: 'out of memory at step 12' });
    registry.close();
    const again = openRegistry(join(dir, 'runs', 'eft.sqlite'));
    try {
      const detail = again.getRun(run.id);
      assert.equal(detail?.run.status, 'failed');
      assert.equal(detail?.run.error, 'out of memory at step 12');
      assert.equal(detail?.run.planJson, '{"big":[1,2,3]}');
      assert.equal(detail?.result, null);
    } finally {
      again.close();
    }
  });

  it('lists runs newest first, filtered by experiment, status, plan hash and limit', () => {
    const ids: string[] = [];
    const specs = [
      { experiment: 'a', planHash: 'h1', status: 'completed' },
      { experiment: 'b', planHash: 'h2', status: 'failed' },
      { experiment: 'a', planHash: 'h1', status: 'running' },
      { experiment: 'a', planHash: 'h3', status: 'completed' },
    ] as const;
    for (const spec of specs) {
      const run = registry.startRun(runInput({ experiment: spec.experiment, planHash: spec.planHash }));
      ids.push(run.id);
      clock.advance(60);
      if (spec.status !== 'running') {
        registry.finishRun(run.id, spec.status, spec.status === 'completed' ? { result: { finalTop1: 0.25, finalLoss: 2, wallSeconds: 55, imagesProcessed: 10, stageSeconds: [55] } } : {});
      }
    }
    assert.deepEqual(registry.listRuns().map((r) => r.id), [ids[3], ids[2], ids[1], ids[0]]);
    assert.deepEqual(registry.listRuns({ experiment: 'a' }).map((r) => r.id), [ids[3], ids[2], ids[0]]);
    assert.deepEqual(registry.listRuns({ status: 'completed' }).map((r) => r.id), [ids[3], ids[0]]);
    assert.deepEqual(registry.listRuns({ planHash: 'h1' }).map((r) => r.id), [ids[2], ids[0]]);
    assert.deepEqual(registry.listRuns({ experiment: 'a', limit: 1 }).map((r) => r.id), [ids[3]]);
    const [latest, running, failed] = registry.listRuns();
    assert.equal(latest.wallSeconds, 55);
    assert.equal(latest.finalTop1, 0.25);
    assert.equal(running.wallSeconds, null);
    assert.equal(failed.wallSeconds, 60, 'without a result the wall time is ended minus started');
    assert.equal(failed.finalTop1, null);
  });

  it('finds the latest completed baseline run of a model on a data set', () => {
    const finish = (input: Parameters<Registry['startRun']>[0], status: 'completed' | 'failed') => {
      const run = registry.startRun(input);
      clock.advance(10);
      registry.finishRun(run.id, status);
      return run.id;
    };
    const old = finish(runInput({ curriculum: 'none' }), 'completed');
    const latest = finish(runInput({ curriculum: 'none' }), 'completed');
    finish(runInput({ curriculum: 'none' }), 'failed');
    finish(runInput({ curriculum: 'efficienttrain_pp' }), 'completed');
    finish(runInput({ curriculum: 'none', model: 'resnet18' }), 'completed');
    finish(runInput({ curriculum: 'none', dataset: 'mnist' }), 'completed');
    assert.notEqual(old, latest);
    assert.equal(registry.findBaselineRun({ model: 'resnet_tiny', dataset: 'cifar10' })?.run.id, latest);
    assert.equal(registry.findBaselineRun({ model: 'deit_small', dataset: 'cifar10' }), undefined);
  });

  it('of two baseline runs that end at the same instant, finds the one recorded last', () => {
    // The injected random suffixes (0.5, then 0.25) make the later run's id sort first.
    const first = registry.startRun(runInput({ curriculum: 'none' }));
    const second = registry.startRun(runInput({ curriculum: 'none' }));
    assert.ok(second.id < first.id);
    clock.advance(10);
    registry.finishRun(first.id, 'completed');
    registry.finishRun(second.id, 'completed');
    assert.equal(registry.findBaselineRun({ model: 'resnet_tiny', dataset: 'cifar10' })?.run.id, second.id);
  });

  it('marks a running run interrupted, and leaves a finished one alone', () => {
    const running = registry.startRun(runInput());
    const done = registry.startRun(runInput());
    registry.finishRun(done.id, 'completed');
    assert.equal(registry.markInterrupted(running.id, 'SIGINT'), true);
    assert.equal(registry.markInterrupted(done.id), false);
    assert.equal(registry.getRun(running.id)?.run.status, 'interrupted');
    assert.equal(registry.getRun(running.id)?.run.error, 'SIGINT');
    assert.equal(registry.getRun(done.id)?.run.status, 'completed');
  });

  it('records which run a resumed run continues', () => {
    const first = registry.startRun(runInput());
    registry.markInterrupted(first.id);
    const second = registry.startRun(runInput({ resumedFrom: first.id }));
    assert.equal(registry.getRun(second.id)?.run.resumedFrom, first.id);
    assert.throws(() => registry.startRun(runInput({ resumedFrom: '20000101-000000-0000' })), /no run 20000101-000000-0000 in the registry/);
  });

  it('finds ids by a unique beginning', () => {
    const a = registry.startRun(runInput());
    clock.advance(3600);
    const b = registry.startRun(runInput());
    assert.deepEqual(registry.findRunIds('20261128'), [a.id, b.id]);
    assert.deepEqual(registry.findRunIds('20261128-10'), [b.id]);
    assert.deepEqual(registry.findRunIds('1999'), []);
    assert.deepEqual(registry.findRunIds('%'), []);
  });

  it('refuses records for unknown or finished runs and stages never started', () => {
    const file = join(dir, 'runs', 'eft.sqlite');
    assert.throws(
      () => registry.recordMetrics('nope', { stageIndex: 0, step: 1, epoch: 0, computeFraction: 0, trainLoss: 1, lr: 0.1, seconds: 1 }),
      (err: unknown) => err instanceof RegistryError && err.message === `${file}: no run nope in the registry`,
    );
    const run = registry.startRun(runInput());
    assert.throws(() => registry.recordStageEnd(run.id, 3, { seconds: 1, imagesPerSecond: 1 }), /stage 3 of run .* ends but was never started/);
    registry.finishRun(run.id, 'completed');
    assert.throws(() => registry.finishRun(run.id, 'failed'), /is completed; a finished run takes no more records/);
    assert.throws(
      () => registry.recordStageStart(run.id, { stageIndex: 0, resolution: 8, plannedShare: 1, plannedImages: 1, plannedSteps: 1 }),
      RegistryError,
    );
  });

  it('rejects values that would corrupt the records', () => {
    const run = registry.startRun(runInput());
    assert.throws(() => registry.startRun(runInput({ planJson: '{not json' })), /planJson must be the plan's JSON text/);
    assert.throws(
      () => registry.recordMetrics(run.id, { stageIndex: 0, step: 1, epoch: 0, computeFraction: 0, trainLoss: 1, valTop1: 71.2, lr: 0.1, seconds: 1 }),
      /valTop1 must be at most 1, got 71.2/,
    );
    assert.throws(
      () => registry.recordMetrics(run.id, { stageIndex: 0, step: 1, epoch: 0, computeFraction: 0, trainLoss: 1, lr: Number.NaN, seconds: 1 }),
      /lr must be a finite number, got NaN/,
    );
    // A batch with one bad record writes nothing.
    assert.throws(() =>
      registry.recordMetrics(run.id, [
        { stageIndex: 0, step: 1, epoch: 0, computeFraction: 0, trainLoss: 1, lr: 0.1, seconds: 1 },
        { stageIndex: -1, step: 2, epoch: 0, computeFraction: 0, trainLoss: 1, lr: 0.1, seconds: 1 },
      ]),
    );
    assert.deepEqual(registry.getRun(run.id)?.metrics, []);
  });

  it('lets two handles on the same file write and read each other', () => {
    const file = join(dir, 'runs', 'eft.sqlite');
    const other = openRegistry(file, { now: clock.now, random: sequence(0.9) });
    try {
      const a = registry.startRun(runInput({ experiment: 'first' }));
      const b = other.startRun(runInput({ experiment: 'second' }));
      assert.deepEqual(other.listRuns().map((r) => r.id).sort(), [a.id, b.id].sort());
      assert.deepEqual(registry.listRuns().map((r) => r.experiment).sort(), ['first', 'second']);
    } finally {
      other.close();
    }
  });
});
