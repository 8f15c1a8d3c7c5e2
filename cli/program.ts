// The `eft` command line: parses flags and hands each command to its layer. Command modules
// import their layers lazily so that `eft check` never loads TensorFlow.js.
import { Command, CommanderError } from 'commander';
import { registerCheck } from './commands/check.js';
import { registerCompile } from './commands/compile.js';
import { registerExplain } from './commands/explain.js';
import { registerFlops } from './commands/flops.js';
import { registerFmt } from './commands/fmt.js';
import { registerPlan } from './commands/plan.js';
import { registerRun } from './commands/run.js';
import { registerRuns } from './commands/runs.js';
import { VERSION } from './version.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('eft')
    .description('Plan, check, run and report curriculum-based efficient training experiments')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run `eft --help` for usage)')
    .exitOverride();
  registerCheck(program);
  registerFmt(program);
  registerExplain(program);
  registerFlops(program);
  registerCompile(program);
  registerPlan(program);
  registerRun(program);
  registerRuns(program);
  return program;
}

/** Runs the command line; exit codes: 0 clean, 1 errors in the input, 2 usage or I/O problems. */
export async function runCli(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    throw err;
  }
}
