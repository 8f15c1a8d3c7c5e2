// Runs the built `eft` command as a user would, from the repository root.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The built command, as package.json's `bin` names it (the bundle `npm run build` makes). */
export const EFT_BIN = join(process.cwd(), 'dist', 'bundle', 'eft.js');

/**
 * Node's arguments that start `eft`: the built bundle when the tests run from dist/, the
 * TypeScript entry through tsx when they run from source.
 */
export function eftNodeArgs(): string[] {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.ts')) return [EFT_BIN];
  return ['--import', 'tsx', join(here, '..', '..', '..', 'cli', 'eft.ts')];
}

export function runEft(args: string[], options: { cwd?: string; input?: string; env?: Record<string, string> } = {}): CliResult {
  const result = spawnSync(process.execPath, [EFT_BIN, ...args], {
    cwd: options.cwd ?? process.cwd(),
    input: options.input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    timeout: 120_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
