// Shared helpers of the grammar tests and benches: where the repository is, the language's
// reference example, and parse shortcuts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '../../grammar/parse.js';
import { decodeSource } from '../../grammar/source.js';
import type { FileNode } from '../../grammar/ast.js';
import { renderDiagnostics } from '../../diagnostics/render.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';

/** The repository root (the folder of package.json), from the source tree or from dist/. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the tests');
    dir = parent;
  }
}

export const FIXTURES = join(repoRoot(), 'test', 'grammar', 'fixtures');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** Every `.eft` file below `dir`, sorted. */
export function eftFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...eftFilesUnder(path));
    else if (entry.name.endsWith('.eft')) out.push(path);
  }
  return out;
}

/** The example of the language's syntax section: it uses every construct. */
export const REFERENCE_EXAMPLE = `import "common.eft"   # shared datasets
experiment deit_s_etpp extends deit_base {
  model     deit_small
  dataset   imagenet1k { path "/data/imagenet"  resolution 224px  classes 1000  images 1_281_167 }
  baseline  { epochs 300ep }
  budget    { speedup 1.5x within 2%   device_hours <= 400h on a100 at 40% }
  curriculum efficienttrain_pp(family: deit, equivalent_epochs: 200ep) {
    stage 8 { resolution 224px }
  }
  curriculum.randaugment.m 0 -> 9 in 10 steps
  train     { optimizer adamw(lr: 4e-3, weight_decay: 0.05)  schedule cosine(warmup: 20%)  batch 4096  seed 0 }
}
experiment custom extends deit_s_etpp {
  curriculum {
    stage 0% .. 50%  { resolution 160px  randaugment(m: 4, n: 2, mstd: 0.5) }
    stage 50% .. 100% { resolution 224px  replay(r: 1, k: 0) ; low_pass fft }
  }
}
sweep seeds extends deit_s_etpp { vary { train.seed [0, 1, 2]  model [deit_tiny, deit_small] } }
table main { template "comparison"  rows [deit_s_etpp, custom]  columns [model, top1, speedup] }
`;

/** Parses text that must be free of syntax errors. */
export function parseClean(text: string, file = 'test.eft'): FileNode {
  const { ast, diagnostics } = parse(text, file);
  if (diagnostics.length > 0) throw new Error(`unexpected diagnostics:\n${render(diagnostics, text, file)}`);
  return ast;
}

export function render(diagnostics: readonly Diagnostic[], text: string, file = 'test.eft'): string {
  return renderDiagnostics(diagnostics, new Map([[file, text]]));
}

/** The codes of the diagnostics of a text, in order. */
export function codesOf(text: string): string[] {
  return parse(text, 'test.eft').diagnostics.map((d) => d.code);
}

/** What a user is shown for a file: its decoding problems, or else its syntax diagnostics. */
export function renderFile(bytes: Uint8Array, file: string): string {
  const decoded = decodeSource(bytes, file);
  const diagnostics = decoded.diagnostics.length > 0 ? decoded.diagnostics : parse(decoded.text, file).diagnostics;
  return render(diagnostics, decoded.text, file);
}
