// The front half of the compiler, as `eft check`, `eft explain` and `eft compile` use it:
// load and parse, run the structural rules, elaborate the experiments, resolve their models,
// cost their curricula and run the experiment rules.
import { sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { DeclNode } from '../grammar/ast.js';
import { withDatasetDefaults } from './datasets.js';
import { elaborateExperiment } from './elaborate.js';
import type { ExperimentDef } from './experiment.js';
import { effectiveBody } from './merge.js';
import { loadProgram, type Program } from './program.js';
import { loadRules } from './rules/registry.js';
import type { ExperimentContext } from './rules/rule.js';
import { expandSweep } from './sweep.js';
import { resolveModel } from './resolve-model.js';
import { costExperiment } from './cost-experiment.js';

export interface CheckOptions {
  /** The project root imports must stay inside; default: found from each file. */
  root?: string;
}

export interface CheckResult {
  diagnostics: Diagnostic[];
  /** The text of every file read, by the name diagnostics use. */
  texts: Map<string, string>;
  /** Every complete experiment (and sweep point) declared in the files given, with its spec and schedule. */
  experiments: ExperimentContext[];
  /** The source files' sha256 hashes, by name. */
  hashes: Map<string, string>;
  /** Project root of each file given, by the name diagnostics use. */
  roots: Map<string, string>;
}

function lineage(decl: DeclNode, program: Program): string[] {
  const names: string[] = [];
  let current: DeclNode | undefined = decl;
  while (current?.base) {
    names.push(current.base.name);
    current = program.declarations.get(current.base.name);
    if (names.length > program.declarations.size) break;
  }
  return names;
}

/** The experiments a declaration stands for: itself, or one per sweep point; none for templates and tables. */
function experimentsOf(decl: DeclNode, program: Program, file: string): ExperimentDef[] {
  if (decl.keyword === 'table' || decl.keyword === 'template') return [];
  const merged = effectiveBody(decl, program.declarations);
  if (!merged) return [];
  if (decl.keyword === 'experiment') {
    return [elaborateExperiment(decl.name.name, file, decl.name.span, lineage(decl, program), withDatasetDefaults(merged))];
  }
  return expandSweep(decl.name.name, merged).map((point) => {
    const exp = elaborateExperiment(point.name, file, decl.name.span, lineage(decl, program), withDatasetDefaults(point.body));
    exp.sweep = { name: decl.name.name, point: point.point };
    return exp;
  });
}

async function checkEntry(path: string, options: CheckOptions, result: CheckResult): Promise<void> {
  const { program, diagnostics } = loadProgram([path], options);
  for (const file of program.files) {
    result.texts.set(file.name, file.text);
    result.hashes.set(file.name, file.hash);
  }
  const entryFile = program.files[0];
  if (entryFile) result.roots.set(entryFile.name, program.root);
  result.diagnostics.push(...diagnostics);
  if (diagnostics.some((d) => d.severity === 'error')) return;

  const rules = await loadRules();
  const structural: Diagnostic[] = [];
  for (const rule of rules.program) rule.check(program, (d) => structural.push(d));
  result.diagnostics.push(...structural);
  if (structural.some((d) => d.severity === 'error')) return;

  for (const decl of entryFile?.ast.decls ?? []) {
    if (program.declarations.get(decl.name.name) !== decl) continue;
    for (const experiment of experimentsOf(decl, program, entryFile.name)) {
      const resolved = resolveModel(experiment);
      if ('diagnostics' in resolved) {
        result.diagnostics.push(...resolved.diagnostics);
        continue;
      }
      const costed = costExperiment(experiment, resolved.spec);
      result.diagnostics.push(...costed.diagnostics);
      const ctx: ExperimentContext = { experiment, spec: resolved.spec, schedule: costed.schedule };
      for (const rule of rules.experiment) rule.check(ctx, (d) => result.diagnostics.push(d));
      result.experiments.push(ctx);
    }
  }
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}|${d.span?.file}|${d.span?.offset}|${d.span?.length}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export async function checkFiles(paths: readonly string[], options: CheckOptions = {}): Promise<CheckResult> {
  const result: CheckResult = { diagnostics: [], texts: new Map(), experiments: [], hashes: new Map(), roots: new Map() };
  for (const path of paths) await checkEntry(path, options, result);
  result.diagnostics = sortDiagnostics(dedupe(result.diagnostics));
  return result;
}
