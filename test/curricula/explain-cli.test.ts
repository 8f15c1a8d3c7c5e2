import assert from 'node:assert/strict';
import { Command } from 'commander';
import { registerExplain } from '../../cli/commands/explain.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `eft explain ARGS` in-process, capturing what it prints and the exit code it sets. */
async function explain(...args: string[]): Promise<Run> {
  const program = new Command().exitOverride();
  registerExplain(program);
  const out: string[] = [];
  const err: string[] = [];
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const previousCode = process.exitCode;
  process.exitCode = undefined;
  process.stdout.write = ((chunk: string | Uint8Array) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
  let code: number;
  try {
    await program.parseAsync(['node', 'eft', 'explain', ...args]);
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
    code = Number(process.exitCode ?? 0);
    process.exitCode = previousCode;
  }
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const PAPER = 'test/curricula/examples/paper.eft';
const BROKEN = 'test/curricula/examples/broken.eft';

describe('eft explain', () => {
  it('prints a stage table and totals per experiment', async () => {
    const r = await explain(PAPER);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.ok(r.stdout.startsWith('experiment deit_s_etpp  (test/curricula/examples/paper.eft)\n'), r.stdout);
    assert.ok(r.stdout.includes('\nexperiment r50_etpp  (test/curricula/examples/paper.eft)\n'));
    assert.ok(r.stdout.includes('  run length: 200 equivalent epochs, from budget `speedup 1.50x` (300 / 1.5)\n'));
    assert.ok(r.stdout.includes('      1  0.0%–10.0%     96px  fft       0  108.65  139,195,013  33,984            2.258  0.3143  10.0%\n'));
    assert.ok(r.stdout.includes('  device-hours       14 h on a100 at 40% of peak (limit 400 h)\n'));
  });

  it('--experiment picks one; an unknown name is a usage error with a suggestion', async () => {
    const one = await explain(PAPER, '--experiment', 'r50_etpp');
    assert.equal(one.code, 0);
    assert.ok(!one.stdout.includes('deit_s_etpp  ('));
    const typo = await explain(PAPER, '--experiment', 'r50_etp');
    assert.equal(typo.code, 2);
    assert.equal(typo.stderr, 'error: no experiment named `r50_etp` in test/curricula/examples/paper.eft (did you mean `r50_etpp`?)\n');
  });

  it('--json prints one item per experiment', async () => {
    const r = await explain(PAPER, '--json');
    assert.equal(r.code, 0);
    const items = (JSON.parse(r.stdout) as { experiments: Array<Record<string, unknown>> }).experiments;
    assert.deepEqual(items.map((i) => [i.name, i.model, i.curriculum]), [
      ['deit_s_etpp', 'deit_small', 'efficienttrain_pp'],
      ['r50_etpp', 'resnet50', 'efficienttrain_pp'],
    ]);
    assert.equal((items[0].speedup as number).toFixed(2), '1.50');
    assert.equal((items[0].speedup_pixel_proxy as number).toFixed(2), '1.46');
    assert.equal((items[1].equivalent_epochs as number).toFixed(2), '200.00');
    assert.equal((items[1].stages as unknown[]).length, 10);
  });

  it('prints diagnostics on stderr, explains what it can, and exits 1 on errors', async () => {
    const r = await explain(BROKEN);
    assert.equal(r.code, 1);
    assert.ok(r.stderr.startsWith('error[EFT0304]: linear_ramp has no room to ramp: delay_fraction 70% + finetune_fraction 30% = 100%'), r.stderr);
    assert.ok(r.stderr.endsWith('\n1 error\n'));
    assert.ok(r.stdout.startsWith('experiment r50_iccv  (test/curricula/examples/broken.eft)\n'), r.stdout);
    assert.ok(!r.stdout.includes('r50_ramp'));
  });
});
