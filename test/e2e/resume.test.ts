// A run killed with SIGKILL at any moment resumes and ends with exactly the metrics of an
// uninterrupted run (cpu backend, which is deterministic), through the real command line.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eftNodeArgs } from '../helpers/cli.js';
import { openRegistry } from '../../runtime/registry/index.js';
import { Random } from '../../runtime/random.js';
import { tinyProgram } from '../runtime/helpers.js';

const nodeArgs = eftNodeArgs();

interface Child {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: Record<string, unknown>[];
  err: string;
  /** Milliseconds from the run reporting its id to the process ending. */
  runMs: number;
}

/** Runs eft; with `killAfterMs`, kills it with SIGKILL that long after it reported its run id. */
function eft(args: string[], killAfterMs?: number): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    let startedAt: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (startedAt === undefined && out.includes('"type":"run_start"')) {
        startedAt = Date.now();
        if (killAfterMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const lines = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ code, signal, lines, err, runMs: startedAt === undefined ? 0 : Date.now() - startedAt });
    });
  });
}

/**
 * Runs eft and kills it `killAfterMs` after it started; a machine busier when the reference was
 * timed makes a run finish before its kill moment, so the moment is halved and the run tried
 * again (up to six times) until the kill lands.
 */
async function killedRun(args: string[], killAfterMs: number): Promise<Child> {
  let child = await eft(args, killAfterMs);
  for (let attempt = 1; attempt < 6 && child.signal !== 'SIGKILL' && child.code === 0; attempt++) {
    killAfterMs /= 2;
    child = await eft(args, killAfterMs);
  }
  return child;
}

function summaryOf(child: Child): { runId: string; top1: number; loss: number; evals: Record<string, unknown>[]; trainedImages: number } {
  const summary = child.lines.find((l) => l.type === 'run_summary');
  assert.ok(summary, `no run summary (exit ${child.code}): ${child.err}`);
  return summary as never;
}

function withoutTimes(evals: Record<string, unknown>[]): Record<string, unknown>[] {
  return evals.map(({ seconds: _seconds, ...rest }) => rest);
}

describe('eft run: SIGKILL at any moment, then --resume', function () {
  this.timeout(900_000);
  const dir = mkdtempSync(join(tmpdir(), 'eft-e2e-resume-'));
  const file = join(dir, 'tiny.eft');
  const places = ['--registry', join(dir, 'runs', 'eft.sqlite'), '--runs-dir', join(dir, 'runs')];
  const common = ['--backend', 'cpu', '--json', '--checkpoint-every', '3', ...places];
  let reference: ReturnType<typeof summaryOf>;
  let referenceMs = 0;

  before(async () => {
    writeFileSync(file, tinyProgram());
    const run = await eft(['run', file, '--experiment', 'tiny_cur', '--max-images', '640', ...common]);
    referenceMs = run.runMs;
    assert.equal(run.code, 0, run.err);
    reference = summaryOf(run);
  });

  it('killed before its first checkpoint, resumes from the start with the options it was started with', async () => {
    const first = await eft(['run', file, '--experiment', 'tiny_cur', '--max-images', '640', ...common], 0);
    assert.equal(first.signal, 'SIGKILL', `the run ended before the kill: ${first.err}`);
    const runId = (first.lines.find((l) => l.type === 'run_start') as { runId: string }).runId;
    const resumed = await eft(['run', '--resume', runId, ...common]);
    assert.equal(resumed.code, 0, resumed.err);
    const summary = summaryOf(resumed);
    assert.deepEqual(withoutTimes(summary.evals), withoutTimes(reference.evals));
    assert.equal(summary.trainedImages, reference.trainedImages);
  });

  const random = new Random(20261128);
  for (const round of [0, 1, 2, 3]) {
    it(`round ${round + 1}: killed twice at random moments, resumed twice, same final metrics as the uninterrupted run`, async () => {
      // Kill moments are drawn over the run's own duration; the machine may run slower or faster now.
      const first = await killedRun(['run', file, '--experiment', 'tiny_cur', '--max-images', '640', ...common], random.uniform(0.05, 0.6) * referenceMs);
      assert.equal(first.signal, 'SIGKILL', `the run always ended before the kill: ${first.err}`);
      const runId = (first.lines.find((l) => l.type === 'run_start') as { runId: string }).runId;
      const second = await eft(['run', '--resume', runId, ...common], random.uniform(0.05, 0.6) * referenceMs);
      let last = runId;
      if (second.signal === 'SIGKILL') {
        last = (second.lines.find((l) => l.type === 'run_start') as { runId: string }).runId;
        const third = await eft(['run', '--resume', last, ...common]);
        assert.equal(third.code, 0, third.err);
        const resumed = summaryOf(third);
        assert.deepEqual(withoutTimes(resumed.evals), withoutTimes(reference.evals));
        assert.equal(resumed.top1, reference.top1);
        assert.equal(resumed.loss, reference.loss);
        assert.equal(resumed.trainedImages, reference.trainedImages);
      } else {
        assert.equal(second.code, 0, second.err);
        const resumed = summaryOf(second);
        assert.deepEqual(withoutTimes(resumed.evals), withoutTimes(reference.evals));
        assert.equal(resumed.top1, reference.top1);
        assert.equal(resumed.loss, reference.loss);
      }
      const registry = openRegistry(places[1]);
      try {
        assert.equal(registry.getRun(runId)!.run.status, 'interrupted', 'the killed run is marked interrupted when resumed');
      } finally {
        registry.close();
      }
    });
  }
});
