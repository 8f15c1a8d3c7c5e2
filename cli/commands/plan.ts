import type { Command } from 'commander';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Plan } from '../../plan/types.js';
import { reportDiagnostics } from '../output.js';

/** Reads plans the way every consumer must; problems become diagnostics (exit 1), warnings too. */
async function readPlans(paths: string[], allowEdited: boolean): Promise<{ plans: Plan[]; diagnostics: Diagnostic[] }> {
  const { readPlan } = await import('../../plan/read.js');
  const { PlanError, formatProblem } = await import('../../plan/errors.js');
  const { makeDiagnostic } = await import('../../diagnostics/diagnostic.js');
  const plans: Plan[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of paths) {
    try {
      const result = readPlan(path, { allowEdited });
      plans.push(result.plan);
      for (const w of result.warnings) diagnostics.push(makeDiagnostic(w.code, 'warning', w.message, { help: [...w.help] }));
    } catch (err) {
      if (!(err instanceof PlanError)) throw err;
      diagnostics.push(
        makeDiagnostic(err.code, 'error', err.message, {
          notes: err.problems.slice(1).map((p) => `also ${formatProblem(p)}`),
          help: [...err.help],
        }),
      );
    }
  }
  return { plans, diagnostics };
}

/** Prints the problems of reading; true when the command must stop (exit 1, or 2 for a file that cannot be read). */
async function reportReading(diagnostics: Diagnostic[]): Promise<boolean> {
  const { PLAN_CODE } = await import('../../diagnostics/codes/plan.js');
  const failed = reportDiagnostics(diagnostics, new Map());
  if (diagnostics.some((d) => d.code === PLAN_CODE.planUnreadable)) process.exitCode = 2;
  return failed;
}

export function registerPlan(program: Command): void {
  const plan = program.command('plan').description('inspect compiled execution plans');

  plan
    .command('show')
    .description('print a plan: its sources, model, recipe and stage table')
    .argument('<plan>', 'a .plan.json file')
    .option('--allow-edited', 'accept a plan edited after it was compiled (with a warning)')
    .action(async (path: string, flags: { allowEdited?: boolean }) => {
      const { renderPlanShow } = await import('../../compiler/plan/show.js');
      const { plans, diagnostics } = await readPlans([path], flags.allowEdited ?? false);
      if (await reportReading(diagnostics)) return;
      process.stdout.write(renderPlanShow(plans[0], path));
    });

  plan
    .command('diff')
    .description('say what differs between two plans')
    .argument('<a>', 'the plan to compare from')
    .argument('<b>', 'the plan to compare to')
    .option('--allow-edited', 'accept plans edited after they were compiled (with a warning)')
    .action(async (a: string, b: string, flags: { allowEdited?: boolean }) => {
      const { diffPlans } = await import('../../compiler/plan/diff.js');
      const { plans, diagnostics } = await readPlans([a, b], flags.allowEdited ?? false);
      if (await reportReading(diagnostics)) return;
      const lines = diffPlans(plans[0], plans[1]);
      process.stdout.write(lines.length === 0 ? 'plans are identical\n' : lines.join('\n') + '\n');
    });
}
