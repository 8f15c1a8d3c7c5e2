import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLatestCheckpoint } from '../../runtime/checkpoint/index.js';
import { Random } from '../../runtime/random.js';
import { isConsistent } from './fixtures/state.js';

// Run from TypeScript sources the writer needs the same loader as the tests.
const here = fileURLToPath(import.meta.url);
const fromSource = here.endsWith('.ts');
const writerScript = join(here, '..', 'fixtures', fromSource ? 'save-loop.ts' : 'save-loop.js');
const nodeArgs = fromSource ? ['--import', 'tsx', writerScript] : [writerScript];

interface WriterRun {
  lastSaved: number;
}

/** Starts a writer, kills it with SIGKILL `delayMs` after it is ready, and reports the last step it saw saved. */
function runWriterAndKill(dir: string, delayMs: number): Promise<WriterRun> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [...nodeArgs, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (timer === undefined && out.startsWith('ready\n')) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`the writer stopped by itself (code ${code}): ${err}`));
      const saved = [...out.matchAll(/^saved (\d+)$/gm)].map((m) => Number(m[1]));
      resolve({ lastSaved: saved.length > 0 ? saved[saved.length - 1] : 0 });
    });
  });
}

describe('checkpoints under SIGKILL', function () {
  this.timeout(60_000);

  it('always leave a loadable, consistent checkpoint once one was written (20 kills at random moments)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eft-kill-'));
    const random = new Random(20261128);
    let everSaved = 0;
    let kills = 0;
    for (let round = 0; round < 20; round++) {
      const { lastSaved } = await runWriterAndKill(dir, random.uniform(0, 80));
      kills++;
      everSaved = Math.max(everSaved, lastSaved);
      const loaded = await loadLatestCheckpoint(dir);
      assert.deepEqual(loaded.warnings, [], `round ${round}: no checkpoint under its final name may be damaged`);
      if (everSaved === 0 && loaded.checkpoint === null) continue;
      assert.ok(loaded.checkpoint, `round ${round}: a checkpoint had been written, none loads`);
      assert.ok(loaded.checkpoint.step >= everSaved, `round ${round}: step ${loaded.checkpoint.step} is older than the saved step ${everSaved}`);
      assert.ok(isConsistent(loaded.checkpoint), `round ${round}: checkpoint of step ${loaded.checkpoint.step} holds another step's data`);
      everSaved = loaded.checkpoint.step;
      assert.deepEqual(
        readdirSync(dir).filter((name) => name.endsWith('.tmp')),
        [],
        `round ${round}: loading removes the killed writer's temporary file`,
      );
    }
    assert.equal(kills, 20);
    assert.ok(everSaved > 0, 'the writers saved at least one checkpoint');
  });
});
