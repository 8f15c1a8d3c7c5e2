import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { registerRuns } from '../../cli/commands/runs.js';
import { openRegistry } from '../../runtime/registry/index.js';
import { FakeClock, runInput, sequence, tempDir } from './helpers.js';

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `eft runs …` in this process, capturing what it prints and its exit code. */
async function eftRuns(args: string[]): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const program = new Command()
    .name('eft')
    .exitOverride()
    .configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) });
  registerRuns(program);
  const writeOut = process.stdout.write;
  const writeErr = process.stderr.write;
  const exitCodeBefore = process.exitCode;
  process.exitCode = undefined;
  process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
  let code: number;
  try {
    await program.parseAsync(['runs', ...args], { from: 'user' });
    code = Number(process.exitCode ?? 0);
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    code = err.exitCode === 0 ? 0 : 2;
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
    process.exitCode = exitCodeBefore;
  }
  return { code, stdout, stderr };
}

/** A registry with a completed two-stage run, a failed run and a running one. */
function recordedRuns(): { file: string; ids: string[] } {
  const file = join(tempDir(), 'eft.sqlite');
  const clock = new FakeClock();
  const registry = openRegistry(file, { now: clock.now, random: sequence(0.0625, 0.5, 0.75) });
  try {
    const done = registry.startRun(runInput());
    registry.recordStageStart(done.id, { stageIndex: 0, resolution: 16, plannedShare: 0.4, plannedImages: 2000, plannedSteps: 20 });
    clock.advance(30);
    registry.recordMetrics(done.id, [
      { stageIndex: 0, step: 10, epoch: 0.5, computeFraction: 0.2, trainLoss: 2.1, lr: 0.01, seconds: 15 },
      { stageIndex: 0, step: 20, epoch: 1, computeFraction: 0.4, trainLoss: 1.9, valLoss: 1.8, valTop1: 0.35, lr: 0.009, seconds: 30 },
    ]);
    registry.recordStageEnd(done.id, 0, { seconds: 30, imagesPerSecond: 66.7 });
    registry.recordStageStart(done.id, { stageIndex: 1, resolution: 32, plannedShare: 0.6, plannedImages: 750, plannedSteps: 8 });
    clock.advance(45);
    registry.recordMetrics(done.id, { stageIndex: 1, step: 28, epoch: 1.375, computeFraction: 1, trainLoss: 1.5, valLoss: 1.4, valTop1: 0.3125, lr: 0, seconds: 75 });
    registry.recordStageEnd(done.id, 1, { seconds: 45, imagesPerSecond: 16.7 });
    registry.finishRun(done.id, 'completed', { result: { finalTop1: 0.3125, finalLoss: 1.4, wallSeconds: 75, imagesProcessed: 2750, stageSeconds: [30, 45] } });

    clock.advance(3600);
    const failed = registry.startRun(runInput({ experiment: 'resnet_tiny_base', curriculum: 'none', backend: 'wasm (2 threads)' }));
    clock.advance(5);
    registry.finishRun(failed.id, 'failed', { error: 'loss became NaN at step 3' });

    clock.advance(60);
    const running = registry.startRun(runInput());
    return { file, ids: [done.id, failed.id, running.id] };
  } finally {
    registry.close();
  }
}

describe('eft runs (command line)', () => {
  it('lists runs as a table, newest first', async () => {
    const { file } = recordedRuns();
    const r = await eftRuns(['--registry', file]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout,
      [
        'ID                    EXPERIMENT        STATUS     STARTED (UTC)         WALL   TOP-1  BACKEND',
        '20261128-103232-c000  resnet_tiny_etpp  running    2026-11-28 10:32:32     --      --  cpu',
        '20261128-103127-8000  resnet_tiny_base  failed     2026-11-28 10:31:27     5s      --  wasm (2 threads)',
        '20261128-093012-1000  resnet_tiny_etpp  completed  2026-11-28 09:30:12  1m15s  31.25%  cpu',
        '',
      ].join('\n'),
    );
  });

  it('shows a running run of this machine whose process has ended as `running, process gone`', async () => {
    const file = join(tempDir(), 'eft.sqlite');
    const exited = spawnSync(process.execPath, ['-e', '0']).pid;
    const registry = openRegistry(file);
    registry.startRun(runInput({ host: hostname(), pid: exited }));
    registry.startRun(runInput({ host: hostname(), pid: process.pid }));
    registry.close();
    const r = await eftRuns(['--registry', file]);
    assert.deepEqual(
      r.stdout.split('\n').slice(1, -1).map((line) => line.split(/\s{2,}/)[2]).sort(),
      ['running', 'running, process gone'],
    );
  });

  it('filters by experiment, status and limit', async () => {
    const { file, ids } = recordedRuns();
    const idsOf = (r: Outcome) => r.stdout.split('\n').slice(1, -1).map((line) => line.split(' ')[0]);
    assert.deepEqual(idsOf(await eftRuns(['--registry', file, '--experiment', 'resnet_tiny_etpp'])), [ids[2], ids[0]]);
    assert.deepEqual(idsOf(await eftRuns(['--registry', file, '--status', 'failed'])), [ids[1]]);
    assert.deepEqual(idsOf(await eftRuns(['--registry', file, '--limit', '2'])), [ids[2], ids[1]]);
    const none = await eftRuns(['--registry', file, '--experiment', 'nothing', '--status', 'completed']);
    assert.equal(none.code, 0);
    assert.equal(none.stdout, `no runs match experiment nothing, status completed (registry ${file})\n`);
  });

  it('prints the runs as JSON', async () => {
    const { file, ids } = recordedRuns();
    const r = await eftRuns(['--registry', file, '--json', '--status', 'completed']);
    assert.equal(r.code, 0);
    const runs = JSON.parse(r.stdout) as { id: string; status: string; wallSeconds: number; finalTop1: number }[];
    assert.deepEqual(
      runs.map((run) => [run.id, run.status, run.wallSeconds, run.finalTop1]),
      [[ids[0], 'completed', 75, 0.3125]],
    );
  });

  it('shows one run with its stages and a summary of its metrics', async () => {
    const { file } = recordedRuns();
    const r = await eftRuns(['show', '20261128-0930', '--registry', file]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout,
      [
        'run 20261128-093012-1000',
        '  experiment  resnet_tiny_etpp',
        '  model       resnet_tiny on cifar10, curriculum efficienttrain_pp',
        '  status      completed',
        '  started     2026-11-28 09:30:12 UTC',
        '  ended       2026-11-28 09:31:27 UTC (wall 1m15s)',
        '  plan        plans/resnet_tiny_etpp.json, hash sha256:aaaa',
        '  seed        0',
        '  backend     cpu on testhost, process 4321',
        '  eft         0.1.0',
        '',
        'stages',
        '  STAGE   RES  PLANNED SHARE  TIME SHARE  STEPS  IMAGES  TIME  IMG/S',
        '  1/2    16px          40.0%       40.0%     20    2000   30s   66.7',
        '  2/2    32px          60.0%       60.0%      8     750   45s   16.7',
        '',
        'metrics  3 records, steps 10–28, epoch 1.38, compute 100.0%',
        '  train loss  2.1000 → 1.5000',
        '  val loss    1.4000 at step 28',
        '  val top-1   31.25% at step 28 (best 35.00% at step 20)',
        '',
        'result   top-1 31.25%, loss 1.4000, wall 1m15s, 2,750 images',
        '',
      ].join('\n'),
    );
  });

  it('shows a failed run with its error and no stages', async () => {
    const { file, ids } = recordedRuns();
    const r = await eftRuns(['--registry', file, 'show', ids[1]]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /\n {2}error {7}loss became NaN at step 3\n/);
    assert.match(r.stdout, /\nstages   none recorded\n\nmetrics  none recorded\n$/);
  });

  it('shows one run as JSON', async () => {
    const { file, ids } = recordedRuns();
    const r = await eftRuns(['show', ids[0], '--registry', file, '--json']);
    const detail = JSON.parse(r.stdout) as { run: { id: string; planJson: string }; stages: unknown[]; metrics: unknown[]; result: { stageSeconds: number[] } };
    assert.equal(detail.run.id, ids[0]);
    assert.equal(detail.run.planJson, runInput().planJson);
    assert.equal(detail.stages.length, 2);
    assert.equal(detail.metrics.length, 3);
    assert.deepEqual(detail.result.stageSeconds, [30, 45]);
  });

  it('says so when there is no registry yet, and exits 0', async () => {
    const file = join(tempDir(), 'runs', 'eft.sqlite');
    const r = await eftRuns(['--registry', file]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `no runs recorded yet (registry ${file})\n`);
    assert.equal((await eftRuns(['--registry', file, '--json'])).stdout, '[]\n');
  });

  it('says so for an empty registry', async () => {
    const file = join(tempDir(), 'eft.sqlite');
    openRegistry(file).close();
    const r = await eftRuns(['--registry', file]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `no runs recorded yet (registry ${file})\n`);
  });

  it('reports unknown and ambiguous ids', async () => {
    const { file } = recordedRuns();
    const unknown = await eftRuns(['show', '1999', '--registry', file]);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, `error: no run 1999 in registry ${file} (\`eft runs\` lists them)\n`);
    const ambiguous = await eftRuns(['show', '20261128-10', '--registry', file]);
    assert.equal(ambiguous.code, 2);
    assert.equal(ambiguous.stderr, 'error: run id 20261128-10 is ambiguous: it begins 2 runs (20261128-103127-8000, 20261128-103232-c000)\n');
  });

  it('reports a damaged registry file and bad options without a stack trace', async () => {
    const file = join(tempDir(), 'eft.sqlite');
    writeFileSync(file, 'this is not a database, it is a note to self\n'.repeat(50));
    const damaged = await eftRuns(['--registry', file]);
    assert.equal(damaged.code, 2);
    assert.equal(damaged.stderr, `error: ${file}: not an SQLite database (the file is damaged or holds something else)\n`);

    const status = await eftRuns(['--status', 'done']);
    assert.equal(status.code, 2);
    assert.equal(status.stderr, "error: --status must be one of running, completed, failed, interrupted; got 'done'\n");
    const limit = await eftRuns(['--limit', '0']);
    assert.equal(limit.code, 2);
    assert.equal(limit.stderr, "error: --limit must be a positive whole number; got '0'\n");
  });

  it('does not load SQLite until a runs command runs', () => {
    const here = fileURLToPath(import.meta.url);
    const fromSource = here.endsWith('.ts');
    const module = pathToFileURL(join(here, '..', '..', '..', 'cli', 'commands', fromSource ? 'runs.ts' : 'runs.js')).href;
    const script = `import { createRequire } from 'node:module';
      await import(${JSON.stringify(module)});
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      console.log(loaded.some((path) => path.includes('better-sqlite3')) ? 'sqlite loaded' : 'sqlite not loaded');`;
    const child = spawnSync(process.execPath, [...(fromSource ? ['--import', 'tsx'] : []), '--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(child.stderr, '');
    assert.equal(child.stdout, 'sqlite not loaded\n');
  });
});
