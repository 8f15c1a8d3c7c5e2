// Runs `eft compile` and `eft plan ...` in this process, capturing what they print and the exit
// code they set, so the commands are tested as a user sees them without a build.
import { Command, CommanderError } from 'commander';
import { registerCompile } from '../../cli/commands/compile.js';
import { registerPlan } from '../../cli/commands/plan.js';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCommand(args: string[], cwd?: string): Promise<CommandResult> {
  const program = new Command().name('eft').exitOverride();
  program.configureOutput({ writeOut: (s) => void (stdout += s), writeErr: (s) => void (stderr += s) });
  registerCompile(program);
  registerPlan(program);
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const previousCode = process.exitCode;
  const previousCwd = process.cwd();
  const previousNoColor = process.env.NO_COLOR;
  process.env.NO_COLOR = '1';
  process.exitCode = undefined;
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  let code: number;
  try {
    if (cwd) process.chdir(cwd);
    await program.parseAsync(['node', 'eft', ...args]);
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    code = e.exitCode === 0 ? 0 : 2;
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = previousCode;
    process.chdir(previousCwd);
    if (previousNoColor === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = previousNoColor;
  }
  return { code, stdout, stderr };
}
