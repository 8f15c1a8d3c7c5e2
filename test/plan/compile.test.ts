import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { readPlan } from '../../plan/read.js';
import { schemaProblems } from '../../plan/validate.js';
import { runCommand } from './run-command.js';

// End to end on the real examples: `eft compile` through the whole front half of the compiler.
const QUICKSTART = 'examples/quickstart.eft';
const REPO = process.cwd();

const SWEEP_SOURCE = `experiment base {
  model    convnet(width: 8, stages: 2)
  dataset  fashion_mnist { path "data/fmnist"  images 600  val_images 100 }
  baseline { epochs 2ep }
  budget   { speedup 1.5x within 5% }
  curriculum efficienttrain_pp
  train {
    optimizer adamw(lr: 3e-3, weight_decay: 0.05)
    batch     32
  }
}

sweep grid extends base {
  vary {
    train.seed [0, 1]
    budget.speedup [1.5x, 2x]
  }
}
`;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'eft-compile-'));
}

function filesOf(dir: string): Map<string, string> {
  return new Map(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

describe('eft compile (examples)', function () {
  this.timeout(60_000);

  it('writes one valid plan per experiment and says so, one line each', async () => {
    const out = tempDir();
    const r = await runCommand(['compile', QUICKSTART, '-o', out]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0], new RegExp(`^wrote ${out}/fmnist_baseline\\.plan\\.json  sha256 [0-9a-f]{12}  speedup 1\\.00x$`));
    assert.match(lines[1], new RegExp(`^wrote ${out}/fmnist_etpp\\.plan\\.json  sha256 [0-9a-f]{12}  speedup 1\\.5\\dx$`));
    assert.deepEqual([...filesOf(out).keys()], ['fmnist_baseline.plan.json', 'fmnist_etpp.plan.json']);
    for (const file of filesOf(out).keys()) {
      const { plan, warnings } = readPlan(join(out, file));
      assert.deepEqual(warnings, []);
      assert.deepEqual(schemaProblems(plan), []);
      assert.ok(lines.some((l) => l.includes(plan.plan_sha256.slice(0, 12))));
    }
  });

  it('records the source relative to the project root with the sha256 of its bytes, and nothing of this machine', async () => {
    const out = tempDir();
    await runCommand(['compile', QUICKSTART, '-o', out]);
    const text = readFileSync(join(out, 'fmnist_etpp.plan.json'), 'utf8');
    const { plan } = readPlan(join(out, 'fmnist_etpp.plan.json'));
    assert.deepEqual(plan.source, { file: 'examples/quickstart.eft', sha256: createHash('sha256').update(readFileSync(QUICKSTART)).digest('hex') });
    assert.equal(plan.dataset.path, 'data/fashion-mnist-small');
    assert.equal(plan.experiment.name, 'fmnist_etpp');
    assert.deepEqual(plan.experiment.lineage, ['fmnist_baseline']);
    assert.ok(!text.includes(REPO), 'the plan mentions the repository path');
    assert.ok(!text.includes(out), 'the plan mentions the output path');
  });

  it('is deterministic: twice, and from two working directories, the bytes are the same', async () => {
    const first = tempDir();
    const second = tempDir();
    const third = tempDir();
    await runCommand(['compile', QUICKSTART, '-o', first]);
    await runCommand(['compile', QUICKSTART, '-o', second]);
    await runCommand(['compile', 'quickstart.eft', '-o', third], resolve('examples'));
    const fourth = tempDir();
    await runCommand(['compile', resolve(QUICKSTART), '-o', fourth], tmpdir());
    const expected = filesOf(first);
    assert.equal(expected.size, 2);
    assert.deepEqual(filesOf(second), expected);
    assert.deepEqual(filesOf(third), expected);
    assert.deepEqual(filesOf(fourth), expected);
  });

  it('writes to ./plans by default, and one file with -o FILE.json for one experiment', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'quickstart.eft'), readFileSync(QUICKSTART));
    const r = await runCommand(['compile', 'quickstart.eft'], cwd);
    assert.equal(r.code, 0);
    assert.deepEqual([...filesOf(join(cwd, 'plans')).keys()], ['fmnist_baseline.plan.json', 'fmnist_etpp.plan.json']);
    const one = await runCommand(['compile', 'quickstart.eft', '--experiment', 'fmnist_etpp', '-o', 'etpp.json'], cwd);
    assert.equal(one.code, 0);
    assert.match(one.stdout, /^wrote etpp\.json  sha256 [0-9a-f]{12}  speedup 1\.5\dx\n$/);
    assert.equal(readFileSync(join(cwd, 'etpp.json'), 'utf8'), readFileSync(join(cwd, 'plans', 'fmnist_etpp.plan.json'), 'utf8'));
  });

  it('refuses one .json file for several experiments (exit 2, nothing written)', async () => {
    const cwd = tempDir();
    const r = await runCommand(['compile', resolve(QUICKSTART), '-o', 'all.json'], cwd);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      `error[EFT0405]: -o all.json names one file, but ${resolve(QUICKSTART)} compiles to 2 plans\n  = help: give a directory with -o (one plan file per experiment), or pick one with --experiment NAME\n\n1 error\n`,
    );
    assert.deepEqual(readdirSync(cwd), []);
  });

  it('refuses an unknown --experiment, listing what the file declares (exit 2)', async () => {
    const out = tempDir();
    const r = await runCommand(['compile', QUICKSTART, '--experiment', 'fmnist', '-o', out]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'error[EFT0404]: examples/quickstart.eft has no experiment or sweep named `fmnist`\n  = note: it declares: fmnist_baseline, fmnist_etpp\n\n1 error\n');
    assert.deepEqual(readdirSync(out), []);
  });

  it('writes nothing and exits 1 when the source has errors', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'broken.eft'), readFileSync(QUICKSTART, 'utf8').replace(/batch +64/, 'batch 64\n    bach 3'));
    const r = await runCommand(['compile', 'broken.eft'], dir);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error\[EFT0110\]: unknown key `bach`/);
    assert.ok(!existsSync(join(dir, 'plans')));
  });

  it('exits 2 for a missing source file', async () => {
    const r = await runCommand(['compile', 'examples/no-such-file.eft', '-o', tempDir()]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'error: examples/no-such-file.eft: no such file\n');
  });

  it('names sweep points predictably and prints --json', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'exp'));
    writeFileSync(join(dir, 'package.json'), '{}\n');
    writeFileSync(join(dir, 'exp', 'sweep.eft'), SWEEP_SOURCE);
    const r = await runCommand(['compile', 'exp/sweep.eft', '--experiment', 'grid', '--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const printed = JSON.parse(r.stdout) as { plans: { experiment: string; path: string; plan_sha256: string; speedup: number }[]; diagnostics: unknown[] };
    assert.deepEqual(printed.diagnostics, []);
    assert.deepEqual(
      printed.plans.map((p) => [p.experiment, p.path]),
      [
        ['grid[train.seed=0,budget.speedup=1.5x]', 'plans/grid--train.seed-0--budget.speedup-1.5x.plan.json'],
        ['grid[train.seed=0,budget.speedup=2x]', 'plans/grid--train.seed-0--budget.speedup-2x.plan.json'],
        ['grid[train.seed=1,budget.speedup=1.5x]', 'plans/grid--train.seed-1--budget.speedup-1.5x.plan.json'],
        ['grid[train.seed=1,budget.speedup=2x]', 'plans/grid--train.seed-1--budget.speedup-2x.plan.json'],
      ],
    );
    const { plan } = readPlan(join(dir, printed.plans[3].path));
    assert.equal(plan.source.file, 'exp/sweep.eft');
    assert.deepEqual(plan.experiment.sweep, { name: 'grid', point: [{ axis: 'train.seed', value: 1 }, { axis: 'budget.speedup', value: '2x' }] });
    assert.equal(plan.recipe.seed, 1);
    assert.equal(plan.budget.speedup, 2);
    assert.equal(plan.plan_sha256, printed.plans[3].plan_sha256);

    const diff = await runCommand(['plan', 'diff', printed.plans[0].path, printed.plans[3].path], dir);
    assert.equal(diff.code, 0);
    const lines = diff.stdout.trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, 3), ['sweep point grid[train.seed=0, budget.speedup=1.5x] → grid[train.seed=1, budget.speedup=2x]', 'declared speedup 1.50x → 2.00x', 'seed 0 → 1']);
    assert.ok(lines.includes('speedup 1.50x → 2.00x'), diff.stdout);
  });

  it('refuses two experiments that would share a plan file (exit 1, nothing written)', async () => {
    const dir = tempDir();
    const source = SWEEP_SOURCE.replace(/sweep grid[\s\S]*$/, 'sweep paths extends base {\n  vary {\n    dataset.path ["data/a", "data_a"]\n  }\n}\n');
    writeFileSync(join(dir, 'paths.eft'), source);
    const r = await runCommand(['compile', 'paths.eft'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error\[EFT0402\]: experiments `paths\[dataset\.path=data\/a\]` and `paths\[dataset\.path=data_a\]` would both be written to plans\/paths--dataset\.path-data_a\.plan\.json\n  --> paths\.eft:13:7\n/);
    assert.ok(!existsSync(join(dir, 'plans')));
  });

  it('compiles every example into plans that read back valid', async () => {
    const sources = (readdirSync('examples', { recursive: true }) as string[]).filter((f) => f.endsWith('.eft')).map((f) => join('examples', f));
    // Files other examples import are libraries of templates, not experiments to compile.
    const imported = new Set(sources.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/^import\s+"([^"]+)"/gm)].map((m) => join(dirname(f), m[1]))));
    const compiled = sources.filter((f) => !imported.has(f)).sort();
    assert.ok(compiled.length > 1);
    for (const source of compiled) {
      const out = tempDir();
      const r = await runCommand(['compile', source, '-o', out]);
      assert.equal(r.code, 0, `${source}: ${r.stderr}`);
      const plans = readdirSync(out);
      assert.ok(plans.length > 0, source);
      for (const file of plans) assert.deepEqual(readPlan(join(out, file)).warnings, []);
    }
  });
});
