import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError, listCheckpoints, loadLatestCheckpoint, saveCheckpoint } from '../../runtime/checkpoint/index.js';
import { isConsistent, stateAtStep } from './fixtures/state.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'eft-ckpt-'));
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid ?? 999_999;
}

async function twoCheckpoints(): Promise<{ dir: string; older: string; newer: string }> {
  const dir = tempDir();
  const older = (await saveCheckpoint(dir, stateAtStep(10))).path;
  const newer = (await saveCheckpoint(dir, stateAtStep(20))).path;
  return { dir, older, newer };
}

describe('checkpoint folder', () => {
  it('saves atomically under a name that sorts by step and loads the newest', async () => {
    const dir = join(tempDir(), 'nested', 'ckpt');
    const saved = await saveCheckpoint(dir, stateAtStep(7));
    assert.equal(saved.path, join(dir, 'step-000000000007.ckpt'));
    assert.equal(saved.bytes, statSync(saved.path).size);
    assert.deepEqual(saved.removed, []);
    await saveCheckpoint(dir, stateAtStep(8, { stageEnd: true }));
    assert.deepEqual(readdirSync(dir).sort(), ['step-000000000007.ckpt', 'step-000000000008.stage-end.ckpt']);

    const loaded = await loadLatestCheckpoint(dir);
    assert.equal(loaded.path, join(dir, 'step-000000000008.stage-end.ckpt'));
    assert.deepEqual(loaded.warnings, []);
    assert.deepEqual(loaded.checkpoint, { ...stateAtStep(8, { stageEnd: true }), formatVersion: 1 });
  });

  it('finds nothing in a missing or empty folder', async () => {
    assert.deepEqual(await loadLatestCheckpoint(join(tempDir(), 'none')), { checkpoint: null, path: null, warnings: [], removedTempFiles: [] });
    assert.deepEqual(await loadLatestCheckpoint(tempDir()), { checkpoint: null, path: null, warnings: [], removedTempFiles: [] });
  });

  it('keeps the last K checkpoints and every stage-end one', async () => {
    const dir = tempDir();
    const removedAll: string[] = [];
    for (let step = 1; step <= 10; step++) {
      const saved = await saveCheckpoint(dir, stateAtStep(step, { stageEnd: step === 4 || step === 8 }), { keep: 2 });
      removedAll.push(...saved.removed);
    }
    assert.deepEqual(
      (await listCheckpoints(dir)).map((c) => c.name),
      ['step-000000000010.ckpt', 'step-000000000009.ckpt', 'step-000000000008.stage-end.ckpt', 'step-000000000004.stage-end.ckpt'],
    );
    assert.deepEqual(removedAll.map((p) => p.slice(dir.length + 1)).sort(), [1, 2, 3, 5, 6, 7].map((s) => `step-00000000000${s}.ckpt`));
    await assert.rejects(saveCheckpoint(dir, stateAtStep(11), { keep: 0 }), /keep must be an integer ≥ 1, got 0/);
  });

  for (const cut of [0, 7, 30, 200, -33, -1]) {
    it(`falls back to the previous checkpoint when the newest is cut at ${cut < 0 ? `${-cut} bytes before the end` : `byte ${cut}`}`, async () => {
      const { dir, older, newer } = await twoCheckpoints();
      const size = statSync(newer).size;
      truncateSync(newer, cut < 0 ? size + cut : cut);
      const loaded = await loadLatestCheckpoint(dir);
      assert.equal(loaded.path, older);
      assert.equal(loaded.checkpoint?.step, 10);
      assert.ok(loaded.checkpoint && isConsistent(loaded.checkpoint));
      assert.equal(loaded.warnings.length, 1);
      assert.match(loaded.warnings[0], new RegExp(`^skipped checkpoint ${newer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (empty file|truncated)`));
    });
  }

  for (const where of ['magic', 'header length', 'header', 'tensor data', 'digest'] as const) {
    it(`falls back with a warning when a bit of the ${where} is flipped`, async () => {
      const { dir, older, newer } = await twoCheckpoints();
      const bytes = readFileSync(newer);
      const at = { magic: 2, 'header length': 9, header: 40, 'tensor data': bytes.length - 32 - 70, digest: bytes.length - 1 }[where];
      bytes[at] ^= 0x10;
      writeFileSync(newer, bytes);
      const loaded = await loadLatestCheckpoint(dir);
      assert.equal(loaded.path, older);
      assert.equal(loaded.warnings.length, 1);
      assert.ok(loaded.warnings[0].startsWith(`skipped checkpoint ${newer}: `), loaded.warnings[0]);
      assert.match(loaded.warnings[0], /not an eft checkpoint|checksum mismatch|truncated or damaged/);
    });
  }

  it('reports every damaged checkpoint and returns none when all are damaged', async () => {
    const { dir, older, newer } = await twoCheckpoints();
    writeFileSync(older, 'garbage');
    truncateSync(newer, 0);
    const loaded = await loadLatestCheckpoint(dir);
    assert.equal(loaded.checkpoint, null);
    assert.deepEqual(loaded.warnings, [`skipped checkpoint ${newer}: empty file`, `skipped checkpoint ${older}: truncated: only 7 bytes`]);
  });

  it('ignores and deletes the temporary file of a killed writer, and leaves a live writer’s alone', async () => {
    const { dir, newer } = await twoCheckpoints();
    const dead = join(dir, `.step-000000000030.ckpt.${deadPid()}-0badf00d.tmp`);
    const live = join(dir, `.step-000000000040.ckpt.${process.ppid}-00c0ffee.tmp`);
    writeFileSync(dead, readFileSync(newer).subarray(0, 100));
    writeFileSync(live, 'being written');
    const loaded = await loadLatestCheckpoint(dir);
    assert.equal(loaded.path, newer);
    assert.deepEqual(loaded.warnings, []);
    assert.deepEqual(loaded.removedTempFiles, [dead]);
    assert.equal(existsSync(dead), false);
    assert.equal(existsSync(live), true);
  });

  it('refuses to resume a checkpoint written for another plan', async () => {
    const dir = tempDir();
    await saveCheckpoint(dir, stateAtStep(3, { planHash: 'sha256:other' }));
    await assert.rejects(
      loadLatestCheckpoint(dir, { planHash: 'sha256:mine' }),
      (err: unknown) => err instanceof CheckpointError && /step-000000000003\.ckpt: written for plan sha256:other, not for this plan \(sha256:mine\)/.test(err.message),
    );
    assert.equal((await loadLatestCheckpoint(dir, { planHash: 'sha256:other' })).checkpoint?.step, 3);
  });

  it('reports a folder it cannot create, naming it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'x');
    await assert.rejects(
      saveCheckpoint(join(dir, 'file', 'ckpt'), stateAtStep(1)),
      (err: unknown) => err instanceof CheckpointError && err.file === join(dir, 'file', 'ckpt') && /^cannot create the checkpoint folder: ENOTDIR/.test(err.reason),
    );
  });
});
