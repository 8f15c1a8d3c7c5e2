// `eft check` never throws on a file that parses: mutations of the examples (numbers made
// huge, zero, negative or fractional; names swapped; lines dropped or repeated) go through
// the whole compiler (rules, models, costing, budget rules) and must end in diagnostics whose
// locations lie inside their files.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFiles } from '../../compiler/check.js';
import { Random } from '../../runtime/random.js';

const SOURCES = ['examples/quickstart.eft', ...readdirSync('examples/paper').map((f) => `examples/paper/${f}`)].map((f) => readFileSync(f, 'utf8'));
const NUMBERS = ['0', '-1', '1e308', '0.5', '3', '1e-9', '224px', '7px', '0ep', '100%', '0%', '1e6x', '2_000_000', '9999999999'];
const NAMES = ['deit_tiny', 'swin_tiny', 'convnet', 'resnet18', 'vit', 'efficienttrain', 'linear_ramp', 'ffcv_ramp', 'none', 'fft', 'lanczos', 'cifar10', 'mnist', 'imagenet1k', 'h100', 'true', 'epochs', 'custom'];

function mutate(text: string, random: Random): string {
  const lines = text.split('\n');
  const kind = random.int(0, 4);
  if (kind === 0) {
    return text.replace(/-?\d[\d_.]*(e-?\d+)?[a-z%]*/g, (m) => (random.uniform(0, 1) < 0.3 ? NUMBERS[random.int(0, NUMBERS.length)] : m));
  }
  if (kind === 1) {
    return text.replace(/\b[a-z][a-z0-9_]*\b/g, (m) => (random.uniform(0, 1) < 0.08 && !['experiment', 'template', 'import', 'extends', 'sweep', 'table'].includes(m) ? NAMES[random.int(0, NAMES.length)] : m));
  }
  const i = random.int(0, lines.length);
  if (kind === 2) lines.splice(i, 1);
  else lines.splice(i, 0, lines[random.int(0, lines.length)]);
  return lines.join('\n');
}

describe('compiler: mutated examples never crash eft check', () => {
  it('checks 1,000 mutations with every diagnostic inside its file', async function () {
    this.timeout(120_000);
    const random = new Random(20261128);
    const dir = mkdtempSync(join(tmpdir(), 'eft-fuzz-check-'));
    writeFileSync(join(dir, 'package.json'), '{}');
    writeFileSync(join(dir, 'common.eft'), readFileSync('examples/paper/common.eft', 'utf8'));
    let withErrors = 0;
    for (let n = 0; n < 1000; n++) {
      const source = mutate(mutate(SOURCES[random.int(0, SOURCES.length)], random), random);
      const path = join(dir, `case${n}.eft`);
      writeFileSync(path, source);
      let result;
      try {
        result = await checkFiles([path]);
      } catch (err) {
        assert.fail(`case ${n} threw ${(err as Error).stack}\n--- source ---\n${source}`);
      }
      for (const d of result.diagnostics) {
        if (!d.span) continue;
        const text = result.texts.get(d.span.file);
        assert.ok(text !== undefined, `case ${n}: ${d.code} points into an unknown file`);
        assert.ok(d.span.offset >= 0 && d.span.offset + d.span.length <= text.length, `case ${n}: ${d.code} ${d.message} lies outside its file`);
        assert.ok(!/NaN|Infinity/.test(d.message + d.notes.join() + d.help.join()), `case ${n}: ${d.code} prints ${d.message} ${d.notes.join(' ')}`);
      }
      for (const ctx of result.experiments) {
        const totals = ctx.schedule?.totals;
        if (totals) assert.ok(Object.values(totals).every((v) => Number.isFinite(v)), `case ${n}: totals not finite: ${JSON.stringify(totals)}`);
      }
      if (result.diagnostics.some((d) => d.severity === 'error')) withErrors++;
    }
    assert.ok(withErrors > 100, `only ${withErrors} of 1,000 mutations were errors: the mutations are too weak`);
  });
});
