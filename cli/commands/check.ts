import type { Command } from 'commander';
import { checkSources } from '../check-sources.js';
import { diagnosticsJson, reportDiagnostics } from '../output.js';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('check .eft files: syntax, structure, models, resolutions and budgets')
    .argument('<files...>', '.eft files to check')
    .option('--json', 'print diagnostics as JSON on stdout')
    .option('--root <dir>', 'project root that imports must stay inside (default: nearest folder with .git or package.json)')
    .action(async (files: string[], options: { json?: boolean; root?: string }) => {
      const result = await checkSources(files, options.root);
      if (!result) return;
      if (options.json) {
        const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
        process.stdout.write(JSON.stringify({ diagnostics: diagnosticsJson(result.diagnostics), errors, warnings: result.diagnostics.length - errors }, null, 2) + '\n');
        if (errors > 0) process.exitCode = 1;
        return;
      }
      const failed = reportDiagnostics(result.diagnostics, result.texts);
      if (!failed) {
        const count = result.experiments.length;
        process.stdout.write(`${files.length === 1 ? files[0] : `${files.length} files`}: ok (${count} experiment${count === 1 ? '' : 's'} checked)\n`);
      }
    });
}
