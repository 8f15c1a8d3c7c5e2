import assert from 'node:assert/strict';
import { Command } from 'commander';
import { registerFlops } from '../../cli/commands/flops.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `eft flops ...` in this process through commander, capturing output and the exit code. */
async function eftFlops(...args: string[]): Promise<Run> {
  const program = new Command().name('eft').exitOverride();
  registerFlops(program);
  const out: string[] = [];
  const err: string[] = [];
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const savedExitCode = process.exitCode;
  process.exitCode = undefined;
  process.stdout.write = ((chunk: string | Uint8Array) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
  let code: number;
  try {
    await program.parseAsync(['node', 'eft', 'flops', ...args]);
    code = Number(process.exitCode ?? 0);
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
    process.exitCode = savedExitCode;
  }
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('eft flops (command line)', () => {
  it('prints GMACs and parameters at the native resolution by default', async () => {
    const r = await eftFlops('deit_small');
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    assert.equal(
      r.stdout,
      'deit_small: ViT patch 16 dim 384 depth 12 heads 6 mlp 4; 3×224² in, 1000 classes\n' +
        'parameters: 22.05 M (22,050,664)\n' +
        '\n' +
        'resolution  forward GMACs  training GMACs  pixel proxy (vs 224)\n' +
        '       224          4.599           13.80                 4.599\n' +
        'GMACs: 10^9 multiply-accumulates for one image (what papers call GFLOPs); training = 3 × forward.\n',
    );
  });

  it('prints one row per resolution, given as several values or a comma list', async () => {
    const r = await eftFlops('swin_tiny', '--resolution', '224', '160', '-r', '96');
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout.split('\n').slice(3, 7).join('\n'),
      'resolution  forward GMACs  training GMACs  pixel proxy (vs 224)\n' +
        '       224          4.491           13.47                 4.491\n' +
        '       160          2.256           6.769                 2.291\n' +
        '        96         0.8044           2.413                0.8248',
    );
    const same = await eftFlops('swin_tiny', '--resolution', '224,160,96');
    assert.equal(same.stdout, r.stdout);
  });

  it('adds the per-block breakdown with --detail', async () => {
    const r = await eftFlops('resnet18', '--detail');
    assert.equal(r.code, 0);
    const detail = r.stdout.slice(r.stdout.indexOf('blocks at 224×224:'));
    assert.equal(
      detail,
      'blocks at 224×224:\n' +
        'block              GMACs      params\n' +
        'stem              0.1180  0.009536 M\n' +
        'stage1.block1     0.2312   0.07398 M\n' +
        'stage1.block2     0.2312   0.07398 M\n' +
        'stage2.block1     0.1798    0.2301 M\n' +
        'stage2.block2     0.2312    0.2954 M\n' +
        'stage3.block1     0.1798    0.9190 M\n' +
        'stage3.block2     0.2312     1.181 M\n' +
        'stage4.block1     0.1798     3.673 M\n' +
        'stage4.block2     0.2312     4.721 M\n' +
        'head           0.0005120    0.5130 M\n',
    );
  });

  it('prints MACs as JSON with --json', async () => {
    const r = await eftFlops('resnet50', '--json', '-r', '160');
    assert.equal(r.code, 0);
    const parsed = JSON.parse(r.stdout) as { model: string; params: number; unit: string; resolutions: { resolution: number; forwardMacs: number; trainingMacsPerImage: number }[] };
    assert.equal(parsed.model, 'resnet50');
    assert.equal(parsed.params, 25_557_032);
    assert.equal(parsed.unit, 'MACs');
    assert.equal(parsed.resolutions.length, 1);
    assert.equal(parsed.resolutions[0].resolution, 160);
    assert.equal(parsed.resolutions[0].trainingMacsPerImage, 3 * parsed.resolutions[0].forwardMacs);
  });

  it('lists the catalogue with --list', async () => {
    const r = await eftFlops('--list');
    assert.equal(r.code, 0);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'model           family    resolution    GMACs     params');
    assert.equal(lines[1], 'resnet18        resnet           224    1.814    11.69 M');
    assert.ok(lines.includes('swin_tiny       swin             224    4.491    28.29 M'));
    assert.equal(lines[lines.length - 2], 'families: resnet(...), convnet(...), vit(...)');
  });

  it('exits 2 naming an unknown model, with a suggestion', async () => {
    const r = await eftFlops('resnet51');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'error: unknown model `resnet51`; did you mean `resnet50`? (`eft flops --list` lists the catalogue)\n');
  });

  it('exits 2 for resolutions the model cannot take, with the nearest valid ones', async () => {
    const r = await eftFlops('swin_tiny', '-r', '100', 'abc', '16');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      'error: resolution `abc` is not a positive whole number of pixels\n' +
        'error: swin_tiny needs a multiple of 32 (its stages downsample by 32 and its window is resolution/32); 100 is not; use 96 or 128\n' +
        'error: swin_tiny needs at least 32 pixels (its stages downsample by 32 and its window is resolution/32); 16 is smaller; use 32\n',
    );
  });

  it('exits 2 without a model', async () => {
    const r = await eftFlops();
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'error: name a model, or use --list to see the catalogue\n');
  });
});
