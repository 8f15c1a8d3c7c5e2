// The quick start as a user runs it (shortened with --max-images): every experiment of
// examples/quickstart.eft in order, then the comparison table.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eftNodeArgs } from '../helpers/cli.js';
import { repositoryRoot } from '../runtime/helpers.js';

const nodeArgs = eftNodeArgs();

describe('eft run examples/quickstart.eft', function () {
  this.timeout(600_000);

  it('runs the baseline and EfficientTrain++ on the wasm backend and prints the comparison table', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eft-e2e-quickstart-'));
    const result = spawnSync(
      process.execPath,
      [...nodeArgs, 'run', 'examples/quickstart.eft', '--backend', 'wasm', '--max-images', '3000', '--registry', join(dir, 'eft.sqlite'), '--runs-dir', join(dir, 'runs')],
      { cwd: repositoryRoot(), encoding: 'utf8' },
    );
    assert.equal(result.status, 0, result.stderr);
    const out = result.stdout;
    assert.match(out, /backend wasm \(SIMD (on|off), \d+ threads?\)/);
    assert.match(out, /== fmnist_baseline \(1\/2\) ==/);
    assert.match(out, /== fmnist_etpp \(2\/2\) ==/);
    assert.match(out, /stage 10\/10 end/);
    const table = out.slice(out.lastIndexOf('experiment '));
    assert.match(table, /^experiment\s+curriculum\s+top-1\s+wall s\s+train s\s+measured speedup\s+predicted speedup\s+run/);
    assert.match(table, /fmnist_baseline\s+none\s+\d+\.\d%/);
    assert.match(table, /fmnist_etpp\s+efficienttrain_pp\s+\d+\.\d%.*1\.5\d×/);
  });
});
