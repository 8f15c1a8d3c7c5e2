import type { Command } from 'commander';
import { diagnosticsJson, reportDiagnostics, reportUsageError } from '../output.js';

interface CompileFlags {
  output: string;
  experiment?: string;
  json?: boolean;
  root?: string;
}

export function registerCompile(program: Command): void {
  program
    .command('compile')
    .description('compile an .eft file into one JSON execution plan per experiment')
    .argument('<file>', 'the .eft file')
    .option('-o, --output <path>', 'directory for the plans, or a .json file when there is one experiment', 'plans')
    .option('--experiment <name>', 'compile only this experiment (or every point of this sweep)')
    .option('--json', 'print what was written (and any diagnostics) as JSON on stdout')
    .option('--root <dir>', 'project root (default: nearest folder with .git or package.json)')
    .action(async (file: string, flags: CompileFlags) => {
      const { compileFile } = await import('../../compiler/plan/compile-file.js');
      const { writeFileAtomically } = await import('../../compiler/plan/write.js');
      const { InputError } = await import('../../compiler/program.js');
      const { formatSpeedup } = await import('../../compiler/curricula/format.js');
      const { makeDiagnostic } = await import('../../diagnostics/diagnostic.js');
      const { PLAN_CODE } = await import('../../diagnostics/codes/plan.js');
      const { VERSION } = await import('../version.js');

      let outcome;
      try {
        outcome = await compileFile(file, { output: flags.output, experiment: flags.experiment, root: flags.root, compilerVersion: VERSION });
      } catch (err) {
        if (err instanceof InputError) return reportUsageError(err.message);
        throw err;
      }
      const diagnostics = [...outcome.diagnostics];
      const written: { experiment: string; path: string; plan_sha256: string; speedup: number }[] = [];
      let exitCode = outcome.kind === 'failed' ? 1 : outcome.kind === 'usage' ? 2 : 0;

      if (outcome.kind === 'compiled') {
        for (const compiled of outcome.plans) {
          try {
            writeFileAtomically(compiled.path, compiled.text);
          } catch (err) {
            diagnostics.push(makeDiagnostic(PLAN_CODE.planNotWritten, 'error', `cannot write ${compiled.path}: ${(err as Error).message}`));
            exitCode = 2;
            break;
          }
          written.push({ experiment: compiled.experiment, path: compiled.path, plan_sha256: compiled.plan.plan_sha256, speedup: compiled.plan.totals.speedup });
        }
      }

      if (flags.json) {
        process.stdout.write(JSON.stringify({ plans: written, diagnostics: diagnosticsJson(diagnostics) }, null, 2) + '\n');
      } else {
        reportDiagnostics(diagnostics, outcome.texts);
        for (const w of written) process.stdout.write(`wrote ${w.path}  sha256 ${w.plan_sha256.slice(0, 12)}  speedup ${formatSpeedup(w.speedup)}\n`);
      }
      if (exitCode !== 0) process.exitCode = exitCode;
    });
}
