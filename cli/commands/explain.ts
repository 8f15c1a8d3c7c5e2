import type { Command } from 'commander';
import { checkSources } from '../check-sources.js';
import { reportDiagnostics, reportUsageError } from '../output.js';

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description("show each experiment's curriculum stage by stage: resolutions, augmentation, epochs, images, steps, compute, speedup")
    .argument('<files...>', '.eft files to explain')
    .option('--json', 'print {"experiments": [...]} on stdout')
    .option('--experiment <name>', 'explain only this experiment (or the points of this sweep)')
    .option('--root <dir>', 'project root that imports must stay inside (default: nearest folder with .git or package.json)')
    .action(async (files: string[], options: { json?: boolean; experiment?: string; root?: string }) => {
      const { explainExperiment } = await import('../../compiler/explain.js');
      const { didYouMean } = await import('../../diagnostics/suggest.js');
      const result = await checkSources(files, options.root);
      if (!result) return;
      let experiments = result.experiments;
      if (options.experiment !== undefined) {
        const wanted = options.experiment;
        experiments = experiments.filter((c) => c.experiment.name === wanted || c.experiment.sweep?.name === wanted);
        if (experiments.length === 0) {
          const known = [...new Set(result.experiments.flatMap((c) => [c.experiment.name, ...(c.experiment.sweep ? [c.experiment.sweep.name] : [])]))];
          const hint = didYouMean(wanted, known);
          const listed = known.length > 0 ? `; the experiments are ${known.map((n) => `\`${n}\``).join(', ')}` : '';
          reportDiagnostics(result.diagnostics, result.texts);
          return reportUsageError(`no experiment named \`${wanted}\` in ${files.join(', ')}${hint.length > 0 ? ` (${hint[0]})` : listed}`);
        }
      }
      reportDiagnostics(result.diagnostics, result.texts);
      const explained = experiments.map(explainExperiment).filter((e) => e !== undefined);
      if (options.json) {
        process.stdout.write(JSON.stringify({ experiments: explained.map((e) => e.json) }, null, 2) + '\n');
        return;
      }
      process.stdout.write(explained.map((e) => e.text).join('\n'));
    });
}
