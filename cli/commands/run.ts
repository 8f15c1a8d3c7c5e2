import type { Command } from 'commander';
import type { BackendChoice } from '../../runtime/backend/select.js';
import { join } from 'node:path';
import { diagnosticsJson, reportDiagnostics, reportUsageError } from '../output.js';

interface RunFlags {
  experiment?: string;
  backend: string;
  threads?: string;
  registry: string;
  runsDir: string;
  json?: boolean;
  checkpointEvery?: string;
  resume?: string;
  maxImages?: string;
  allowEdited?: boolean;
  root?: string;
  eval: string;
  batchWorker: boolean;
}

const BACKENDS = ['auto', 'wasm', 'cpu', 'tfjs-node', 'tfjs-node-gpu'];

function positiveInteger(flag: string, text: string | undefined): number | undefined | Error {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) return new Error(`${flag} must be a positive whole number; got '${text}'`);
  return value;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('train the experiments of an .eft file (compiled in memory) or a plan, recording them in the run registry')
    .argument('[file]', 'an .eft file (every experiment in it runs, in order) or a plan .json file')
    .option('--experiment <name>', 'run only this experiment (or the points of this sweep) of the .eft file')
    .option('--backend <name>', `TensorFlow.js backend: ${BACKENDS.join(', ')}`, 'auto')
    .option('--threads <n>', "threads of the wasm backend, or 'auto' for every core (default 1)")
    .option('--registry <path>', 'the run registry (SQLite)', join('runs', 'eft.sqlite'))
    .option('--runs-dir <dir>', 'where checkpoints go (<dir>/<run id>/checkpoints)', 'runs')
    .option('--json', 'progress and results as JSON lines on stdout')
    .option('--checkpoint-every <n>', 'write a checkpoint every N steps (besides one at every stage end)')
    .option('--resume <run>', 'continue an interrupted run from its last checkpoint (a run id or a unique beginning of one)')
    .option('--max-images <n>', 'shorten every stage alike to train on about N images in all (smoke tests; not a measurement)')
    .option('--eval <when>', 'evaluate at every stage end (stage-ends) or only at the end of the run (final)', 'stage-ends')
    .option('--no-batch-worker', 'prepare batches on the main thread (by default a worker thread prepares the next batch while one trains, when a core is free)')
    .option('--allow-edited', 'accept a plan whose content no longer matches its plan_sha256')
    .option('--root <dir>', 'project root of the .eft file (default: nearest folder with .git or package.json)')
    .action(async (file: string | undefined, flags: RunFlags) => {
      if (!BACKENDS.includes(flags.backend)) return reportUsageError(`--backend must be one of ${BACKENDS.join(', ')}; got '${flags.backend}'`);
      if (flags.eval !== 'stage-ends' && flags.eval !== 'final') return reportUsageError(`--eval must be stage-ends or final; got '${flags.eval}'`);
      const checkpointEvery = positiveInteger('--checkpoint-every', flags.checkpointEvery);
      const maxImages = positiveInteger('--max-images', flags.maxImages);
      const threads = flags.threads === 'auto' ? 'auto' : positiveInteger('--threads', flags.threads);
      for (const value of [checkpointEvery, maxImages, threads]) if (value instanceof Error) return reportUsageError(value.message);
      if (flags.resume !== undefined && file !== undefined) return reportUsageError('give either a file to run or --resume RUN, not both');
      if (flags.resume === undefined && file === undefined) return reportUsageError('nothing to run: give an .eft or plan file, or --resume RUN');
      if (flags.resume !== undefined && maxImages !== undefined) return reportUsageError('--max-images cannot change on --resume: a resumed run keeps its own');

      const { runPlan, resumeRun, RunError } = await import('../../runtime/run.js');
      const { formatComparison } = await import('../../runtime/train/summary.js');
      const { findProjectRoot } = await import('../../compiler/program.js');
      const { VERSION } = await import('../version.js');
      type Plan = import('../../plan/types.js').Plan;
      type RunSummary = import('../../runtime/train/summary.js').RunSummary;

      const env = {
        backend: flags.backend as BackendChoice,
        threads: threads as number | 'auto' | undefined,
        registryPath: flags.registry,
        runsDir: flags.runsDir,
        checkpointEvery: checkpointEvery as number | undefined,
        maxImages: maxImages as number | undefined,
        json: flags.json === true,
        evaluation: flags.eval as 'stage-ends' | 'final',
        batchWorker: flags.batchWorker ? ('auto' as const) : false,
        eftVersion: VERSION,
        print: (text: string) => void (flags.json ? process.stderr : process.stdout).write(text),
        projectRoot: file !== undefined ? (flags.root ?? findProjectRoot(file)) : undefined,
      };
      const fail = (err: unknown): void => {
        if (!(err instanceof RunError)) throw err;
        process.stderr.write(`error: ${err.message}\n${err.help.map((h) => `  help: ${h}\n`).join('')}`);
        process.exitCode = err.exitCode;
      };

      if (flags.resume !== undefined) {
        try {
          const outcome = await resumeRun(flags.resume, env);
          if (outcome.exitCode !== 0) process.exitCode = outcome.exitCode;
        } catch (err) {
          fail(err);
        }
        return;
      }

      const plans: { plan: Plan; path: string | null }[] = [];
      if (file!.toLowerCase().endsWith('.json')) {
        const { readPlan } = await import('../../plan/read.js');
        const { PlanError } = await import('../../plan/errors.js');
        if (flags.experiment !== undefined) return reportUsageError('--experiment selects experiments of an .eft file; a plan holds one');
        try {
          const read = readPlan(file!, { allowEdited: flags.allowEdited });
          for (const w of read.warnings) process.stderr.write(`warning: ${w.message}\n`);
          plans.push({ plan: read.plan, path: file! });
        } catch (err) {
          if (!(err instanceof PlanError)) throw err;
          process.stderr.write(`error[${err.code}]: ${err.message}\n${err.help.map((h) => `  help: ${h}\n`).join('')}`);
          process.exitCode = 1;
          return;
        }
      } else {
        const { compileFile } = await import('../../compiler/plan/compile-file.js');
        const { InputError } = await import('../../compiler/program.js');
        let outcome;
        try {
          outcome = await compileFile(file!, { experiment: flags.experiment, root: flags.root, compilerVersion: VERSION });
        } catch (err) {
          if (err instanceof InputError) return reportUsageError(err.message);
          throw err;
        }
        if (outcome.kind !== 'compiled') {
          if (flags.json) process.stdout.write(`${JSON.stringify({ type: 'diagnostics', diagnostics: diagnosticsJson(outcome.diagnostics) })}\n`);
          else reportDiagnostics(outcome.diagnostics, outcome.texts);
          process.exitCode = outcome.kind === 'usage' ? 2 : 1;
          return;
        }
        if (!flags.json) reportDiagnostics(outcome.diagnostics, outcome.texts);
        // The run records the .eft file its plan was compiled from (the plan itself is in the registry).
        for (const compiled of outcome.plans) plans.push({ plan: compiled.plan, path: file! });
      }

      const summaries: RunSummary[] = [];
      for (const { plan, path } of plans) {
        if (plans.length > 1 && !flags.json) process.stdout.write(`\n== ${plan.experiment.name} (${summaries.length + 1}/${plans.length}) ==\n`);
        try {
          const outcome = await runPlan(plan, path, env, summaries);
          summaries.push(outcome.summary);
          if (outcome.exitCode !== 0) {
            process.exitCode = outcome.exitCode;
            return;
          }
        } catch (err) {
          fail(err);
          return;
        }
      }
      if (plans.length > 1) {
        if (flags.json) process.stdout.write(`${JSON.stringify({ type: 'comparison', runs: summaries.map((s) => ({ experiment: s.experiment, runId: s.runId, curriculum: s.curriculum, top1: s.top1, wallSeconds: s.wallSeconds, trainSeconds: s.trainSeconds, measuredSpeedup: s.comparison?.measuredSpeedup ?? null, predictedSpeedup: s.predictedSpeedup })) })}\n`);
        else process.stdout.write(`\n${formatComparison(summaries)}`);
      }
    });
}
